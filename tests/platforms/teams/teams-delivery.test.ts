// The outbox's Teams adapter against a loopback Bot Framework connector, through the real
// CloudAdapter's proactive path (continueConversationAsync).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudAdapter } from 'botbuilder';
import { fixedClock } from '../../../src/clock.js';
import { runCommandText } from '../../../src/commands/router.js';
import { deliverDue } from '../../../src/jobs/deliver.js';
import type { OutgoingMessage, Recipient } from '../../../src/jobs/delivery-types.js';
import { SendbotBotFrameworkAuthentication, TeamsStartError } from '../../../src/platforms/teams/teams-auth.js';
import { createTeamsDelivery, createTeamsDeliveryFromConfig } from '../../../src/platforms/teams/teams-delivery.js';
import { type AdaptiveCard, renderCards } from '../../../src/render/adaptive-card.js';
import { type ActionLine, heading, reply } from '../../../src/render/reply.js';
import {
  findConversationReference,
  type StoredConversationReference,
  upsertConversationReference,
} from '../../../src/store/conversation-references-repository.js';
import type { Db } from '../../../src/store/database.js';
import { listOutbox } from '../../../src/store/outbox-repository.js';
import { findPersonByEmail, type Person } from '../../../src/store/people-repository.js';
import { type BotConnectorServer, startBotConnectorServer } from '../../helpers/bot-connector-server.js';
import { DEMO, demoPlanDb } from '../../helpers/demo-plan-db.js';
import { closeTestDb } from '../../helpers/test-db.js';

const CHANNEL = '19:board@thread.tacv2';
const CHAT = 'a:1personal-morgan';
const UNAUTHENTICATED = { appType: 'MultiTenant', allowUnauthenticated: true } as const;

function action(i: number): ActionLine {
  return { ref: `ND-${i}.1`, title: `Improvement ${i} `.repeat(12), owner: 'Head of SEND', ownerHolders: ['Morgan Demo'], due: '2025-03-31', status: 'amber', percent: 10 };
}

describe('Teams delivery adapter', () => {
  let connector: BotConnectorServer;
  let db: Db;
  let morgan: Person;

  beforeAll(async () => {
    connector = await startBotConnectorServer();
  });
  afterAll(async () => {
    await connector.close();
  });
  beforeEach(async () => {
    connector.reset();
    ({ db } = await demoPlanDb());
    morgan = (await findPersonByEmail(db, DEMO.headOfSend)) as Person;
    await store(CHAT, 'personal', morgan.id);
    await store(CHANNEL, 'channel', null);
  });

  /** Stores a conversation's reference, as an installation would (through the store, on either database). */
  async function store(conversationId: string, type: 'personal' | 'channel', personId: number | null, serviceUrl = connector.url): Promise<void> {
    const reference: StoredConversationReference = {
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: conversationId, conversationType: type },
      bot: { id: '28:bot-id', name: 'sendbot' },
      ...(type === 'personal' ? { user: { id: '29:demo-03' } } : {}),
    };
    await upsertConversationReference(db, { conversationId, conversationType: type, personId, teamsUserId: type === 'personal' ? '29:demo-03' : null, serviceUrl, reference, at: '2024-11-18T10:00:00.000Z' });
  }

  afterEach(() => closeTestDb(db));

  const toMorgan = (): Recipient => ({ person: { id: morgan.id, name: morgan.name, email: morgan.email, slackUserId: morgan.slackUserId, teamsUserId: morgan.teamsUserId, lastPlatform: 'teams' } });
  const message = (recipient: Recipient, key = 'nudge:t:1', replyValue = reply('info', 'Your actions need an update', [{ type: 'actions', items: [action(1)] }])): OutgoingMessage => ({
    outboxId: 1,
    key,
    recipient,
    payload: { kind: 'nudge', reply: replyValue, refs: ['ND-1.1'] },
    attempt: 1,
  });
  const delivery = (extra: Partial<Parameters<typeof createTeamsDelivery>[0]> = {}) =>
    createTeamsDelivery({ adapter: new CloudAdapter(new SendbotBotFrameworkAuthentication(UNAUTHENTICATED)), db, clock: fixedClock('2024-11-20T10:00'), ...extra });
  const posts = (conversationId: string) => connector.requests.filter((r) => r.route === 'sendToConversation' && r.conversationId === conversationId);

  it('reaches people with an enabled personal chat and channels with an enabled reference', async () => {
    const teams = delivery();
    expect(await teams.canReach(toMorgan())).toBe(true);
    expect(await teams.canReach({ channel: `teams:${CHANNEL}` })).toBe(true);
    expect(await teams.canReach({ channel: 'teams:19:unknown@thread.tacv2' })).toBe(false);
    expect(await teams.canReach({ channel: `slack:${CHANNEL}` })).toBe(false);
    expect(await teams.canReach({ channel: 'teams:' })).toBe(false);
    const leah = (await findPersonByEmail(db, DEMO.clinicalLeadSolent)) as Person;
    expect(await teams.canReach({ person: { ...leah, lastPlatform: 'teams' } })).toBe(false);
  });

  it('posts a nudge as a new message with the update form, and names the message ids', async () => {
    const outcome = await delivery().deliver(message(toMorgan()));
    expect(outcome).toMatchObject({ ok: true, platformMessageId: expect.stringMatching(new RegExp(`^${CHAT}:activity-\\d+$`)) });
    const [post] = posts(CHAT);
    const body = post?.body as { type: string; replyToId?: string; summary: string; attachments: { content: AdaptiveCard }[] };
    expect(body.type).toBe('message');
    expect(body.replyToId).toBeUndefined();
    expect(body.summary).toBe('Your actions need an update');
    expect(body.attachments[0]?.content.actions?.map((a) => a.data.sendbot)).toEqual(['update_form', 'no_change']);
  });

  it('makes one HTTP attempt on a 502 and reports it as transient with Retry-After', async () => {
    connector.failNext('sendToConversation', [{ status: 502, retryAfter: 30 }]);
    const outcome = await delivery().deliver(message(toMorgan()));
    expect(outcome).toMatchObject({ ok: false, permanent: false, retryAfterMs: 30_000, error: expect.stringContaining('HTTP 502') });
    expect(posts(CHAT)).toHaveLength(1);
  });

  it('treats 401 as permanent without disabling the reference (it is our credentials, not the conversation)', async () => {
    connector.failNext('sendToConversation', [{ status: 401 }]);
    expect(await delivery().deliver(message(toMorgan()))).toMatchObject({ ok: false, permanent: true });
    expect((await findConversationReference(db, CHAT))?.disabledAt).toBeNull();
  });

  it('treats an unreachable connector as transient', async () => {
    const closed = await startBotConnectorServer();
    const url = closed.url;
    await closed.close();
    await store(CHAT, 'personal', morgan.id, url);
    const outcome = await delivery().deliver(message(toMorgan()));
    expect(outcome).toMatchObject({ ok: false, permanent: false, error: expect.stringContaining('could not reach Teams') });
  });

  it('resumes a multi-card digest from the card that failed', async () => {
    const digest = reply('info', 'Digest', [heading('Digest'), { type: 'actions', items: Array.from({ length: 200 }, (_, i) => action(i)) }]);
    const cards = renderCards(digest);
    expect(cards.length).toBeGreaterThanOrEqual(3);
    const teams = delivery({ sleep: async () => {}, maxInlineWaitMs: 60_000 });
    connector.failNext((r) => r.route === 'sendToConversation' && r.conversationId === CHANNEL && posts(CHANNEL).length === 1, [{ status: 503 }]);
    const digestMessage = { ...message({ channel: `teams:${CHANNEL}` }, 'digest:t:1', digest), payload: { kind: 'channel_digest' as const, reply: digest, refs: [] } };
    const first = await teams.deliver(digestMessage);
    expect(first).toMatchObject({ ok: false, permanent: false, error: expect.stringContaining(`part 2 of ${cards.length} failed (1 already delivered`) });
    const second = await teams.deliver({ ...digestMessage, attempt: 2 });
    expect(second.ok).toBe(true);
    const delivered = posts(CHANNEL).filter((r) => r.status < 300);
    expect(delivered).toHaveLength(cards.length);
    const titles = delivered.map((r) => JSON.stringify((r.body as { attachments: { content: AdaptiveCard }[] }).attachments[0]?.content.body[0]));
    expect(titles[1]).toContain(`(part 2 of ${cards.length})`);
    expect(new Set(titles).size).toBe(cards.length);
  });

  it('hands a long wait for the conversation’s rate budget back to the outbox', async () => {
    const teams = delivery({ limiter: { delayFor: () => 45_000, record: () => {} } });
    expect(await teams.deliver(message(toMorgan()))).toMatchObject({ ok: false, permanent: false, retryAfterMs: 45_000, error: expect.stringContaining('holding back') });
    expect(posts(CHAT)).toHaveLength(0);
  });

  it('delivers a date-change request to the chair with an Approve button, and the decision to the requester', async () => {
    const elaine = (await findPersonByEmail(db, DEMO.dcs)) as Person;
    const CHAIR_CHAT = 'a:1personal-elaine';
    const reference: StoredConversationReference = {
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: { id: CHAIR_CHAT, conversationType: 'personal' },
      bot: { id: '28:bot-id', name: 'sendbot' },
      user: { id: '29:demo-21' },
    };
    await upsertConversationReference(db, { conversationId: CHAIR_CHAT, conversationType: 'personal', personId: elaine.id, teamsUserId: '29:demo-21', serviceUrl: connector.url, reference, at: '2024-11-18T10:00:00.000Z' });
    const clock = fixedClock('2024-11-18T10:00');
    expect((await runCommandText({ db, clock }, morgan, 'teams', 'update ND-3.5 due:"30 April 25" evaluation delayed')).tone).toBe('success');
    const adapters = [delivery()];
    await deliverDue({ db, clock, adapters, random: () => 0 });
    const [request] = posts(CHAIR_CHAT);
    const card = JSON.stringify(request?.body);
    expect(card).toContain('Morgan Demo asks to move ND-3.5 from 28 Feb 2025 to 30 Apr 2025');
    expect(card).toContain('"data":{"sendbot":"button","id":"confirm","value":"/send approve ND-3.5 to:2025-04-30"}');

    expect((await runCommandText({ db, clock }, elaine, 'teams', 'reject ND-3.5 no capacity until April')).tone).toBe('success');
    await deliverDue({ db, clock, adapters, random: () => 0 });
    const decisions = posts(CHAT);
    expect(decisions).toHaveLength(1);
    expect(JSON.stringify(decisions[0]?.body)).toContain('Elaine Demoster rejected your new date for ND-3.5: it stays due 28 Feb 2025');
    expect(JSON.stringify(decisions[0]?.body)).toContain('no capacity until April');
    expect((await listOutbox(db)).map((r) => [r.kind, r.status, r.platform])).toEqual([
      ['date_request', 'sent', 'teams'],
      ['date_decision', 'sent', 'teams'],
    ]);
  });

  it('is built from configuration only when Teams is configured, and never silently unauthenticated', () => {
    expect(createTeamsDeliveryFromConfig({}, db)).toBeUndefined();
    expect(createTeamsDeliveryFromConfig({ teams: UNAUTHENTICATED }, db)?.platform).toBe('teams');
    expect(() => createTeamsDeliveryFromConfig({ teams: { appType: 'MultiTenant', allowUnauthenticated: false } }, db)).toThrow(TeamsStartError);
  });
});
