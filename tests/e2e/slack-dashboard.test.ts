// `/send dashboard` through the real Bolt app over HTTP, with the dashboard served by the same
// server: the chair's signed slash command gets a private reply with a URL button, the link opens
// the board's dashboard, and clicking the button (Slack still sends the click) is acknowledged and
// does nothing else.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { DashboardLinkSettings } from '../../src/commands/types.js';
import { mountDashboardRoutes } from '../../src/http/dashboard-routes.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/slack-app.js';
import { ACTION_IDS } from '../../src/render/block-kit.js';
import { closeDatabase, type Db } from '../../src/store/database.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { blockActionPayload, postInteraction, postSlashCommand } from '../helpers/slack-requests.js';

const SIGNING = 'dashboard-e2e-signing-secret';
const NOW = '2024-11-27T09:00';
const ELAINE = 'U0DEMO21'; // Director of Children's Services: chairs the SEND Partnership Board
const MORGAN = 'U0DEMO03'; // Head of SEND: an accountable lead, no chair

let api: SlackApiServer;
let db: Db;
let http: HttpServer;
let slack: SlackApp;
let baseUrl: string;
const links: DashboardLinkSettings = { baseUrl: null, secret: 'slack-e2e-dashboard-secret-0123456789', linkDays: 7 };

beforeAll(async () => {
  api = await startSlackApiServer({ token: 'xoxb-e2e' });
  ({ db } = await demoPlanDb());
  const logger = pino({ level: 'silent' });
  const clock = fixedClock(NOW);
  http = createHttpServer({ db, logger });
  mountDashboardRoutes(http, { db, clock, secret: links.secret, publishedView: false, logger });
  slack = await createSlackApp({ db, clock, config: { botToken: 'xoxb-e2e', signingSecret: SIGNING, apiUrl: api.apiUrl }, logger, dashboard: links });
  await slack.start(http);
  ({ url: baseUrl } = await http.listen(0, '127.0.0.1'));
  // The address is known once the server listens; links made after this point use it.
  links.baseUrl = baseUrl;
});
afterAll(async () => {
  await slack?.stop();
  await http?.close();
  await api?.close();
  if (db) await closeDatabase(db);
});

describe('/send dashboard in Slack', () => {
  it('answers the chair privately with a URL button whose link opens the dashboard; the click is only acknowledged', async () => {
    api.reset();
    const res = await postSlashCommand(baseUrl, SIGNING, { text: 'dashboard', user_id: ELAINE, response_url: api.responseUrl() });
    expect(res.status).toBe(200);
    const [answer] = await api.waitForCalls('response_url', 1, 5000);
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer?.body.text)).toBe('SEND Partnership Board: dashboard link (works until Wed 4 Dec 2024, 09:00)');
    const blocks = answer?.body.blocks as { type: string; elements?: { type: string; action_id: string; url?: string; text: { text: string } }[] }[];
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === `${ACTION_IDS.linkPrefix}0`);
    expect(button?.text.text).toBe('Open the dashboard');
    expect(button?.url).toMatch(new RegExp(`^${baseUrl}/board/send-partnership-board\\?exp=\\d+&sig=[\\w-]+$`));

    const page = await fetch(button?.url as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>SEND Partnership Board: dashboard</h1>');

    const click = await postInteraction(baseUrl, SIGNING, blockActionPayload({ userId: ELAINE, actionId: `${ACTION_IDS.linkPrefix}0`, value: '', responseUrl: api.responseUrl() }));
    expect(click.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.calls.filter((c) => c.method === 'response_url')).toHaveLength(1);
  });

  it('refuses an accountable lead, naming who can', async () => {
    api.reset();
    await postSlashCommand(baseUrl, SIGNING, { text: 'dashboard SEND Partnership Board', user_id: MORGAN, response_url: api.responseUrl() });
    const [answer] = await api.waitForCalls('response_url', 1, 5000);
    expect(String(answer?.body.text)).toContain('Only board chairs and programme officers can use dashboard.');
    expect(JSON.stringify(answer?.body.blocks ?? [])).not.toContain('/board/');
  });
});
