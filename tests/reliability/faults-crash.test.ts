// Fault: the process is killed with SIGKILL in the middle of delivering, then restarted.
//
// `src/main.ts` runs in a child process (Slack HTTP mode, `--now` Mon 25 Nov 2024 10:00 on the demo
// plan with an empty outbox, so its start-up tick queues a backlog of ~30 messages and delivers them
// one by one). Its Web API calls go through a proxy that forwards each chat.postMessage to the fake
// Slack at once but holds the answer back for a second; the test SIGKILLs the process as soon as the
// sixth message reaches "Slack", so that message was posted but never marked sent. Then:
//   - a restart half a minute later (10:00:30) must leave the rows the dead process had leased alone
//     (the lease runs one minute) and may send the others;
//   - a restart at 10:01:10 — a minute and a bit later — must send everything still waiting.
// Nothing may be lost, and only the message in flight may arrive twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase } from '../../src/store/database.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type RecordedCall, type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { killAllChildren, startSlackService } from './support/processes.js';
import { type SlowProxy, startSlowProxy } from './support/slow-proxy.js';
import { integrityCheck, outboxRows, removeDatabaseCopy, report } from './support/sqlite.js';

const TOKEN = 'xoxb-crash';
const SECRET = 'crash-signing-secret';

const postKey = (c: RecordedCall): string => {
  const p = (c.body.metadata as { event_payload?: { key: string; part: number } } | undefined)?.event_payload;
  return `${p?.key ?? '?'}#${p?.part ?? 0}`;
};

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('fault: SIGKILL during delivery, then restart', () => {
  let api: SlackApiServer;
  let proxy: SlowProxy;
  let dbPath: string;

  beforeAll(async () => {
    api = await startSlackApiServer({ token: TOKEN });
    proxy = await startSlowProxy(api.url);
    const { db, path } = await demoPlanDb();
    await closeDatabase(db);
    dbPath = path;
  });
  afterAll(async () => {
    await killAllChildren();
    await proxy?.close();
    await api?.close();
    removeDatabaseCopy(dbPath);
  });

  it('loses nothing and repeats only the message in flight', async () => {
    const start = (now: string) =>
      startSlackService({ databasePath: dbPath, slackApiUrl: proxy.apiUrl, signingSecret: SECRET, botToken: TOKEN, now, logLevel: 'info' });

    // 1. Deliver slowly and kill the process while the sixth message is in flight.
    proxy.setDelay((method) => (method === 'chat.postMessage' ? 1000 : 0));
    const first = await start('2024-11-25T10:00');
    const posted = await api.waitForCalls('chat.postMessage', 6, 90_000);
    first.child.kill('SIGKILL');
    const heldAtKill = proxy.held;
    const inFlight = postKey(posted[5] as RecordedCall);
    const exit = await first.child.exit;
    expect(exit.signal).toBe('SIGKILL');
    expect(heldAtKill).toBeGreaterThanOrEqual(1);
    expect(integrityCheck(dbPath)).toBe('ok');

    const afterKill = outboxRows(dbPath);
    const sentBeforeKill = afterKill.filter((r) => r.status === 'sent').map((r) => r.key);
    const leasedByDeadProcess = afterKill.filter((r) => r.status === 'pending' && r.leaseUntil !== null).map((r) => r.key);
    // Marked sent: only messages whose every part Slack had answered before the kill.
    const answered = new Set(posted.slice(0, 5).map((c) => postKey(c).split('#')[0]));
    expect(sentBeforeKill.length).toBeGreaterThan(0);
    for (const key of sentBeforeKill) expect(answered.has(key), key).toBe(true);
    expect(sentBeforeKill).not.toContain(inFlight.split('#')[0]);
    expect(leasedByDeadProcess).toContain(inFlight.split('#')[0]);
    const callsBeforeRestart = api.callsTo('chat.postMessage').length;

    // 2. Restart half a minute later: the dead process's leases (one minute) still hold.
    proxy.setDelay(() => 0);
    const second = await start('2024-11-25T10:00:30');
    await second.child.waitForLine((l) => l.json?.msg === 'scheduler tick', 60_000);
    await second.child.stop();
    expect(second.child.running).toBe(false);
    const afterSecond = outboxRows(dbPath);
    const secondPosts = api.callsTo('chat.postMessage').slice(callsBeforeRestart).map(postKey);
    for (const key of leasedByDeadProcess) {
      expect(afterSecond.find((r) => r.key === key)?.status, key).toBe('pending');
      expect(secondPosts.filter((k) => k.startsWith(`${key}#`)), key).toEqual([]);
    }
    expect(integrityCheck(dbPath)).toBe('ok');

    // 3. Restart at 10:01:10, after the leases ran out: everything still waiting goes.
    const third = await start('2024-11-25T10:01:10');
    await until(() => outboxRows(dbPath).every((r) => r.status === 'sent'), 90_000, 'every outbox row to be sent');
    const stopped = await third.child.stop();
    expect(stopped.code).toBe(0);

    const rows = outboxRows(dbPath);
    const calls = api.callsTo('chat.postMessage').filter((c) => c.response.status === 200);
    const perPart = new Map<string, number>();
    for (const c of calls) perPart.set(postKey(c), (perPart.get(postKey(c)) ?? 0) + 1);
    const repeated = [...perPart].filter(([, n]) => n > 1);
    report('SIGKILL during delivery', {
      outboxRows: rows.length,
      sentBeforeKill: sentBeforeKill.length,
      leasedByKilledProcess: leasedByDeadProcess.length,
      inFlightAtKill: inFlight,
      sentByRestartAt100030: afterSecond.filter((r) => r.status === 'sent').length - sentBeforeKill.length,
      postMessageCalls: calls.length,
      repeated: Object.fromEntries(repeated),
    });

    // Nothing lost: every row is sent and every (key, part) reached Slack.
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    for (const r of rows) expect([...perPart.keys()].some((k) => k.startsWith(`${r.key}#`)), r.key).toBe(true);
    // At most the one message in flight was repeated, and at most once.
    expect([...perPart.values()].every((n) => n <= 2)).toBe(true);
    expect(repeated.map(([k]) => k)).toEqual([inFlight]);
    expect(integrityCheck(dbPath)).toBe('ok');
  });
});
