// The examples help, usage hints and refusals quote: taken from the plan this deployment has loaded
// (a real ref, a real KPI code, the caller's own action, words from a real action), so a council
// never reads another council's refs. The demo plan's are used only when the plan is empty.
// Pure: the store loads the facts (src/store/plan-examples-repository.ts), this chooses.
import { DateTime } from 'luxon';
import type { KpiFrequency, KpiUnit } from './kpi-types.js';
import { latestCompletePeriod } from './kpi-periods.js';
import { exampleValue } from './kpi-values.js';

/** What the store found in the loaded plan; null where the plan has none. */
export interface PlanExampleFacts {
  /** Live actions in plan order (the first few). */
  actions: { ref: string; text: string }[];
  /** The caller's first open action, if they are accountable for one. */
  ownAction: { ref: string; text: string } | null;
  /** Up to two actions the caller may update (src/domain/permissions.ts), their own first. */
  updatable: { ref: string; text: string }[];
  /** An action whose date changes the caller may decide (admin, or chair of its board). */
  decidableRef: string | null;
  /** The first live KPI with a code. */
  kpi: { code: string; unit: KpiUnit; frequency: KpiFrequency } | null;
  /** The first KPI the caller may record readings for. */
  recordableKpi: { code: string; unit: KpiUnit; frequency: KpiFrequency } | null;
  /** Whether the caller is a programme officer (admin): assign and handover are theirs alone. */
  callerIsAdmin: boolean;
  /** Someone other than the caller, to delegate or assign to. */
  otherPerson: { name: string; email: string } | null;
  /** A role that leads a workstream, for assign/handover examples. */
  roleName: string | null;
  /** The first board, for digest and dashboard examples. */
  boardName: string | null;
}

export interface PlanExamples {
  /** True when the examples come from the loaded plan, false when they are the demo's. */
  fromPlan: boolean;
  /** A real action ref: "ND-1.2". */
  ref: string;
  /** The caller's own action where they have one, else `ref`. */
  ownRef: string;
  /** Another real ref where the plan has two, else `ref`. */
  otherRef: string;
  /** Actions the caller may update (none: update examples give way to a plain sentence). */
  updateRefs: string[];
  /** An action whose date change the caller may decide, or null. */
  decideRef: string | null;
  /** Whether the caller may record a reading of `kpiCode`. */
  mayRecordKpi: boolean;
  /** Whether the caller may run admin commands (assign, handover). */
  isAdmin: boolean;
  /** Another person in the plan, by email: "sam.lead@northshire.example". */
  person: string;
  /** A last day away, two weeks ahead: "21 December 2026"; and one a week ahead as written ISO. */
  awayUntil: string;
  awayUntilIso: string;
  /** Words from a real action that `/send who` finds it by: "annual health checks". */
  whoWords: string;
  /** A real KPI code, its unit's example value and a recent period to record it for. */
  kpiCode: string;
  kpiValue: string;
  kpiPeriod: string;
  /** A note after a KPI reading. */
  kpiNote: string;
  /** A note after an update's status and percent. */
  updateNote: string;
  /** A new due date as people write it, a few months ahead: "31 March 27"; the same as ISO; a term. */
  newDue: string;
  newDueIso: string;
  newDueTerm: string;
  /** A role name from the plan: "Head of SEND". */
  roleName: string;
  /** A board's name: "SEND Partnership Board". */
  boardName: string;
}

/** The demo plan's (db/seeds), used only when nothing is loaded. */
export const DEMO_EXAMPLES: PlanExamples = {
  fromPlan: false,
  ref: 'ND-1.2',
  ownRef: 'ND-1.2',
  otherRef: 'TR-2.1',
  updateRefs: ['ND-1.2', 'TR-2.1'],
  decideRef: 'ND-1.2',
  mayRecordKpi: true,
  isAdmin: true,
  person: 'jamie.example@example.org',
  awayUntil: '3 January 2025',
  awayUntilIso: '2024-12-20',
  whoWords: 'annual health checks',
  kpiCode: 'HCP-HR1',
  kpiValue: '63%',
  kpiPeriod: 'Q3 24/25',
  kpiNote: 'new clinic slots in Shirley',
  updateNote: 'NDPT pilot extended; roll-out from Jan',
  newDue: '31 March 25',
  newDueIso: '2025-03-31',
  newDueTerm: 'end of summer term 2025',
  roleName: 'Head of SEND',
  boardName: 'SEND Partnership Board',
};

// Words that do not pick an action out: function words, months, status words.
const PLAIN_WORDS = new Set(
  (
    'a an and are as at be by for from has have in into is it its of on or the to with will would should can could ' +
    'this that these those their there where when which who whose all any each every more most other some such ' +
    'than then through via within without across including ensure ensuring continue develop review end ' +
    'january february march april may june july august september october november december ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec completed complete ongoing'
  ).split(' '),
);

/** Up to three consecutive-in-reading significant words of an action: what someone would type to find it. */
export function chooseWhoWords(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
    // Letters only (hyphens inside allowed), three or more: no numbers, dates or refs.
    .filter((w) => /^\p{L}[\p{L}-]{2,}$/u.test(w) && !PLAIN_WORDS.has(w.toLowerCase()));
  if (words.length === 0) return null;
  return words.slice(0, 3).join(' ').toLowerCase();
}

/** The examples to quote, given what the plan holds and today's date (for a KPI period). */
export function choosePlanExamples(facts: PlanExampleFacts, today: string): PlanExamples {
  const first = facts.actions[0] ?? facts.ownAction;
  // A date in the past would be a poor example of moving one.
  if (!first && !facts.kpi && !facts.boardName) {
    return { ...DEMO_EXAMPLES, ...datesFrom(today), isAdmin: facts.callerIsAdmin, ...(facts.otherPerson ? { person: facts.otherPerson.email } : {}) };
  }
  const ref = first?.ref ?? DEMO_EXAMPLES.ref;
  // A KPI the caller may record is the one quoted; the plan's first otherwise (showing it is open to all).
  const kpi = facts.recordableKpi ?? facts.kpi;
  const words = facts.actions.map((a) => chooseWhoWords(a.text)).find((w) => w !== null) ?? (facts.ownAction ? chooseWhoWords(facts.ownAction.text) : null);
  return {
    fromPlan: true,
    ref,
    ownRef: facts.ownAction?.ref ?? ref,
    otherRef: facts.actions.find((a) => a.ref !== ref)?.ref ?? ref,
    updateRefs: facts.updatable.map((a) => a.ref),
    decideRef: facts.decidableRef,
    mayRecordKpi: facts.recordableKpi !== null,
    isAdmin: facts.callerIsAdmin,
    // Never the demo's people on another council's plan: a placeholder when nobody else is loaded.
    person: facts.otherPerson?.email ?? '<a colleague’s email>',
    whoWords: words ?? ref,
    kpiCode: kpi?.code ?? DEMO_EXAMPLES.kpiCode,
    kpiValue: kpi ? exampleValue(kpi.unit) : DEMO_EXAMPLES.kpiValue,
    kpiPeriod: kpi ? latestCompletePeriod(kpi.frequency, today).label : DEMO_EXAMPLES.kpiPeriod,
    // Plain notes any plan's owners could write: the demo's name its own places and services.
    kpiNote: kpi ? 'from the latest return' : DEMO_EXAMPLES.kpiNote,
    updateNote: 'pilot extended; roll-out from January',
    ...datesFrom(today),
    roleName: facts.roleName ?? DEMO_EXAMPLES.roleName,
    boardName: facts.boardName ?? DEMO_EXAMPLES.boardName,
  };
}

/** Every date an example quotes, ahead of `today` (the command's clock): a past one would be refused. */
function datesFrom(today: string): Pick<PlanExamples, 'newDue' | 'newDueIso' | 'newDueTerm' | 'awayUntil' | 'awayUntilIso'> {
  const year = Number(today.slice(0, 4)) + 1;
  const day = DateTime.fromISO(today, { zone: 'Europe/London', locale: 'en-GB' });
  return {
    newDue: exampleNewDue(today),
    newDueIso: `${year}-03-31`,
    newDueTerm: `end of summer term ${year}`,
    awayUntil: day.plus({ days: 14 }).toFormat('d MMMM yyyy'),
    awayUntilIso: day.plus({ days: 7 }).toISODate() as string,
  };
}

/** 31 March next year, written the way plans do ("31 March 27"): always 3 to 15 months ahead. */
export function exampleNewDue(today: string): string {
  const year = Number(today.slice(0, 4)) + 1;
  return `31 March ${String(year % 100).padStart(2, '0')}`;
}
