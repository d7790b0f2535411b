// The reliability gate of issue 21 on PostgreSQL (`npm run test:postgres`): two real `src/main.ts`
// processes (Slack HTTP mode, each on its own port, each with its own bot token so the fake Slack
// can tell who sent what) on ONE PostgreSQL database. The SQLite twin is
// tests/reliability/faults-two-instances.test.ts (two processes on one file, both delivering).
//
// 1. kill -9 of the leader in the middle of a delivery batch: the other instance takes the lead,
//    takes the dead one's leased rows over once their lease runs out, and every message is
//    delivered; at most one (the one on the wire at the kill) goes twice.
// 2. The same signed Slack request sent to both instances at once runs once (shared replay cache).
// 3. A command acknowledged by an instance that dies before doing it is done by the other
//    instance's inbox sweep, once.
//
// Clocks start at a Monday morning of the demo plan and run (`--clock-runs`), so leases run out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, parseInstant, toStoredInstant } from '../../src/clock.js';
import { myActionChoices } from '../../src/commands/shared.js';
import type { Db } from '../../src/store/database.js';
import { enqueueNotification } from '../../src/store/outbox-repository.js';
import { listPeople } from '../../src/store/people-repository.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { onPostgresRun } from '../helpers/postgres-test-db.js';
import { type RecordedCall, type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { closeTestDb, one, rows, run as runStatement, sql, testDbAt } from '../helpers/test-db.js';
import { send, slashRequest } from '../reliability/support/http-client.js';
import { killAllChildren, type RunningService, startSlackService } from '../reliability/support/processes.js';
import { type SlowProxy, startSlowProxy } from '../reliability/support/slow-proxy.js';
import { report } from '../reliability/support/sqlite.js';

const SECRET = 'pg-twins-signing-secret';
const NOW = '2024-11-25T10:00';
const MESSAGES = 150;
const LEASE_SECONDS = 6;

const postKey = (c: RecordedCall): string => {
  const p = (c.body.metadata as { event_payload?: { key: string; part: number } } | undefined)?.event_payload;
  return `${p?.key ?? '?'}#${p?.part ?? 0}`;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startOn(url: string, slackApiUrl: string, token: string): Promise<RunningService> {
  return startSlackService({
    databasePath: url,
    slackApiUrl,
    signingSecret: SECRET,
    botToken: token,
    now: NOW,
    clockRuns: true,
    tickCron: '*/2 * * * * *',
    extraEnv: { DATABASE_URL: url, DATABASE_PATH: undefined, DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS), SLACK_INBOX_LEASE_SECONDS: '2' },
  });
}

const isLeaderLine = (l: { json?: Record<string, unknown> }) => l.json?.msg === 'this instance now plans and delivers (leader)';

describe.runIf(onPostgresRun())('two instances on one PostgreSQL database, as real processes', () => {
  let api: SlackApiServer;
  let proxy: SlowProxy;
  const opened: Db[] = [];

  beforeAll(async () => {
    api = await startSlackApiServer();
    proxy = await startSlowProxy(api.url, (method) => (method === 'chat.postMessage' ? 40 : 0));
  });
  afterAll(async () => {
    await killAllChildren();
    await Promise.all(opened.map((db) => closeTestDb(db)));
    await proxy?.close();
    await api?.close();
  });

  it('kill -9 of the leader mid-batch: the other takes over, every message goes out, at most one twice', { timeout: 240_000 }, async () => {
    api.reset();
    const { db, path: url } = await demoPlanDb();
    opened.push(db);
    const at = toStoredInstant(parseInstant('2024-11-25T09:00'));
    for (let i = 0; i < MESSAGES; i += 1) {
      await enqueueNotification(db, {
        key: `pg:${i}`,
        kind: 'nudge',
        recipientPersonId: null,
        recipientChannel: `slack:C0PG${i % 25}`,
        payload: { kind: 'nudge', reply: { tone: 'info', summary: `Queued message ${i}`, blocks: [] }, refs: [], boardId: null, meetingId: null, expiresAt: null },
        notBefore: at,
        createdAt: at,
      });
    }
    const a = await startOn(url, proxy.apiUrl, 'xoxb-instance-a');
    await a.child.waitForLine(isLeaderLine, 30_000);
    const b = await startOn(url, proxy.apiUrl, 'xoxb-instance-b');
    const posted = (token: string) => api.callsTo('chat.postMessage').filter((c) => c.token === token && c.response.status === 200).length;

    // Into A's delivery: a good part sent, more of its batch leased and not yet sent.
    const giveUp = Date.now() + 60_000;
    while (posted('xoxb-instance-a') < 40 && Date.now() < giveUp) await sleep(20);
    if (posted('xoxb-instance-a') < 40) throw new Error(`instance A did not deliver; its last lines:\n${a.child.transcript(40)}`);
    a.child.kill('SIGKILL');
    await a.child.exit;
    const killedAt = Date.now();
    const leasedAtKill = (await one<{ n: number }>(db, sql`select count(*) as n from outbox where status = 'pending' and lease_until is not null`))?.n ?? 0;
    const byBBeforeKill = posted('xoxb-instance-b');

    const deadline = Date.now() + 120_000;
    let open = MESSAGES;
    while (Date.now() < deadline) {
      open = (await one<{ n: number }>(db, sql`select count(*) as n from outbox where status <> 'sent'`))?.n ?? 0;
      if (open === 0) break;
      await sleep(250);
    }
    const drainedAfterKillMs = Date.now() - killedAt;
    const callsWhenDrained = api.callsTo('chat.postMessage').length;
    await sleep(4000);
    const exit = await b.child.stop();

    const posts = api.callsTo('chat.postMessage').filter((c) => c.response.status === 200);
    const perPart = new Map<string, number>();
    for (const c of posts) perPart.set(postKey(c), (perPart.get(postKey(c)) ?? 0) + 1);
    const sentTwice = [...perPart].filter(([, n]) => n > 1);
    const keys = (await rows<{ key: string; status: string }>(db, sql`select key, status from outbox order by id`));
    report('two instances on one PostgreSQL database, leader killed', {
      outboxRows: keys.length,
      posts: posts.length,
      byInstance: { a: posted('xoxb-instance-a'), b: posted('xoxb-instance-b') },
      leasedAtKill,
      drainedAfterKillMs,
      leaseSeconds: LEASE_SECONDS,
      postsAfterDrained: api.callsTo('chat.postMessage').length - callsWhenDrained,
      sentTwice: sentTwice.length,
    });

    // The kill landed inside a batch: A had rows leased and unsent.
    expect(leasedAtKill).toBeGreaterThan(0);
    // Only the leader delivered while A lived; B took the lead after it died, and delivered the rest.
    expect(byBBeforeKill).toBe(0);
    await b.child.waitForLine(isLeaderLine, 1000);
    expect(posted('xoxb-instance-b')).toBeGreaterThan(0);
    expect(open).toBe(0);
    expect(keys.filter((r) => r.status !== 'sent')).toEqual([]);
    for (const r of keys) expect(perPart.has(`${r.key}#1`), r.key).toBe(true);
    expect(sentTwice.length).toBeLessThanOrEqual(1);
    expect(api.callsTo('chat.postMessage').length - callsWhenDrained).toBe(0);
    expect(exit.code).toBe(0);
    expect(b.child.lines.filter((l) => Number(l.json?.level) >= 50).map((l) => l.raw)).toEqual([]);
  });

  it('runs a Slack request once when it reaches both instances, and runs an acknowledged command whose instance died', { timeout: 180_000 }, async () => {
    api.reset();
    const { db, path: url } = await demoPlanDb();
    opened.push(db);
    const people = (await listPeople(db)).filter((p) => p.slackUserId);
    const work: { userId: string; email: string; ref: string }[] = [];
    for (const person of people) {
      const [choice] = await myActionChoices({ db, clock: fixedClock(NOW), caller: person, platform: 'slack', rawText: '' });
      if (choice && person.slackUserId) work.push({ userId: person.slackUserId, email: person.email, ref: choice.ref });
    }
    expect(work.length).toBeGreaterThan(1);
    const [replayed, orphan] = work as [(typeof work)[number], (typeof work)[number]];
    // The orphan's sender is not linked yet: its work waits for users.info, held long enough to kill A.
    await runStatement(db, sql`update people set slack_user_id = null where email = ${orphan.email}`);
    let lookupDelayMs = 30_000;
    api.respond('users.info', ({ body }) => ({ delayMs: lookupDelayMs, body: { ok: true, user: { id: String(body.user), team_id: 'T0SEND', profile: { email: orphan.email } } } }));

    const a = await startOn(url, api.apiUrl, 'xoxb-instance-a');
    const b = await startOn(url, api.apiUrl, 'xoxb-instance-b');

    // The same signed request (a retry by a proxy, or a replay) reaches both at once.
    const twice = slashRequest({ text: `update ${replayed.ref} amber sent to both`, user_id: replayed.userId, response_url: api.responseUrl('both') }, { secret: SECRET });
    const answers = await Promise.all([send(a.url, twice), send(b.url, twice)]);
    expect(answers.map((o) => o.status).sort()).toEqual([200, 401]);
    await api.waitForCalls('response_url', 1, 20_000);

    // Acknowledged by A, which dies before doing it.
    const orphanRequest = slashRequest({ text: `update ${orphan.ref} amber left by a dead instance`, user_id: orphan.userId, response_url: api.responseUrl('orphan') }, { secret: SECRET });
    const acked = await send(a.url, orphanRequest);
    expect(acked.status).toBe(200);
    a.child.kill('SIGKILL');
    await a.child.exit;
    lookupDelayMs = 0;
    expect((await one<{ n: number }>(db, sql`select count(*) as n from slack_inbox where state = 'pending'`))?.n).toBe(1);

    await b.child.waitForLine((l) => l.json?.msg === 'replayed acknowledged Slack requests from the inbox (left by a stopping or stopped instance, or kept while the database did not answer)', 30_000);
    const answered = (await api.waitForCalls('response_url', 2, 20_000)).filter((c) => c.responseUrlId === 'orphan');
    await sleep(1000);
    const exit = await b.child.stop();

    const notes = await rows<{ note: string; n: number }>(db, sql`select note, count(*) as n from updates where note in ('sent to both', 'left by a dead instance') group by note order by note`);
    expect(notes).toEqual([
      { note: 'left by a dead instance', n: 1 },
      { note: 'sent to both', n: 1 },
    ]);
    expect(api.callsTo('response_url').filter((c) => c.responseUrlId === 'both')).toHaveLength(1);
    expect(answered).toHaveLength(1);
    expect(String(answered[0]?.body.text)).toContain(`Update recorded for ${orphan.ref}`);
    expect((await one<{ n: number }>(db, sql`select count(*) as n from slack_inbox`))?.n).toBe(0);
    expect(exit.code).toBe(0);
  });
});
