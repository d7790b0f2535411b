// The outbox's Slack adapter against the loopback Slack Web API: DMs and channels, buttons and
// metadata, the mapping of Slack's failures onto retry / dead, and long digests within Block Kit's
// limits. The retry tests run the real delivery loop (deliverDue) with a manual clock.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ManualClock, manualClock, toStoredInstant } from '../../../src/clock.js';
import { deliverDue } from '../../../src/jobs/deliver.js';
import type { NotificationPayload, OutgoingMessage, Recipient } from '../../../src/jobs/delivery-types.js';
import { classifySlackError, createSlackDelivery, createSlackDeliveryFromConfig, OUTBOX_METADATA_EVENT } from '../../../src/platforms/slack/slack-delivery.js';
import { ACTION_IDS } from '../../../src/render/block-kit.js';
import { type ActionLine, reply } from '../../../src/render/reply.js';
import { closeDatabase, type Db } from '../../../src/store/database.js';
import { enqueueNotification, findOutboxByKey } from '../../../src/store/outbox-repository.js';
import { findPersonByEmail, type Person } from '../../../src/store/people-repository.js';
import { checkBlockKitLimits } from '../../helpers/block-kit-limits.js';
import { DEMO, demoPlanDb } from '../../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../../helpers/slack-api-server.js';

const TOKEN = 'xoxb-delivery';
const NOW = '2024-11-18T10:00'; // a Monday, inside office hours

const items = (n: number): ActionLine[] =>
  Array.from({ length: n }, (_, i) => ({
    ref: `ND-${Math.floor(i / 10) + 1}.${(i % 10) + 1}`,
    title: `Action number ${i + 1}: a long enough title to look like a real plan action & more`,
    owner: 'Head of SEND',
    ownerHolders: ['Morgan Demo'],
    due: '2025-03-31',
    status: i % 3 === 0 ? 'red' : 'amber',
    percent: 40,
    daysOverdue: i % 4 === 0 ? 12 : null,
    detail: `last update 3 Nov by Morgan: slipping <!here> ${i}`,
  }));

const nudge = (refs = ['ND-1.1', 'ND-1.2']): NotificationPayload => ({
  kind: 'nudge',
  refs,
  reply: reply('info', 'Updates needed before the SEND Partnership Board on 4 Dec', [
    { type: 'actions', heading: 'Your actions', items: refs.map((ref) => ({ ref, title: `Title of ${ref}`, status: 'amber' as const, due: '2025-07-31' })) },
  ]),
});

const digest = (n: number): NotificationPayload => ({
  kind: 'chair_digest',
  refs: [],
  reply: reply('info', `Pre-board digest: ${n} actions`, [{ type: 'heading', text: 'SEND Partnership Board' }, { type: 'actions', heading: 'Every action', items: items(n) }]),
});

const asRecipient = (p: Person): Recipient => ({
  person: { id: p.id, name: p.name, email: p.email, slackUserId: p.slackUserId, teamsUserId: p.teamsUserId, lastPlatform: p.lastPlatform },
});

describe('Slack delivery adapter', () => {
  let api: SlackApiServer;
  let db: Db;
  let morgan: Person;
  let client: WebClient;

  beforeAll(async () => {
    api = await startSlackApiServer({ token: TOKEN });
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    api.reset();
    ({ db } = await demoPlanDb());
    morgan = (await findPersonByEmail(db, DEMO.headOfSend)) as Person;
    // The same options the app uses: one attempt per call, 429s thrown, a request timeout.
    client = new WebClient(TOKEN, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000 });
  });
  afterEach(async () => {
    await closeDatabase(db);
  });

  const message = (payload: NotificationPayload, recipient: Recipient, key = 'nudge:7:3:first'): OutgoingMessage => ({ outboxId: 1, key, recipient, payload, attempt: 1 });

  it('reaches people with a Slack id (or found by email) and slack: channels only', async () => {
    const adapter = createSlackDelivery({ client });
    expect(adapter.platform).toBe('slack');
    expect(await adapter.canReach(asRecipient(morgan))).toBe(true);
    expect(await adapter.canReach({ person: { ...asRecipient(morgan).person!, slackUserId: null } })).toBe(false);
    expect(await adapter.canReach({ channel: 'slack:C0SENDPB' })).toBe(true);
    expect(await adapter.canReach({ channel: 'slack:' })).toBe(false);
    expect(await adapter.canReach({ channel: 'teams:19:abc' })).toBe(false);
    expect(await adapter.canReach({ channel: 'console' })).toBe(false);
  });

  it('finds a person known by email only (never used /send) in the workspace, once, and sends them the message', async () => {
    api.addUser({ id: 'U0ONLYMAIL', email: 'only.mail@example.org' });
    const adapter = createSlackDelivery({ client });
    const byEmail = (email: string): Recipient => ({ person: { ...asRecipient(morgan).person!, slackUserId: null, email } });
    expect(await adapter.canReach(byEmail('Only.Mail@example.org'))).toBe(true);
    expect(await adapter.canReach(byEmail('not.in.slack@example.org'))).toBe(false);
    const first = await adapter.deliver(message(nudge(), byEmail('only.mail@example.org'), 'nudge:7:9:first'));
    const second = await adapter.deliver(message(nudge(), byEmail('only.mail@example.org'), 'nudge:7:9:reminder'));
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(api.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual(['U0ONLYMAIL', 'U0ONLYMAIL']);
    // One look-up per address, found or not: remembered for the next messages.
    expect(api.callsTo('users.lookupByEmail').map((c) => c.body.email)).toEqual(['only.mail@example.org', 'not.in.slack@example.org']);
  });

  it('does not drop a message when looking a person up by email fails for now: delivery fails as retryable', async () => {
    api.failNext('users.lookupByEmail', [{ status: 500 }, { status: 500 }]);
    const adapter = createSlackDelivery({ client });
    const recipient: Recipient = { person: { ...asRecipient(morgan).person!, slackUserId: null, email: 'someone@example.org' } };
    expect(await adapter.canReach(recipient)).toBe(true);
    const outcome = await adapter.deliver(message(nudge(), recipient));
    expect(outcome).toMatchObject({ ok: false, permanent: false });
    expect(api.callsTo('chat.postMessage')).toEqual([]);
  });

  it('delivers a nudge as a DM: chat.postMessage to the user id (no conversations.open, so no im:write), with buttons and the outbox key', async () => {
    const outcome = await createSlackDelivery({ client }).deliver(message(nudge(), asRecipient(morgan)));
    expect(outcome).toEqual({ ok: true, platformMessageId: expect.stringMatching(/^DU0DEMO03:\d+\.\d+$/) });
    expect(api.calls.map((c) => c.method)).toEqual(['chat.postMessage']);
    const post = api.lastCall('chat.postMessage');
    expect(post?.token).toBe(TOKEN);
    expect(post?.body.channel).toBe('U0DEMO03');
    expect(post?.body.text).toBe('Updates needed before the SEND Partnership Board on 4 Dec');
    expect(post?.body.metadata).toEqual({ event_type: OUTBOX_METADATA_EVENT, event_payload: { key: 'nudge:7:3:first', part: 1, parts: 1 } });
    const buttons = (post?.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
      .map((e) => `${e.action_id}=${e.value}`);
    expect(buttons).toEqual([`${ACTION_IDS.update}=ND-1.1`, `${ACTION_IDS.noChange}=ND-1.1`, `${ACTION_IDS.update}=ND-1.2`, `${ACTION_IDS.noChange}=ND-1.2`]);
    expect(post?.response.body).toMatchObject({ ok: true });
  });

  it('posts to a board channel by id, without buttons on a digest', async () => {
    const outcome = await createSlackDelivery({ client }).deliver(message(digest(3), { channel: 'slack:C0SENDPB' }, 'digest:pb:1'));
    expect(outcome.ok).toBe(true);
    expect(api.callsTo('conversations.open')).toHaveLength(0);
    const post = api.lastCall('chat.postMessage');
    expect(post?.body.channel).toBe('C0SENDPB');
    expect(JSON.stringify(post?.body.blocks)).not.toContain(ACTION_IDS.update);
  });

  it('escapes user text in the blocks and the fallback text', async () => {
    const hostile = '<!channel> <@U123> <https://x|y>';
    const payload: NotificationPayload = { kind: 'reminder', refs: ['ND-1.1'], reply: reply('info', `Reminder: ${hostile}`, [{ type: 'actions', items: [{ ref: 'ND-1.1', title: hostile, status: 'amber', detail: hostile }] }]) };
    await createSlackDelivery({ client }).deliver(message(payload, asRecipient(morgan)));
    const post = api.lastCall('chat.postMessage');
    for (const raw of ['<!channel>', '<@U123>', '<https://x|y>']) {
      expect(String(post?.body.text)).not.toContain(raw);
      expect(JSON.stringify(post?.body.blocks)).not.toContain(raw);
    }
    expect(String(post?.body.text)).toContain('&lt;!channel&gt;');
  });

  it('splits a 500-action digest into messages that each pass Block Kit limits, in order, naming each part', async () => {
    const outcome = await createSlackDelivery({ client }).deliver(message(digest(500), { channel: 'slack:C0SENDPB' }, 'digest:pb:500'));
    const posts = api.callsTo('chat.postMessage');
    expect(posts.length).toBeGreaterThan(1);
    for (const post of posts) {
      expect(checkBlockKitLimits({ text: post.body.text, blocks: post.body.blocks })).toEqual([]);
      expect(post.response.body).toMatchObject({ ok: true });
    }
    expect(posts.map((p) => (p.body.metadata as { event_payload: { part: number } }).event_payload.part)).toEqual(posts.map((_, i) => i + 1));
    const all = posts.map((p) => JSON.stringify(p.body.blocks)).join('');
    expect(all).toContain('ND-1.1*');
    expect(all).toContain('ND-50.10*');
    expect(outcome).toEqual({ ok: true, platformMessageId: `C0SENDPB:${posts.map((p) => (p.response.body as { ts: string }).ts).join(',')}` });
  });

  it('also keeps a 500-action nudge with buttons within limits', async () => {
    const payload: NotificationPayload = { kind: 'overdue', refs: [], reply: reply('warning', 'Overdue actions', [{ type: 'actions', items: items(500) }]) };
    const outcome = await createSlackDelivery({ client }).deliver(message(payload, asRecipient(morgan)));
    expect(outcome.ok).toBe(true);
    for (const post of api.callsTo('chat.postMessage')) expect(checkBlockKitLimits({ text: post.body.text, blocks: post.body.blocks })).toEqual([]);
  });

  it('reports a 429 as transient with its Retry-After', async () => {
    api.failNext('chat.postMessage', [{ status: 429, retryAfter: 2 }]);
    const outcome = await createSlackDelivery({ client }).deliver(message(nudge(), asRecipient(morgan)));
    expect(outcome).toEqual({ ok: false, permanent: false, retryAfterMs: 2000, error: expect.stringContaining('rate limited') });
  });

  it('reports HTTP 5xx as transient and ok:false errors as permanent with the reason', async () => {
    const adapter = createSlackDelivery({ client });
    api.failNext('chat.postMessage', [{ status: 500 }]);
    expect(await adapter.deliver(message(nudge(), asRecipient(morgan)))).toMatchObject({ ok: false, permanent: false, error: expect.stringContaining('HTTP 500') });

    api.respond('chat.postMessage', () => ({ body: { ok: false, error: 'channel_not_found' } }));
    expect(await adapter.deliver(message(digest(2), { channel: 'slack:C0GONE' }, 'k2'))).toEqual({ ok: false, permanent: true, error: 'Slack said channel_not_found' });

    api.respond('chat.postMessage', () => ({ body: { ok: false, error: 'account_inactive' } }));
    expect(await adapter.deliver(message(nudge(), asRecipient(morgan), 'k3'))).toEqual({ ok: false, permanent: true, error: 'Slack said account_inactive' });
  });

  it('classifies every kind of Web API error', () => {
    const platform = (error: string) => new WebAPIPlatformError({ ok: false, error });
    for (const code of ['channel_not_found', 'not_in_channel', 'account_inactive', 'user_not_found', 'invalid_auth', 'is_archived', 'invalid_blocks']) {
      expect(classifySlackError(platform(code))).toEqual({ ok: false, permanent: true, error: `Slack said ${code}` });
    }
    for (const code of ['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']) {
      expect(classifySlackError(platform(code)).permanent).toBe(false);
    }
    expect(classifySlackError(new WebAPIRateLimitedError(30))).toMatchObject({ permanent: false, retryAfterMs: 30_000 });
    expect(classifySlackError(new WebAPIHTTPError(502, 'Bad Gateway', {}))).toMatchObject({ permanent: false, error: 'HTTP 502 from Slack Bad Gateway' });
    expect(classifySlackError(new WebAPIHTTPError(404, 'Not Found', {})).permanent).toBe(true);
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifySlackError(new WebAPIRequestError(timeout))).toMatchObject({ permanent: false, error: expect.stringContaining('timeout') });
    expect(classifySlackError(new WebAPIRequestError(new Error('connect ECONNREFUSED')))).toMatchObject({ permanent: false });
  });

  it('times out a hung request instead of waiting forever', async () => {
    // A loopback server that accepts the request and never answers.
    const hung = createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hung.address() as AddressInfo;
      const slow = new WebClient(TOKEN, { slackApiUrl: `http://127.0.0.1:${port}/api/`, retryConfig: { retries: 0 }, timeout: 200 });
      const started = Date.now();
      const outcome = await createSlackDelivery({ client: slow }).deliver(message(digest(1), { channel: 'slack:C0SENDPB' }));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(outcome).toMatchObject({ ok: false, permanent: false, error: expect.stringContaining('could not reach Slack') });
    } finally {
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it('after a failure on part 2, a retry sends only the parts not yet delivered', async () => {
    let n = 0;
    api.respond('chat.postMessage', (call) => {
      n += 1;
      if (n === 2) return { status: 503 };
      return { body: { ok: true, channel: call.body.channel, ts: `1700000000.00000${n}` } };
    });
    const adapter = createSlackDelivery({ client });
    const long = message(digest(500), { channel: 'slack:C0SENDPB' }, 'digest:partial');
    const first = await adapter.deliver(long);
    expect(first).toMatchObject({ ok: false, permanent: false, error: expect.stringMatching(/^part 2 of \d+ failed \(1 already delivered/) });
    const second = await adapter.deliver({ ...long, attempt: 2 });
    expect(second.ok).toBe(true);
    const parts = api.callsTo('chat.postMessage').map((c) => (c.body.metadata as { event_payload: { part: number } }).event_payload.part);
    expect(parts[0]).toBe(1);
    expect(parts[1]).toBe(2);
    expect(parts.slice(2)).toEqual(Array.from({ length: parts.length - 2 }, (_, i) => i + 2));
    expect(parts.filter((p) => p === 1)).toHaveLength(1);
  });

  it('is built from configuration, or not at all without Slack', () => {
    expect(createSlackDeliveryFromConfig({})).toBeUndefined();
    expect(createSlackDeliveryFromConfig({ slack: { botToken: TOKEN, apiUrl: api.apiUrl } })?.platform).toBe('slack');
  });

  describe('through the outbox (deliverDue)', () => {
    let clock: ManualClock;
    beforeEach(() => {
      clock = manualClock(NOW);
    });

    const enqueue = async (key: string, payload: NotificationPayload, to: { person?: Person; channel?: string }) =>
      await enqueueNotification(db, {
        key,
        kind: payload.kind,
        recipientPersonId: to.person?.id ?? null,
        recipientChannel: to.channel ?? null,
        payload,
        notBefore: toStoredInstant(clock.now()),
        createdAt: toStoredInstant(clock.now()),
      });
    const run = () => deliverDue({ db, clock, adapters: [createSlackDelivery({ client })], random: () => 0 });
    const okPosts = () => api.callsTo('chat.postMessage').filter((c) => (c.response.body as { ok?: boolean }).ok === true);

    it('a 429 on chat.postMessage is retried no sooner than Retry-After, and delivered once', async () => {
      await enqueue('nudge:m1:morgan:first', nudge(), { person: morgan });
      api.failNext('chat.postMessage', [{ status: 429, retryAfter: 2 }]);
      const first = await run();
      expect(first.results).toEqual([expect.objectContaining({ outcome: 'retry', platform: 'slack' })]);
      const retryAt = first.results[0]?.retryAt as string;
      expect(Date.parse(retryAt) - clock.now().toMillis()).toBeGreaterThanOrEqual(2000);

      clock.advance({ seconds: 1 });
      expect((await run()).results).toEqual([]); // too early: still waiting
      clock.set(retryAt);
      expect((await run()).results).toEqual([expect.objectContaining({ outcome: 'sent' })]);
      clock.advance({ hours: 1 });
      expect((await run()).results).toEqual([]);

      expect(okPosts()).toHaveLength(1);
      expect(await findOutboxByKey(db, 'nudge:m1:morgan:first')).toMatchObject({ status: 'sent', attempts: 2, platform: 'slack' });
    });

    it('a Retry-After longer than the backoff is honoured exactly', async () => {
      await enqueue('nudge:m1:morgan:slow', nudge(), { person: morgan });
      api.failNext('chat.postMessage', [{ status: 429, retryAfter: 120 }]);
      const first = await run();
      expect(Date.parse(first.results[0]?.retryAt as string) - clock.now().toMillis()).toBe(120_000);
      clock.advance({ seconds: 119 });
      expect((await run()).results).toEqual([]);
      clock.advance({ seconds: 1 });
      expect((await run()).results).toEqual([expect.objectContaining({ outcome: 'sent' })]);
      expect(okPosts()).toHaveLength(1);
    });

    it('500 three times then 200 delivers exactly once', async () => {
      await enqueue('nudge:m1:morgan:second', nudge(), { person: morgan });
      api.failNext('chat.postMessage', [{ status: 500 }, { status: 500 }, { status: 500 }]);
      const outcomes: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const report = await run();
        outcomes.push(...report.results.map((r) => r.outcome));
        clock.advance({ hours: 1 });
      }
      expect(outcomes).toEqual(['retry', 'retry', 'retry', 'sent']);
      expect(okPosts()).toHaveLength(1);
      expect(api.callsTo('chat.postMessage')).toHaveLength(4);
      expect(await findOutboxByKey(db, 'nudge:m1:morgan:second')).toMatchObject({ status: 'sent', attempts: 4, platformMessageId: expect.stringMatching(/^DU0DEMO03:/) });
    });

    it('channel_not_found goes straight to dead with the reason', async () => {
      await enqueue('digest:gone', digest(2), { channel: 'slack:C0GONE' });
      api.respond('chat.postMessage', (call) =>
        call.body.channel === 'C0GONE' ? { body: { ok: false, error: 'channel_not_found' } } : { body: { ok: true, channel: call.body.channel, ts: '1700000000.000001' } },
      );
      const report = await run();
      expect(report.results[0]).toMatchObject({ outcome: 'dead', error: 'Slack said channel_not_found' });
      expect(await findOutboxByKey(db, 'digest:gone')).toMatchObject({ status: 'dead', attempts: 1, lastError: 'Slack said channel_not_found' });
    });
  });
});
