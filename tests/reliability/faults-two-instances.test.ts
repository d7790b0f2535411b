// Fault: two instances started on the same database by mistake. Two child processes run
// `src/main.ts` (Slack HTTP mode, each on its own port, with its own SQLite connection and worker id
// — its pid) against one database file, ticking every two seconds and delivering concurrently to the
// fake Slack Web API through a proxy that slows each chat.postMessage answer to widen the races. Each
// instance uses a different bot token, so the fake can tell who sent what.
//
// The outbox holds the demo plan's catch-up on Mon 25 Nov 2024 10:00 (both instances plan it at the
// same moment; the unique keys keep one row per message) plus 240 queued messages for every person
// and the board channel, and 80 more arrive in batches while both run. No message may be sent twice,
// and none may be left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInstant, toStoredInstant } from '../../src/clock.js';
import { enqueueNotification } from '../../src/store/outbox-repository.js';
import { listPeople } from '../../src/store/people-repository.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type RecordedCall, type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { killAllChildren, type RunningService, startSlackService } from './support/processes.js';
import { type SlowProxy, startSlowProxy } from './support/slow-proxy.js';
import { integrityCheck, outboxRows, removeDatabaseCopy, report } from './support/sqlite.js';
import { closeTestDb, testDbAt } from '../helpers/test-db.js';

const SECRET = 'twins-signing-secret';
const NOW = '2024-11-25T10:00';
const EXTRA = 240;
const LATE_BATCHES = 8;

const postKey = (c: RecordedCall): string => {
  const p = (c.body.metadata as { event_payload?: { key: string; part: number } } | undefined)?.event_payload;
  return `${p?.key ?? '?'}#${p?.part ?? 0}`;
};

describe('fault: two instances on the same database', () => {
  let api: SlackApiServer;
  let proxy: SlowProxy;
  let dbPath: string;
  let instances: RunningService[] = [];

  beforeAll(async () => {
    api = await startSlackApiServer();
    proxy = await startSlowProxy(api.url, (method) => (method === 'chat.postMessage' ? 25 : 0));
    const { db, path } = await demoPlanDb();
    dbPath = path;
    const people = (await listPeople(db)).filter((p) => p.slackUserId);
    const at = toStoredInstant(parseInstant('2024-11-25T09:00'));
    for (let i = 0; i < EXTRA; i += 1) {
      const person = i % 10 === 9 ? undefined : people[i % people.length];
      await enqueueNotification(db, {
        key: `extra:${i}`,
        kind: 'nudge',
        recipientPersonId: person?.id ?? null,
        recipientChannel: person ? null : 'slack:C0SENDPB',
        payload: { kind: 'nudge', reply: { tone: 'info', summary: `Queued message ${i}`, blocks: [] }, refs: [], boardId: null, meetingId: null, expiresAt: null },
        notBefore: at,
        createdAt: at,
      });
    }
    await closeTestDb(db);
  });
  afterAll(async () => {
    await killAllChildren();
    await proxy?.close();
    await api?.close();
    removeDatabaseCopy(dbPath);
  });

  it('sends every message exactly once between them', async () => {
    const start = (token: string) =>
      startSlackService({ databasePath: dbPath, slackApiUrl: proxy.apiUrl, signingSecret: SECRET, botToken: token, now: NOW, tickCron: '*/2 * * * * *' });
    const started = Date.now();
    instances = await Promise.all([start('xoxb-instance-a'), start('xoxb-instance-b')]);

    // While both run, more messages keep arriving (as if planned by later ticks): 8 batches of 10,
    // written through a third connection, for the instances' two-second ticks to race over.
    const writer = await testDbAt(dbPath);
    const at = toStoredInstant(parseInstant('2024-11-25T09:30'));
    for (let batch = 0; batch < LATE_BATCHES; batch += 1) {
      for (let j = 0; j < 10; j += 1) {
        const n = batch * 10 + j;
        await enqueueNotification(writer, {
          key: `late:${n}`,
          kind: 'nudge',
          recipientPersonId: null,
          recipientChannel: n % 2 === 0 ? 'slack:C0SENDPB' : 'slack:C0SENDPROG',
          payload: { kind: 'nudge', reply: { tone: 'info', summary: `Late message ${n}`, blocks: [] }, refs: [], boardId: null, meetingId: null, expiresAt: null },
          notBefore: at,
          createdAt: at,
        });
      }
      await new Promise((r) => setTimeout(r, 750));
    }
    await closeTestDb(writer);

    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const rows = outboxRows(dbPath);
      if (rows.length >= EXTRA + LATE_BATCHES * 10 && rows.every((r) => r.status === 'sent')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const drainedMs = Date.now() - started;
    // Let both keep ticking for a while longer: nothing more may go out.
    const callsWhenDrained = api.callsTo('chat.postMessage').length;
    await new Promise((r) => setTimeout(r, 6000));
    const exits = await Promise.all(instances.map((i) => i.child.stop()));

    const rows = outboxRows(dbPath);
    const posts = api.callsTo('chat.postMessage').filter((c) => c.response.status === 200);
    const perPart = new Map<string, number>();
    for (const c of posts) perPart.set(postKey(c), (perPart.get(postKey(c)) ?? 0) + 1);
    const byInstance = { a: posts.filter((c) => c.token === 'xoxb-instance-a').length, b: posts.filter((c) => c.token === 'xoxb-instance-b').length };
    const errors = instances.flatMap((i) => i.child.lines.filter((l) => Number(l.json?.level) >= 50).map((l) => l.raw));
    const ticks = instances.map((i) => i.child.lines.filter((l) => l.json?.msg === 'scheduler tick').length);
    report('two instances on one database', {
      outboxRows: rows.length,
      posts: posts.length,
      byInstance,
      drainedMs,
      postsAfterDrained: api.callsTo('chat.postMessage').length - callsWhenDrained,
      sentTwice: [...perPart].filter(([, n]) => n > 1).length,
      ticksLoggedPerInstance: ticks,
    });

    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    expect(rows.filter((r) => r.status !== 'sent').map((r) => `${r.key} ${r.status}`)).toEqual([]);
    expect([...perPart].filter(([, n]) => n > 1)).toEqual([]);
    for (const r of rows) expect(perPart.has(`${r.key}#1`), r.key).toBe(true);
    // Both really delivered (the race was real), and neither logged an error (no SQLITE_BUSY).
    expect(byInstance.a).toBeGreaterThan(0);
    expect(byInstance.b).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(integrityCheck(dbPath)).toBe('ok');
  });
});
