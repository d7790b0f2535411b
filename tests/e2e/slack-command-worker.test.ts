// The Slack app with `/send` work in the command worker (SLACK_COMMAND_WORKER, the service's default):
// signed requests over HTTP to the real Bolt app, the work done in a worker thread on its own
// connection to the same database file, replies through the fake Slack's response_url. What must hold
// whichever thread does the work: the reply, the update stored exactly once, the durable inbox
// replayed after a crash, the "Sorry, that failed" path, and a stop that drains the worker.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/slack-app.js';
import type { Db } from '../../src/store/database.js';
import { addToInbox } from '../../src/store/slack-inbox-repository.js';
import { pino } from 'pino';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { postSlashCommand, slashCommandBody } from '../helpers/slack-requests.js';
import { closeTestDb, rows, run, sql } from '../helpers/test-db.js';

const SECRET = 'worker-signing-secret';
const NOW = '2024-11-18T10:00';
const MORGAN = 'U0DEMO03'; // Head of SEND: owns ND-1.1

describe('Slack /send with the command worker', () => {
  let api: SlackApiServer;
  let db: Db;
  let path: string;
  let http: HttpServer;
  let slack: SlackApp | undefined;
  let baseUrl: string;
  let logs: string[];

  beforeAll(async () => {
    api = await startSlackApiServer({ token: 'xoxb-worker' });
  });
  afterAll(async () => {
    await api.close();
  });

  /** Starts the app on `db` with the worker (as src/main.ts does for a database file). */
  const startApp = async (): Promise<SlackApp> => {
    logs = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
    http = createHttpServer({ db, logger });
    const app = await createSlackApp({
      db,
      clock: fixedClock(NOW),
      config: { botToken: 'xoxb-worker', signingSecret: SECRET, apiUrl: api.apiUrl },
      logger,
      commandWorker: { databasePath: path },
    });
    await app.start(http);
    ({ url: baseUrl } = await http.listen(0, '127.0.0.1'));
    return app;
  };

  beforeEach(async () => {
    api.reset();
    ({ db, path } = await demoPlanDb());
  });
  afterEach(async () => {
    await slack?.stop();
    slack = undefined;
    await http.close();
    await closeTestDb(db);
  });

  const slash = (userId: string, text: string) => postSlashCommand(baseUrl, SECRET, { text, user_id: userId, response_url: api.responseUrl() });

  it('answers through the response_url and stores an update exactly once, the work done in the worker', async () => {
    slack = await startApp();
    expect(slack.commandsRunOn).toBe('worker');
    const res = await slash(MORGAN, 'update ND-1.1 amber Worker thread check');
    expect(res.status).toBe(200);
    const [answer] = await api.waitForCalls('response_url', 1, 5000);
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer?.body.text)).toContain('Update recorded for ND-1.1');
    // Written by the worker's connection, read here through the main one.
    expect(await rows(db, sql`select note, platform from updates where note = 'Worker thread check'`)).toEqual([{ note: 'Worker thread check', platform: 'slack' }]);
    // The inbox row was claimed in the worker's transaction; nothing is left to replay.
    expect(await rows(db, sql`select state from slack_inbox`)).toEqual([]);
  });

  it('replays, through the worker, a command acknowledged before a crash, and carries it out once', async () => {
    // What a crash between the acknowledgement and the work leaves behind: a pending inbox row.
    const body = slashCommandBody({ text: 'update ND-1.1 green replayed by the worker', user_id: MORGAN, response_url: api.responseUrl() });
    await addToInbox(db, '2024-11-18T09:59:00.000Z', JSON.stringify(body));
    slack = await startApp();
    expect(await slack.replayed).toBe(1);
    const [answer] = await api.waitForCalls('response_url', 1, 5000);
    expect(String(answer?.body.text)).toContain('Update recorded for ND-1.1');
    expect(await rows(db, sql`select note from updates where note = 'replayed by the worker'`)).toHaveLength(1);
    expect(await rows(db, sql`select state from slack_inbox`)).toEqual([]);
  });

  it('tells the person plainly when the work fails in the worker, logs it, and keeps what they sent', async () => {
    slack = await startApp();
    // Every query on actions now fails, on the worker's connection too: an unexpected failure.
    await run(db, sql`alter table actions rename to actions_gone`);
    await slash(MORGAN, 'mine');
    const [answer] = await api.waitForCalls('response_url', 1, 5000);
    expect(String(answer?.body.text)).toContain('Sorry, that failed — the programme team has been told.');
    const logged = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === '/send failed');
    expect(logged).toMatchObject({ level: 50, slackUserId: MORGAN, textLength: 4 });
    expect((logged?.err as { message?: string }).message).toContain('actions');
    const kept = (await rows(db, sql`select state, body from slack_inbox`)) as { state: string; body: string }[];
    expect(kept.map((k) => k.state)).toEqual(['failed']);
    expect(JSON.parse(kept[0]?.body ?? '{}')).toMatchObject({ text: 'mine', user_id: MORGAN });
  });

  it('stops by draining: commands already acknowledged are answered, later ones run on the main thread', async () => {
    slack = await startApp();
    const sent = ['update ND-1.1 amber drain one', 'update ND-1.1 amber drain two', 'who ND-1.1'].map((text) => slash(MORGAN, text));
    await Promise.all(sent);
    await slack.stop();
    expect(slack.commandsRunOn).toBe('main thread');
    const answers = await api.waitForCalls('response_url', 3, 5000);
    expect(answers).toHaveLength(3);
    expect(await rows(db, sql`select note from updates where note like 'drain %' order by id`)).toEqual([{ note: 'drain one' }, { note: 'drain two' }]);
    // After the stop the app still answers (on the main thread) until its server closes.
    await slash(MORGAN, 'update ND-1.1 amber after the stop');
    await api.waitForCalls('response_url', 4, 5000);
    expect(await rows(db, sql`select note from updates where note = 'after the stop'`)).toHaveLength(1);
  });
});
