// Every log line names its component once. pino appends a child's bindings to its parent's, so a
// component logger made from another component's (Bolt's inside Slack's) used to write
// `"component"` twice; tested on the raw lines of the real Slack app over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { componentLogger, createLogger } from '../../src/logger.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/slack-app.js';
import { closeDatabase, type Db } from '../../src/store/database.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { postSlashCommand } from '../helpers/slack-requests.js';

const SIGNING = 'component-field-signing-secret';
const lines: string[] = [];
const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
const componentsIn = (line: string) => [...line.matchAll(/"component":"([^"]*)"/g)].map((m) => m[1]);

let api: SlackApiServer;
let db: Db;
let http: HttpServer;
let slack: SlackApp;
let url: string;

beforeAll(async () => {
  api = await startSlackApiServer({ token: 'xoxb-component' });
  ({ db } = await demoPlanDb());
  http = createHttpServer({ db, logger });
  slack = await createSlackApp({ db, clock: fixedClock('2024-11-18T10:00'), config: { botToken: 'xoxb-component', signingSecret: SIGNING, apiUrl: api.apiUrl }, logger });
  await slack.start(http);
  ({ url } = await http.listen(0, '127.0.0.1'));
});
afterAll(async () => {
  await slack?.stop();
  await http?.close();
  await api?.close();
  if (db) await closeDatabase(db);
});

describe('log lines', () => {
  it('a component logger made from another replaces its component', () => {
    const before = lines.length;
    componentLogger(componentLogger(componentLogger(logger, 'slack'), 'bolt'), 'web-api').info({ id: 1 }, 'nested');
    const line = lines[before] as string;
    expect(componentsIn(line)).toEqual(['web-api']);
    expect(JSON.parse(line)).toMatchObject({ app: 'sendbot', component: 'web-api', id: 1, msg: 'nested' });
  });

  it('carry component once in everything the Slack app logs for a refused and an accepted request', async () => {
    const before = lines.length;
    await postSlashCommand(url, SIGNING, { text: 'help', user_id: 'U0DEMO03', team_id: 'T0ELSEWHERE', response_url: api.responseUrl() });
    await postSlashCommand(url, SIGNING, { text: 'help', user_id: 'U0DEMO03', response_url: api.responseUrl() });
    await api.waitForCalls('response_url', 1, 5000);
    const logged = lines.slice(before);
    expect(logged.some((l) => l.includes('refused a Slack request from another workspace'))).toBe(true);
    for (const line of logged) expect(componentsIn(line).length, line).toBeLessThanOrEqual(1);
    expect(logged.filter((l) => componentsIn(l).length === 1).length).toBeGreaterThan(0);
  });
});
