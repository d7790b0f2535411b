// recordUpdate appends the update, moves the action's status and percent, and gives back where the
// action stands afterwards: the update command's reply is built from that, with no second read. On
// PostgreSQL the insert and the move are one statement (data-modifying CTEs); SQLite runs two.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, inTransaction } from '../../src/store/database.js';
import { recordUpdate } from '../../src/store/updates-repository.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { closeTestDb, one, rows, sql } from '../helpers/test-db.js';

const AT = '2024-11-18T10:00:00.000Z';

describe('recordUpdate', () => {
  let db: Db;
  let action: { id: number; due: string | null };
  let person: number;
  beforeEach(async () => {
    db = (await demoPlanDb()).db;
    action = (await one<{ id: number; due: string | null }>(db, sql`select id, due from actions where due is not null order by id limit 1`))!;
    person = (await one<{ id: number }>(db, sql`select id from people order by id limit 1`))!.id;
  });
  afterEach(() => closeTestDb(db));

  const record = (fields: { status?: 'green' | 'amber' | 'red' | 'blue' | 'not_started'; percent?: number; note?: string }, kind: 'update' | 'no_change' = 'update') =>
    recordUpdate(db, { actionId: action.id, personId: person, at: AT, platform: 'cli', kind, rawText: 'update …', ...fields });

  it('gives the new update id and the action as the write left it; the update and the move are both stored', async () => {
    const recorded = await record({ status: 'amber', percent: 40, note: 'halfway there' });
    expect(recorded).toEqual({ id: expect.any(Number), status: 'amber', percent: 40, due: action.due });
    expect(await one(db, sql`select action_id as "actionId", status, percent, note from updates where id = ${recorded.id}`)).toEqual({ actionId: action.id, status: 'amber', percent: 40, note: 'halfway there' });
    expect(await one(db, sql`select status, percent, updated_at as "updatedAt" from actions where id = ${action.id}`)).toEqual({ status: 'amber', percent: 40, updatedAt: AT });
  });

  it('complete means 100%; not started clears an earlier percent', async () => {
    expect(await record({ status: 'blue' })).toMatchObject({ status: 'blue', percent: 100 });
    expect(await record({ status: 'not_started' })).toMatchObject({ status: 'not_started', percent: null });
  });

  it('a note or "no change" leaves the action as it was and gives its state all the same', async () => {
    await record({ status: 'red', percent: 10 });
    const before = await one<{ updatedAt: string | null }>(db, sql`select updated_at as "updatedAt" from actions where id = ${action.id}`);
    const noted = await record({ note: 'chased the supplier' });
    expect(noted).toEqual({ id: expect.any(Number), status: 'red', percent: 10, due: action.due });
    const unchanged = await record({}, 'no_change');
    expect(unchanged).toMatchObject({ status: 'red', percent: 10 });
    expect(unchanged.id).toBeGreaterThan(noted.id);
    expect(await one(db, sql`select updated_at as "updatedAt" from actions where id = ${action.id}`)).toEqual(before);
    expect(await one(db, sql`select count(*) as n from updates where action_id = ${action.id} and created_at = ${AT}`)).toEqual({ n: 3 });
  });

  it('writes the audit entry it is given with the update, naming the update; none when it is given none', async () => {
    const own = await record({ status: 'green' });
    const byAdmin = await recordUpdate(
      db,
      { actionId: action.id, personId: person, at: AT, platform: 'slack', kind: 'update', status: 'amber', percent: 30, rawText: 'update …' },
      { at: AT, actorPersonId: person, event: 'update.by_admin', entity: 'ND-1.1', platform: 'slack', platformUserId: 'U123' },
    );
    expect(byAdmin).toMatchObject({ status: 'amber', percent: 30 });
    const audited = await rows<{ event: string; entity: string; detail: string; platform: string; platformUserId: string; actor: number }>(
      db,
      sql`select event, entity, detail, platform, platform_user_id as "platformUserId", actor_person_id as actor from audit_log where at = ${AT}`,
    );
    expect(audited.map((r) => ({ ...r, detail: JSON.parse(r.detail) as unknown }))).toEqual([
      { event: 'update.by_admin', entity: 'ND-1.1', detail: { updateId: byAdmin.id }, platform: 'slack', platformUserId: 'U123', actor: person },
    ]);
    expect(byAdmin.id).not.toBe(own.id);
  });

  it('stores nothing when the action does not exist (the insert is refused)', async () => {
    const missing = (await one<{ id: number }>(db, sql`select max(id) + 1000 as id from actions`))!.id;
    const audit = { at: AT, actorPersonId: person, event: 'update.by_admin', entity: 'XX-9.9' };
    await expect(inTransaction(db, () => recordUpdate(db, { actionId: missing, personId: person, at: AT, platform: 'cli', kind: 'update', status: 'green', rawText: 'update …' }, audit))).rejects.toThrow();
    expect(await one(db, sql`select count(*) as n from updates where action_id = ${missing}`)).toEqual({ n: 0 });
    expect(await one(db, sql`select count(*) as n from audit_log where entity = ${'XX-9.9'}`)).toEqual({ n: 0 });
  });
});
