// The real Bolt app over HTTP holds a slash command's acknowledgement while too many acknowledged
// commands are still being worked on, so replies do not queue behind acknowledgements (ack-pacing.ts),
// and lets it go after the longest wait however slow the work is.
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/slack-app.js';
import type { Db } from '../../src/store/database.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { postSlashCommand } from '../helpers/slack-requests.js';
import { closeTestDb } from '../helpers/test-db.js';

const SECRET = 'pacing-signing-secret';
const MORGAN = 'U0DEMO03';

describe('slash-command acknowledgements paced to the work', () => {
  let api: SlackApiServer;
  let db: Db;
  let http: HttpServer;
  let slack: SlackApp;

  beforeAll(async () => {
    api = await startSlackApiServer({ token: 'xoxb-pacing' });
  });
  afterAll(async () => {
    await api.close();
  });
  afterEach(async () => {
    await slack.stop();
    await http.close();
    await closeTestDb(db);
  });

  const start = async (maxWaitMs: number): Promise<string> => {
    api.reset();
    ({ db } = await demoPlanDb());
    http = createHttpServer({ db, logger: pino({ level: 'silent' }) });
    slack = await createSlackApp({
      db,
      clock: fixedClock('2024-11-18T10:00'),
      config: { botToken: 'xoxb-pacing', signingSecret: SECRET, apiUrl: api.apiUrl },
      logger: pino({ level: 'silent' }),
      ackPacing: { maxBacklog: 1, maxHeld: 4, maxWaitMs },
    });
    await slack.start(http);
    const { url } = await http.listen(0, '127.0.0.1');
    await slack.replayed;
    return url;
  };

  it('acknowledges the next command once the one in work has answered', async () => {
    const url = await start(5000);
    // The first command's answer takes 300 ms to be accepted: its work is unfinished until then.
    api.failNext('response_url', [{ status: 200, delayMs: 300 }]);
    const events: string[] = [];
    const first = postSlashCommand(url, SECRET, { text: 'who ND-1.1', user_id: MORGAN, response_url: api.responseUrl('first') }).then(() => events.push('first acked'));
    await first;
    const second = postSlashCommand(url, SECRET, { text: 'who ND-1.2', user_id: MORGAN, response_url: api.responseUrl('second') }).then((res) => {
      events.push(`second acked (first answered: ${api.callsTo('response_url')[0]?.response.status === 200})`);
      return res;
    });
    expect((await second).status).toBe(200);
    await api.waitForCalls('response_url', 2, 5000);
    expect(events).toEqual(['first acked', 'second acked (first answered: true)']);
  });

  it('lets a held acknowledgement go after the longest wait, well inside Slack’s 3 seconds', async () => {
    const url = await start(200);
    // The first command's answer is held for 2 s: far longer than the acknowledgement may wait.
    api.failNext('response_url', [{ status: 200, delayMs: 2000 }]);
    expect((await postSlashCommand(url, SECRET, { text: 'who ND-1.1', user_id: MORGAN, response_url: api.responseUrl('slow') })).status).toBe(200);
    await api.waitForCalls('response_url', 1, 5000);
    const res = await postSlashCommand(url, SECRET, { text: 'who ND-1.2', user_id: MORGAN, response_url: api.responseUrl('next') });
    expect(res.status).toBe(200);
    // Acknowledged while the first answer was still on its way.
    expect(api.callsTo('response_url')[0]?.response.status).toBe(0);
    const answers = await api.waitForCalls('response_url', 2, 5000);
    expect(answers.map((a) => a.responseUrlId)).toEqual(['slow', 'next']);
  });
});
