import { describe, expect, it } from 'vitest';
import { manualClock, parseInstant, toStoredInstant } from '../../src/clock.js';
import { BACKOFF_CAP_MS, deliverDue, pickAdapter, retryDelayMs } from '../../src/jobs/deliver.js';
import type { DeliveryAdapter, DeliveryOutcome, OutgoingMessage } from '../../src/jobs/delivery-types.js';
import type { Db } from '../../src/store/database.js';
import { enqueueNotification, findOutboxByKey, listOutbox } from '../../src/store/outbox-repository.js';
import { demoDb, PEOPLE, personId } from '../helpers/demo-db.js';
import { closeTestDb, testDbAt } from '../helpers/test-db.js';

/** A fake platform: answers from `script` first (then ok), records every attempt with the clock's time. */
function fakeAdapter(clock: { now(): { toISO(): string | null } }, platform: DeliveryAdapter['platform'] = 'slack', delayMs = 0) {
  const attempts: { outboxId: number; key: string; at: string; to: string }[] = [];
  const delivered: number[] = [];
  const script: DeliveryOutcome[] = [];
  const adapter: DeliveryAdapter = {
    platform,
    canReach: async () => true,
    deliver: async (m: OutgoingMessage) => {
      attempts.push({ outboxId: m.outboxId, key: m.key, at: clock.now().toISO() as string, to: m.recipient.person?.email ?? m.recipient.channel ?? '' });
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      const answer = script.shift() ?? { ok: true, platformMessageId: `${platform}-${m.outboxId}` };
      if (answer.ok) delivered.push(m.outboxId);
      return answer;
    },
  };
  return { adapter, attempts, delivered, script };
}

async function enqueue(db: Db, key: string, email: string, notBefore = '2024-11-20T09:00', kind: 'nudge' | 'dead_letter' = 'nudge') {
  const at = toStoredInstant(parseInstant(notBefore));
  await enqueueNotification(db, {
    key,
    kind,
    recipientPersonId: await personId(db, email),
    recipientChannel: null,
    payload: { kind, reply: { tone: 'info', summary: `test ${key}`, blocks: [] }, refs: ['ND-1.1'], boardId: null, meetingId: null, expiresAt: null },
    notBefore: at,
    createdAt: at,
  });
}

const row = async (db: Db, key: string) => await findOutboxByKey(db, key);

describe('deliverDue', () => {
  it('answers 429 with Retry-After, then delivers exactly once, not before Retry-After has elapsed', async () => {
    const { db } = await demoDb();
    await enqueue(db, 'nudge:t:1', PEOPLE.morgan);
    const clock = manualClock('2024-11-20T10:00');
    const slack = fakeAdapter(clock);
    slack.script.push({ ok: false, permanent: false, retryAfterMs: 120_000, error: 'ratelimited (429)' });

    const first = await deliverDue({ db, clock, adapters: [slack.adapter], random: () => 0 });
    expect(first.results).toMatchObject([{ outcome: 'retry', retryAt: '2024-11-20T10:02:00.000Z' }]);
    expect(await row(db, 'nudge:t:1')).toMatchObject({ status: 'failed', attempts: 1, lastError: 'ratelimited (429)', notBefore: '2024-11-20T10:02:00.000Z' });

    clock.advance({ seconds: 119 });
    expect((await deliverDue({ db, clock, adapters: [slack.adapter], random: () => 0 })).results).toEqual([]);
    clock.advance({ seconds: 1 });
    expect((await deliverDue({ db, clock, adapters: [slack.adapter], random: () => 0 })).results).toMatchObject([{ outcome: 'sent' }]);
    clock.advance({ minutes: 10 });
    await deliverDue({ db, clock, adapters: [slack.adapter] });

    expect(slack.delivered).toHaveLength(1);
    expect(slack.attempts.map((a) => a.at)).toEqual(['2024-11-20T10:00:00.000+00:00', '2024-11-20T10:02:00.000+00:00']);
    expect(await row(db, 'nudge:t:1')).toMatchObject({ status: 'sent', attempts: 2, platform: 'slack', platformMessageId: expect.stringMatching(/^slack-/), sentAt: '2024-11-20T10:02:00.000Z', lastError: null });
  });

  it('backs off exponentially on transient (500-like) errors, with jitter, capped at an hour', async () => {
    const { db } = await demoDb();
    await enqueue(db, 'nudge:t:2', PEOPLE.morgan);
    const clock = manualClock('2024-11-20T10:00');
    const slack = fakeAdapter(clock);
    slack.script.push(...[1, 2, 3].map(() => ({ ok: false as const, permanent: false, error: 'internal_error (500)' })));
    const gaps: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const before = clock.now();
      const report = await deliverDue({ db, clock, adapters: [slack.adapter], random: () => 1 });
      const retryAt = parseInstant(report.results[0]?.retryAt as string);
      gaps.push(retryAt.diff(before, 'seconds').seconds);
      clock.set(retryAt);
    }
    expect(gaps).toEqual([30, 60, 120]);
    await deliverDue({ db, clock, adapters: [slack.adapter] });
    expect(await row(db, 'nudge:t:2')).toMatchObject({ status: 'sent', attempts: 4 });
    // Jitter keeps between half and all of the backoff; Retry-After is a floor; the cap holds.
    expect(retryDelayMs(2, undefined, () => 0)).toBe(60_000);
    expect(retryDelayMs(2, 90_000, () => 0)).toBe(90_000);
    expect(retryDelayMs(20, undefined, () => 1)).toBe(BACKOFF_CAP_MS);
  });

  it('marks a permanent error dead at once and tells each admin once; a failing notice does not beget another', async () => {
    const { db } = await demoDb();
    await enqueue(db, 'nudge:t:3', PEOPLE.morgan);
    const clock = manualClock('2024-11-20T10:00');
    const slack = fakeAdapter(clock);
    slack.script.push({ ok: false, permanent: true, error: 'channel_not_found' });
    const report = await deliverDue({ db, clock, adapters: [slack.adapter] });
    const dead = await row(db, 'nudge:t:3');
    expect(dead).toMatchObject({ status: 'dead', attempts: 1, lastError: 'channel_not_found' });
    const admins = [await personId(db, PEOPLE.admin), await personId(db, PEOPLE.admin2)];
    const notices = await listOutbox(db, { kind: 'dead_letter' });
    expect(notices.map((n) => n.key).sort()).toEqual(admins.map((a) => `dead:${dead?.id}:${a}`).sort());
    expect(notices[0]?.payload.reply.summary).toBe('A nudge for Morgan Demo <morgan.demo@example.org> could not be delivered');
    // The notices were due at once and went out in the same run.
    expect(report.results.filter((r) => r.outcome === 'sent').map((r) => r.key).sort()).toEqual(notices.map((n) => n.key).sort());
    expect(report.deadLetters).toBe(2);

    await enqueue(db, 'dead:999:1', PEOPLE.admin, '2024-11-20T09:00', 'dead_letter');
    slack.script.push({ ok: false, permanent: true, error: 'account_inactive' });
    await deliverDue({ db, clock, adapters: [slack.adapter] });
    expect((await row(db, 'dead:999:1'))?.status).toBe('dead');
    expect(await listOutbox(db, { kind: 'dead_letter' })).toHaveLength(3);
  });

  it('gives up after maxAttempts transient failures', async () => {
    const { db } = await demoDb();
    await enqueue(db, 'nudge:t:4', PEOPLE.morgan);
    const clock = manualClock('2024-11-20T10:00');
    const slack = fakeAdapter(clock);
    slack.script.push(...[1, 2, 3].map(() => ({ ok: false as const, permanent: false, error: 'timeout' })));
    for (let i = 0; i < 3; i += 1) {
      await deliverDue({ db, clock, adapters: [slack.adapter], maxAttempts: 3 });
      clock.advance({ hours: 1 });
    }
    expect(await row(db, 'nudge:t:4')).toMatchObject({ status: 'dead', attempts: 3, lastError: 'timeout (gave up after 3 attempts)' });
    expect(await listOutbox(db, { kind: 'dead_letter' })).toHaveLength(2);
  });

  it('never sends a row twice when two workers on two connections deliver at the same time', async () => {
    const { db, path } = await demoDb();
    // Spread over several people: one person's messages go one at a time, in order (see claimDue).
    const people = Object.values(PEOPLE);
    for (let i = 0; i < 40; i += 1) await enqueue(db, `nudge:c:${i}`, people[i % people.length] as string);
    const other = await testDbAt(path);
    const clock = manualClock('2024-11-20T10:00');
    const a = fakeAdapter(clock, 'slack', 2);
    const b = fakeAdapter(clock, 'slack', 3);
    const [ra, rb] = await Promise.all([
      deliverDue({ db, clock, adapters: [a.adapter], workerId: 'a', batchSize: 4 }),
      deliverDue({ db: other, clock, adapters: [b.adapter], workerId: 'b', batchSize: 4 }),
    ]);
    const all = [...a.attempts, ...b.attempts].map((x) => x.outboxId);
    expect(all).toHaveLength(40);
    expect(new Set(all).size).toBe(40);
    expect(a.attempts.length).toBeGreaterThan(0);
    expect(b.attempts.length).toBeGreaterThan(0);
    expect(ra.results.length + rb.results.length).toBe(40);
    expect(await listOutbox(db, { status: 'sent' })).toHaveLength(40);
    await closeTestDb(other);
  });

  it.each([
    ['2024-11-20T20:00', 'a weekday evening'],
    ['2024-11-20T08:59', 'before the office opens'],
    ['2024-11-23T10:00', 'a Saturday'],
    ['2024-12-25T10:00', 'Christmas Day'],
  ])('delivers nothing at %s (%s)', async (at) => {
    const { db } = await demoDb();
    await enqueue(db, 'nudge:t:5', PEOPLE.morgan);
    const clock = manualClock(at);
    const slack = fakeAdapter(clock);
    const report = await deliverDue({ db, clock, adapters: [slack.adapter] });
    expect(report).toMatchObject({ officeOpen: false, results: [] });
    expect(slack.attempts).toEqual([]);
    expect((await row(db, 'nudge:t:5'))?.status).toBe('pending');
  });

  it('leaves a row claimed by another worker alone until its lease runs out', async () => {
    const { db, path } = await demoDb();
    await enqueue(db, 'nudge:t:6', PEOPLE.morgan);
    const other = await testDbAt(path);
    const clock = manualClock('2024-11-20T10:00');
    // Worker a hangs on the platform call; worker b runs meanwhile and must not pick the row up.
    let release: () => void = () => {};
    const hanging: DeliveryAdapter = {
      platform: 'slack',
      canReach: async () => true,
      deliver: () => new Promise<DeliveryOutcome>((resolve) => (release = () => resolve({ ok: true, platformMessageId: 'late' }))),
    };
    const b = fakeAdapter(clock);
    const running = deliverDue({ db, clock, adapters: [hanging], workerId: 'a' });
    await new Promise((r) => setTimeout(r, 5));
    expect((await deliverDue({ db: other, clock, adapters: [b.adapter], workerId: 'b' })).results).toEqual([]);
    release();
    await running;
    expect(await row(db, 'nudge:t:6')).toMatchObject({ status: 'sent', platformMessageId: 'late' });
    expect(b.attempts).toEqual([]);
    await closeTestDb(other);
  });

  it('keeps one person’s messages in the order they were queued when the first is retried', async () => {
    const { db } = await demoDb();
    await enqueue(db, 'nudge:o:1', PEOPLE.morgan, '2024-11-20T09:00');
    await enqueue(db, 'nudge:o:2', PEOPLE.morgan, '2024-11-20T09:01');
    await enqueue(db, 'nudge:o:3', PEOPLE.leah, '2024-11-20T09:02');
    await enqueue(db, 'nudge:o:4', PEOPLE.morgan, '2024-12-20T09:00'); // held for later: holds nothing back
    const clock = manualClock('2024-11-20T10:00');
    const slack = fakeAdapter(clock);
    slack.script.push({ ok: false, permanent: false, error: 'internal_error (500)' });
    // The first fails: Morgan's second waits behind it; Leah's is not held up.
    const first = await deliverDue({ db, clock, adapters: [slack.adapter], random: () => 0 });
    expect(first.results.map((r) => [r.key, r.outcome])).toEqual([
      ['nudge:o:1', 'retry'],
      ['nudge:o:3', 'sent'],
    ]);
    clock.advance({ minutes: 5 });
    await deliverDue({ db, clock, adapters: [slack.adapter], random: () => 0 });
    expect(await Promise.all(slack.delivered.map(async (id) => (await listOutbox(db)).find((r) => r.id === id)?.key))).toEqual(['nudge:o:3', 'nudge:o:1', 'nudge:o:2']);
    expect((await row(db, 'nudge:o:4'))?.status).toBe('pending');
  });
});

describe('pickAdapter', () => {
  const clock = manualClock('2024-11-20T10:00');
  const slack = fakeAdapter(clock, 'slack').adapter;
  const teams = fakeAdapter(clock, 'teams').adapter;
  const terminal = fakeAdapter(clock, 'console').adapter;
  const person = (lastPlatform: string | null) => ({ person: { id: 1, name: 'P', email: 'p@example.org', slackUserId: 'U1', teamsUserId: '29:1', lastPlatform } });

  it('uses the channel’s platform, else the platform the person last used, else slack, teams, console in that order', async () => {
    expect((await pickAdapter([terminal, teams, slack], { channel: 'teams:19:abc@thread.tacv2' }))?.platform).toBe('teams');
    expect((await pickAdapter([terminal, teams, slack], person('teams')))?.platform).toBe('teams');
    expect((await pickAdapter([terminal, teams, slack], person(null)))?.platform).toBe('slack');
    expect((await pickAdapter([terminal, teams], person('slack')))?.platform).toBe('teams');
    expect((await pickAdapter([terminal], { channel: 'slack:C1' }))?.platform).toBe('console');
    const unreachable: DeliveryAdapter = { ...slack, canReach: async () => false };
    expect(await pickAdapter([unreachable], person('slack'))).toBeUndefined();
  });
});
