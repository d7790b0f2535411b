// The guards that keep two instances (or two people, or a double click) from writing the same thing
// twice, on whichever database the store runs on (PostgreSQL runs them at the same moment from two
// pools in tests/postgres/two-instances-store.test.ts):
// - a person holds a role once at a time (a partial unique index on current assignments);
// - a date change is decided once (`state = 'pending'` guard);
// - find-or-create gives the row already there.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/database.js';
import { upsertPerson } from '../../src/store/people-repository.js';
import { addHolder, currentHolders, ensureRole, handOverRole } from '../../src/store/roles-repository.js';
import { decideDateChange, requestDateChange } from '../../src/store/updates-repository.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { closeTestDb, one, run, sql } from '../helpers/test-db.js';

const AT = '2024-11-18T10:00:00.000Z';

describe('write guards', () => {
  let db: Db;
  beforeEach(async () => {
    db = (await demoPlanDb()).db;
  });
  afterEach(() => closeTestDb(db));

  it('adds a current holder once; the database refuses a second current assignment of the same person', async () => {
    const { role } = await ensureRole(db, 'Guarded Role', AT);
    const { person } = await upsertPerson(db, { name: 'Ola Guard', email: 'ola.guard@example.org' }, AT);
    expect(await Promise.all([addHolder(db, role.id, person.id, AT), addHolder(db, role.id, person.id, AT)])).toEqual([true, false]);
    expect((await currentHolders(db, role.id)).map((h) => h.personId)).toEqual([person.id]);
    await expect(run(db, sql`insert into role_assignments (role_id, person_id, started_at) values (${role.id}, ${person.id}, ${AT})`)).rejects.toThrow(/unique/i);
    // A past assignment does not count: the person can hold the role again after it ended.
    const { person: next } = await upsertPerson(db, { name: 'Next Holder', email: 'next.guard@example.org' }, AT);
    expect((await handOverRole(db, role.id, next.id, '2024-11-19T10:00:00.000Z')).ended.map((h) => h.personId)).toEqual([person.id]);
    expect(await addHolder(db, role.id, person.id, '2024-11-20T10:00:00.000Z')).toBe(true);
    expect((await currentHolders(db, role.id)).map((h) => h.personId).sort()).toEqual([person.id, next.id].sort());
  });

  it('decides a date change once: the second decision is refused and changes nothing', async () => {
    const action = (await one<{ id: number; due: string }>(db, sql`select id, due from actions where due is not null order by id limit 1`))!;
    const asker = (await one<{ id: number }>(db, sql`select id from people order by id limit 1`))!;
    const changeId = await requestDateChange(db, { actionId: action.id, requestedBy: asker.id, at: AT, fromDue: action.due, toDue: '2031-03-31', phrase: '31 March 2031', reason: 'waiting for data', updateId: null });
    expect(await decideDateChange(db, changeId, 'rejected', asker.id, AT, 'no capacity')).toBe(true);
    expect(await decideDateChange(db, changeId, 'approved', asker.id, AT)).toBe(false);
    expect(await one(db, sql`select state, decision_note as note from due_date_changes where id = ${changeId}`)).toEqual({ state: 'rejected', note: 'no capacity' });
    expect((await one<{ due: string }>(db, sql`select due from actions where id = ${action.id}`))?.due).toBe(action.due);
  });

  it('finds the role or person already there instead of creating another', async () => {
    const first = await ensureRole(db, 'Guarded  Role Two', AT);
    const again = await ensureRole(db, 'guarded role two', AT);
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.role.id).toBe(first.role.id);
    const a = await upsertPerson(db, { name: 'Pat', email: 'Pat.Guard@example.org' }, AT);
    const b = await upsertPerson(db, { name: 'Pat', email: 'pat.guard@example.org' }, AT);
    expect([a.outcome, b.outcome]).toEqual(['created', 'unchanged']);
    expect(b.person.id).toBe(a.person.id);
  });
});
