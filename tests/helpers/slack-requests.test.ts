// The request helpers against a real Bolt app (HTTPReceiver on a random loopback port) whose
// WebClient talks to the fake Slack Web API: the whole Slack test harness, end to end.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAppHome } from '../../src/render/block-kit.js';
import { reply, text } from '../../src/render/reply.js';
import { type SlackApiServer, startSlackApiServer } from './slack-api-server.js';
import { blockActionPayload, postEvent, postInteraction, postSlashCommand, viewSubmissionPayload } from './slack-requests.js';

const SECRET = 'test-signing-secret';

describe('signed Slack requests to a real Bolt app', () => {
  let slack: SlackApiServer;
  let app: App;
  let baseUrl: string;
  const seen: string[] = [];

  beforeAll(async () => {
    slack = await startSlackApiServer({ users: [{ id: 'U0SAM', name: 'sam' }] });
    app = new App({
      signingSecret: SECRET,
      token: 'xoxb-test',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/send', async ({ command, ack }) => {
      seen.push(`command:${command.text}:${command.user_id}`);
      await ack({ response_type: 'ephemeral', text: `You said ${command.text}` });
    });
    app.action('send_update', async ({ ack, body }) => {
      await ack();
      seen.push(`action:${body.type === 'block_actions' ? body.actions[0]?.type : ''}`);
    });
    app.view('send_update_modal', async ({ ack, view }) => {
      seen.push(`view:${view.state.values.note?.note_input?.value ?? ''}`);
      await ack({ response_action: 'errors', errors: { percent: 'Use 0 to 100.' } });
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: renderAppHome(reply('info', 'Your actions', [text('None due.')])) });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.stop();
    await slack.close();
  });

  it('delivers a signed slash command and returns the ack body', async () => {
    const res = await postSlashCommand(baseUrl, SECRET, { text: 'mine', user_id: 'U0SAM' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: 'You said mine' });
    expect(seen).toContain('command:mine:U0SAM');
  });

  it('is refused when unsigned, signed with another secret, stale or tampered with', async () => {
    const fields = { text: 'digest', user_id: 'U0SAM' };
    expect((await postSlashCommand(baseUrl, SECRET, fields, { omitSignature: true })).status).toBe(401);
    expect((await postSlashCommand(baseUrl, 'wrong-secret', fields)).status).toBe(401);
    expect((await postSlashCommand(baseUrl, SECRET, fields, { shiftSeconds: -600 })).status).toBe(401);
    expect((await postSlashCommand(baseUrl, SECRET, { ...fields, timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    expect((await postSlashCommand(baseUrl, SECRET, fields, { tamper: (b) => b.replace('digest', 'handover') })).status).toBe(401);
    expect(seen.filter((s) => s.startsWith('command:digest') || s.startsWith('command:handover'))).toEqual([]);
  });

  it('delivers button clicks and modal submissions', async () => {
    const click = await postInteraction(baseUrl, SECRET, blockActionPayload({ userId: 'U0SAM', actionId: 'send_update', value: 'ND-1.2' }));
    expect(click.status).toBe(200);
    const submit = await postInteraction(
      baseUrl,
      SECRET,
      viewSubmissionPayload({
        userId: 'U0SAM',
        callbackId: 'send_update_modal',
        values: { note: { note_input: { type: 'plain_text_input', value: 'Slipping' } } },
      }),
    );
    expect(submit.status).toBe(200);
    expect(submit.json).toEqual({ response_action: 'errors', errors: { percent: 'Use 0 to 100.' } });
    expect(seen).toEqual(expect.arrayContaining(['action:button', 'view:Slipping']));
  });

  it('delivers events, and the app calls the fake Web API', async () => {
    const res = await postEvent(baseUrl, SECRET, { type: 'app_home_opened', user: 'U0SAM', channel: 'DU0SAM', tab: 'home' });
    expect(res.status).toBe(200);
    const [publish] = await slack.waitForCalls('views.publish');
    expect(publish?.body.user_id).toBe('U0SAM');
    expect(publish?.body.view).toMatchObject({ type: 'home' });
    expect(publish?.response.body).toMatchObject({ ok: true });
  });

  it('answers url_verification sent as given', async () => {
    const res = await postEvent(baseUrl, SECRET, { type: 'url_verification', challenge: 'abc123', token: 't' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('abc123');
  });
});
