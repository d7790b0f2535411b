// The Teams bot end to end: Bot Framework activities POSTed over HTTP to the real botbuilder
// CloudAdapter mounted on sendbot's HTTP server; replies and proactive messages arrive at a loopback
// stand-in for the Bot Framework connector named by each activity's serviceUrl. Most tests run with
// authentication off (TEAMS_ALLOW_UNAUTHENTICATED, as for local testing); one runs with an app id and
// checks that unauthenticated requests are refused. Each test gets its own copy of the demo plan.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Clock, fixedClock, manualClock, parseInstant, toStoredInstant } from '../../src/clock.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { deliverDue } from '../../src/jobs/deliver.js';
import type { DeliveryAdapter } from '../../src/jobs/delivery-types.js';
import { runTick } from '../../src/jobs/tick.js';
import { createConsoleDelivery } from '../../src/platforms/console/console-delivery.js';
import { createTeamsBot, mountTeamsMessages, TeamsStartError } from '../../src/platforms/teams/teams-app.js';
import type { TeamsConfig } from '../../src/platforms/teams/teams-auth.js';
import { createTeamsDelivery } from '../../src/platforms/teams/teams-delivery.js';
import { createConversationRateLimiter } from '../../src/platforms/teams/rate-limiter.js';
import { type AdaptiveCard, CARD_BUDGET, renderCards, TEAMS_MESSAGE_LIMIT, utf16Size } from '../../src/render/adaptive-card.js';
import { type ActionLine, heading, type Reply, reply, text } from '../../src/render/reply.js';
import { listActionViews } from '../../src/store/actions-repository.js';
import { listConversationReferences } from '../../src/store/conversation-references-repository.js';
import type { Db } from '../../src/store/database.js';
import { enqueueNotification, findOutboxByKey, listOutbox } from '../../src/store/outbox-repository.js';
import { findPersonByEmail, type Person } from '../../src/store/people-repository.js';
import { type BotConnectorServer, type RecordedRequest, startBotConnectorServer } from '../helpers/bot-connector-server.js';
import { dbFingerprint, DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import {
  CHANNEL_ID,
  cardSubmit,
  channelMessage,
  conversationUpdate,
  installationUpdate,
  personalMessage,
  postActivity,
  TENANT_ID,
  type TeamsUser,
} from '../helpers/teams-activities.js';
import { closeTestDb, one, run, sql, testDbAt } from '../helpers/test-db.js';

const NOW = '2024-11-18T10:00';
const MORGAN: TeamsUser = { id: '29:demo-03', aadObjectId: 'aad-demo-03', name: 'Morgan Demo' }; // Head of SEND: owns ND-1.1
const LEAH: TeamsUser = { id: '29:demo-12', aadObjectId: 'aad-demo-12', name: 'Leah Testbury' }; // not an owner of ND-1.1
const MORGAN_CHAT = 'a:1personal-aad-demo-03';
const UNAUTHENTICATED: TeamsConfig = { appType: 'MultiTenant', allowUnauthenticated: true };

interface UpdateRow {
  id: number;
  person_id: number | null;
  platform: string;
  kind: string;
  status: string | null;
  percent: number | null;
  note: string | null;
  raw_text: string;
}

const updatesCount = async (db: Db): Promise<number> => (await one(db, sql`select count(*) as n from updates`) as { n: number }).n;
const lastUpdate = async (db: Db): Promise<UpdateRow | undefined> => await one(db, sql`select * from updates order by id desc limit 1`) as UpdateRow | undefined;
const person = async (db: Db, email: string): Promise<Person> => (await findPersonByEmail(db, email)) as Person;

/** The Adaptive Cards in a request the connector received. */
function cardsOf(request: RecordedRequest | undefined): AdaptiveCard[] {
  const body = request?.body as { attachments?: { contentType: string; content: AdaptiveCard }[] } | undefined;
  return (body?.attachments ?? []).map((a) => a.content);
}

/** Every text in a card, containers and fact sets opened up, as one string for `toContain`. */
function cardText(cards: AdaptiveCard[]): string {
  return JSON.stringify(cards);
}

const sends = (connector: BotConnectorServer, conversationId?: string) =>
  connector.requests.filter(
    (r) => (r.route === 'sendToConversation' || r.route === 'replyToActivity') && (conversationId === undefined || r.conversationId === conversationId),
  );

interface RunningBot {
  url: string;
  http: HttpServer;
  logs: string[];
  teams: ReturnType<typeof createTeamsBot>;
  stop(): Promise<void>;
}

async function startBot(db: Db, clock: Clock, config: TeamsConfig = UNAUTHENTICATED): Promise<RunningBot> {
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
  const http = createHttpServer({ db, logger });
  const teams = createTeamsBot({ db, clock, config, logger });
  mountTeamsMessages(http, teams);
  const { url } = await http.listen(0, '127.0.0.1');
  return { url, http, logs, teams, stop: () => http.close() };
}

describe('Teams bot over HTTP', () => {
  let connector: BotConnectorServer;
  let db: Db;
  let dbPath: string;
  let bot: RunningBot;

  beforeAll(async () => {
    connector = await startBotConnectorServer();
  });
  afterAll(async () => {
    await connector.close();
  });
  beforeEach(async () => {
    connector.reset();
    ({ db, path: dbPath } = await demoPlanDb());
    bot = await startBot(db, fixedClock(NOW));
  });
  afterEach(async () => {
    await bot.stop();
    await closeTestDb(db);
  });

  const post = (activity: Parameters<typeof postActivity>[1], token?: string) => postActivity(bot.url, activity, token ? { token } : {});
  const say = (user: TeamsUser, typed: string) => post(personalMessage({ serviceUrl: connector.url, user, text: typed }));

  describe('typed commands', () => {
    it('stores the owner’s update from a personal chat and replies with a card', async () => {
      const res = await say(MORGAN, 'update ND-1.1 amber Waiting on the new contract');
      expect(res.status).toBe(200);
      const [answer] = sends(connector);
      expect(answer?.conversationId).toBe(MORGAN_CHAT);
      expect(cardText(cardsOf(answer))).toContain('Update recorded for ND-1.1');
      expect(cardText(cardsOf(answer))).toContain('Waiting on the new contract');
      expect(await lastUpdate(db)).toMatchObject({
        platform: 'teams',
        kind: 'update',
        status: 'amber',
        note: 'Waiting on the new contract',
        raw_text: 'update ND-1.1 amber Waiting on the new contract',
        person_id: (await person(db, DEMO.headOfSend)).id,
      });
      expect((await person(db, DEMO.headOfSend)).lastPlatform).toBe('teams');
      // The message also stored Morgan's personal conversation reference.
      expect(await listConversationReferences(db)).toMatchObject([
        { conversationId: MORGAN_CHAT, conversationType: 'personal', personId: (await person(db, DEMO.headOfSend)).id, teamsUserId: MORGAN.id, disabledAt: null },
      ]);
    });

    it('accepts /send in front of the command', async () => {
      await say(MORGAN, '/send update ND-1.1 green 40% contract signed');
      expect(await lastUpdate(db)).toMatchObject({ status: 'green', percent: 40, note: 'contract signed', raw_text: '/send update ND-1.1 green 40% contract signed' });
    });

    it('refuses someone else, naming who can, and stores nothing', async () => {
      const before = await dbFingerprint(db);
      await say(LEAH, 'update ND-1.1 amber I am not the owner');
      const [answer] = sends(connector);
      expect(cardText(cardsOf(answer))).toContain("You can't update ND-1.1");
      expect(cardText(cardsOf(answer))).toContain('Morgan Demo (Head of SEND)');
      expect(await dbFingerprint(db)).toBe(before);
    });

    it('in a channel, strips the @mention and the trailing newline', async () => {
      const activity = channelMessage({ serviceUrl: connector.url, user: MORGAN, text: 'update ND-1.1 red supplier pulled out' });
      expect(activity.text).toBe('<at>sendbot</at> update ND-1.1 red supplier pulled out\n');
      expect((await post(activity)).status).toBe(200);
      expect(await lastUpdate(db)).toMatchObject({ platform: 'teams', status: 'red', note: 'supplier pulled out', raw_text: 'update ND-1.1 red supplier pulled out' });
      const [answer] = sends(connector);
      expect(answer?.conversationId).toBe(activity.conversation?.id);
      expect(cardText(cardsOf(answer))).toContain('Update recorded for ND-1.1');
      // The channel is remembered without the thread suffix: `teams:<id>` names it for the outbox.
      expect(await listConversationReferences(db)).toMatchObject([{ conversationId: CHANNEL_ID, conversationType: 'channel', personId: null }]);
    });

    it('ignores channel messages that do not mention the bot, but keeps the channel reference', async () => {
      const before = await dbFingerprint(db);
      expect((await post(channelMessage({ serviceUrl: connector.url, user: MORGAN, text: 'update ND-1.1 red chat between people', mention: false }))).status).toBe(200);
      expect(sends(connector)).toEqual([]);
      expect(await dbFingerprint(db)).toBe(before);
      expect((await listConversationReferences(db)).map((r) => r.conversationId)).toEqual([CHANNEL_ID]);
    });

    it('matches an unknown Teams user by roster email once and remembers the id', async () => {
      await run(db, sql`update people set teams_user_id = null where email = ${DEMO.headOfSend}`);
      const stranger = { id: '29:new-morgan-id', aadObjectId: 'aad-new', name: 'Morgan Demo' };
      connector.setMembers([{ id: stranger.id, name: 'Morgan Demo', email: DEMO.headOfSend, userPrincipalName: DEMO.headOfSend }]);
      await say(stranger, 'update ND-1.1 amber matched by email');
      expect(await lastUpdate(db)).toMatchObject({ note: 'matched by email', person_id: (await person(db, DEMO.headOfSend)).id });
      expect((await person(db, DEMO.headOfSend)).teamsUserId).toBe(stranger.id);
      expect(connector.requests.filter((r) => r.route === 'getConversationMember')).toHaveLength(1);
      await say(stranger, 'update ND-1.1 amber direct this time');
      expect(connector.requests.filter((r) => r.route === 'getConversationMember')).toHaveLength(1);
    });

    it('tells an unregistered person who to ask, and stores nothing', async () => {
      const before = await dbFingerprint(db);
      await say({ id: '29:nobody', aadObjectId: 'aad-nobody', name: 'Nobody' }, 'update ND-1.1 amber hello');
      expect(cardText(cardsOf(sends(connector)[0]))).toContain("You're not registered yet");
      expect(await dbFingerprint(db)).toBe(before);
    });

    it('logs an unexpected failure in a turn and tells the person plainly that it failed', async () => {
      const broken = await demoPlanDb();
      const other = await startBot(broken.db, fixedClock(NOW));
      try {
        await closeTestDb(broken.db);
        const res = await postActivity(other.url, personalMessage({ serviceUrl: connector.url, user: MORGAN, text: 'mine' }));
        expect(res.status).toBe(200);
        expect(sends(connector).map((r) => (r.body as { text?: string }).text)).toEqual(['Sorry, that failed — the programme team has been told.']);
        const logged = other.logs.map((l) => JSON.parse(l) as { level: number; msg: string; activityType?: string }).find((l) => l.msg === 'Teams turn failed');
        expect(logged).toMatchObject({ level: 50, activityType: 'message' });
      } finally {
        await other.stop();
      }
    });

    it('answers "update ND-1.1" with the update form card, preselected', async () => {
      await say(MORGAN, 'update ND-1.1');
      const cards = cardsOf(sends(connector)[0]);
      const form = cards.at(-1);
      expect(form?.actions?.map((a) => a.data.sendbot)).toEqual(['update_form', 'no_change']);
      expect(JSON.stringify(form)).toContain('"id":"action"');
      expect(JSON.stringify(form)).toMatch(/"id":"action"[^}]*"value":"ND-1\.1"/);
    });
  });

  describe('card submits', () => {
    const submit = (user: TeamsUser, value: Record<string, unknown>) => post(cardSubmit({ serviceUrl: connector.url, user, value, replyToId: '1733300000001' }));

    it('stores an update from the form, as the person who pressed Submit', async () => {
      const res = await submit(MORGAN, { sendbot: 'update_form', action: 'ND-1.1', status: 'amber', percent: '60', note: 'Pilot extended' });
      expect(res.status).toBe(200);
      expect(await lastUpdate(db)).toMatchObject({
        platform: 'teams',
        kind: 'update',
        status: 'amber',
        percent: 60,
        note: 'Pilot extended',
        raw_text: '[card] update ND-1.1 amber 60% Pilot extended',
        person_id: (await person(db, DEMO.headOfSend)).id,
      });
      expect(cardText(cardsOf(sends(connector)[0]))).toContain('Update recorded for ND-1.1');
      expect((await person(db, DEMO.headOfSend)).lastPlatform).toBe('teams');
    });

    it('sends the form back with an error under percent, and stores nothing', async () => {
      const before = await dbFingerprint(db);
      await submit(MORGAN, { sendbot: 'update_form', action: 'ND-1.1', status: 'amber', percent: '150', note: 'Too keen' });
      expect(await dbFingerprint(db)).toBe(before);
      const [form] = cardsOf(sends(connector)[0]);
      const body = JSON.stringify(form);
      expect(body).toContain('"id":"percent_error"');
      expect(body).toContain("'150' is over 100: percent complete is a whole number from 0 to 100");
      // What was typed is shown again.
      expect(body).toContain('Too keen');
      expect(form?.actions?.map((a) => a.data.sendbot)).toEqual(['update_form', 'no_change']);
    });

    it.each([
      [{ status: 'blue', percent: '50', note: 'nearly there' }, 'Complete means 100%, but you gave 50%.'],
      [{ status: 'red', percent: '100' }, '100% means finished, but you said red.'],
      [{ status: 'amber', percent: '60.5' }, "'60.5' isn't a whole number"],
    ])('sends the form back with %o refused under percent, in the user’s words, and stores nothing', async (values, message) => {
      const before = await dbFingerprint(db);
      await submit(MORGAN, { sendbot: 'update_form', action: 'ND-1.1', ...values });
      expect(await dbFingerprint(db)).toBe(before);
      const body = JSON.stringify(cardsOf(sends(connector)[0]));
      expect(body).toContain('"id":"percent_error"');
      expect(body).toContain(message);
      expect(body).not.toMatch(/percent:|evidenceUrl|Invalid input/);
    });

    it('records No change as a no_change update', async () => {
      await submit(MORGAN, { sendbot: 'no_change', action: 'ND-1.1' });
      expect(await lastUpdate(db)).toMatchObject({ kind: 'no_change', status: null, platform: 'teams', raw_text: '[card] no change ND-1.1' });
      expect(cardText(cardsOf(sends(connector)[0]))).toContain('Recorded \\"no change\\" for ND-1.1');
    });

    it('refuses a form submitted by someone who may not update the action, and stores nothing', async () => {
      const before = await dbFingerprint(db);
      await submit(LEAH, { sendbot: 'update_form', action: 'ND-1.1', status: 'red', note: 'not mine' });
      expect(await dbFingerprint(db)).toBe(before);
      const body = JSON.stringify(cardsOf(sends(connector)[0]));
      expect(body).toContain('"id":"action_error"');
      expect(body).toContain("You can't update ND-1.1");
    });

    it('answers an unknown card payload without changing anything', async () => {
      const before = await dbFingerprint(db);
      await submit(MORGAN, { somebodyElse: 'card' });
      expect(cardText(cardsOf(sends(connector)[0]))).toContain('not one I recognise');
      expect(await dbFingerprint(db)).toBe(before);
    });

    it('runs a confirm button as the person who clicked it; cancel changes nothing', async () => {
      await submit(MORGAN, { sendbot: 'button', id: 'cancel', value: '' });
      expect(cardText(cardsOf(sends(connector)[0]))).toContain('Cancelled');
      await submit(MORGAN, { sendbot: 'button', id: 'confirm', value: '/send who ND-1.1' });
      expect(cardText(cardsOf(sends(connector)[1]))).toContain('ND-1.1');
      expect(cardText(cardsOf(sends(connector)[1]))).toContain('Head of SEND');
    });
  });

  describe('install, proactive delivery, uninstall', () => {
    const install = () => post(conversationUpdate({ serviceUrl: connector.url, user: MORGAN }));

    it('stores the reference on install, and after a restart a tick delivers Morgan’s nudge to the connector; a 429 is retried after Retry-After, once', async () => {
      expect((await install()).status).toBe(200);
      expect(await listConversationReferences(db)).toMatchObject([
        { conversationId: MORGAN_CHAT, conversationType: 'personal', personId: (await person(db, DEMO.headOfSend)).id, disabledAt: null },
      ]);
      expect(cardText(cardsOf(sends(connector)[0]))).toContain('sendbot');
      // The welcome's example is Morgan's own first open action, not a fixed demo ref.
      const own = (await listActionViews(db, { accountablePersonId: (await person(db, DEMO.headOfSend)).id })).find((a) => a.status !== 'blue');
      expect(cardText(cardsOf(sends(connector)[0]))).toContain(`for example: update ${own?.ref} amber 60%`);
      await run(db, sql`update people set last_platform = 'teams' where email = ${DEMO.headOfSend}`);

      // Restart: a new process would open the same database and build a new bot and adapter.
      await bot.stop();
      await closeTestDb(db);
      db = await testDbAt(dbPath);
      const clock = manualClock('2024-11-20T09:00');
      bot = await startBot(db, clock);
      connector.reset();

      const teams = createTeamsDelivery({ adapter: bot.teams.adapter, appId: bot.teams.appId, db, clock });
      const adapters: DeliveryAdapter[] = [teams, createConsoleDelivery({ write: () => true })];
      const tick = await runTick({ db, clock });
      const morganId = (await person(db, DEMO.headOfSend)).id;
      const nudge = tick.enqueued.find((p) => p.kind === 'nudge' && p.recipientPersonId === morganId);
      expect(nudge).toBeDefined();
      const key = nudge?.key as string;

      connector.failNext('sendToConversation', [{ status: 429, retryAfter: 120 }]);
      const started = Date.now();
      const first = await deliverDue({ db, clock, adapters, random: () => 0 });
      // One HTTP attempt: botbuilder's client did not wait out Retry-After and retry by itself.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(sends(connector, MORGAN_CHAT).map((r) => r.status)).toEqual([429]);
      expect(first.results.find((r) => r.key === key)).toMatchObject({ outcome: 'retry', platform: 'teams', retryAt: '2024-11-20T09:02:00.000Z' });
      expect(await findOutboxByKey(db, key)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('HTTP 429') });

      clock.advance({ seconds: 119 });
      expect((await deliverDue({ db, clock, adapters, random: () => 0 })).results).toEqual([]);
      clock.advance({ seconds: 1 });
      const second = await deliverDue({ db, clock, adapters, random: () => 0 });
      expect(second.results).toMatchObject([{ key, outcome: 'sent', platform: 'teams' }]);
      clock.advance({ minutes: 30 });
      await deliverDue({ db, clock, adapters, random: () => 0 });

      const delivered = sends(connector, MORGAN_CHAT).filter((r) => r.status < 300);
      expect(delivered.length).toBeGreaterThanOrEqual(1);
      // A proactive post, not a reply, carrying Morgan's actions and the update form.
      expect(delivered.every((r) => r.route === 'sendToConversation')).toBe(true);
      const cards = delivered.flatMap(cardsOf);
      // Morgan holds more actions than a nudge lists: the most urgent, then "and N more" with See all.
      expect(cardText(cards)).toMatch(/\*\*ND-\d+\.\d+\*\*/);
      expect(cardText(cards)).toMatch(/and \d+ more/);
      expect(cards.at(-1)?.actions?.map((a) => a.data.sendbot)).toEqual(['update_form', 'no_change', 'button']);
      expect(cards.at(-1)?.actions?.[2]?.data.value).toBe('/send mine');
      expect(await findOutboxByKey(db, key)).toMatchObject({
        status: 'sent',
        attempts: 2,
        platform: 'teams',
        platformMessageId: expect.stringMatching(new RegExp(`^${MORGAN_CHAT}:activity-\\d+`)),
      });
      // Exactly once: one message per card of the nudge, and nothing else was sent to Morgan's chat.
      const row = await findOutboxByKey(db, key);
      expect(delivered).toHaveLength(renderCards(row?.payload.reply as Reply, { updateForm: true }).length);
      expect(delivered.every((r) => (r.body as { attachments: unknown[] }).attachments.length === 1)).toBe(true);
      expect((await listOutbox(db)).filter((r) => r.platform === 'teams' && r.status === 'sent').map((r) => r.key)).toEqual([key]);
    });

    it('installationUpdate remove disables the reference; install again enables it', async () => {
      await install();
      const teams = createTeamsDelivery({ adapter: bot.teams.adapter, db });
      const morgan = await person(db, DEMO.headOfSend);
      const recipient = { person: { ...morgan, lastPlatform: 'teams' } };
      expect(await teams.canReach(recipient)).toBe(true);

      await post(installationUpdate({ serviceUrl: connector.url, user: MORGAN, action: 'remove' }));
      expect(await listConversationReferences(db)).toMatchObject([{ conversationId: MORGAN_CHAT, disabledAt: expect.any(String), disabledReason: expect.stringContaining('uninstalled') }]);
      expect(await teams.canReach(recipient)).toBe(false);

      await post(installationUpdate({ serviceUrl: connector.url, user: MORGAN, action: 'add' }));
      expect(await listConversationReferences(db)).toMatchObject([{ conversationId: MORGAN_CHAT, disabledAt: null, disabledReason: null }]);
      expect(await teams.canReach(recipient)).toBe(true);
    });

    it('conversationUpdate removing the bot from a team disables its channels', async () => {
      await post(channelMessage({ serviceUrl: connector.url, user: MORGAN, text: 'help' }));
      await post(conversationUpdate({ serviceUrl: connector.url, user: MORGAN, scope: 'channel' }));
      expect((await listConversationReferences(db)).every((r) => r.disabledAt === null)).toBe(true);
      await post(conversationUpdate({ serviceUrl: connector.url, user: MORGAN, scope: 'channel', membersRemoved: [{ id: '28:bot-id' }] }));
      const refs = await listConversationReferences(db);
      expect(refs.length).toBe(2);
      expect(refs.every((r) => r.disabledAt !== null)).toBe(true);
    });

    it('a 403 on send disables the reference and the row goes dead without retries', async () => {
      await install();
      await run(db, sql`update people set last_platform = 'teams' where email = ${DEMO.headOfSend}`);
      connector.reset();
      const clock = manualClock('2024-11-20T10:00');
      const teams = createTeamsDelivery({ adapter: bot.teams.adapter, db, clock });
      const adapters: DeliveryAdapter[] = [teams, createConsoleDelivery({ write: () => true })];
      const at = toStoredInstant(parseInstant('2024-11-20T10:00'));
      await enqueueNotification(db, {
        key: 'nudge:test:403',
        kind: 'nudge',
        recipientPersonId: (await person(db, DEMO.headOfSend)).id,
        recipientChannel: null,
        payload: { kind: 'nudge', reply: reply('info', 'Your actions need an update'), refs: ['ND-1.1'], boardId: null, meetingId: null, expiresAt: null },
        notBefore: at,
        createdAt: at,
      });
      connector.failNext('sendToConversation', [{ status: 403, body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } } }]);

      const report = await deliverDue({ db, clock, adapters, random: () => 0 });
      expect(report.results.find((r) => r.key === 'nudge:test:403')).toMatchObject({ outcome: 'dead', platform: 'teams', error: expect.stringContaining('HTTP 403') });
      expect(await findOutboxByKey(db, 'nudge:test:403')).toMatchObject({ status: 'dead', attempts: 1 });
      expect(sends(connector, MORGAN_CHAT)).toHaveLength(1);
      expect(await listConversationReferences(db)).toMatchObject([{ conversationId: MORGAN_CHAT, disabledAt: expect.any(String), disabledReason: expect.stringContaining('ConversationBlockedByUser') }]);

      clock.advance({ hours: 2 });
      await deliverDue({ db, clock, adapters, random: () => 0 });
      expect(sends(connector, MORGAN_CHAT)).toHaveLength(1);
    });

    it('delivers a 500-action digest to a channel as several cards, each within the size limit, pacing the sends', async () => {
      // 500 actions is about 500 KB of cards (UTF-16): at least 7 messages at the budget.
      await post(channelMessage({ serviceUrl: connector.url, user: MORGAN, text: 'help' }));
      connector.reset();
      let fakeNow = 1_000_000;
      const waits: number[] = [];
      const sentAt: number[] = [];
      const limiter = createConversationRateLimiter(undefined, () => fakeNow);
      const teams = createTeamsDelivery({
        adapter: bot.teams.adapter,
        db,
        limiter: {
          delayFor: (id) => limiter.delayFor(id),
          record: (id) => {
            sentAt.push(fakeNow);
            limiter.record(id);
          },
        },
        sleep: async (ms) => {
          waits.push(ms);
          fakeNow += ms;
        },
        maxInlineWaitMs: 60_000,
      });
      const items: ActionLine[] = Array.from({ length: 500 }, (_, i) => ({
        ref: `ND-${Math.floor(i / 10) + 1}.${(i % 10) + 1}`,
        title: `Deliver the neurodiversity pathway improvement number ${i} with partners across education, health and care`,
        owner: 'ICB Director of Transformation',
        ownerHolders: ['Sam Lee'],
        due: '2025-03-31',
        status: 'amber',
        percent: 40,
        detail: 'last update 3 Nov by Sam: <at>Everyone</at> slipping',
      }));
      const digest = reply('info', 'SEND Partnership Board digest', [heading('SEND Partnership Board digest'), text('Everything in the plan.'), { type: 'actions', items }]);
      const outcome = await teams.deliver({
        outboxId: 1,
        key: 'digest:test:channel',
        recipient: { channel: `teams:${CHANNEL_ID}` },
        payload: { kind: 'channel_digest', reply: digest, refs: [] },
        attempt: 1,
      });
      expect(outcome.ok).toBe(true);
      const posted = sends(connector, CHANNEL_ID);
      expect(posted.length).toBeGreaterThanOrEqual(7);
      for (const request of posted) {
        const attachments = (request.body as { attachments: unknown[] }).attachments;
        expect(attachments).toHaveLength(1);
        expect(utf16Size((attachments[0] as { content: unknown }).content)).toBeLessThanOrEqual(CARD_BUDGET);
        // The whole activity, as Microsoft measures it: UTF-16, well under the 80 KB limit.
        expect(utf16Size(request.body)).toBeLessThan(TEAMS_MESSAGE_LIMIT - 16 * 1024);
      }
      const refs = posted.flatMap(cardsOf).flatMap((card) => JSON.stringify(card).match(/\*\*ND-\d+\.\d+\*\*/g) ?? []);
      expect(refs).toHaveLength(500);
      // Never more than 7 in a second, or 8 in 2 seconds, to one conversation.
      expect(waits.length).toBeGreaterThan(0);
      expect(sentAt).toHaveLength(posted.length);
      for (const [i, t] of sentAt.entries()) {
        expect(sentAt.filter((u) => u > t - 1000 && u <= t).length, `sends in the second before send ${i}`).toBeLessThanOrEqual(7);
        expect(sentAt.filter((u) => u > t - 2000 && u <= t).length, `sends in the 2 s before send ${i}`).toBeLessThanOrEqual(8);
      }
      expect(JSON.stringify(posted.flatMap(cardsOf))).not.toContain('<at>Everyone</at>');
    });
  });
});

describe('Teams authentication', () => {
  let connector: BotConnectorServer;
  beforeAll(async () => {
    connector = await startBotConnectorServer();
  });
  afterAll(async () => {
    await connector.close();
  });

  it('with MicrosoftAppId set, refuses activities with no token or a bad token (401) and writes nothing', async () => {
    const { db } = await demoPlanDb();
    const bot = await startBot(db, fixedClock(NOW), { appId: '00000000-0000-4000-8000-00000000a99d', appPassword: 'not-a-real-secret', appType: 'MultiTenant', allowUnauthenticated: false });
    try {
      const before = await dbFingerprint(db);
      const lastPlatform = (await person(db, DEMO.headOfSend)).lastPlatform;
      const message = personalMessage({ serviceUrl: connector.url, user: MORGAN, text: 'update ND-1.1 red forged' });
      const forgedJwt = [
        Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url'),
        Buffer.from(JSON.stringify({ iss: 'https://attacker.example', aud: '00000000-0000-4000-8000-00000000a99d', serviceurl: connector.url })).toString('base64url'),
        'c2lnbmF0dXJl',
      ].join('.');
      for (const token of [undefined, 'not-a-jwt', forgedJwt]) {
        const res = await postActivity(bot.url, message, token ? { token } : {});
        expect(res.status).toBe(401);
        expect(res.body).toBeUndefined();
      }
      const install = await postActivity(bot.url, conversationUpdate({ serviceUrl: connector.url, user: MORGAN }));
      expect(install.status).toBe(401);
      expect(await dbFingerprint(db)).toBe(before);
      expect(await listConversationReferences(db)).toEqual([]);
      expect((await person(db, DEMO.headOfSend)).lastPlatform).toBe(lastPlatform);
      expect(connector.requests).toEqual([]);
      expect(bot.teams.authMode).toBe('authenticated');
      expect(bot.logs.join('\n')).toContain('refused a Teams request that did not authenticate');
    } finally {
      await bot.stop();
      await closeTestDb(db);
    }
  });

  it('with MicrosoftAppTenantId set, refuses activities from other tenants (403) and runs the rest', async () => {
    const { db } = await demoPlanDb();
    const bot = await startBot(db, fixedClock(NOW), { ...UNAUTHENTICATED, tenantId: TENANT_ID });
    try {
      const before = await dbFingerprint(db);
      const foreign = await postActivity(bot.url, personalMessage({ serviceUrl: connector.url, user: MORGAN, text: 'update ND-1.1 red from another tenant', tenantId: 'ffffffff-0000-4000-8000-00000000beef' }));
      expect(foreign.status).toBe(403);
      expect(await dbFingerprint(db)).toBe(before);
      expect(await listConversationReferences(db)).toEqual([]);
      expect(connector.requests).toEqual([]);
      expect(bot.logs.join('\n')).toContain('refused a Teams activity from another tenant');
      const own = await postActivity(bot.url, personalMessage({ serviceUrl: connector.url, user: MORGAN, text: 'who ND-1.1' }));
      expect(own.status).toBe(200);
      expect(sends(connector)).toHaveLength(1);
    } finally {
      await bot.stop();
      await closeTestDb(db);
    }
  });

  it('without an app id and without TEAMS_ALLOW_UNAUTHENTICATED, refuses to start, naming both settings', async () => {
    const { db } = await demoPlanDb();
    try {
      const logger = pino({ level: 'silent' });
      expect(() => createTeamsBot({ db, clock: fixedClock(NOW), config: { appType: 'MultiTenant', allowUnauthenticated: false }, logger })).toThrow(TeamsStartError);
      expect(() => createTeamsBot({ db, clock: fixedClock(NOW), config: { appType: 'MultiTenant', allowUnauthenticated: false }, logger })).toThrow(
        /MicrosoftAppId.*TEAMS_ALLOW_UNAUTHENTICATED/,
      );
    } finally {
      await closeTestDb(db);
    }
    // A password or tenant without the app id is a configuration error, not a quietly open bot.
    expect(() => loadConfig({ MicrosoftAppPassword: 'secret' })).toThrow(ConfigError);
    expect(() => loadConfig({ MicrosoftAppPassword: 'secret' })).toThrow(/MicrosoftAppId.*TEAMS_ALLOW_UNAUTHENTICATED/);
  });

  it('logs loudly when authentication is off for local testing', async () => {
    const { db } = await demoPlanDb();
    const bot = await startBot(db, fixedClock(NOW));
    try {
      const warning = bot.logs.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => /TEAMS AUTHENTICATION IS OFF/.test(l.msg));
      expect(warning?.level).toBe(40);
      expect(bot.teams.authMode).toBe('unauthenticated');
    } finally {
      await bot.stop();
      await closeTestDb(db);
    }
  });
});

describe('npm start with Teams', () => {
  const root = join(import.meta.dirname, '..', '..');
  const runMain = (env: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'main.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('refuses to start with Microsoft settings but no app id', async () => {
    const { path } = await demoPlanDb();
    const child = runMain({ DATABASE_PATH: path, MicrosoftAppPassword: 'secret' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr).toContain('MicrosoftAppId');
    expect(stderr).toContain('TEAMS_ALLOW_UNAUTHENTICATED');
  });

  it('runs service mode with only Teams configured and answers on /api/messages', async () => {
    const connector = await startBotConnectorServer();
    const { path } = await demoPlanDb();
    const child = runMain({ DATABASE_PATH: path, PORT: '0', TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
    try {
      let stdout = '';
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sendbot did not start: ${stdout}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const listening = /"port":(\d+)[^\n]*HTTP server listening/.exec(stdout);
          if (listening && stdout.includes('sendbot is running')) {
            clearTimeout(timer);
            resolve(Number(listening[1]));
          }
        });
        child.once('exit', (code) => reject(new Error(`sendbot exited with ${code}: ${stdout}`)));
      });
      expect(stdout).toContain('TEAMS AUTHENTICATION IS OFF');
      // With authentication off, the endpoint stays on this machine unless HOST says otherwise.
      expect(stdout).toMatch(/"host":"127\.0\.0\.1"[^\n]*HTTP server listening/);
      expect(stdout).toMatch(/"adapters":\["teams"\]/);
      const res = await postActivity(`http://127.0.0.1:${port}`, personalMessage({ serviceUrl: connector.url, user: MORGAN, text: 'who ND-1.1' }));
      expect(res.status).toBe(200);
      expect(cardText(cardsOf(connector.sentActivities().map((body) => ({ body }) as RecordedRequest)[0]))).toContain('ND-1.1');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit').catch(() => {});
      await connector.close();
    }
  });
});
