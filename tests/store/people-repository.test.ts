// Person lookups by chat id run on every command through a prepared statement; they must return
// exactly what the schema says a person is (booleans as booleans, nulls as nulls).
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { people } from '../../db/schema.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail, findPersonBySlackId, findPersonByTeamsId, getPerson, upsertPerson } from '../../src/store/people-repository.js';
import { closeTestDb, testDb } from '../helpers/test-db.js';
import { sqliteOf } from '../helpers/test-db.js';

describe('person lookups', () => {
  let db: Db;
  beforeEach(async () => {
    db = await testDb();
  });
  afterEach(() => closeTestDb(db));

  it('return the same person as the schema’s own select, by Slack id, Teams id, id and email', async () => {
    const { person: admin } = await upsertPerson(db, { name: 'Alex Admin', email: 'alex@example.org', slackUserId: 'U1', teamsUserId: '29:alex', isAdmin: true }, '2024-11-18T10:00:00.000Z');
    const { person: plain } = await upsertPerson(db, { name: 'Sam Plain', email: 'sam@example.org', slackUserId: 'U2', weeklyDigest: true }, '2024-11-18T10:00:00.000Z');
    sqliteOf(db).update(people).set({ awayUntil: '2024-12-01', delegateId: admin.id, lastPlatform: 'slack' }).where(eq(people.id, plain.id)).run();
    for (const { id } of [admin, plain]) {
      const expected = sqliteOf(db).select().from(people).where(eq(people.id, id)).get();
      expect(await getPerson(db, id)).toStrictEqual(expected);
      expect(await findPersonByEmail(db, expected?.email ?? '')).toStrictEqual(expected);
      expect(await findPersonBySlackId(db, expected?.slackUserId ?? '')).toStrictEqual(expected);
    }
    expect(await findPersonByTeamsId(db, '29:alex')).toMatchObject({ id: admin.id, isAdmin: true, weeklyDigest: false, awayUntil: null });
    expect(await findPersonBySlackId(db, 'U2')).toMatchObject({ isAdmin: false, weeklyDigest: true, delegateId: admin.id, lastPlatform: 'slack' });
    expect(await findPersonBySlackId(db, 'U404')).toBeUndefined();
    expect(await findPersonByTeamsId(db, '29:nobody')).toBeUndefined();
  });
});
