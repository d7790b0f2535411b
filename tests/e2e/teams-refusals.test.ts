// Teams activities that must be refused whole, through the real botbuilder CloudAdapter over HTTP:
// one that names two different tenants, and a card submit whose fields have the wrong types (a
// note that is an object) — the form comes back with the fields marked, and nothing is stored.
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createTeamsBot, mountTeamsMessages } from '../../src/platforms/teams/teams-app.js';
import { closeDatabase, type Db } from '../../src/store/database.js';
import { type BotConnectorServer, startBotConnectorServer } from '../helpers/bot-connector-server.js';
import { dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';
import { cardSubmit, personalMessage, postActivity, TENANT_ID, type TeamsUser } from '../helpers/teams-activities.js';

const MORGAN: TeamsUser = { id: '29:demo-03', aadObjectId: 'aad-demo-03', name: 'Morgan Demo' };

let connector: BotConnectorServer;
let db: Db;
let http: HttpServer;
let url: string;

beforeAll(async () => {
  connector = await startBotConnectorServer();
});
afterAll(async () => {
  await connector.close();
});
beforeEach(async () => {
  connector.reset();
  ({ db } = await demoPlanDb());
  const logger = pino({ level: 'silent' });
  http = createHttpServer({ db, logger });
  mountTeamsMessages(http, createTeamsBot({ db, clock: fixedClock('2024-11-18T10:00'), config: { appType: 'MultiTenant', allowUnauthenticated: true }, logger }));
  ({ url } = await http.listen(0, '127.0.0.1'));
});
afterEach(async () => {
  await http.close();
  await closeDatabase(db);
});

const sent = () => connector.requests.filter((r) => r.route === 'sendToConversation' || r.route === 'replyToActivity');

describe('an activity naming two tenants', () => {
  it('is refused (403) before anything runs, while the same activity with one tenant is answered', async () => {
    const before = await dbFingerprint(db);
    const message = personalMessage({ serviceUrl: connector.url, user: MORGAN, text: 'update ND-1.1 amber forged' });
    const forged = { ...message, channelData: { ...(message.channelData as object), tenant: { id: '00000000-aaaa-4bbb-8ccc-000000000000' } } };
    const refused = await postActivity(url, forged);
    expect(refused.status).toBe(403);
    expect(await dbFingerprint(db)).toBe(before);
    expect(sent()).toHaveLength(0);
    expect((message.conversation as { tenantId: string }).tenantId).toBe(TENANT_ID);
    const genuine = await postActivity(url, personalMessage({ serviceUrl: connector.url, user: MORGAN, text: 'mine' }));
    expect(genuine.status).toBe(200);
    expect(sent().length).toBeGreaterThan(0);
  });
});

describe('a card submit with fields of the wrong type', () => {
  it.each([
    ['note', { note: { text: 'hidden' } }],
    ['percent', { percent: ['60'] }],
    ['status', { status: { value: 'amber' } }],
  ])('(%s) gets the form back with that field marked, and stores nothing', async (field, wrong) => {
    const before = await dbFingerprint(db);
    const res = await postActivity(url, cardSubmit({ serviceUrl: connector.url, user: MORGAN, value: { sendbot: 'update_form', action: 'ND-1.1', status: 'amber', percent: '60', note: 'ok', ...wrong }, replyToId: '1733300000001' }));
    expect(res.status).toBe(200);
    expect(await dbFingerprint(db)).toBe(before);
    const [reply] = sent();
    const body = JSON.stringify(reply?.body);
    expect(body).toContain(`"id":"${field}_error"`);
    expect(body).toContain('This field must be text; fill it in again and resend the form.');
  });
});
