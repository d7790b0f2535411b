// Taking in a verified Slack request: the replay-cache entry and the inbox row commit together.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/database.js';
import { addToInbox, claimInboxItem, pendingInboxItems, takeExpiredInboxItems } from '../../src/store/slack-inbox-repository.js';
import { acceptSlackRequest } from '../../src/store/slack-request-intake.js';
import { closeTestDb, rows, sql, testDb } from '../helpers/test-db.js';

const SIG = (n: number) => `v0=${n.toString(16).padStart(64, '0')}`;
const NOW = 1_700_000_000;

describe('acceptSlackRequest', () => {
  let db: Db;
  beforeEach(async () => {
    db = await testDb();
  });
  afterEach(() => closeTestDb(db));

  const signatures = async () => (await rows(db, sql`select signature from slack_request_signatures order by signature`) as { signature: string }[]).map((r) => r.signature);

  it('stores the signature and the inbox row, and refuses the same signature again without storing its body', async () => {
    const first = await acceptSlackRequest(db, { signature: SIG(1), expiresAt: NOW + 300, nowSeconds: NOW, inbox: { receivedAt: '2024-11-18T10:00:00.000Z', body: '{"command":"/send","text":"mine"}' } });
    expect(first).toEqual({ replayed: false, inboxId: expect.any(Number) });
    expect(await pendingInboxItems(db)).toEqual([{ id: (first as { inboxId: number }).inboxId, receivedAt: '2024-11-18T10:00:00.000Z', body: '{"command":"/send","text":"mine"}' }]);

    const again = await acceptSlackRequest(db, { signature: SIG(1), expiresAt: NOW + 300, nowSeconds: NOW + 1, inbox: { receivedAt: '2024-11-18T10:00:01.000Z', body: '{"command":"/send","text":"replayed"}' } });
    expect(again).toEqual({ replayed: true });
    expect((await pendingInboxItems(db)).map((i) => i.body)).toEqual(['{"command":"/send","text":"mine"}']);
    expect(await signatures()).toEqual([SIG(1)]);
  });

  it('remembers a request that needs no inbox row (an event, a modal) and stores no row for it', async () => {
    expect(await acceptSlackRequest(db, { signature: SIG(2), expiresAt: NOW + 300, nowSeconds: NOW })).toEqual({ replayed: false });
    expect(await acceptSlackRequest(db, { signature: SIG(2), expiresAt: NOW + 300, nowSeconds: NOW })).toEqual({ replayed: true });
    expect(await pendingInboxItems(db)).toEqual([]);
    expect(await signatures()).toEqual([SIG(2)]);
  });

  it('never gives a new row the id of one already done', async () => {
    const a = (await acceptSlackRequest(db, { signature: SIG(3), expiresAt: NOW + 300, nowSeconds: NOW, inbox: { receivedAt: '2024-11-18T10:00:00.000Z', body: '{}' } })) as { inboxId: number };
    expect(await claimInboxItem(db, a.inboxId)).toBe(true);
    const b = (await acceptSlackRequest(db, { signature: SIG(4), expiresAt: NOW + 300, nowSeconds: NOW, inbox: { receivedAt: '2024-11-18T10:00:00.000Z', body: '{}' } })) as { inboxId: number };
    expect(b.inboxId).toBeGreaterThan(a.inboxId);
    // The first request's late tidy-up cannot touch the second's row.
    expect(await claimInboxItem(db, a.inboxId)).toBe(false);
    expect((await pendingInboxItems(db)).map((i) => i.id)).toEqual([b.inboxId]);
  });
});

describe('the inbox sweep (takeExpiredInboxItems)', () => {
  let db: Db;
  beforeEach(async () => {
    db = await testDb();
  });
  afterEach(() => closeTestDb(db));

  it('takes only rows whose lease ran out, renews their lease, and leaves in-flight rows to their instance', async () => {
    const inFlight = (await acceptSlackRequest(db, { signature: SIG(10), expiresAt: NOW + 300, nowSeconds: NOW, inbox: { receivedAt: '2024-11-18T10:00:00.000Z', body: '{"n":1}' } })) as { inboxId: number };
    const short = (await acceptSlackRequest(db, { signature: SIG(11), expiresAt: NOW + 300, nowSeconds: NOW, inbox: { receivedAt: '2024-11-18T10:00:00.000Z', body: '{"n":2}', leaseSeconds: 5 } })) as { inboxId: number };
    const orphan = await addToInbox(db, '2024-11-18T09:00:00.000Z', '{"n":0}');
    // A minute has not passed: only the row with no lease and the one with a five-second lease.
    expect((await takeExpiredInboxItems(db, NOW + 30, NOW + 90)).map((i) => i.id)).toEqual([short.inboxId, orphan].sort((a, b) => a - b));
    // Taken: leased again, so another sweep (another instance) leaves them alone.
    expect(await takeExpiredInboxItems(db, NOW + 31, NOW + 91)).toEqual([]);
    expect((await takeExpiredInboxItems(db, NOW + 60, NOW + 120)).map((i) => i.id)).toEqual([inFlight.inboxId]);
    // Done or failed rows are never swept.
    expect(await claimInboxItem(db, orphan)).toBe(true);
    expect((await takeExpiredInboxItems(db, NOW + 500, NOW + 560)).map((i) => i.id)).toEqual([inFlight.inboxId, short.inboxId].sort((a, b) => a - b));
  });
});
