// Fault: the service is down for three days, then restarted. In-process with a manual clock: the real
// tick and delivery loop every five minutes (ten outside office hours), through the real Slack
// delivery adapter to the fake Slack Web API, on the demo plan (SEND Partnership Board meets Wed 4 Dec
// 2024 at 14:00; Health and Wellbeing Board Wed 11 Dec).
//
// A. Running from Mon 18 Nov, last tick Tue 19 Nov 17:00, restarted Fri 22 Nov 10:00: the 20 Nov
//    window nudges for the 4 Dec meeting still matter and go, once each, at the restart; nothing sent
//    before the outage is sent again, and nothing is sent twice over the following days.
// B. First tick on Mon 2 Dec 09:00 (a fresh install catching up), the process dies before delivering
//    anything, and is restarted on Thu 5 Dec 10:00: the queued nudges for the 4 Dec meeting are
//    stale and skipped, never sent; the rest goes once.
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ManualClock, manualClock, parseInstant } from '../../src/clock.js';
import { deliverDue } from '../../src/jobs/deliver.js';
import { runTick } from '../../src/jobs/tick.js';
import { slackClientOptions } from '../../src/platforms/slack/slack-client-options.js';
import { createSlackDelivery } from '../../src/platforms/slack/slack-delivery.js';
import { findBoard } from '../../src/store/boards-repository.js';
import type { Db } from '../../src/store/database.js';
import { listOutbox } from '../../src/store/outbox-repository.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { londonMinute } from '../helpers/demo-db.js';
import { type RecordedCall, type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { integrityCheck, removeDatabaseCopy, report } from './support/sqlite.js';
import { closeTestDb, one, sql, value } from '../helpers/test-db.js';

const TOKEN = 'xoxb-downtime';

interface Post {
  key: string;
  part: number;
  /** London time of the manual clock when Slack received it. */
  at: string;
}

async function meetingId(db: Db, board: string, startsAtUtc: string): Promise<number> {
  const b = await findBoard(db, board);
  const row = await one(db, sql`select id from meetings where board_id = ${b?.id} and starts_at = ${startsAtUtc}`) as { id: number } | undefined;
  if (!row) throw new Error(`no meeting of ${board} at ${startsAtUtc}`);
  return row.id;
}

describe('fault: down for three days, then restarted', () => {
  let api: SlackApiServer;
  const posts: Post[] = [];
  let clock: ManualClock;

  beforeAll(async () => {
    api = await startSlackApiServer({ token: TOKEN });
  });
  afterAll(async () => {
    await api.close();
  });

  /** The scheduler's cycle at each step from the clock's time until `end` (London). */
  async function runUntil(db: Db, end: string): Promise<void> {
    const client = new WebClient(TOKEN, slackClientOptions({ apiUrl: api.apiUrl }));
    const adapters = [createSlackDelivery({ client })];
    const stop = parseInstant(end);
    while (clock.now() < stop) {
      await runTick({ db, clock });
      const seen = api.calls.length;
      await deliverDue({ db, clock, adapters, random: () => 0.5 });
      for (const c of api.calls.slice(seen) as RecordedCall[]) {
        if (c.method !== 'chat.postMessage' || c.response.status !== 200) continue;
        const p = (c.body.metadata as { event_payload: { key: string; part: number } }).event_payload;
        posts.push({ key: p.key, part: p.part, at: londonMinute(clock.now()) });
      }
      const hour = clock.now().hour;
      clock.advance({ minutes: hour >= 8 && hour < 18 ? 5 : 10 });
    }
  }

  const timesSent = (key: string) => posts.filter((p) => p.key === key && p.part === 1).length;

  it('A: last tick Tue 19 Nov 17:00, restart Fri 22 Nov 10:00: the 20 Nov window nudges go once, at the restart', async () => {
    posts.length = 0;
    api.reset();
    const { db, path } = await demoPlanDb();
    const spb = await meetingId(db, 'SEND Partnership Board', '2024-12-04T14:00:00.000Z');
    clock = manualClock('2024-11-18T08:00');
    await runUntil(db, '2024-11-19T17:01');
    const beforeOutage = new Set(posts.map((p) => p.key));
    expect(beforeOutage.size).toBeGreaterThan(0);
    expect([...beforeOutage].some((k) => k.startsWith(`nudge:${spb}:`))).toBe(false);

    // Down from 17:00 on Tuesday until 10:00 on Friday.
    clock.set('2024-11-22T10:00');
    const restartAt = posts.length;
    await runUntil(db, '2024-11-25T12:00');
    const afterRestart = posts.slice(restartAt);

    const windowKeys = (await listOutbox(db))
      .map((r) => r.key)
      .filter((k) => k.startsWith(`nudge:${spb}:`) && k.endsWith(':window'));
    const sentAtRestart = afterRestart.filter((p) => p.at === '2024-11-22 10:00').map((p) => p.key);
    const parts = new Map<string, number>();
    for (const p of posts) parts.set(`${p.key}#${p.part}`, (parts.get(`${p.key}#${p.part}`) ?? 0) + 1);
    report('down 19 Nov 17:00 → 22 Nov 10:00', {
      sentBeforeOutage: beforeOutage.size,
      windowNudgesFor4Dec: windowKeys.length,
      sentAtRestart: sentAtRestart.length,
      sentThroughMon25Nov: afterRestart.length,
      sentTwice: [...parts].filter(([, n]) => n > 1).length,
      skipped: (await listOutbox(db, { status: 'skipped' })).length,
    });

    expect(windowKeys).toHaveLength(13);
    for (const key of windowKeys) {
      expect(timesSent(key), key).toBe(1);
      expect(sentAtRestart, key).toContain(key);
    }
    // Friday's chaser (Nadia's TR-2.2) is not sent beside her window nudge, which lists TR-2.2 the
    // same morning: one message per person. Nothing from before the outage went again.
    expect(sentAtRestart.filter((k) => k.startsWith('overdue:') && k.endsWith(':2024-11-22'))).toEqual([]);
    const nadia = await value(db, sql`select id from people where email = 'nadia.sampleton@example.org'`) as number;
    expect((await listOutbox(db)).find((r) => r.key === `nudge:${spb}:${nadia}:window`)?.payload.refs).toContain('TR-2.2');
    for (const p of afterRestart) expect(beforeOutage.has(p.key), p.key).toBe(false);
    expect([...parts].filter(([, n]) => n > 1)).toEqual([]);
    // Monday brings the reminders (a different message), not the window nudges again.
    expect(afterRestart.filter((p) => p.key.startsWith(`nudge:${spb}:`) && p.key.endsWith(':reminder') && p.at.startsWith('2024-11-25 09:00')).length).toBeGreaterThan(5);
    expect((await listOutbox(db)).filter((r) => r.status !== 'sent')).toEqual([]);
    await closeTestDb(db);
    expect(integrityCheck(path)).toBe('ok');
    removeDatabaseCopy(path);
  });

  it('B: crash after the Mon 2 Dec 09:00 tick, restart Thu 5 Dec 10:00: nudges for the 4 Dec meeting are skipped, the rest go once', async () => {
    posts.length = 0;
    api.reset();
    const { db, path } = await demoPlanDb();
    const spb = await meetingId(db, 'SEND Partnership Board', '2024-12-04T14:00:00.000Z');
    const hwb = await meetingId(db, 'Health and Wellbeing Board', '2024-12-11T10:00:00.000Z');
    clock = manualClock('2024-12-02T09:00');
    const queued = (await runTick({ db, clock })).enqueued.map((p) => p.key);
    expect(queued.some((k) => k.startsWith(`nudge:${spb}:`))).toBe(true);
    // The process dies here, before delivering. Three days later:
    clock.set('2024-12-05T10:00');
    await runUntil(db, '2024-12-05T12:00');

    const rows = await listOutbox(db);
    const spbRows = rows.filter((r) => r.key.startsWith(`nudge:${spb}:`) || r.key.startsWith(`digest:${spb}:`));
    const sentKeys = new Set(posts.map((p) => p.key));
    report('crash 2 Dec 09:00 → restart 5 Dec 10:00', {
      queuedBeforeCrash: queued.length,
      staleSkipped: rows.filter((r) => r.status === 'skipped').length,
      sentAfterRestart: sentKeys.size,
    });
    // 13 window nudges (caught up late, so each owner's one message: no reminders) and the chair's digest twice.
    expect(spbRows.length).toBe(15);
    for (const r of spbRows) expect([r.key, r.status, r.lastError]).toEqual([r.key, 'skipped', 'meeting has passed']);
    expect([...sentKeys].filter((k) => k.includes(`:${spb}:`))).toEqual([]);
    expect([...sentKeys]).toEqual(expect.arrayContaining([`nudge:${hwb}:${await value(db, sql`select id from people where email = 'rahul.fakeley@example.org'`)}:window`, 'weekly:2024-W49:channel']));
    const perPart = new Map<string, number>();
    for (const p of posts) perPart.set(`${p.key}#${p.part}`, (perPart.get(`${p.key}#${p.part}`) ?? 0) + 1);
    expect([...perPart].filter(([, n]) => n > 1)).toEqual([]);
    expect(rows.filter((r) => r.status === 'pending' || r.status === 'failed')).toEqual([]);
    await closeTestDb(db);
    expect(integrityCheck(path)).toBe('ok');
    removeDatabaseCopy(path);
  });
});
