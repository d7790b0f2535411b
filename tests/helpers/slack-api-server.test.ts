import { ErrorCode, WebClient, type WebAPIHTTPError, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderBlocks } from '../../src/render/block-kit.js';
import { reply, text } from '../../src/render/reply.js';
import { type SlackApiServer, startSlackApiServer } from './slack-api-server.js';

const TOKEN = 'xoxb-test-token';

describe('fake Slack Web API', () => {
  let slack: SlackApiServer;
  let client: WebClient;

  beforeEach(async () => {
    slack = await startSlackApiServer({
      token: TOKEN,
      users: [{ id: 'U0SAM', name: 'sam', realName: 'Sam Patel', email: 'Sam.Patel@council.example' }],
    });
    // rejectRateLimitedCalls: a 429 becomes an error carrying Retry-After instead of a silent wait.
    client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  });

  afterEach(async () => {
    await slack.close();
  });

  it('records chat.postMessage with its blocks parsed', async () => {
    const [message] = renderBlocks(reply('info', 'Hello <!here>', [text('Body & more')]));
    const result = await client.chat.postMessage({ channel: 'C0BOARD', text: message?.text ?? '', blocks: message?.blocks ?? [] });
    expect(result.ok).toBe(true);
    expect(result.channel).toBe('C0BOARD');
    expect(result.ts).toMatch(/^\d+\.\d{6}$/);
    const call = slack.lastCall('chat.postMessage');
    expect(call?.token).toBe(TOKEN);
    expect(call?.contentType).toContain('application/x-www-form-urlencoded');
    expect(call?.body.channel).toBe('C0BOARD');
    expect(call?.body.text).toBe('Hello &lt;!here&gt;');
    expect(call?.body.blocks).toEqual(message?.blocks);
  });

  it('answers auth.test, conversations.open and the user look-ups', async () => {
    expect(await client.auth.test()).toMatchObject({ ok: true, user_id: 'U0BOT', team_id: 'T0SEND' });
    expect((await client.conversations.open({ users: 'U0SAM' })).channel?.id).toBe('DU0SAM');
    expect((await client.conversations.open({ users: 'U0JO' })).channel?.id).toBe('DU0JO');
    expect((await client.users.info({ user: 'U0SAM' })).user?.real_name).toBe('Sam Patel');
    expect((await client.users.lookupByEmail({ email: 'sam.patel@council.example' })).user?.id).toBe('U0SAM');
    await expect(client.users.lookupByEmail({ email: 'nobody@council.example' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'users_not_found' },
    });
    expect(slack.calls.map((c) => c.method)).toEqual([
      'auth.test',
      'conversations.open',
      'conversations.open',
      'users.info',
      'users.lookupByEmail',
      'users.lookupByEmail',
    ]);
  });

  it('answers ephemeral messages and views', async () => {
    expect((await client.chat.postEphemeral({ channel: 'C1', user: 'U0SAM', text: 'only you' })).message_ts).toBeTruthy();
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Update' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: '1.2.abc', view });
    expect(opened.view?.id).toMatch(/^V/);
    const updated = await client.views.update({ view_id: opened.view?.id ?? '', view });
    expect(updated.view?.id).toBe(opened.view?.id);
    const home = await client.views.publish({ user_id: 'U0SAM', view: { type: 'home', blocks: [] } });
    expect(home.ok).toBe(true);
    expect(slack.lastCall('views.publish')?.body.view).toEqual({ type: 'home', blocks: [] });
  });

  it('surfaces a scripted 429 as a rate-limited error with retryAfter, then recovers', async () => {
    slack.failNext('chat.postMessage', [{ status: 429, retryAfter: 2 }]);
    const error = (await client.chat.postMessage({ channel: 'C1', text: 'hi' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(2);
    expect((await client.chat.postMessage({ channel: 'C1', text: 'hi' })).ok).toBe(true);
    expect(slack.callsTo('chat.postMessage').map((c) => c.response.status)).toEqual([429, 200]);
  });

  it('without rejectRateLimitedCalls, WebClient itself waits Retry-After and retries', async () => {
    const patient = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    slack.failNext('chat.postMessage', [{ status: 429, retryAfter: 1 }]);
    const started = Date.now();
    expect((await patient.chat.postMessage({ channel: 'C1', text: 'hi' })).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(slack.callsTo('chat.postMessage').map((c) => c.response.status)).toEqual([429, 200]);
  });

  it('surfaces a scripted 500 as an HTTP error and an ok:false body as a platform error, in order', async () => {
    slack.failNext('chat.postMessage', [{ status: 500 }, { status: 200, body: { ok: false, error: 'channel_not_found' } }]);
    const http = (await client.chat.postMessage({ channel: 'C1', text: 'a' }).catch((e: unknown) => e)) as WebAPIHTTPError;
    expect(http.code).toBe(ErrorCode.HTTPError);
    expect(http.statusCode).toBe(500);
    const platform = (await client.chat.postMessage({ channel: 'C1', text: 'b' }).catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(platform.code).toBe(ErrorCode.PlatformError);
    expect(platform.data.error).toBe('channel_not_found');
    expect((await client.chat.postMessage({ channel: 'C1', text: 'c' })).ok).toBe(true);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('rejects what Slack would reject: bad tokens and blocks over the limits', async () => {
    const stranger = new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' as const }));
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x', blocks })).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
  });

  it('accepts JSON bodies and response_url posts, and can wait for calls', async () => {
    const url = slack.responseUrl('cmd-1');
    const pending = slack.waitForCalls('response_url', 1);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'done', response_type: 'ephemeral' }) });
    expect(res.status).toBe(200);
    const [call] = await pending;
    expect(call).toMatchObject({ method: 'response_url', responseUrlId: 'cmd-1', body: { text: 'done' } });
    const json = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel: 'C1', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await json.json()).toMatchObject({ ok: true, channel: 'C1' });
    expect(slack.lastCall('chat.postMessage')?.body.blocks).toEqual([{ type: 'divider' }]);
  });

  it('lets a test replace a method', async () => {
    slack.respond('conversations.open', () => ({ body: { ok: true, channel: { id: 'D-CUSTOM' } } }));
    expect((await client.conversations.open({ users: 'U0SAM' })).channel?.id).toBe('D-CUSTOM');
    slack.reset();
    expect(slack.calls).toHaveLength(0);
    expect((await client.conversations.open({ users: 'U0SAM' })).channel?.id).toBe('DU0SAM');
  });
});
