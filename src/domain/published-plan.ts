// The public view of the plan, for the parent carer forum and anyone else: how each plan is doing,
// what is overdue and which dates have moved from the original plan, with no people in it. The type
// has no field for a name, a note or an email, so nothing personal can reach the page by accident;
// roles are kept, as the published plan itself names them ("SCC Head of SEND"), unless an admin
// assigned the action to a named person. Pure: built from the PlanningState and now, counting with
// the digest's own pieces so both agree on what "overdue" and each RAG count mean.
import type { ActionStatus } from '../../db/types.js';
import type { AssessedKpi } from './dashboard-model.js';
import type { RagCounts } from './digest-model.js';
import { ActionDescriber, countStatus, emptyRag, londonDate } from './digest-parts.js';
import type { PlanningState } from './planning-state.js';

export interface PublishedAction {
  ref: string;
  text: string;
  workstream: string;
  /** The accountable role; null when nobody is named in the plan or the owner is a named person. */
  leadRole: string | null;
  status: ActionStatus;
  percent: number | null;
  due: string | null;
  /** The due date in the original plan. */
  baselineDue: string | null;
  /** Working days past due, when overdue. */
  daysOverdue: number | null;
}

export interface PublishedPlanSummary {
  code: string;
  title: string;
  rag: RagCounts;
  overdue: number;
  /** Actions whose due date differs from the original plan. */
  datesMoved: number;
  actions: PublishedAction[];
}

/** A KPI as the public sees it: values and targets; readings carry no recorder and no note. */
export type PublishedKpi = AssessedKpi;

export const PUBLISHED_KPI_NOTE = 'Each measure against the trajectory in the plan: the latest figure, and whether it is where the plan expected it to be by then.';

export interface PublishedView {
  partnership: string;
  generatedAt: string;
  today: string;
  /** The plan asked for, or null for every plan. */
  planCode: string | null;
  totals: { actions: number; rag: RagCounts; overdue: number; datesMoved: number };
  plans: PublishedPlanSummary[];
  /** KPIs of the plans shown, in plan order. */
  kpis: PublishedKpi[];
}

/**
 * Every plan, or the one whose code is `planCode` (any case); null when no plan has that code.
 * `kpis` are all the assessed KPIs; those of the plans shown are kept, without people or notes.
 */
export function buildPublishedView(state: PlanningState, nowUtcIso: string, planCode?: string, kpis: AssessedKpi[] = []): PublishedView | null {
  const today = londonDate(nowUtcIso);
  const describer = new ActionDescriber(state, today);
  const wanted = planCode?.toUpperCase();
  const plans = new Map<number, PublishedPlanSummary>();
  const totals = { actions: 0, rag: emptyRag(), overdue: 0, datesMoved: 0 };
  for (const a of state.actions) {
    if (wanted && a.planCode.toUpperCase() !== wanted) continue;
    let plan = plans.get(a.planId);
    if (!plan) {
      plan = { code: a.planCode, title: a.planTitle, rag: emptyRag(), overdue: 0, datesMoved: 0, actions: [] };
      plans.set(a.planId, plan);
    }
    const daysOverdue = describer.daysOverdue(a);
    const moved = a.due !== null && a.baselineDue !== null && a.due !== a.baselineDue;
    plan.actions.push({
      ref: a.ref,
      text: a.text,
      workstream: a.workstreamTitle,
      leadRole: a.ownerPersonId === null ? a.ownerRole : null,
      status: a.status,
      percent: a.percent,
      due: a.due,
      baselineDue: a.baselineDue,
      daysOverdue,
    });
    countStatus(plan.rag, a.status);
    countStatus(totals.rag, a.status);
    totals.actions += 1;
    if (daysOverdue !== null) {
      plan.overdue += 1;
      totals.overdue += 1;
    }
    if (moved) {
      plan.datesMoved += 1;
      totals.datesMoved += 1;
    }
  }
  if (wanted && plans.size === 0) return null;
  const shown = new Set([...plans.values()].map((p) => p.code));
  return {
    partnership: state.partnershipName,
    generatedAt: nowUtcIso,
    today,
    planCode: wanted ?? null,
    totals,
    plans: [...plans.values()],
    kpis: kpis.filter((k) => shown.has(k.series.planCode)).map(publicKpi),
  };
}

/** The KPI without who recorded each reading and without notes. */
function publicKpi(kpi: AssessedKpi): PublishedKpi {
  const strip = <R extends { recordedBy: string | null; note: string | null }>(r: R): R => ({ ...r, recordedBy: null, note: null });
  return {
    series: { ...kpi.series, readings: kpi.series.readings.map(strip) },
    assessment: { ...kpi.assessment, latest: kpi.assessment.latest ? strip(kpi.assessment.latest) : null },
  };
}
