// Examples of commands that change something are ones this caller may run (the permission rules
// update, kpi and approve use), and every example names people and dates from this plan and the
// command's clock: never the demo's people, never a date already past. Another council's plan.
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, parseInstant } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { readDeadline } from '../../src/domain/deadlines.js';
import { planDocumentSchema } from '../../src/importers/plan-document.js';
import { renderText } from '../../src/render/text.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail, type Person } from '../../src/store/people-repository.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { closeTestDb, testDb } from '../helpers/test-db.js';

const NOW = '2026-12-07T10:00';
const TODAY = '2026-12-07';
const OFFICER = 'olu.officer@northshire.example';
const JO = 'jo.commissioner@northshire.example';
const DEE = 'dee.clinical@northshire.example';
const PAT = 'pat.forum@northshire.example';
const CHAIR = 'cal.chair@northshire.example';
const NOBODY = 'nia.new@northshire.example';

const NORTHSHIRE = planDocumentSchema.parse({
  roles: [
    { name: 'Head of Joint Commissioning' },
    { name: 'Designated Clinical Officer' },
    { name: 'Parent Carer Forum Lead' },
    { name: 'Director of Children’s Services' },
  ],
  people: [
    { name: 'Olu Officer', email: OFFICER, admin: true },
    { name: 'Jo Commissioner', email: JO, roles: ['Head of Joint Commissioning'] },
    { name: 'Dee Clinical', email: DEE, roles: ['Designated Clinical Officer'] },
    { name: 'Pat Forum', email: PAT, roles: ['Parent Carer Forum Lead'] },
    { name: 'Cal Chair', email: CHAIR, roles: ['Director of Children’s Services'] },
    { name: 'Nia New', email: NOBODY },
  ],
  boards: [{ name: 'Northshire SEND Board', chair_role: 'Director of Children’s Services' }],
  plans: [
    {
      code: 'WSOA',
      title: 'Written Statement of Action (WSoA)',
      board: 'Northshire SEND Board',
      kpis: [{ code: 'EHC20', name: 'EHC plans issued within 20 weeks', unit: 'percent', frequency: 'quarterly', owner: 'Designated Clinical Officer' }],
      workstreams: [
        {
          title: 'Joint commissioning',
          lead: 'Head of Joint Commissioning',
          actions: [
            { text: 'Agree a joint commissioning framework for therapies' },
            { text: 'Commission a neurodevelopmental pathway', owner: 'Designated Clinical Officer' },
            { text: 'Publish a sufficiency statement for specialist places' },
          ],
        },
        {
          title: 'Co-production',
          lead: 'Designated Clinical Officer',
          with: ['Parent Carer Forum Lead'],
          actions: [{ text: 'Run termly listening events with families' }, { text: 'Co-produce the local offer pages' }],
        },
      ],
    },
  ],
});

const dbs: Db[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await closeTestDb(db);
});

async function northshireDb(): Promise<Db> {
  const db = await testDb();
  dbs.push(db);
  await importPlanDocument(db, NORTHSHIRE, { now: parseInstant('2026-11-02T09:00'), file: 'northshire.yaml' });
  return db;
}

const person = async (db: Db, email: string) => (await findPersonByEmail(db, email)) as Person;
const run = async (db: Db, who: Person, typed: string) => await runCommandText({ db, clock: fixedClock(NOW) }, who, 'slack', typed);
const say = async (db: Db, who: Person, typed: string) => renderText(await run(db, who, typed));
const examplesIn = (out: string) => [...out.matchAll(/e\.g\. \/send (.+)$/gm)].map((m) => m[1] as string);
const DEMO_PEOPLE = /example\.org|jamie\.example|riley\.new/;

describe('examples the caller may actually run', () => {
  it('every update, kpi and approve example shown to each person is accepted when pasted', async () => {
    const db = await northshireDb();
    for (const email of [OFFICER, JO, DEE, PAT, CHAIR]) {
      const who = await person(db, email);
      for (const topic of ['update', 'kpi', 'approve', 'reject']) {
        for (const example of examplesIn(await say(db, who, `help ${topic}`))) {
          // A date-change decision needs a request to decide: one is made first, by the owner.
          if (/^(approve|reject) /.test(example)) {
            const ref = example.split(' ')[1] as string;
            const asked = await run(db, await person(db, ref.startsWith('WSOA-2') || ref === 'WSOA-1.2' ? DEE : JO), `update ${ref} due:"31 March 27" waiting for funding`);
            expect(asked.tone, asked.summary).not.toBe('error');
          }
          const answer = await run(db, who, example);
          expect(answer.tone, `${email}: ${example}: ${answer.summary}`).not.toBe('error');
        }
      }
    }
  });

  it('Jo is shown only actions Jo may update, never one owned by another role', async () => {
    const db = await northshireDb();
    const help = await say(db, await person(db, JO), 'help update');
    const refs = examplesIn(help).map((e) => e.split(' ')[1]);
    expect(refs.length).toBeGreaterThan(0);
    expect(new Set(refs)).toEqual(new Set(['WSOA-1.1', 'WSOA-1.3']));
    expect(help).not.toContain('WSOA-1.2');
  });

  it('Pat (a supporting role, owns nothing) is shown the actions Pat supports, and no KPI reading', async () => {
    const db = await northshireDb();
    const pat = await person(db, PAT);
    const refs = examplesIn(await say(db, pat, 'help update')).map((e) => e.split(' ')[1]);
    expect(new Set(refs)).toEqual(new Set(['WSOA-2.1', 'WSOA-2.2']));
    const kpi = await say(db, pat, 'help kpi');
    expect(examplesIn(kpi)).toEqual(['kpi WSOA-EHC20']);
    expect(kpi).toContain('You can’t record readings for any KPI yet');
  });

  it('someone who may update nothing is told so plainly, with no example they cannot use', async () => {
    const db = await northshireDb();
    const nia = await person(db, NOBODY);
    const help = await say(db, nia, 'help update');
    expect(examplesIn(help)).toEqual([]);
    expect(help).toContain('You can’t update any action yet: an action is updated by its owner, a supporting role, a delegate while the owner is away, or a programme officer.');
    expect(await say(db, nia, 'help approve')).toContain('Date changes are decided by the chair of the action’s board or a programme officer, so you can’t approve one.');
    // The overview lists update, assign and handover without an example rather than one Nia would be refused.
    const overview = await say(db, nia, 'help');
    expect(overview).not.toMatch(/\/send (update|assign|handover|approve|reject) <.*e\.g\./);
    expect(overview).toMatch(/\/send who <.*e\.g\. \/send who WSOA-1\.1/);
    expect(await say(db, nia, 'help assign')).toContain('Only programme officers (admins) can do this: ask one of them.');
  });

  it('a delegate is shown the action they cover', async () => {
    const db = await northshireDb();
    expect(await say(db, await person(db, DEE), `away 21 December 2026 delegate ${PAT}`)).toContain('Marked you away');
    const refs = examplesIn(await say(db, await person(db, PAT), 'help update')).map((e) => e.split(' ')[1]);
    expect(refs).toContain('WSOA-1.2');
  });
});

describe('people and dates in examples come from the plan and the clock', () => {
  it('away, assign and handover name someone from the plan, never the demo’s people', async () => {
    const db = await northshireDb();
    const officer = await person(db, OFFICER);
    const all = (await Promise.all(['help away', 'help assign', 'help handover', 'help'].map(async (t) => await say(db, officer, t)))).join('\n');
    expect(all).not.toMatch(DEMO_PEOPLE);
    const assign = examplesIn(await say(db, officer, 'help assign'))[0] as string;
    const someone = assign.split(' ')[2] as string;
    expect(someone).toMatch(/@northshire\.example$/);
    expect(someone).not.toBe(OFFICER);
    expect((await run(db, officer, assign)).tone).toBe('success');
    const noOne = await say(db, officer, 'handover Head of Joint Commissioning');
    expect(noOne).toContain('Example: /send handover Head of Joint Commissioning to ');
    expect(noOne).not.toMatch(DEMO_PEOPLE);
  });

  it('away examples are future dates by the command’s clock, and work when pasted', async () => {
    const db = await northshireDb();
    const jo = await person(db, JO);
    const examples = examplesIn(await say(db, jo, 'help away'));
    // Someone else who holds a role in the plan: Jo's colleague Dee.
    expect(examples).toEqual([`away 21 December 2026 delegate ${DEE}`, 'away 2026-12-14']);
    for (const example of examples) expect((await run(db, jo, example)).tone, example).toBe('success');
    const unreadable = await say(db, jo, 'away Febtember');
    expect(unreadable).toContain('Write it like 21 December 2026 or 2026-12-14.');
  });

  it('a date update cannot read suggests dates still ahead', async () => {
    const db = await northshireDb();
    const out = await say(db, await person(db, JO), 'update WSOA-1.1 due:"Febtember 2027" waiting for funding');
    expect(out).toContain('Write the new date like due:"31 March 27", due:2027-03-31 or due:"end of summer term 2027".');
    // A due: with no date says how to write one, in words that stay ahead whatever the year.
    expect(await say(db, await person(db, JO), 'update WSOA-1.1 due: waiting')).toContain('e.g. due:"31 March" or due:"end of summer term" (with no year, the next one).');
    for (const phrase of ['31 March 27', '2027-03-31', 'end of summer term 2027', '31 March', 'end of summer term']) {
      const due = readDeadline(phrase, { reference: TODAY }).due;
      expect(due, phrase).toBeDefined();
      expect(due! > TODAY, phrase).toBe(true);
    }
  });
});
