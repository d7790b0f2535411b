// `dashboard` typed to the real Teams bot (botbuilder's CloudAdapter over HTTP, replies to a
// loopback Bot Framework connector), with the dashboard served by the same HTTP server: the chair's
// reply card carries an Action.OpenUrl whose link opens the board's dashboard.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { DashboardLinkSettings } from '../../src/commands/types.js';
import { mountDashboardRoutes } from '../../src/http/dashboard-routes.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createTeamsBot, mountTeamsMessages } from '../../src/platforms/teams/teams-app.js';
import type { AdaptiveCard } from '../../src/render/adaptive-card.js';
import { closeDatabase, type Db } from '../../src/store/database.js';
import { type BotConnectorServer, startBotConnectorServer } from '../helpers/bot-connector-server.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { channelMessage, personalMessage, postActivity, type TeamsUser } from '../helpers/teams-activities.js';

const NOW = '2024-11-27T09:00';
const ELAINE: TeamsUser = { id: '29:demo-21', aadObjectId: 'aad-demo-21', name: 'Elaine Demoster' }; // chairs the SEND Partnership Board

let connector: BotConnectorServer;
let db: Db;
let http: HttpServer;
let baseUrl: string;
const links: DashboardLinkSettings = { baseUrl: null, secret: 'teams-e2e-dashboard-secret-0123456789', linkDays: 7 };

beforeAll(async () => {
  connector = await startBotConnectorServer();
  ({ db } = await demoPlanDb());
  const logger = pino({ level: 'silent' });
  const clock = fixedClock(NOW);
  http = createHttpServer({ db, logger });
  mountDashboardRoutes(http, { db, clock, secret: links.secret, publishedView: false, logger });
  mountTeamsMessages(http, createTeamsBot({ db, clock, config: { appType: 'MultiTenant', allowUnauthenticated: true }, logger, dashboard: links }));
  ({ url: baseUrl } = await http.listen(0, '127.0.0.1'));
  links.baseUrl = baseUrl;
});
afterAll(async () => {
  await http?.close();
  await connector?.close();
  if (db) await closeDatabase(db);
});

describe('dashboard in Teams', () => {
  it('replies to the chair with an Open the dashboard button whose link opens the board', async () => {
    const res = await postActivity(baseUrl, personalMessage({ serviceUrl: connector.url, user: ELAINE, text: 'dashboard' }));
    expect(res.status).toBe(200);
    const reply = connector.requests.find((r) => r.route === 'sendToConversation' || r.route === 'replyToActivity');
    const cards = ((reply?.body as { attachments?: { content: AdaptiveCard }[] }).attachments ?? []).map((a) => a.content);
    const open = cards.flatMap((c) => c.body).find((e) => e.type === 'ActionSet');
    expect(open).toMatchObject({ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: 'Open the dashboard' }] });
    const url = (open as { actions: { url: string }[] }).actions[0]?.url as string;
    expect(url).toMatch(new RegExp(`^${baseUrl}/board/send-partnership-board\\?exp=\\d+&sig=[\\w-]+$`));
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>SEND Partnership Board: dashboard</h1>');
  });

  it('never posts the link into a channel, where everyone could open it', async () => {
    const before = connector.requests.length;
    const res = await postActivity(baseUrl, channelMessage({ serviceUrl: connector.url, user: ELAINE, text: 'dashboard', mention: true }));
    expect(res.status).toBe(200);
    const sent = connector.requests.slice(before).filter((r) => r.route === 'sendToConversation' || r.route === 'replyToActivity');
    expect(sent).toHaveLength(1);
    const body = JSON.stringify(sent[0]?.body);
    expect(body).not.toContain('/board/');
    expect(body).not.toContain('sig=');
    expect(body).toContain('1:1 chat');
  });
});
