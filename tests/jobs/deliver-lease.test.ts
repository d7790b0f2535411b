// The delivery lease: short (a minute), so the rows of a killed worker are taken over within a
// minute, and renewed while a batch is being sent, so a slow platform does not lose them to a second
// worker. Two workers on two connections to one real SQLite file.
import { describe, expect, it } from 'vitest';
import { manualClock, parseInstant, toStoredInstant } from '../../src/clock.js';
import { DEFAULT_LEASE_MS, deliverDue } from '../../src/jobs/deliver.js';
import type { DeliveryAdapter, DeliveryOutcome } from '../../src/jobs/delivery-types.js';
import type { Db } from '../../src/store/database.js';
import { claimDue, enqueueNotification, findOutboxByKey } from '../../src/store/outbox-repository.js';
import { demoDb, PEOPLE, personId } from '../helpers/demo-db.js';
import { closeTestDb, testDbAt } from '../helpers/test-db.js';

async function enqueue(db: Db, key: string) {
  const at = toStoredInstant(parseInstant('2024-11-20T09:00'));
  await enqueueNotification(db, {
    key,
    kind: 'nudge',
    recipientPersonId: await personId(db, PEOPLE.morgan),
    recipientChannel: null,
    payload: { kind: 'nudge', reply: { tone: 'info', summary: `test ${key}`, blocks: [] }, refs: ['ND-1.1'], boardId: null, meetingId: null, expiresAt: null },
    notBefore: at,
    createdAt: at,
  });
}

function recordingAdapter() {
  const sent: string[] = [];
  const adapter: DeliveryAdapter = {
    platform: 'slack',
    canReach: async () => true,
    deliver: async (m) => {
      sent.push(m.key);
      return { ok: true, platformMessageId: `b-${m.outboxId}` };
    },
  };
  return { adapter, sent };
}

describe('the delivery lease', () => {
  it('lets another worker take over a killed worker’s rows within a minute, not before the lease ends', async () => {
    const { db, path } = await demoDb();
    await enqueue(db, 'nudge:lease:1');
    const clock = manualClock('2024-11-20T10:00');
    // A worker claims the row with the default lease, then dies before sending it.
    const claimed = await claimDue(db, { now: toStoredInstant(clock.now()), limit: 10, leaseUntil: toStoredInstant(clock.now().plus({ milliseconds: DEFAULT_LEASE_MS })), workerId: 'killed' });
    expect(claimed.map((r) => r.key)).toEqual(['nudge:lease:1']);
    expect(DEFAULT_LEASE_MS).toBeLessThanOrEqual(60_000);

    const other = await testDbAt(path);
    const b = recordingAdapter();
    clock.advance({ seconds: DEFAULT_LEASE_MS / 1000 - 1 });
    expect((await deliverDue({ db: other, clock, adapters: [b.adapter], workerId: 'b' })).results).toEqual([]);
    clock.advance({ seconds: 2 });
    const taken = await deliverDue({ db: other, clock, adapters: [b.adapter], workerId: 'b' });
    expect(taken.results.map((r) => r.outcome)).toEqual(['sent']);
    expect(b.sent).toEqual(['nudge:lease:1']);
    expect((await findOutboxByKey(db, 'nudge:lease:1'))?.status).toBe('sent');
    await closeTestDb(other);
  });

  it('is renewed while a slow send is in progress, so a second worker does not send the same rows', async () => {
    const { db, path } = await demoDb();
    await enqueue(db, 'nudge:lease:2');
    await enqueue(db, 'nudge:lease:3');
    const clock = manualClock('2024-11-20T10:00');
    let release: () => void = () => {};
    const firstSent: string[] = [];
    const slow: DeliveryAdapter = {
      platform: 'slack',
      canReach: async () => true,
      deliver: (m) => {
        firstSent.push(m.key);
        return new Promise<DeliveryOutcome>((resolve) => (release = () => resolve({ ok: true, platformMessageId: `a-${m.outboxId}` })));
      },
    };
    // A 3-second lease, renewed every second of real time; the test moves the worker clock on.
    const running = deliverDue({ db, clock, adapters: [slow], workerId: 'a', leaseMs: 3_000 });
    const other = await testDbAt(path);
    const b = recordingAdapter();
    for (let step = 0; step < 3; step += 1) {
      clock.advance({ seconds: 2 });
      // Long enough for a renewal to run at the new time.
      await new Promise((r) => setTimeout(r, 1_300));
      // Six seconds on, twice the first lease: only renewal keeps the rows worker a's.
      expect((await deliverDue({ db: other, clock, adapters: [b.adapter], workerId: 'b' })).results).toEqual([]);
    }
    release();
    // Wait (not a fixed time) until the second send has begun: on a loaded machine, or PostgreSQL's
    // round trips, the first row's bookkeeping can take longer than any fixed pause.
    for (let i = 0; i < 1_000 && firstSent.length < 2; i += 1) await new Promise((r) => setTimeout(r, 10));
    release();
    await running;
    expect(b.sent).toEqual([]);
    expect(firstSent).toEqual(['nudge:lease:2', 'nudge:lease:3']);
    expect((await findOutboxByKey(db, 'nudge:lease:2'))?.status).toBe('sent');
    expect((await findOutboxByKey(db, 'nudge:lease:3'))?.status).toBe('sent');
    await closeTestDb(other);
  });
});
