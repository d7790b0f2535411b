// Slack interactions sendbot has no listener for, and nudges for someone who holds many actions, over
// HTTP to the real Bolt app (signed as Slack signs) with a loopback stand-in for the Web API; and the
// same nudge through the real Teams adapter and a stand-in connector.
//
// - block_actions with an unknown action_id (an old message's button, another app's select menu): a
//   200 acknowledgement in the HTTP response itself (not Bolt's 404 after 3 s), then a plain sentence.
// - a nudge for someone with 93 actions: ONE message, most urgent first, "and 83 more", a button to
//   the full list, and for a chair one to the dashboard.
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { deliverDue } from '../../src/jobs/deliver.js';
import { runTick } from '../../src/jobs/tick.js';
import { RETIRED_BUTTON_TEXT } from '../../src/platforms/slack/listeners/actions/retired-button.js';
import { createSlackApp } from '../../src/platforms/slack/slack-app.js';
import { createTeamsBot, mountTeamsMessages } from '../../src/platforms/teams/teams-app.js';
import { createTeamsDelivery } from '../../src/platforms/teams/teams-delivery.js';
import { loadPlanFile } from '../../src/importers/load-plan-file.js';
import { parseInstant } from '../../src/clock.js';
import type { Db } from '../../src/store/database.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import type { AdaptiveCard } from '../../src/render/adaptive-card.js';
import { adaptiveCardSchemaErrors } from '../helpers/adaptive-card-schema.js';
import { type BotConnectorServer, startBotConnectorServer } from '../helpers/bot-connector-server.js';
import { dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { blockActionPayload, postInteraction } from '../helpers/slack-requests.js';
import { installationUpdate, postActivity } from '../helpers/teams-activities.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { closeTestDb, testDbAt } from '../helpers/test-db.js';

const SECRET = 'interactions-signing-secret';
const NOW = '2024-11-18T10:00';
const MORGAN = 'U0DEMO03';

describe('Slack: clicks sendbot has no listener for', () => {
  let api: SlackApiServer;
  let db: Db;
  let http: HttpServer;
  let baseUrl: string;
  let stopSlack: () => Promise<void>;

  beforeAll(async () => {
    api = await startSlackApiServer({ token: 'xoxb-int' });
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    api.reset();
    ({ db } = await demoPlanDb());
    const logger = pino({ level: 'silent' });
    http = createHttpServer({ db, logger });
    const slack = await createSlackApp({ db, clock: fixedClock(NOW), config: { botToken: 'xoxb-int', signingSecret: SECRET, apiUrl: api.apiUrl }, logger });
    await slack.start(http);
    ({ url: baseUrl } = await http.listen(0, '127.0.0.1'));
    stopSlack = () => slack.stop();
  });
  afterEach(async () => {
    await stopSlack();
    await http.close();
    await closeTestDb(db);
  });

  it('acknowledges a button whose action_id sendbot no longer has, and says plainly it does nothing', async () => {
    const before = await dbFingerprint(db);
    const res = await postInteraction(baseUrl, SECRET, blockActionPayload({ userId: MORGAN, actionId: 'send_nudge_snooze_v1', value: 'ND-1.1', responseUrl: api.responseUrl() }));
    expect(res.status).toBe(200);
    const [told] = await api.waitForCalls('response_url', 1, 3000);
    expect(told?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(told?.body.text)).toContain(RETIRED_BUTTON_TEXT);
    expect(await dbFingerprint(db)).toBe(before);
  });

  it("acknowledges another app's select menu the same way", async () => {
    const payload = blockActionPayload({ userId: MORGAN, actionId: 'other_app_pick', value: '', responseUrl: api.responseUrl() });
    (payload.actions as Record<string, unknown>[])[0] = {
      type: 'static_select',
      action_id: 'other_app_pick',
      block_id: 'x1',
      selected_option: { text: { type: 'plain_text', text: 'Blue' }, value: 'blue' },
      action_ts: '1700000002.000200',
    };
    const res = await postInteraction(baseUrl, SECRET, payload);
    expect(res.status).toBe(200);
    const [told] = await api.waitForCalls('response_url', 1, 3000);
    expect(String(told?.body.text)).toContain(RETIRED_BUTTON_TEXT);
  });

  it('a click in App Home (no response_url) is answered in a direct message', async () => {
    const payload = blockActionPayload({ userId: MORGAN, actionId: 'home_refresh_old', value: '' });
    delete payload.response_url;
    delete payload.message;
    delete payload.channel;
    payload.container = { type: 'view', view_id: 'V0HOME' };
    payload.view = { id: 'V0HOME', type: 'home', blocks: [], callback_id: '', hash: '1' };
    const res = await postInteraction(baseUrl, SECRET, payload);
    expect(res.status).toBe(200);
    const [dm] = await api.waitForCalls('chat.postMessage', 1, 3000);
    expect(dm?.body).toMatchObject({ channel: MORGAN, text: RETIRED_BUTTON_TEXT });
  });
});

/** A plan where one person leads 93 actions of a board they also chair. */
function bigPlan(): string {
  const actions = Array.from({ length: 93 }, (_, i) => {
    const due = i === 40 ? '31 Aug 24' : i === 7 ? '30 Sep 24' : '31 Mar 25';
    return `          - { text: "Deliver improvement ${i + 1} with partners", due: "${due}"${i === 12 ? ', status: red' : ''} }`;
  }).join('\n');
  return `
roles:
  - name: Head of SEND
  - name: Director of Children's Services
people:
  - { name: Sam Lead, email: sam@council.example, roles: [Head of SEND], slack_user_id: U0SAM, teams_user_id: "29:sam" }
  - { name: Chris Chair, email: chris@council.example, roles: [Director of Children's Services, Head of SEND], slack_user_id: U0CHRIS, teams_user_id: "29:chris" }
boards:
  - name: SEND Partnership Board
    chair_role: Director of Children's Services
    meetings:
      - { at: "2024-12-04T14:00" }
plans:
  - code: ND
    title: Neurodiversity
    board: SEND Partnership Board
    workstreams:
      - title: Pathway
        lead: Head of SEND
        actions:
${actions}
`;
}

async function bigPlanDb(): Promise<Db> {
  const path = tempDbPath();
  const db = await testDbAt(path);
  const loaded = await loadPlanFile(writeTemp('plan.yaml', bigPlan()));
  await importPlanDocument(db, loaded.document, { now: parseInstant('2024-09-02T09:00'), file: loaded.file, lineOf: loaded.lineOf });
  return db;
}

const TICK_AT = '2024-11-20T09:05';

describe('a nudge for someone with 93 actions', () => {
  it('reaches Slack as ONE message: most urgent first, "and 83 more", a button to the full list (and the dashboard for the chair)', async () => {
    const api = await startSlackApiServer({ token: 'xoxb-big' });
    const db = await bigPlanDb();
    try {
      const { createSlackDelivery } = await import('../../src/platforms/slack/slack-delivery.js');
      const { WebClient } = await import('@slack/web-api');
      const client = new WebClient('xoxb-big', { slackApiUrl: api.apiUrl });
      const clock = fixedClock(TICK_AT);
      await runTick({ db, clock });
      await deliverDue({ db, clock, adapters: [createSlackDelivery({ client })] });
      for (const [user, chair] of [
        ['U0SAM', false],
        ['U0CHRIS', true],
      ] as const) {
        const posts = api.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body).includes(`nudge:`) && JSON.stringify(c.body).includes(user));
        expect(posts, user).toHaveLength(1);
        const body = JSON.stringify(posts[0]?.body);
        expect(body).toContain('and 83 more');
        // Most urgent first: the longest overdue (due 31 Aug 24), then 30 Sep, then the red one.
        const order = ['ND-1.41', 'ND-1.8', 'ND-1.13'].map((ref) => body.indexOf(`*${ref}*`));
        expect(order.every((i) => i > 0)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);
        expect(body).not.toContain('*ND-1.93*');
        const blocks = (posts[0]?.body.blocks as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[]).flatMap((b) =>
          b.type === 'actions' ? (b.elements ?? []) : [],
        );
        expect(blocks.filter((e) => e.value === '/send mine').map((e) => e.text.text)).toEqual(['See all 93']);
        expect(blocks.some((e) => e.value === '/send dashboard')).toBe(chair);
        expect((posts[0]?.body.blocks as unknown[]).length).toBeLessThanOrEqual(50);
      }
    } finally {
      await closeTestDb(db);
      await api.close();
    }
  });

  it('reaches Teams as ONE message too, with the full-list button and a valid card', async () => {
    const connector: BotConnectorServer = await startBotConnectorServer();
    const db = await bigPlanDb();
    const logger = pino({ level: 'silent' });
    const http = createHttpServer({ db, logger });
    const teams = createTeamsBot({ db, clock: fixedClock(TICK_AT), config: { appType: 'MultiTenant', allowUnauthenticated: true }, logger });
    mountTeamsMessages(http, teams);
    const { url } = await http.listen(0, '127.0.0.1');
    try {
      // Sam installs the app: sendbot keeps the conversation so it can send the nudge later.
      await postActivity(url, installationUpdate({ serviceUrl: connector.url, user: { id: '29:sam', aadObjectId: 'aad-sam', name: 'Sam Lead' }, action: 'add' }));
      const clock = fixedClock(TICK_AT);
      await runTick({ db, clock });
      connector.reset();
      await deliverDue({ db, clock, adapters: [createTeamsDelivery({ adapter: teams.adapter, db, sleep: async () => {} })] });
      const sent = connector.requests.filter((r) => r.route === 'sendToConversation');
      const samNudges = sent.filter((r) => JSON.stringify(r.body).includes('and 83 more'));
      expect(samNudges).toHaveLength(1);
      const card = (samNudges[0]?.body as { attachments: { content: AdaptiveCard }[] }).attachments[0]?.content as AdaptiveCard;
      expect(adaptiveCardSchemaErrors(card)).toEqual([]);
      expect(card.actions?.some((a) => a.data.value === '/send mine' && a.title === 'See all 93')).toBe(true);
    } finally {
      await http.close();
      await closeTestDb(db);
      await connector.close();
    }
  });
});
