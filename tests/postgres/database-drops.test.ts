// The database goes away while sendbot runs (issue 21: "a database that ... drops mid-run gives clear
// log lines and recovers, never a crash loop that loses the inbox"). A real `src/main.ts` process
// (Slack HTTP mode, leader, ticking every 2 s) talks to PostgreSQL through a loopback proxy that is
// cut for a while and then restored:
//   - during the cut the process stays up, /healthz says so, a slash command is refused (Slack
//     shows the person an error and nothing was promised), and the log says what is wrong;
//   - after it, without a restart, commands are answered again, the process leads and delivers
//     again, and nothing from before the cut is lost;
//   - a command acknowledged before the cut whose work then lost the database is kept, the person
//     is told so, and the inbox sweep carries it out once when the database is back.
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { fixedClock, parseInstant, toStoredInstant } from '../../src/clock.js';
import { createHttpServer } from '../../src/http/http-server.js';
import { createSlackApp } from '../../src/platforms/slack/slack-app.js';
import { KEPT_FOR_REPLAY_TEXT } from '../../src/platforms/slack/slack-replies.js';
import { closeDatabase, inTransaction } from '../../src/store/database.js';
import { probeDatabaseWrite } from '../../src/store/write-probe.js';
import { openStore } from '../../src/store/open-store.js';
import { enqueueNotification } from '../../src/store/outbox-repository.js';
import { DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import { onPostgresRun } from '../helpers/postgres-test-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { closeTestDb, one, rows, run, sql } from '../helpers/test-db.js';
import { send, slashRequest } from '../reliability/support/http-client.js';
import { killAllChildren, startChild, startSlackService } from '../reliability/support/processes.js';
import { report } from '../reliability/support/sqlite.js';
import { type CuttableProxy, startCuttableProxy } from './support/cuttable-proxy.js';

const SECRET = 'pg-drops-signing-secret';
const NOW = '2024-11-25T10:00';
const MORGAN = 'U0DEMO03'; // Head of SEND: owns ND-1.1

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(onPostgresRun())('the PostgreSQL server goes away mid-run and comes back', () => {
  let api: SlackApiServer;
  let proxy: CuttableProxy | undefined;

  beforeAll(async () => {
    api = await startSlackApiServer();
  });
  afterAll(async () => {
    await killAllChildren();
    await proxy?.close();
    await api?.close();
  });

  it('keeps a command whose work lost the database, tells the person so, and carries it out once, within seconds of the database coming back', { timeout: 60_000 }, async () => {
    api.reset();
    const { db, path: url } = await demoPlanDb();
    proxy = await startCuttableProxy(url);
    const appDb = await openStore(proxy.url, { poolSize: 2, connectTimeoutMs: 1000 });
    const http = createHttpServer({ db: appDb, logger: pino({ level: 'silent' }) });
    const slack = await createSlackApp({
      db: appDb,
      clock: fixedClock(NOW),
      // The default lease (a minute): the kept command must not wait for it to run out.
      config: { botToken: 'xoxb-kept', signingSecret: SECRET, apiUrl: api.apiUrl },
      logger: pino({ level: 'silent' }),
    });
    try {
      await slack.start(http);
      const { url: baseUrl } = await http.listen(0, '127.0.0.1');
      await slack.replayed;
      // The sender is not linked yet, so the work first asks Slack who they are: held, and meanwhile the database goes.
      await run(db, sql`update people set slack_user_id = null where email = ${DEMO.headOfSend}`);
      api.respond('users.info', ({ body }) => ({ delayMs: 300, body: { ok: true, user: { id: String(body.user), team_id: 'T0SEND', profile: { email: DEMO.headOfSend } } } }));
      const acked = await send(baseUrl, slashRequest({ text: 'update ND-1.1 amber kept while the database was away', user_id: MORGAN, response_url: api.responseUrl('kept') }, { secret: SECRET }));
      expect(acked.status).toBe(200);
      await api.waitForCalls('users.info', 1, 5000);
      proxy.cut();

      const [told] = await api.waitForCalls('response_url', 1, 10_000);
      expect(told?.body.text).toBe(KEPT_FOR_REPLAY_TEXT);
      const pending = await rows<{ state: string; body: string }>(db, sql`select state, body from slack_inbox`);
      expect(pending.map((p) => p.state)).toEqual(['pending']);
      expect(JSON.parse(pending[0]?.body ?? '{}')).toMatchObject({ text: 'update ND-1.1 amber kept while the database was away' });

      proxy.restore();
      const restoredAt = Date.now();
      const answers = await api.waitForCalls('response_url', 2, 20_000);
      report('kept command answered after the database came back', { afterMs: Date.now() - restoredAt });
      expect(String(answers[1]?.body.text)).toContain('Update recorded for ND-1.1');
      expect(await rows(db, sql`select id from updates where note = 'kept while the database was away'`)).toHaveLength(1);
      expect(await rows(db, sql`select id from slack_inbox`)).toEqual([]);
      await sleep(6000); // another sweep: nothing runs twice
      expect(api.callsTo('response_url')).toHaveLength(2);
    } finally {
      await slack.stop();
      await http.close();
      await closeDatabase(appDb);
      await proxy.close();
      proxy = undefined;
      await closeTestDb(db);
    }
  });

  it('stays up, refuses what it cannot store, says why, and recovers without a restart', { timeout: 120_000 }, async () => {
    api.reset();
    const { db, path: url } = await demoPlanDb();
    proxy = await startCuttableProxy(url);
    const service = await startSlackService({
      databasePath: proxy.url,
      slackApiUrl: api.apiUrl,
      signingSecret: SECRET,
      botToken: 'xoxb-drops',
      now: NOW,
      clockRuns: true,
      tickCron: '*/2 * * * * *',
      extraEnv: { DATABASE_URL: proxy.url, DATABASE_PATH: undefined },
    });
    const { child } = service;
    const health = async () => (await fetch(new URL('/healthz', service.url))).status;
    const slash = (text: string, tag: string) => send(service.url, slashRequest({ text, user_id: MORGAN, response_url: api.responseUrl(tag) }, { secret: SECRET }));
    try {
      await child.waitForLine((l) => l.json?.msg === 'this instance now plans and delivers (leader)', 30_000);
      expect((await slash('update ND-1.1 amber before the cut', 'before')).status).toBe(200);
      await api.waitForCalls('response_url', 1, 10_000);

      proxy.cut();
      const cutAt = child.lines.length;
      await sleep(500);
      expect(await health()).toBe(503);
      const refused = await slash('update ND-1.1 red during the cut', 'during');
      // Nothing could be stored, so nothing is promised: the person is told at once, plainly.
      expect(refused.status).toBe(200);
      expect(JSON.parse(refused.body)).toEqual({
        response_type: 'ephemeral',
        text: 'Sorry — what you sent was NOT saved, because sendbot cannot reach its database at the moment. Please send it again in a few minutes.',
      });
      await sleep(6000); // three ticks' worth of failures
      expect(child.running).toBe(true);
      const duringCut = child.lines.slice(cutAt);

      proxy.restore();
      const restoredAt = Date.now();
      while ((await health()) !== 200) {
        if (Date.now() - restoredAt > 30_000) throw new Error(`not healthy 30 s after the database came back:\n${child.transcript(30)}`);
        await sleep(200);
      }
      const healthyAfterMs = Date.now() - restoredAt;
      expect((await slash('update ND-1.1 green after the cut', 'after')).status).toBe(200);
      const [answer] = (await api.waitForCalls('response_url', 2, 10_000)).filter((c) => c.responseUrlId === 'after');
      expect(String(answer?.body.text)).toContain('Update recorded for ND-1.1');

      // It leads and delivers again: a message queued now goes out.
      const at = toStoredInstant(parseInstant('2024-11-25T09:00'));
      await enqueueNotification(db, {
        key: 'after-the-cut',
        kind: 'nudge',
        recipientPersonId: null,
        recipientChannel: 'slack:C0AFTER',
        payload: { kind: 'nudge', reply: { tone: 'info', summary: 'Queued after the database came back', blocks: [] }, refs: [], boardId: null, meetingId: null, expiresAt: null },
        notBefore: at,
        createdAt: at,
      });
      const queuedAfter = () => api.callsTo('chat.postMessage').find((c) => String(c.body.text).includes('Queued after the database came back'));
      const deliverBy = Date.now() + 30_000;
      while (!queuedAfter() && Date.now() < deliverBy) await sleep(100);
      expect(queuedAfter()?.body.channel).toBe('C0AFTER');

      const notes = await one<{ before: number; during: number; after: number }>(
        db,
        sql`select count(*) filter (where note = 'before the cut') as before, count(*) filter (where note = 'during the cut') as during,
                   count(*) filter (where note = 'after the cut') as after from updates`,
      );
      expect(notes).toEqual({ before: 1, during: 0, after: 1 });
      expect((await one<{ n: number }>(db, sql`select count(*) as n from slack_inbox`))?.n).toBe(0);

      // The log said what was wrong, in lines a person can read, and not thousands of them.
      const errors = duringCut.filter((l) => Number(l.json?.level) >= 50);
      report('PostgreSQL server away for 6.5 s', { errorLines: errors.length, linesDuringCut: duringCut.length, healthyAfterMs, firstError: errors[0]?.json?.msg });
      expect(errors.length).toBeGreaterThan(0);
      expect(duringCut.length).toBeLessThan(200);
      for (const line of errors) expect(typeof line.json?.msg).toBe('string');
      const exit = await child.stop();
      expect(exit.code).toBe(0);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nThe process's last lines:\n${child.transcript(40)}`, { cause: error });
    } finally {
      await closeTestDb(db);
    }
  });
});

describe('a PostgreSQL server that is not up when sendbot starts', () => {
  afterAll(async () => {
    await killAllChildren();
  });

  it('is waited for, with a JSON log line every 5 seconds naming the server and never the password', { timeout: 30_000 }, async () => {
    // A port nothing listens on: taken, then let go.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const child = startChild({
      args: ['src/main.ts'],
      env: { DATABASE_URL: `postgres://sendbot:s3cret-pw@127.0.0.1:${port}/sendbot`, DATABASE_PATH: undefined, SLACK_BOT_TOKEN: 'xoxb-waiting', SLACK_SIGNING_SECRET: 'waiting-secret', PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'never' },
    });
    const first = await child.waitForLine((l) => l.json?.attempt === 1, 20_000);
    child.kill('SIGKILL');
    await child.exit;
    expect(first.stream).toBe('stdout');
    expect(first.json).toMatchObject({ level: 40, attempt: 1, retryInSeconds: 5 });
    expect(String(first.json?.msg)).toContain(`127.0.0.1:${port}/sendbot`);
    expect(String(first.json?.msg)).toContain('Trying again in 5 seconds (attempt 1).');
    expect(child.lines.map((l) => l.raw).join('\n')).not.toContain('s3cret-pw');
  });
});

describe.runIf(onPostgresRun())('the health probe while every pooled connection is busy', () => {
  it('answers "busy" with the reason instead of waiting for a connection as long as the connect timeout', { timeout: 30_000 }, async () => {
    const { db, path: url } = await demoPlanDb();
    const small = await openStore(url, { poolSize: 1, connectTimeoutMs: 10_000 });
    try {
      // The only connection is held by a long transaction (a long lock elsewhere does the same).
      let release!: () => void;
      const held = inTransaction(small, () => new Promise<void>((resolve) => (release = resolve)));
      await sleep(100);
      const probe = await probeDatabaseWrite(small);
      release();
      await held;
      expect(probe).toMatchObject({ ok: false, failure: 'busy' });
      expect(probe.ok ? '' : probe.reason).toContain('did not answer within 2 s (every connection busy behind a long lock, DATABASE_POOL_SIZE too small, or the server not answering)');
      expect(await probeDatabaseWrite(small)).toEqual({ ok: true });
    } finally {
      await closeDatabase(small);
      await closeTestDb(db);
    }
  });
});
