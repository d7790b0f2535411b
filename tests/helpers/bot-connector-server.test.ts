import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConversationReference, type TurnContext } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotConnectorServer, startBotConnectorServer } from './bot-connector-server.js';
import {
  BOT_ID,
  cardSubmit,
  channelMessage,
  conversationUpdate,
  installationUpdate,
  personalMessage,
  postActivity,
  SAM,
  TENANT_ID,
} from './teams-activities.js';

let server: BotConnectorServer;

beforeEach(async () => {
  server = await startBotConnectorServer();
});

afterEach(async () => {
  await server.close();
});

const conversation = encodeURIComponent('19:abc@thread.tacv2;messageid=1733300000001');

async function post(path: string, body: unknown, method = 'POST'): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const response = await fetch(new URL(path, server.url), {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, retryAfter: response.headers.get('retry-after') };
}

describe('bot connector server', () => {
  it('listens on loopback and answers the connector routes', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const sent = await post(`v3/conversations/${conversation}/activities`, { type: 'message', text: 'hello' });
    expect(sent).toMatchObject({ status: 201, body: { id: 'activity-1' } });

    const replied = await post(`v3/conversations/${conversation}/activities/1733300000001`, { type: 'message', text: 'reply' });
    expect(replied).toMatchObject({ status: 201, body: { id: 'activity-2' } });

    const created = await post('v3/conversations', { isGroup: false, bot: { id: BOT_ID }, members: [{ id: SAM.id }], tenantId: TENANT_ID });
    expect(created).toMatchObject({ status: 201, body: { id: 'conv-1' } });

    const updated = await post(`v3/conversations/${conversation}/activities/activity-1`, { type: 'message', text: 'edited' }, 'PUT');
    expect(updated).toMatchObject({ status: 200, body: { id: 'activity-1' } });

    const token = await post('botframework.com/oauth2/v2.0/token', {});
    expect(token).toMatchObject({ status: 200, body: { token_type: 'Bearer', access_token: 'fake-connector-token' } });

    const unknown = await post('v3/somewhere/else', { x: 1 });
    expect(unknown.status).toBe(404);

    expect(server.requests.map((r) => [r.method, r.route, r.conversationId, r.activityId, r.status])).toEqual([
      ['POST', 'sendToConversation', '19:abc@thread.tacv2;messageid=1733300000001', undefined, 201],
      ['POST', 'replyToActivity', '19:abc@thread.tacv2;messageid=1733300000001', '1733300000001', 201],
      ['POST', 'createConversation', undefined, undefined, 201],
      ['PUT', 'updateActivity', '19:abc@thread.tacv2;messageid=1733300000001', 'activity-1', 200],
      ['POST', 'token', undefined, undefined, 200],
      ['POST', 'unknown', undefined, undefined, 404],
    ]);
  });

  it('records method, path, headers and the parsed JSON body', async () => {
    await fetch(new URL(`v3/conversations/${conversation}/activities`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer abc' },
      body: JSON.stringify({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] }),
    });
    const [request] = server.requests;
    expect(request).toMatchObject({
      seq: 0,
      method: 'POST',
      path: `/v3/conversations/${conversation}/activities`,
      body: { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] },
    });
    expect(request?.headers.authorization).toBe('Bearer abc');
    expect(server.sentActivities()).toEqual([request?.body]);
  });

  it('answers scripted failures in order for matching requests only, then succeeds', async () => {
    server.failNext('sendToConversation', [{ status: 429, retryAfter: 1 }, { status: 403 }]);
    server.failNext(/^POST \/v3\/conversations$/, [{ status: 500, body: { error: { code: 'Boom', message: 'down' } } }]);

    const first = await post(`v3/conversations/${conversation}/activities`, { text: '1' });
    expect(first).toMatchObject({ status: 429, retryAfter: '1', body: { error: { code: 'TooManyRequests' } } });

    // A different route is not affected by the first script.
    const reply = await post(`v3/conversations/${conversation}/activities/1`, { text: 'r' });
    expect(reply.status).toBe(201);

    const second = await post(`v3/conversations/${conversation}/activities`, { text: '2' });
    expect(second).toMatchObject({ status: 403, retryAfter: null, body: { error: { code: 'Forbidden' } } });

    const third = await post(`v3/conversations/${conversation}/activities`, { text: '3' });
    expect(third).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^activity-\d+$/) } });

    expect(await post('v3/conversations', {})).toMatchObject({ status: 500, body: { error: { code: 'Boom' } } });
    expect((await post('v3/conversations', {})).status).toBe(201);

    // Failed sends are recorded but not counted as delivered.
    expect(server.requests.map((r) => r.status)).toEqual([429, 201, 403, 201, 500, 201]);
    expect(server.sentActivities().map((a) => a.text)).toEqual(['r', '3']);
  });

  it('matches scripts by decoded conversation id and by predicate', async () => {
    server.failNext('19:abc@thread.tacv2', [{ status: 404 }]);
    server.failNext((r) => r.method === 'PUT', [{ status: 412 }]);
    expect((await post(`v3/conversations/${conversation}/activities`, {})).status).toBe(404);
    expect((await post(`v3/conversations/${conversation}/activities/a`, {}, 'PUT')).status).toBe(412);
    expect((await post(`v3/conversations/${conversation}/activities/a`, {}, 'PUT')).status).toBe(200);
  });

  it('serves conversation members for TeamsInfo lookups', async () => {
    server.setMembers([{ id: SAM.id, name: SAM.name, aadObjectId: SAM.aadObjectId, email: 'sam@example.org' }]);
    const list = await fetch(new URL(`v3/conversations/${conversation}/members`, server.url));
    expect(await list.json()).toEqual([{ id: SAM.id, name: SAM.name, aadObjectId: SAM.aadObjectId, email: 'sam@example.org' }]);
    const one = await fetch(new URL(`v3/conversations/${conversation}/members/${encodeURIComponent(SAM.id)}`, server.url));
    expect(await one.json()).toMatchObject({ aadObjectId: SAM.aadObjectId });
    const missing = await fetch(new URL(`v3/conversations/${conversation}/members/29%3Anobody`, server.url));
    expect(missing.status).toBe(404);
  });

  it('waits for requests that arrive later', async () => {
    const waiting = server.waitForRequests('sendToConversation', 2, 2000);
    setTimeout(() => {
      void post(`v3/conversations/${conversation}/activities`, { text: 'a' }).then(() => post(`v3/conversations/${conversation}/activities`, { text: 'b' }));
    }, 20);
    const hits = await waiting;
    expect(hits.map((r) => (r.body as { text: string }).text)).toEqual(['a', 'b']);
    await expect(server.waitForRequests('createConversation', 1, 50)).rejects.toThrow(/Timed out/);
  });

  it('accepts what botbuilder CloudAdapter sends (no credentials, so no token call)', async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const reference: Partial<ConversationReference> = {
      serviceUrl: server.url,
      channelId: 'msteams',
      conversation: { id: '19:abc@thread.tacv2;messageid=1733300000001', conversationType: 'channel', isGroup: true, name: '' },
      bot: { id: BOT_ID, name: 'sendbot' },
      user: { id: SAM.id, name: SAM.name },
    };
    // The connector client's own pipeline waits out a 429's Retry-After and retries; the 403
    // that follows is what the bot sees.
    server.failNext('replyToActivity', [{ status: 429, retryAfter: 1 }, { status: 403 }]);
    let status: number | undefined;
    let sentId: string | undefined;
    await adapter.continueConversationAsync('', reference, async (context: TurnContext) => {
      try {
        await context.sendActivity('first');
      } catch (error) {
        status = (error as { statusCode?: number }).statusCode;
      }
      sentId = (await context.sendActivity('second'))?.id;
      await context.updateActivity({ id: sentId, type: 'message', text: 'second, edited' });
    });
    expect(status).toBe(403);
    expect(sentId).toMatch(/^activity-\d+$/);
    expect(server.requests.map((r) => [r.method, r.route, r.conversationId, r.status])).toEqual([
      ['POST', 'replyToActivity', '19:abc@thread.tacv2;messageid=1733300000001', 429],
      ['POST', 'replyToActivity', '19:abc@thread.tacv2;messageid=1733300000001', 403],
      ['POST', 'replyToActivity', '19:abc@thread.tacv2;messageid=1733300000001', 201],
      ['PUT', 'updateActivity', '19:abc@thread.tacv2;messageid=1733300000001', 200],
    ]);
    expect(server.requests.some((r) => r.route === 'token')).toBe(false);
  });
});

describe('teams activity builders', () => {
  it('build realistic Teams activities with overrides', () => {
    const dm = personalMessage({ serviceUrl: server.url, text: 'mine' }, { from: { name: 'Samuel Lee' }, channelData: { extra: 1 } });
    expect(dm).toMatchObject({
      type: 'message',
      channelId: 'msteams',
      serviceUrl: server.url,
      text: 'mine',
      from: { id: SAM.id, aadObjectId: SAM.aadObjectId, name: 'Samuel Lee' },
      recipient: { id: BOT_ID, name: 'sendbot' },
      conversation: { conversationType: 'personal', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID }, extra: 1 },
    });
    expect(dm.conversation?.id).toMatch(/^a:/);

    const post = channelMessage({ serviceUrl: server.url, text: 'who ND-1.2' });
    expect(post.text).toBe('<at>sendbot</at> who ND-1.2\n');
    expect(post.entities?.[0]).toEqual({ type: 'mention', text: '<at>sendbot</at>', mentioned: { id: BOT_ID, name: 'sendbot' } });
    expect(post.conversation).toMatchObject({ conversationType: 'channel', isGroup: true });
    expect(post.conversation?.id).toContain(`;messageid=${post.id}`);
    expect(post.channelData).toMatchObject({ team: { id: expect.stringMatching(/^19:/) }, channel: { id: expect.stringMatching(/^19:/) } });

    expect(conversationUpdate({ serviceUrl: server.url, scope: 'channel' })).toMatchObject({
      type: 'conversationUpdate',
      membersAdded: [{ id: BOT_ID }],
      channelData: { eventType: 'teamMemberAdded' },
    });
    expect(installationUpdate({ serviceUrl: server.url, action: 'remove' })).toMatchObject({ type: 'installationUpdate', action: 'remove' });
    expect(cardSubmit({ serviceUrl: server.url, value: { sendbot: 'no_change', action: 'ND-1.2' }, replyToId: 'activity-1' })).toMatchObject({
      type: 'message',
      value: { sendbot: 'no_change', action: 'ND-1.2' },
      replyToId: 'activity-1',
    });
  });

  it('postActivity POSTs JSON to /api/messages with an optional bearer token', async () => {
    const activity = personalMessage({ serviceUrl: server.url, text: 'help' });
    const result = await postActivity(server.url, activity, { token: 't0k' });
    // The connector server has no /api/messages, so it records the request as unknown.
    expect(result.status).toBe(404);
    expect(result.body).toMatchObject({ error: { code: 'NotFound' } });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/api/messages', body: { text: 'help' } });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer t0k');
  });
});
