// Help, usage hints and refusals quote the loaded plan (another council's refs, KPI codes, words and
// the caller's own action), and the demo's only when nothing is loaded.
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, parseInstant } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { chooseWhoWords, choosePlanExamples, DEMO_EXAMPLES } from '../../src/domain/plan-examples.js';
import { planDocumentSchema } from '../../src/importers/plan-document.js';
import { renderText } from '../../src/render/text.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail, type Person } from '../../src/store/people-repository.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { closeTestDb, testDb } from '../helpers/test-db.js';

const NOW = '2025-02-10T10:00';
const OFFICER = 'officer@northdale.example.org';
const LEAD = 'lead@northdale.example.org';

// Another council's plan: none of the demo's refs, codes, roles, boards or words.
const NORTHDALE = planDocumentSchema.parse({
  roles: [{ name: 'Assistant Director Inclusion' }, { name: 'Designated Clinical Officer' }],
  people: [
    { name: 'Olu Officer', email: OFFICER, admin: true },
    { name: 'Lee Lead', email: LEAD, roles: ['Designated Clinical Officer'] },
  ],
  boards: [{ name: 'Northdale Inclusion Board' }],
  plans: [
    {
      code: 'WSOA',
      title: 'Written Statement of Action',
      board: 'Northdale Inclusion Board',
      kpis: [{ code: 'EHC20', name: 'EHC plans issued within 20 weeks', unit: 'percent', frequency: 'quarterly' }],
      workstreams: [
        {
          title: 'Timeliness of plans',
          lead: 'Assistant Director Inclusion',
          actions: [{ text: 'Recruit three educational psychologists by March 2025' }, { text: 'Publish weekly caseload dashboards' }],
        },
        { title: 'Health advice', lead: 'Designated Clinical Officer', actions: [{ text: 'Agree a health advice quality standard' }] },
      ],
    },
  ],
});

const dbs: Db[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await closeTestDb(db);
});

async function freshDb(): Promise<Db> {
  const db = await testDb();
  dbs.push(db);
  return db;
}

async function northdaleDb(): Promise<Db> {
  const db = await freshDb();
  await importPlanDocument(db, NORTHDALE, { now: parseInstant('2025-01-06T09:00'), file: 'northdale.yaml' });
  return db;
}

const person = async (db: Db, email: string) => (await findPersonByEmail(db, email)) as Person;
const say = async (db: Db, who: Person, typed: string, platform: 'console' | 'slack' = 'slack') => renderText(await runCommandText({ db, clock: fixedClock(NOW) }, who, platform, typed));
const DEMO_WORDS = /ND-1\.2|ND-3\.5|TR-2\.1|HCP-HR1|ND-WAIT|Shirley|NDPT|SEND Partnership Board|Head of SEND/;

describe('examples from the loaded plan', () => {
  it('help quotes the plan’s own refs, KPI code, board, role and words, never the demo’s', async () => {
    const db = await northdaleDb();
    const officer = await person(db, OFFICER);
    const all = (await Promise.all(['help', 'help who', 'help update', 'help kpi', 'help status', 'help assign', 'help handover', 'help approve', 'help digest'].map(async (t) => await say(db, officer, t)))).join('\n');
    expect(all).not.toMatch(DEMO_WORDS);
    expect(await say(db, officer, 'help who')).toContain('e.g. /send who WSOA-1.1');
    expect(await say(db, officer, 'help kpi')).toContain('e.g. /send kpi WSOA-EHC20 63% for Q3 2024/25');
    expect(await say(db, officer, 'help handover')).toContain('e.g. /send handover Assistant Director Inclusion to');
    expect(await say(db, officer, 'help digest')).toContain('e.g. /send digest Northdale Inclusion Board');
  });

  it('`who` examples use words from a real action, and those words find it', async () => {
    const db = await northdaleDb();
    const officer = await person(db, OFFICER);
    const example = /e\.g\. \/send who ([a-z ]+)$/m.exec(await say(db, officer, 'help who'))?.[1];
    expect(example).toBe('recruit three educational');
    expect(await say(db, officer, `who ${example}`)).toContain('WSOA-1.1');
  });

  it('the caller’s own action is the update example; someone with none gets the plan’s first', async () => {
    const db = await northdaleDb();
    expect(await say(db, await person(db, LEAD), 'help update')).toContain('e.g. /send update WSOA-2.1 amber 60%');
    expect(await say(db, await person(db, OFFICER), 'help update')).toContain('e.g. /send update WSOA-1.1 amber 60%');
  });

  it('every update and kpi example in help is accepted as written', async () => {
    const db = await northdaleDb();
    const lead = await person(db, OFFICER);
    const examples = (await Promise.all(['help update', 'help kpi'].map(async (t) => [...(await say(db, lead, t)).matchAll(/e\.g\. \/send (.+)$/gm)].map((m) => m[1] as string)))).flat();
    expect(examples.length).toBeGreaterThan(3);
    for (const example of examples) {
      const answer = await runCommandText({ db, clock: fixedClock(NOW) }, lead, 'slack', example);
      expect(answer.tone, `${example}: ${answer.summary}`).not.toBe('error');
    }
  });

  it('usage hints and refusals quote the plan too', async () => {
    const db = await northdaleDb();
    const officer = await person(db, OFFICER);
    const missingRef = await say(db, officer, 'status');
    expect(missingRef).toContain('Say which action: its ref.');
    expect(missingRef).toContain('Example: /send status WSOA-1.1');
    const noMatch = await say(db, officer, 'who zebra crossings');
    expect(noMatch).toContain('Try other words from the action (e.g. recruit three educational), or a ref like WSOA-1.1.');
    expect(await say(db, officer, 'kpi ZZZZZZ')).not.toMatch(DEMO_WORDS);
    expect(await say(db, officer, 'assign')).toContain('Example: /send assign WSOA-1.1');
    expect(`${missingRef}${noMatch}`).not.toMatch(DEMO_WORDS);
  });

  it('an empty plan falls back to the demo’s examples', async () => {
    const db = await freshDb();
    await importPlanDocument(db, planDocumentSchema.parse({ people: [{ name: 'Olu Officer', email: OFFICER, admin: true }] }), { now: parseInstant('2025-01-06T09:00') });
    const officer = await person(db, OFFICER);
    expect(await say(db, officer, 'help who')).toContain('e.g. /send who ND-1.2');
    expect(await say(db, officer, 'help kpi')).toContain('e.g. /send kpi HCP-HR1 63% for Q3 24/25 new clinic slots in Shirley');
    expect(await say(db, officer, 'who ND-9.9')).toContain('The plan has no actions yet. Refs look like ND-1.2');
  });
});

describe('choosePlanExamples (pure)', () => {
  it('takes significant words, never numbers, dates or function words', () => {
    expect(chooseWhoWords('By Sept 24: review the 0-25 transitions protocol with adult services')).toBe('transitions protocol adult');
    expect(chooseWhoWords('COMPLETED 31/03/25')).toBeNull();
  });

  it('is the demo’s only when the plan has nothing at all', () => {
    const none = { updatable: [], decidableRef: null, recordableKpi: null, otherPerson: null, callerIsAdmin: true };
    expect(choosePlanExamples({ actions: [], ownAction: null, kpi: null, roleName: null, boardName: null, ...none }, '2026-12-07')).toEqual({
      ...DEMO_EXAMPLES,
      newDue: '31 March 27',
      newDueIso: '2027-03-31',
      newDueTerm: 'end of summer term 2027',
      awayUntil: '21 December 2026',
      awayUntilIso: '2026-12-14',
    });
    const ex = choosePlanExamples(
      { actions: [{ ref: 'AB-1.1', text: '2025' }], ownAction: null, kpi: { code: 'AB-X', unit: 'weeks', frequency: 'monthly' }, roleName: null, boardName: null, ...none },
      '2025-02-10',
    );
    expect(ex).toMatchObject({ fromPlan: true, ref: 'AB-1.1', ownRef: 'AB-1.1', whoWords: 'AB-1.1', kpiCode: 'AB-X', kpiValue: '12 weeks', kpiPeriod: 'January 2025', newDue: '31 March 26' });
  });
});

describe('wording', () => {
  it('`who <ref>` shows a short action’s text once', async () => {
    const db = await northdaleDb();
    const out = await say(db, await person(db, OFFICER), 'who WSOA-1.2');
    expect(out.toLowerCase().split('publish weekly caseload dashboards').length - 1).toBe(1);
  });

  it('counts in the singular when there is one: "1 entry", "1 board", "next 1 day"', async () => {
    const db = await northdaleDb();
    const lead = await person(db, LEAD);
    expect(await say(db, lead, 'update WSOA-2.1 amber 20% note: first panel held')).toContain('Update recorded');
    expect((await say(db, lead, 'status WSOA-2.1')).split('\n')[0]).toMatch(/^WSOA-2\.1: amber, 1 entry$/);
    expect((await say(db, lead, 'boards')).split('\n')[0]).toBe('1 board');
    expect((await say(db, lead, 'due 1')).split('\n')[0]).toMatch(/^Your actions due in the next 1 day: 0$/);
  });

  it('offers the form only where there is one', async () => {
    const db = await northdaleDb();
    const lead = await person(db, LEAD);
    expect(await say(db, lead, 'update WSOA-2.1', 'slack')).toContain('or use the form');
    const cli = renderText(await runCommandText({ db, clock: fixedClock(NOW) }, lead, 'cli', 'update WSOA-2.1'));
    expect(cli).toContain('Reply with /send update WSOA-2.1 [status] [NN%] [note…].');
    expect(cli).not.toContain('form');
    const piped = renderText(await runCommandText({ db, clock: fixedClock(NOW), noForms: true }, lead, 'console', 'update'));
    expect(piped).not.toContain('form');
  });
});
