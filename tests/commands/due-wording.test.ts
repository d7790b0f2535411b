// How `who`, `history` and `mine` say an action's due date when it is not simply a date: complete,
// ongoing, started with no end, or a phrase with no date in it. A small plan of another council's,
// imported for real; commands through the real router.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, parseInstant } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { planDocumentSchema } from '../../src/importers/plan-document.js';
import { renderText } from '../../src/render/text.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { closeTestDb, testDb } from '../helpers/test-db.js';

const NOW = '2024-11-18T10:00';
const OFFICER = 'officer@eastmoor.example.org';
const LEAD = 'lead@eastmoor.example.org';

const EASTMOOR = planDocumentSchema.parse({
  roles: [{ name: 'Inclusion Lead' }],
  people: [
    { name: 'Oona Officer', email: OFFICER, admin: true },
    { name: 'Lia Lead', email: LEAD, roles: ['Inclusion Lead'] },
  ],
  boards: [{ name: 'Eastmoor SEND Board' }],
  plans: [
    {
      code: 'ESIP',
      title: 'Eastmoor SEND Improvement Plan',
      board: 'Eastmoor SEND Board',
      workstreams: [
        {
          number: 1,
          title: 'Inclusion',
          lead: 'Inclusion Lead',
          actions: [
            { number: 1, text: 'Refresh the local offer pages', due: 'Complete - Sept 23' },
            { number: 2, text: 'Train SENCOs on the graduated approach', due: 'Complete' },
            { number: 3, text: 'Run parent carer drop-ins', due: 'Jan 2024 onwards' },
            { number: 4, text: 'Agree the banding model', due: 'TBC' },
            { number: 5, text: 'Keep the SEND register current', due: 'Ongoing' },
            { number: 6, text: 'Open the second resource base', due: '31 March 2025' },
          ],
        },
      ],
    },
  ],
});

let db: Db;
beforeEach(async () => {
  db = await testDb();
  await importPlanDocument(db, EASTMOOR, { now: parseInstant('2024-09-02T09:00'), file: 'eastmoor.yaml' });
});
afterEach(() => closeTestDb(db));

const say = async (email: string, typed: string, at = NOW) => {
  const who = await findPersonByEmail(db, email);
  if (!who) throw new Error(`no person ${email}`);
  return renderText(await runCommandText({ db, clock: fixedClock(at) }, who, 'console', typed));
};
const dueLine = (text: string) => /^\s*Due:\s+(.*)$/m.exec(text)?.[1]?.trim();

describe('who and history: the Due field says what the record says', () => {
  it.each([
    // ref, Due in who and history
    ['ESIP-1.1', 'completed 30 Sep 2023 (plan says "Complete - Sept 23")'],
    ['ESIP-1.2', 'completed'],
    ['ESIP-1.3', 'from Jan 2024, no end date'],
    ['ESIP-1.4', 'no date: the plan says "TBC"'],
    ['ESIP-1.5', 'ongoing'],
    ['ESIP-1.6', '31 Mar 2025'],
  ])('%s: %s', async (ref, due) => {
    expect(dueLine(await say(LEAD, `who ${ref}`))).toBe(due);
    expect(dueLine(await say(LEAD, `history ${ref}`))).toBe(due);
    expect(await say(LEAD, `who ${ref}`)).not.toContain('no date\n');
  });

  it.each([
    ['ESIP-1.1', 'completed 30 Sep 2023 (plan says "Complete - Sept 23")'],
    ['ESIP-1.3', 'from Jan 2024, no end date'],
    ['ESIP-1.4', 'no date: the plan says "TBC"'],
  ])('update %s alone shows the same Due: %s', async (ref, due) => {
    expect(dueLine(await say(LEAD, `update ${ref}`))).toBe(due);
  });

  it('an action marked complete in chat says when, and what it was due; its last update says "complete"', async () => {
    expect(await say(LEAD, 'update ESIP-1.6 complete second base opened', '2024-11-12T15:00')).toContain('ESIP-1.6');
    const who = await say(LEAD, 'who ESIP-1.6');
    expect(dueLine(who)).toBe('completed 12 Nov 2024, was due 31 Mar 2025');
    expect(who).toContain('Last update: 12 Nov 2024 by Lia Lead: complete, second base opened');
    expect(who).not.toContain('blue');
    expect(/^\s*Last update: (.*)$/m.exec(who)?.[1]).not.toContain('100%');
    expect(dueLine(await say(LEAD, 'history ESIP-1.6'))).toBe('completed 12 Nov 2024, was due 31 Mar 2025');
    // Reopened, it is due again.
    await say(LEAD, 'update ESIP-1.6 amber 80% snagging found', '2024-11-14T09:00');
    expect(dueLine(await say(LEAD, 'who ESIP-1.6'))).toBe('31 Mar 2025');
  });
});

describe('mine: the plan’s words instead of "due no date"', () => {
  it.each([
    ['ESIP-1.3', 'from Jan 2024'],
    ['ESIP-1.4', 'due: TBC'],
    ['ESIP-1.5', 'ongoing'],
    ['ESIP-1.6', 'due 31 Mar 2025'],
  ])('%s shows "%s"', async (ref, shown) => {
    const line = (await say(LEAD, 'mine')).split('\n').find((l) => l.includes(`${ref} `));
    expect(line, ref).toContain(` · ${shown} · `);
    expect(line).not.toContain('no date');
  });
});
