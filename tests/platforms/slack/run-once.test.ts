// runOnce: the work for an inbox row is carried out, and answered, once, whether it writes (claimed in
// the work's own transaction) or changes nothing (on PostgreSQL run without the write lock, then
// claimed; on SQLite inside the claim's transaction).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, toStoredInstant } from '../../../src/clock.js';
import { runOnce } from '../../../src/platforms/slack/durable-inbox.js';
import { type Db, readsApartFromWrites } from '../../../src/store/database.js';
import { addToInbox } from '../../../src/store/slack-inbox-repository.js';
import { closeTestDb, count, rows, sql, testDb } from '../../helpers/test-db.js';

const clock = fixedClock('2024-11-18T10:00');

describe('runOnce', () => {
  let db: Db;
  beforeEach(async () => {
    db = await testDb();
  });
  afterEach(async () => {
    await closeTestDb(db);
  });

  for (const changesNothing of [false, true]) {
    it(`${changesNothing ? 'read-only work' : 'work that writes'}: two runs of the same row at once, one answers`, async () => {
      const id = await addToInbox(db, toStoredInstant(clock.now()), '{"command":"/send"}');
      let worked = 0;
      const work = async () => {
        worked += 1;
        return 'answer';
      };
      const results = await Promise.all([runOnce(db, { inboxId: id }, clock, work, { changesNothing }), runOnce(db, { inboxId: id }, clock, work, { changesNothing })]);
      expect(results.filter((r) => r.ran)).toEqual([{ ran: true, value: 'answer' }]);
      // Work that writes runs only for the claimer. Read-only work run apart from the claim (PostgreSQL)
      // may run twice, but only one run answers; on SQLite it runs inside the claim, so once.
      expect(worked).toBe(changesNothing && readsApartFromWrites(db) ? 2 : 1);
      expect(await count(db, 'slack_inbox')).toBe(0);
    });
  }

  it('read-only work that fails leaves the row kept as failed, as work that writes does', async () => {
    const id = await addToInbox(db, toStoredInstant(clock.now()), '{"command":"/send"}');
    await expect(runOnce(db, { inboxId: id }, clock, async () => Promise.reject(new Error('boom')), { changesNothing: true })).rejects.toThrow('boom');
    expect(await rows(db, sql`select state from slack_inbox`)).toEqual([{ state: 'failed' }]);
  });
});
