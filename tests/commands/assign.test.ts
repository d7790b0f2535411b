// `/send assign` through the real command router on the demo plan: the reply says who answers for
// the action now and what changed, and never "(was <the same person>)" when the person stays.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { addHolder, findRole } from '../../src/store/roles-repository.js';
import { ask, DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import { one, sql } from '../helpers/test-db.js';

let db: Db;
beforeEach(async () => {
  ({ db } = await demoPlanDb());
});

const NOW = '2024-11-18T10:00';
const namedOwner = async (ref: string) =>
  (await one(db, sql`select p.email as person from actions a left join people p on p.id = a.owner_person_id where a.ref = ${ref}`) as { person: string | null }).person;

describe('assign: the reply says plainly what changed', () => {
  it.each([
    // steps typed by the admin before the last one, the last command, its reply, the owner after it
    [[], `assign ND-1.2 ${DEMO.admin2}`, 'ND-1.2 is now owned by Jamie Example, assigned by name (was Morgan Demo, Head of SEND).', DEMO.admin2],
    [
      [],
      `assign ND-1.2 ${DEMO.headOfSend}`,
      'Morgan Demo already held ND-1.2 as Head of SEND. It is now assigned to Morgan Demo by name, so a handover of Head of SEND no longer moves it.',
      DEMO.headOfSend,
    ],
    [
      [`assign ND-1.2 ${DEMO.headOfSend}`],
      'assign ND-1.2 role Head of SEND',
      'ND-1.2 stays with Morgan Demo, who holds Head of SEND: it is now owned through the role rather than by name, so a handover of Head of SEND moves it.',
      null,
    ],
    [[`assign ND-1.2 ${DEMO.headOfSend}`], `assign ND-1.2 ${DEMO.headOfSend}`, 'ND-1.2 is already owned by Morgan Demo, assigned by name; nothing changed.', DEMO.headOfSend],
  ])('after %j, %s', async (steps, command, summary, person) => {
    for (const step of steps) expect((await ask(db, DEMO.admin, step, NOW)).tone).toBe('success');
    const r = await ask(db, DEMO.admin, command, NOW);
    expect(r.summary).toBe(summary);
    // The same person on both sides is never "(was …)".
    if (person !== DEMO.admin2) expect(r.summary).not.toContain('(was');
    expect(await namedOwner('ND-1.2')).toBe(person);
  });

  it('names whoever else held the role and no longer answers for the action', async () => {
    const role = await findRole(db, 'Head of SEND');
    const jamie = await findPersonByEmail(db, DEMO.admin2);
    if (!role || !jamie) throw new Error('demo data changed');
    await addHolder(db, role.id, jamie.id, '2024-10-01T09:00:00.000Z');
    expect((await ask(db, DEMO.admin, `assign ND-1.2 ${DEMO.headOfSend}`, NOW)).summary).toBe(
      'Morgan Demo already held ND-1.2 as Head of SEND. It is now assigned to Morgan Demo by name, so a handover of Head of SEND no longer moves it, and Jamie Example, who also holds Head of SEND, no longer answers for it.',
    );
    expect(await namedOwner('ND-1.2')).toBe(DEMO.headOfSend);
  });
});
