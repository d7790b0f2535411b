// Builders for the activities Microsoft Teams POSTs to a bot's /api/messages, in the shapes Teams
// really sends (ids with their 29:/28:/a:/19: prefixes, tenant in conversation and channelData,
// mention entities, clientInfo). Every builder takes the connector's serviceUrl and overrides.
import type { Activity } from 'botbuilder';

export const BOT_ID = '28:bot-id';
export const BOT_NAME = 'sendbot';
export const TENANT_ID = '72f988bf-0000-4000-8000-000000000001';
export const TEAM_ID = '19:team-sendbot@thread.tacv2';
export const CHANNEL_ID = '19:channel-send-board@thread.tacv2';

export interface TeamsUser {
  /** Bot Framework id: "29:" then an opaque string. */
  id: string;
  /** Entra ID object id: the stable key sendbot links to a person. */
  aadObjectId: string;
  name: string;
}

export const SAM: TeamsUser = { id: '29:1sam-lee-bf-id', aadObjectId: 'aad-0000-0000-0000-sam', name: 'Sam Lee' };
export const JO: TeamsUser = { id: '29:1jo-bloggs-bf-id', aadObjectId: 'aad-0000-0000-0000-jo', name: 'Jo Bloggs' };

export type ConversationScope = 'personal' | 'channel' | 'groupChat';

export interface ActivityOptions {
  /** The connector's URL (BotConnectorServer.url): where the bot sends its answers. */
  serviceUrl: string;
  user?: Partial<TeamsUser>;
  tenantId?: string;
  /** Defaults: "a:1…" for personal, "19:…;messageid=…" for a channel, "19:…@thread.v2" for group chat. */
  conversationId?: string;
  id?: string;
  /** ISO instant; defaults to a fixed time so tests are repeatable. */
  timestamp?: string;
}

export type TeamsActivity = Partial<Activity>;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type ActivityOverrides = DeepPartial<Activity> & Record<string, unknown>;

let counter = 0;
/** Teams message ids look like millisecond timestamps. */
function nextId(): string {
  counter += 1;
  return String(1_733_300_000_000 + counter);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges overrides into a base: nested objects merge, arrays and everything else replace. */
export function mergeActivity<T extends Record<string, unknown>>(base: T, overrides: Record<string, unknown> = {}): T {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeActivity(current, value) : value;
  }
  return out as T;
}

function userOf(opts: ActivityOptions): TeamsUser {
  return { ...SAM, ...opts.user };
}

function conversationOf(opts: ActivityOptions, scope: ConversationScope, messageId: string): Activity['conversation'] {
  const tenantId = opts.tenantId ?? TENANT_ID;
  switch (scope) {
    case 'personal':
      return { conversationType: 'personal', tenantId, id: opts.conversationId ?? `a:1personal-${userOf(opts).aadObjectId}`, isGroup: false, name: '' };
    case 'channel':
      return { isGroup: true, conversationType: 'channel', tenantId, id: opts.conversationId ?? `${CHANNEL_ID};messageid=${messageId}`, name: '' };
    case 'groupChat':
      return { isGroup: true, conversationType: 'groupChat', tenantId, id: opts.conversationId ?? '19:group-chat-sendbot@thread.v2', name: '' };
  }
}

function channelDataOf(opts: ActivityOptions, scope: ConversationScope): Record<string, unknown> {
  const tenant = { id: opts.tenantId ?? TENANT_ID };
  if (scope !== 'channel') return { tenant };
  return {
    teamsChannelId: CHANNEL_ID,
    teamsTeamId: TEAM_ID,
    channel: { id: CHANNEL_ID, name: 'SEND Partnership Board' },
    team: { id: TEAM_ID, name: 'SEND Improvement', aadGroupId: 'aad-group-0000-send' },
    tenant,
  };
}

const clientInfo = { type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' };

function base(type: string, opts: ActivityOptions, scope: ConversationScope): TeamsActivity {
  const id = opts.id ?? nextId();
  const user = userOf(opts);
  const timestamp = opts.timestamp ?? '2024-12-04T10:15:00.000Z';
  return {
    type,
    id,
    timestamp: timestamp as unknown as Date,
    localTimestamp: timestamp as unknown as Date,
    localTimezone: 'Europe/London',
    serviceUrl: opts.serviceUrl,
    channelId: 'msteams',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    conversation: conversationOf(opts, scope, id),
    recipient: { id: BOT_ID, name: BOT_NAME },
    locale: 'en-GB',
    channelData: channelDataOf(opts, scope),
  };
}

const mentionEntity = { type: 'mention', text: `<at>${BOT_NAME}</at>`, mentioned: { id: BOT_ID, name: BOT_NAME } };

/** A message in the bot's 1:1 chat. */
export function personalMessage(opts: ActivityOptions & { text: string }, overrides: ActivityOverrides = {}): TeamsActivity {
  return mergeActivity(
    { ...base('message', opts, 'personal'), text: opts.text, textFormat: 'plain', entities: [clientInfo] },
    overrides,
  );
}

/**
 * A channel post or reply that @mentions the bot. Teams puts `<at>sendbot</at>` in the text (and,
 * for messages typed in a channel, a trailing newline); the bot must strip both.
 */
export function channelMessage(opts: ActivityOptions & { text: string; mention?: boolean }, overrides: ActivityOverrides = {}): TeamsActivity {
  const mention = opts.mention ?? true;
  return mergeActivity(
    {
      ...base('message', opts, 'channel'),
      text: mention ? `<at>${BOT_NAME}</at> ${opts.text}\n` : `${opts.text}\n`,
      textFormat: 'plain',
      entities: mention ? [mentionEntity, clientInfo] : [clientInfo],
    },
    overrides,
  );
}

/** A message in a group chat that @mentions the bot. */
export function groupChatMessage(opts: ActivityOptions & { text: string; mention?: boolean }, overrides: ActivityOverrides = {}): TeamsActivity {
  const mention = opts.mention ?? true;
  return mergeActivity(
    {
      ...base('message', opts, 'groupChat'),
      text: mention ? `<at>${BOT_NAME}</at> ${opts.text}` : opts.text,
      textFormat: 'plain',
      entities: mention ? [mentionEntity, clientInfo] : [clientInfo],
    },
    overrides,
  );
}

/**
 * The conversationUpdate Teams sends when the bot (by default) or people join or leave. In a team
 * it carries `channelData.eventType` ('teamMemberAdded' / 'teamMemberRemoved') and the team.
 */
export function conversationUpdate(
  opts: ActivityOptions & { scope?: ConversationScope; membersAdded?: { id: string; aadObjectId?: string }[]; membersRemoved?: { id: string; aadObjectId?: string }[] },
  overrides: ActivityOverrides = {},
): TeamsActivity {
  const scope = opts.scope ?? 'personal';
  const membersAdded = opts.membersAdded ?? (opts.membersRemoved ? undefined : [{ id: BOT_ID }]);
  const activity = base('conversationUpdate', opts, scope);
  const channelData = { ...(activity.channelData as Record<string, unknown>) };
  if (scope === 'channel') {
    channelData.eventType = membersAdded ? 'teamMemberAdded' : 'teamMemberRemoved';
    // Team-level updates arrive on the team's General channel conversation, without a message id.
    activity.conversation = { ...activity.conversation, id: opts.conversationId ?? TEAM_ID } as Activity['conversation'];
  }
  return mergeActivity(
    {
      ...activity,
      channelData,
      // Teams sends members without names; botbuilder's type insists on one.
      ...(membersAdded ? { membersAdded: membersAdded as Activity['membersAdded'] } : {}),
      ...(opts.membersRemoved ? { membersRemoved: opts.membersRemoved as Activity['membersRemoved'] } : {}),
    },
    overrides,
  );
}

/** Sent when someone installs ('add') or uninstalls ('remove') the app in a scope. */
export function installationUpdate(
  opts: ActivityOptions & { action: 'add' | 'remove' | 'add-upgrade' | 'remove-upgrade'; scope?: ConversationScope },
  overrides: ActivityOverrides = {},
): TeamsActivity {
  const scope = opts.scope ?? 'personal';
  const activity = base('installationUpdate', opts, scope);
  if (scope === 'channel') activity.conversation = { ...activity.conversation, id: opts.conversationId ?? TEAM_ID } as Activity['conversation'];
  return mergeActivity(
    {
      ...activity,
      action: opts.action,
      channelData: { ...(activity.channelData as Record<string, unknown>), settings: { source: { name: 'message' } }, source: { name: 'message' } },
    },
    overrides,
  );
}

/**
 * What Teams sends when someone presses an Action.Submit on a card: a message with no text whose
 * `value` is the action's data merged with the card's input values, replying to the card.
 */
export function cardSubmit(
  opts: ActivityOptions & { value: Record<string, unknown>; replyToId?: string; scope?: ConversationScope },
  overrides: ActivityOverrides = {},
): TeamsActivity {
  const scope = opts.scope ?? 'personal';
  return mergeActivity(
    {
      ...base('message', opts, scope),
      value: opts.value,
      ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
      channelData: { ...channelDataOf(opts, scope), source: { name: 'message' }, legacy: { replyToId: opts.replyToId ?? '' } },
      entities: [clientInfo],
    },
    overrides,
  );
}

/** An invoke, e.g. `adaptiveCard/action` (Action.Execute) or `task/fetch`; the bot answers in the HTTP response. */
export function invokeActivity(
  opts: ActivityOptions & { name: string; value: unknown; replyToId?: string; scope?: ConversationScope },
  overrides: ActivityOverrides = {},
): TeamsActivity {
  return mergeActivity(
    {
      ...base('invoke', opts, opts.scope ?? 'personal'),
      name: opts.name,
      value: opts.value,
      ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
      entities: [clientInfo],
    },
    overrides,
  );
}

export interface PostResult {
  status: number;
  /** Parsed JSON, or the text when it is not JSON, or undefined when empty. */
  body: unknown;
}

/** POSTs an activity to the bot's `/api/messages` (baseUrl may already end with it). */
export async function postActivity(baseUrl: string, activity: TeamsActivity, options: { token?: string } = {}): Promise<PostResult> {
  const url = /\/api\/messages\/?$/.test(baseUrl) ? baseUrl : `${baseUrl.replace(/\/+$/, '')}/api/messages`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { status: response.status, body };
}
