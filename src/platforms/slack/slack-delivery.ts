// The outbox's Slack adapter: ONE attempt to deliver a notification, and an honest account of what
// happened so the outbox can decide (it owns retries and backoff).
//
// - People get a direct message: chat.postMessage with their user id as the channel posts to the
//   app's DM with them (chat:write is enough; no conversations.open, so no im:write), and Slack
//   answers with the DM's id, used for the other parts. Channels ('slack:C123') are posted to by id
//   (the bot must have been invited).
// - Nudges, reminders and overdue notices carry "Update" and "No change" buttons on each action.
// - Long replies (a 500-action digest) are several messages, sent in order; each carries metadata
//   naming its outbox key and part, so a message in Slack can be traced back to its outbox row.
// - Errors: a 429 is transient with Retry-After; HTTP 5xx, network errors and timeouts are transient;
//   Slack's `ok:false` answers (channel_not_found, not_in_channel, account_inactive, invalid_auth…)
//   are permanent and go straight to dead with the reason, except the few Slack documents as
//   temporary (internal_error, fatal_error, service_unavailable, request_timeout, ratelimited).
import {
  type WebAPICallError,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import type { Config } from '../../config.js';
import type { DeliveryAdapter, DeliveryOutcome, NotificationKind, OutgoingMessage, Recipient } from '../../jobs/delivery-types.js';
import { componentLogger, type Logger } from '../../logger.js';
import { renderBlocks } from '../../render/block-kit.js';
import { toBoltLogger } from './bolt-logger.js';
import { slackClientOptions } from './slack-client-options.js';

export const OUTBOX_METADATA_EVENT = 'sendbot_outbox';

/** Notifications that ask the person to act on each action get Update / No change buttons. */
const KINDS_WITH_BUTTONS = new Set<NotificationKind>(['nudge', 'reminder', 'overdue']);

/** Slack platform errors that mean "try again later" rather than "this will never work". */
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'rate_limited', 'team_added_to_org']);

const CHANNEL_PREFIX = 'slack:';

/** Turns a Web API failure into the outbox's terms. Exported for tests. */
export function classifySlackError(error: unknown): Extract<DeliveryOutcome, { ok: false }> {
  if (error instanceof WebAPIRateLimitedError) {
    return { ok: false, permanent: false, retryAfterMs: error.retryAfter * 1000, error: `rate limited by Slack: retry after ${error.retryAfter}s` };
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const detail = error.data.response_metadata?.messages?.length ? ` (${error.data.response_metadata.messages.join('; ')})` : '';
    return { ok: false, permanent: !TRANSIENT_PLATFORM_ERRORS.has(code), error: `Slack said ${code}${detail}` };
  }
  if (error instanceof WebAPIHTTPError) {
    // 5xx and 408 are Slack (or a proxy) having a bad moment; any other status will not change on retry.
    const transient = error.statusCode >= 500 || error.statusCode === 408;
    return { ok: false, permanent: !transient, error: `HTTP ${error.statusCode} from Slack${error.statusMessage ? ` ${error.statusMessage}` : ''}` };
  }
  if (error instanceof WebAPIRequestError) {
    return { ok: false, permanent: false, error: `could not reach Slack: ${error.original.message}` };
  }
  // Anything else (a 429 without a usable Retry-After, an unexpected bug) is worth another try; the
  // outbox's attempt limit stops it eventually.
  return { ok: false, permanent: false, error: error instanceof Error ? error.message : String(error) };
}

interface SentParts {
  channel: string;
  ts: string[];
}

export interface SlackDeliveryOptions {
  client: WebClient;
  logger?: Logger;
  /** How many partly delivered multi-message notifications to remember (see `deliver`). */
  maxRemembered?: number;
}

/** How long a person's Slack id found by email (or not found) is remembered. */
const EMAIL_LOOKUP_TTL_MS = 60 * 60 * 1000;

export function createSlackDelivery({ client, logger, maxRemembered = 1000 }: SlackDeliveryOptions): DeliveryAdapter {
  const log = (logger ? componentLogger(logger, 'slack-delivery') : undefined);
  // Parts of a multi-message notification already accepted by Slack, by outbox key. When part 2 of 3
  // fails, the outbox retries the whole row; remembering part 1 here means the retry sends only parts
  // 2 and 3. This memory is per process: after a restart a retry starts from part 1 again, so a person
  // may see part 1 twice. That is the accepted trade-off — a duplicate, never a lost message — and it
  // keeps the outbox schema free of per-platform state.
  const partial = new Map<string, SentParts>();

  const remember = (key: string, sent: SentParts): void => {
    partial.delete(key);
    partial.set(key, sent);
    while (partial.size > maxRemembered) {
      const oldest = partial.keys().next().value;
      if (oldest === undefined) break;
      partial.delete(oldest);
    }
  };

  // A person known by email only (imported from the plan, never used /send) is found in the
  // workspace by email (users.lookupByEmail, with the users:read.email scope the manifest asks for),
  // so their nudges reach them instead of failing as unreachable until their first command. Kept in
  // memory for an hour, found or not; their id is stored when they first use /send.
  const byEmail = new Map<string, { userId: string | null; until: number }>();
  const slackIdByEmail = async (email: string): Promise<string | null> => {
    const key = email.trim().toLowerCase();
    const known = byEmail.get(key);
    if (known && known.until > Date.now()) return known.userId;
    let userId: string | null;
    try {
      const found = await client.users.lookupByEmail({ email: key });
      userId = found.user && !found.user.deleted && !found.user.is_bot ? (found.user.id ?? null) : null;
    } catch (error) {
      // Not in the workspace: remembered. Anything else (rate limit, network): asked again next time.
      if ((error as { data?: { error?: string } }).data?.error !== 'users_not_found') throw error;
      userId = null;
    }
    byEmail.set(key, { userId, until: Date.now() + EMAIL_LOOKUP_TTL_MS });
    return userId;
  };

  const targetChannel = async (recipient: Recipient): Promise<string> => {
    if (recipient.channel?.startsWith(CHANNEL_PREFIX)) return recipient.channel.slice(CHANNEL_PREFIX.length);
    const userId = recipient.person?.slackUserId ?? (recipient.person?.email ? await slackIdByEmail(recipient.person.email) : null);
    if (!userId) throw new Error('recipient has no Slack user id or Slack channel');
    return userId;
  };

  return {
    platform: 'slack',

    async canReach(recipient) {
      if (recipient.channel) return recipient.channel.startsWith(CHANNEL_PREFIX) && recipient.channel.length > CHANNEL_PREFIX.length;
      if (recipient.person?.slackUserId) return true;
      if (!recipient.person?.email) return false;
      try {
        return (await slackIdByEmail(recipient.person.email)) !== null;
      } catch (error) {
        // A failed look-up (rate limit, network) is not "unreachable", which would drop the message:
        // delivery is tried, fails the same way, and the outbox retries it later.
        log?.warn({ err: error }, 'could not look a person up in Slack by email; the message will be retried');
        return true;
      }
    },

    async deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
      const { payload, key } = message;
      const messages = renderBlocks(payload.reply, { actionButtons: KINDS_WITH_BUTTONS.has(payload.kind) });
      const previously = partial.get(key);
      let channel: string;
      try {
        channel = previously?.channel ?? (await targetChannel(message.recipient));
      } catch (error) {
        const outcome = classifySlackError(error);
        log?.warn({ key, outboxId: message.outboxId, attempt: message.attempt, error: outcome.error }, 'Slack delivery failed before sending');
        return outcome;
      }
      const sent: SentParts = { channel, ts: [...(previously?.ts ?? [])] };
      for (let i = sent.ts.length; i < messages.length; i += 1) {
        const part = messages[i] as (typeof messages)[number];
        try {
          const result = await client.chat.postMessage({
            channel: sent.channel,
            text: part.text,
            blocks: part.blocks,
            unfurl_links: false,
            unfurl_media: false,
            metadata: { event_type: OUTBOX_METADATA_EVENT, event_payload: { key, part: i + 1, parts: messages.length } },
          });
          sent.ts.push(result.ts ?? '');
          // Posted to a user id: Slack names the DM it went to; later parts and chat.update use that.
          if (typeof result.channel === 'string' && result.channel) sent.channel = result.channel;
        } catch (error) {
          const outcome = classifySlackError(error as WebAPICallError);
          if (sent.ts.length > 0) {
            remember(key, sent);
            outcome.error = `part ${i + 1} of ${messages.length} failed (${sent.ts.length} already delivered; a retry sends the rest): ${outcome.error}`;
          }
          log?.warn({ key, outboxId: message.outboxId, attempt: message.attempt, part: i + 1, error: outcome.error }, 'Slack delivery failed');
          return outcome;
        }
      }
      partial.delete(key);
      // "<channel>:<ts>[,<ts>…]": the channel and timestamps identify the messages for chat.update/delete.
      return { ok: true, platformMessageId: `${sent.channel}:${sent.ts.join(',')}` };
    },
  };
}

/**
 * The adapter built from configuration, for `sendbot tick` and the scheduler: undefined when Slack is
 * not configured. Its WebClient makes one attempt per call with a 10-second timeout.
 */
export function createSlackDeliveryFromConfig(config: Pick<Config, 'slack'>, logger?: Logger): DeliveryAdapter | undefined {
  if (!config.slack) return undefined;
  const client = new WebClient(config.slack.botToken, { ...slackClientOptions(config.slack), ...(logger ? { logger: toBoltLogger(logger) } : {}) });
  return createSlackDelivery({ client, ...(logger ? { logger } : {}) });
}
