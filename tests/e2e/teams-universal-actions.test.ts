// Teams Universal Actions over HTTP to the real botbuilder CloudAdapter: Action.Execute invokes
// (`adaptiveCard/action`) in the shape Teams sends them, answered in the HTTP response with the card
// that replaces the one pressed; the same invoke carrying Action.Submit data; unknown verbs and
// unknown invokes (200 and a plain message); older Action.Submit message submits still working; and
// message size measured as Microsoft does (UTF-16 over the whole activity) with a history of long notes.
// Every card is checked against the official Adaptive Cards 1.5 schema.
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createTeamsBot, mountTeamsMessages } from '../../src/platforms/teams/teams-app.js';
import { type AdaptiveCard, CARD_BUDGET, TEAMS_MESSAGE_LIMIT, utf16Size } from '../../src/render/adaptive-card.js';
import type { Db } from '../../src/store/database.js';
import { adaptiveCardSchemaErrors } from '../helpers/adaptive-card-schema.js';
import { type BotConnectorServer, type RecordedRequest, startBotConnectorServer } from '../helpers/bot-connector-server.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { cardSubmit, invokeActivity, personalMessage, postActivity, type TeamsUser } from '../helpers/teams-activities.js';
import { closeTestDb, one, sql } from '../helpers/test-db.js';

const NOW = '2024-11-18T10:42';
const MORGAN: TeamsUser = { id: '29:demo-03', aadObjectId: 'aad-demo-03', name: 'Morgan Demo' }; // owns ND-1.1
const LEAH: TeamsUser = { id: '29:demo-12', aadObjectId: 'aad-demo-12', name: 'Leah Testbury' }; // not an owner of ND-1.1

interface InvokeBody {
  statusCode: number;
  type: string;
  value: unknown;
}

const updatesCount = async (db: Db): Promise<number> => (await one(db, sql`select count(*) as n from updates`) as { n: number }).n;
const lastUpdate = async (db: Db) => await one(db, sql`select * from updates order by id desc limit 1`) as { kind: string; status: string | null; note: string | null; platform: string };

function cardsOf(request: RecordedRequest): AdaptiveCard[] {
  const body = request.body as { attachments?: { content: AdaptiveCard }[] };
  return (body.attachments ?? []).map((a) => a.content);
}

describe('Teams Universal Actions (adaptiveCard/action)', () => {
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
    mountTeamsMessages(http, createTeamsBot({ db, clock: fixedClock(NOW), config: { appType: 'MultiTenant', allowUnauthenticated: true }, logger }));
    ({ url } = await http.listen(0, '127.0.0.1'));
  });
  afterEach(async () => {
    await http.close();
    await closeTestDb(db);
  });

  /** What Teams sends for Action.Execute: the verb and the data merged with the card's inputs. */
  const execute = (user: TeamsUser, verb: string, data: Record<string, unknown>, type = 'Action.Execute') =>
    postActivity(url, invokeActivity({ serviceUrl: connector.url, user, name: 'adaptiveCard/action', value: { action: { type, id: 'a1', verb, data }, trigger: 'manual' }, replyToId: '1733300000001' }));

  const cardIn = (res: { status: number; body: unknown }): AdaptiveCard => {
    expect(res.status).toBe(200);
    const body = res.body as InvokeBody;
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const card = body.value as AdaptiveCard;
    expect(adaptiveCardSchemaErrors(card)).toEqual([]);
    return card;
  };

  it('an update from the form is stored and the card is replaced in place: "Updated by <name>, <time>"', async () => {
    const before = await updatesCount(db);
    const card = cardIn(await execute(MORGAN, 'update_form', { sendbot: 'update_form', action: 'ND-1.1', status: 'amber', percent: '60', note: 'Pilot extended' }));
    expect(await updatesCount(db)).toBe(before + 1);
    expect(await lastUpdate(db)).toMatchObject({ kind: 'update', status: 'amber', note: 'Pilot extended', platform: 'teams' });
    expect(JSON.stringify(card)).toContain('ND-1.1');
    expect(card.body.at(-1)).toMatchObject({ type: 'TextBlock', text: 'Updated by Morgan Demo, 10:42' });
    // In place: nothing new was posted into the conversation.
    expect(connector.requests.filter((r) => r.route === 'sendToConversation' || r.route === 'replyToActivity')).toEqual([]);
  });

  it("a nudge's No change button records it and updates the card in place", async () => {
    const card = cardIn(await execute(MORGAN, 'button', { sendbot: 'button', id: 'no_change', value: 'ND-1.1' }));
    expect(await lastUpdate(db)).toMatchObject({ kind: 'no_change', platform: 'teams' });
    expect(card.body.at(-1)).toMatchObject({ text: 'Updated by Morgan Demo, 10:42' });
  });

  it('a form with a mistake comes back as the form, with the error under its field, and nothing is stored', async () => {
    const before = await updatesCount(db);
    const card = cardIn(await execute(MORGAN, 'update_form', { sendbot: 'update_form', action: 'ND-1.1', status: 'amber', percent: '150', note: 'Too keen' }));
    expect(await updatesCount(db)).toBe(before);
    expect(JSON.stringify(card)).toMatch(/percent/i);
    expect(card.actions?.map((a) => a.type)).toEqual(['Action.Execute', 'Action.Execute']);
  });

  it('someone who may not update the action is refused in the card, and nothing is stored', async () => {
    const before = await updatesCount(db);
    const card = cardIn(await execute(LEAH, 'update_form', { sendbot: 'update_form', action: 'ND-1.1', status: 'red', note: 'not mine' }));
    expect(await updatesCount(db)).toBe(before);
    expect(JSON.stringify(card)).not.toContain('Updated by');
  });

  it('an adaptiveCard/action invoke carrying Action.Submit data (an older card) is read the same way', async () => {
    const card = cardIn(await execute(MORGAN, '', { sendbot: 'no_change', action: 'ND-1.1' }, 'Action.Submit'));
    expect(await lastUpdate(db)).toMatchObject({ kind: 'no_change' });
    expect(card.body.at(-1)).toMatchObject({ text: 'Updated by Morgan Demo, 10:42' });
  });

  it('an unknown verb (an old button, another app) gets 200 and a plain message; nothing changes', async () => {
    const before = await updatesCount(db);
    const res = await execute(MORGAN, 'approveExpense', { expense: 42 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'That button no longer does anything. Nothing was changed; type "help" to see what I can do.',
    });
    expect(await updatesCount(db)).toBe(before);
  });

  it.each(['composeExtension/query', 'task/fetch', 'actionableMessage/executeAction', 'something/new'])('an invoke sendbot does not handle (%s) gets 200 and a plain message', async (name) => {
    const res = await postActivity(url, invokeActivity({ serviceUrl: connector.url, user: MORGAN, name, value: { commandId: 'x' } }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect((res.body as InvokeBody).value).toMatch(/^That is not something sendbot can do\. Nothing was changed/);
  });

  it('an Action.Submit from an older card (a message with a value) still works', async () => {
    const res = await postActivity(url, cardSubmit({ serviceUrl: connector.url, user: MORGAN, value: { sendbot: 'no_change', action: 'ND-1.1' }, replyToId: '1733300000001' }));
    expect(res.status).toBe(200);
    expect(await lastUpdate(db)).toMatchObject({ kind: 'no_change' });
    const sent = connector.requests.filter((r) => r.route === 'replyToActivity' || r.route === 'sendToConversation');
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) for (const card of cardsOf(r)) expect(adaptiveCardSchemaErrors(card)).toEqual([]);
  });

  it('a history of long notes goes out in messages that stay well under 80 KB as Microsoft measures them (UTF-16, whole activity)', async () => {
    // 30 updates with notes near the 3,000-character cap, with accents and emoji (two UTF-16 units each).
    for (let i = 0; i < 30; i++) {
      const note = `Update ${i}: clinic capacity réviewed with partners 🙂 `.repeat(60).slice(0, 2_900).trim();
      const res = await postActivity(url, personalMessage({ serviceUrl: connector.url, user: MORGAN, text: `update ND-1.1 amber ${i}% ${note}` }));
      expect(res.status).toBe(200);
    }
    connector.reset();
    await postActivity(url, personalMessage({ serviceUrl: connector.url, user: MORGAN, text: 'history ND-1.1' }));
    const sent = connector.requests.filter((r) => r.route === 'replyToActivity' || r.route === 'sendToConversation');
    expect(sent.length).toBeGreaterThan(1);
    const sizes = sent.map((r) => utf16Size(r.body));
    console.info(`history of 30 long notes: ${sent.length} messages, UTF-16 sizes ${sizes.map((s) => `${(s / 1024).toFixed(1)} KB`).join(', ')}`);
    for (const r of sent) {
      expect(utf16Size(r.body)).toBeLessThan(TEAMS_MESSAGE_LIMIT - 16 * 1024);
      for (const card of cardsOf(r)) {
        expect(utf16Size(card)).toBeLessThanOrEqual(CARD_BUDGET);
        expect(adaptiveCardSchemaErrors(card)).toEqual([]);
      }
    }
    // At the limit: the full parts are filled close to the budget, not split early.
    expect(Math.max(...sent.map((r) => utf16Size(cardsOf(r)[0])))).toBeGreaterThan(CARD_BUDGET * 0.8);
    // Every note is there, once.
    const all = JSON.stringify(sent.flatMap(cardsOf));
    for (let i = 0; i < 30; i++) expect(all).toContain(`Update ${i}: clinic`);
  });
});
