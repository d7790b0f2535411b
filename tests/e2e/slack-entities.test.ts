// Slack escapes &, < and > in slash-command text (&amp; &lt; &gt;). Through the real Bolt app over
// HTTP: the note stored is what the person typed, and the reply sent back is escaped once, as Slack
// requires — never "&amp;lt;".
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/slack-app.js';
import type { Db } from '../../src/store/database.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { postSlashCommand } from '../helpers/slack-requests.js';
import { closeTestDb, one, sql } from '../helpers/test-db.js';

const SIGNING = 'entities-signing-secret';
const MORGAN = 'U0DEMO03'; // owns ND-1.1

let api: SlackApiServer;
let db: Db;
let http: HttpServer;
let slack: SlackApp;
let url: string;

beforeAll(async () => {
  api = await startSlackApiServer({ token: 'xoxb-entities' });
  ({ db } = await demoPlanDb());
  const logger = pino({ level: 'silent' });
  http = createHttpServer({ db, logger });
  slack = await createSlackApp({ db, clock: fixedClock('2024-11-18T10:00'), config: { botToken: 'xoxb-entities', signingSecret: SIGNING, apiUrl: api.apiUrl }, logger });
  await slack.start(http);
  ({ url } = await http.listen(0, '127.0.0.1'));
});
afterAll(async () => {
  await slack?.stop();
  await http?.close();
  await api?.close();
  if (db) await closeTestDb(db);
});

describe('slash-command text as Slack sends it', () => {
  it('stores what the person typed, and escapes it once in the reply', async () => {
    // The person typed: A&E waits < 18 weeks -> target; "&lt;" is how HTML writes <
    const asSent = 'update ND-1.1 amber A&amp;E waits &lt; 18 weeks -&gt; target; "&amp;lt;" is how HTML writes &lt;';
    api.reset();
    const ack = await postSlashCommand(url, SIGNING, { text: asSent, user_id: MORGAN, response_url: api.responseUrl() });
    expect(ack.status).toBe(200);
    const [reply] = await api.waitForCalls('response_url', 1, 5000);
    const note = (await one(db, sql`select note, raw_text from updates order by id desc limit 1`) as { note: string; raw_text: string }).note;
    expect(note).toBe('A&E waits < 18 weeks -> target; "&lt;" is how HTML writes <');
    const shown = JSON.stringify(reply?.body);
    expect(shown).toContain('A&amp;E waits &lt; 18 weeks -&gt; target');
    expect(shown).not.toContain('&amp;amp;');
    expect(shown).not.toContain('&amp;lt; 18');
  });
});
