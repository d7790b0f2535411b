// Builds requests exactly as Slack sends them to an app (form-encoded slash commands, a `payload`
// form field for interactions, JSON for events), signs them with the signing secret and POSTs them
// with global fetch. Options make them stale, unsigned or tampered with, to test the verifier.
import { signSlackRequest } from '../../src/platforms/slack/signing.js';

export interface SignedRequestOptions {
  /** Path on the app, joined to the base URL. Default '/slack/events' (Bolt's default endpoint). */
  path?: string;
  /** Request time in seconds since the epoch. Default: now. */
  timestamp?: number;
  /** Added to the timestamp, e.g. -600 for a request older than Bolt's five-minute window. */
  shiftSeconds?: number;
  /** Send no X-Slack-Signature header. */
  omitSignature?: boolean;
  /** Send no X-Slack-Request-Timestamp header. */
  omitTimestamp?: boolean;
  /** Send this signature instead of the correct one. */
  signature?: string;
  /** Changes the body after it was signed (a man in the middle). */
  tamper?: (rawBody: string) => string;
  headers?: Record<string, string>;
}

export interface SlackAppResponse {
  status: number;
  /** Response body as text. */
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  headers: Headers;
}

/** POSTs a raw body, signed as Slack would sign it. */
export async function postSigned(
  baseUrl: string,
  secret: string,
  rawBody: string,
  contentType: string,
  options: SignedRequestOptions = {},
): Promise<SlackAppResponse> {
  const timestamp = (options.timestamp ?? Math.floor(Date.now() / 1000)) + (options.shiftSeconds ?? 0);
  const signature = options.signature ?? signSlackRequest(secret, timestamp, rawBody);
  const body = options.tamper ? options.tamper(rawBody) : rawBody;
  const headers: Record<string, string> = { 'content-type': contentType, ...options.headers };
  if (!options.omitTimestamp) headers['x-slack-request-timestamp'] = String(timestamp);
  if (!options.omitSignature) headers['x-slack-signature'] = signature;
  const response = await fetch(new URL(options.path ?? '/slack/events', baseUrl), { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: text, json, headers: response.headers };
}

// ——— Slash commands ———

export interface SlashCommandFields {
  text: string;
  user_id: string;
  user_name: string;
  command: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  api_app_id: string;
  response_url: string;
  trigger_id: string;
  token: string;
  is_enterprise_install: string;
  enterprise_id?: string;
  enterprise_name?: string;
}

export const TEST_TEAM = { id: 'T0SEND', domain: 'send-test' } as const;
export const TEST_APP_ID = 'A0SENDBOT';

let triggerCounter = 0;
/** A trigger_id in Slack's shape (needed for views.open). */
export function fakeTriggerId(): string {
  triggerCounter += 1;
  return `${1000 + triggerCounter}.${Date.now()}.0123456789abcdef0123456789abcdef`;
}

/** A slash command body as Slack sends it, with overrides. */
export function slashCommandBody(fields: Partial<SlashCommandFields> & { text: string }): Record<string, string> {
  const userId = fields.user_id ?? 'U0SAM';
  const body: Record<string, string> = {
    token: 'verification-token-not-used',
    team_id: TEST_TEAM.id,
    team_domain: TEST_TEAM.domain,
    channel_id: `D${userId}`,
    channel_name: 'directmessage',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: '/send',
    api_app_id: TEST_APP_ID,
    is_enterprise_install: 'false',
    // Points nowhere real: pass `response_url: slackApi.responseUrl()` when the app will use respond().
    response_url: `https://hooks.slack.invalid/commands/${TEST_TEAM.id}/1/test`,
    trigger_id: fakeTriggerId(),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body[key] = String(value);
  return body;
}

/** POSTs a signed `/send …` slash command. `fields.timestamp` (seconds) sets the request time. */
export function postSlashCommand(
  baseUrl: string,
  secret: string,
  fields: Partial<SlashCommandFields> & { text: string; timestamp?: number },
  options: SignedRequestOptions = {},
): Promise<SlackAppResponse> {
  const { timestamp, ...rest } = fields;
  const raw = new URLSearchParams(slashCommandBody(rest)).toString();
  return postSigned(baseUrl, secret, raw, 'application/x-www-form-urlencoded', {
    ...(timestamp !== undefined ? { timestamp } : {}),
    ...options,
  });
}

// ——— Interactions (buttons, modals) ———

/** POSTs a signed interaction: form field `payload` holding the JSON. */
export function postInteraction(
  baseUrl: string,
  secret: string,
  payload: Record<string, unknown>,
  options: SignedRequestOptions = {},
): Promise<SlackAppResponse> {
  const raw = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(baseUrl, secret, raw, 'application/x-www-form-urlencoded', options);
}

const slackUser = (userId: string) => ({ id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: TEST_TEAM.id });

/** A `block_actions` payload for a button click in a message. */
export function blockActionPayload(args: {
  userId: string;
  actionId: string;
  value: string;
  channelId?: string;
  messageTs?: string;
  blockId?: string;
  responseUrl?: string;
  triggerId?: string;
  label?: string;
}): Record<string, unknown> {
  const channelId = args.channelId ?? `D${args.userId}`;
  const messageTs = args.messageTs ?? '1700000001.000001';
  return {
    type: 'block_actions',
    user: slackUser(args.userId),
    api_app_id: TEST_APP_ID,
    token: 'verification-token-not-used',
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    trigger_id: args.triggerId ?? fakeTriggerId(),
    team: { id: TEST_TEAM.id, domain: TEST_TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'directmessage' },
    message: { type: 'message', ts: messageTs, text: 'message', user: 'U0BOT', bot_id: 'B0BOT', blocks: [] },
    state: { values: {} },
    response_url: args.responseUrl ?? `https://hooks.slack.invalid/actions/${TEST_TEAM.id}/1/test`,
    actions: [
      {
        action_id: args.actionId,
        block_id: args.blockId ?? 'b1',
        text: { type: 'plain_text', text: args.label ?? 'Update', emoji: true },
        value: args.value,
        type: 'button',
        action_ts: `${Math.floor(Date.now() / 1000)}.000100`,
      },
    ],
  };
}

/** A `view_submission` payload; `values` is `view.state.values`. */
export function viewSubmissionPayload(args: {
  userId: string;
  callbackId: string;
  values: Record<string, Record<string, Record<string, unknown>>>;
  privateMetadata?: string;
  viewId?: string;
}): Record<string, unknown> {
  const viewId = args.viewId ?? 'V00000001';
  return {
    type: 'view_submission',
    team: { id: TEST_TEAM.id, domain: TEST_TEAM.domain },
    user: slackUser(args.userId),
    api_app_id: TEST_APP_ID,
    token: 'verification-token-not-used',
    trigger_id: fakeTriggerId(),
    view: {
      id: viewId,
      team_id: TEST_TEAM.id,
      type: 'modal',
      blocks: [],
      private_metadata: args.privateMetadata ?? '',
      callback_id: args.callbackId,
      state: { values: args.values },
      hash: 'hash-1',
      title: { type: 'plain_text', text: 'Update an action', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Save update', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: TEST_APP_ID,
      external_id: '',
      app_installed_team_id: TEST_TEAM.id,
      bot_id: 'B0BOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

// ——— Events API ———

let eventCounter = 0;

/**
 * POSTs a signed Events API request. `event` is the inner event (e.g. `{ type: 'app_home_opened',
 * user: 'U1', tab: 'home' }`) and is wrapped in an `event_callback` envelope; a body whose type is
 * already `url_verification` or `event_callback` is sent as given.
 */
export function postEvent(
  baseUrl: string,
  secret: string,
  event: Record<string, unknown>,
  options: SignedRequestOptions & { envelope?: Record<string, unknown> } = {},
): Promise<SlackAppResponse> {
  const { envelope, ...signing } = options;
  let body: Record<string, unknown>;
  if (event.type === 'url_verification' || event.type === 'event_callback') body = event;
  else {
    eventCounter += 1;
    const now = Math.floor(Date.now() / 1000);
    body = {
      token: 'verification-token-not-used',
      team_id: TEST_TEAM.id,
      api_app_id: TEST_APP_ID,
      event: { event_ts: `${now}.000200`, ...event },
      type: 'event_callback',
      event_id: `Ev${String(eventCounter).padStart(9, '0')}`,
      event_time: now,
      authorizations: [{ enterprise_id: null, team_id: TEST_TEAM.id, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      ...envelope,
    };
  }
  return postSigned(baseUrl, secret, JSON.stringify(body), 'application/json', signing);
}
