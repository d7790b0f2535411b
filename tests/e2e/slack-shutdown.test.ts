// Stopping the Slack app (a redeploy's SIGTERM) with acknowledged commands about: what has started
// finishes before stop() returns, so it never runs on a closed database and the person is never told
// "Sorry, that failed"; what has not started is left in the durable inbox, replayable at once, and
// the next start (or another instance's sweep) carries it out exactly once.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/slack-app.js';
import type { Db } from '../../src/store/database.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { postSlashCommand } from '../helpers/slack-requests.js';
import { closeTestDb, rows, sql } from '../helpers/test-db.js';

const SECRET = 'shutdown-signing-secret';
const NOW = '2024-11-18T10:00';
const MORGAN = 'U0DEMO03'; // Head of SEND: owns ND-1.1

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('stopping the Slack app with acknowledged commands', () => {
  let api: SlackApiServer;
  let db: Db;
  let http: HttpServer;
  let baseUrl: string;
  let logs: string[];

  const startApp = async (): Promise<SlackApp> => {
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
    return await createSlackApp({ db, clock: fixedClock(NOW), config: { botToken: 'xoxb-shutdown', signingSecret: SECRET, apiUrl: api.apiUrl }, logger });
  };

  beforeAll(async () => {
    api = await startSlackApiServer({ token: 'xoxb-shutdown' });
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    api.reset();
    logs = [];
    ({ db } = await demoPlanDb());
    http = createHttpServer({ db, logger: pino({ level: 'silent' }) });
  });
  afterEach(async () => {
    await http.close();
    await closeTestDb(db);
  });

  const slash = (text: string) => postSlashCommand(baseUrl, SECRET, { text, user_id: MORGAN, response_url: api.responseUrl() });

  it('waits for a command already running (its answer still on the way) before it returns', async () => {
    const slack = await startApp();
    await slack.start(http);
    ({ url: baseUrl } = await http.listen(0, '127.0.0.1'));
    await slack.replayed;
    // Slack is slow to take the answer: the command's work is still running when the app stops.
    api.failNext('response_url', [{ status: 200, delayMs: 400 }]);
    expect((await slash('update ND-1.1 amber Contract signed late')).status).toBe(200);
    const posting = await until('the answer to be on its way', async () => api.callsTo('response_url')[0]);
    expect(posting.response.status).toBe(0);

    await slack.stop();

    // By the time stop() returned the answer had been delivered, so closing the database now is safe.
    expect(posting.response.status).toBe(200);
    expect(String(posting.body.text)).toContain('Update recorded for ND-1.1');
    expect(await rows(db, sql`select note from updates where note = 'Contract signed late'`)).toHaveLength(1);
    expect(await rows(db, sql`select id from slack_inbox`)).toEqual([]);
    expect(logs.join('\n')).not.toContain('Sorry');
  });

  it('leaves a command acknowledged while stopping to the next start, which carries it out once', async () => {
    const first = await startApp();
    await first.start(http);
    ({ url: baseUrl } = await http.listen(0, '127.0.0.1'));
    await first.replayed;
    await first.stop();

    // The load balancer still sends this instance a request while it stops: acknowledged and stored.
    expect((await slash('update ND-1.1 green Finished over the weekend')).status).toBe(200);
    const left = await until('the row to be left for a replay', async () => {
      const [row] = (await rows(db, sql`select state, lease_until as "leaseUntil", body from slack_inbox`)) as { state: string; leaseUntil: number | null; body: string }[];
      return row && row.leaseUntil === null ? row : undefined;
    });
    // Pending, replayable at once, with what the person typed; nothing done and nothing said.
    expect(left.state).toBe('pending');
    expect(JSON.parse(left.body)).toMatchObject({ text: 'update ND-1.1 green Finished over the weekend', user_id: MORGAN });
    expect(await rows(db, sql`select id from updates where note = 'Finished over the weekend'`)).toEqual([]);
    expect(api.callsTo('response_url')).toEqual([]);

    // The next start's sweep takes it at once (its lease was released) and answers the person.
    const second = await startApp();
    const restarted = createHttpServer({ db, logger: pino({ level: 'silent' }) });
    await second.start(restarted);
    try {
      expect(await second.replayed).toBe(1);
      const [answer] = await api.waitForCalls('response_url', 1, 3000);
      expect(String(answer?.body.text)).toContain('Update recorded for ND-1.1');
      expect(await rows(db, sql`select id from updates where note = 'Finished over the weekend'`)).toHaveLength(1);
      expect(await rows(db, sql`select id from slack_inbox`)).toEqual([]);
    } finally {
      await second.stop();
      await restarted.close();
    }
    expect(api.callsTo('response_url')).toHaveLength(1);
  });
});
