// The outbox's Teams adapter: ONE attempt to deliver a notification, and an honest account of what
// happened so the outbox can decide (it owns retries and backoff).
//
// - People are reached in their personal chat with the bot, through the conversation reference
//   stored when the app was installed or they last wrote (kept in SQLite, so this works after a
//   restart). Channels ('teams:<conversation id>', e.g. a board's teams_channel) through the
//   channel's reference. No enabled reference: canReach says no, and the outbox picks another
//   platform or marks the row dead.
// - Each message is a proactive turn (CloudAdapter.continueConversationAsync) posting the reply's
//   Adaptive Cards, one message per card; nudges, reminders and overdue notices carry the update
//   form. A new post, not a reply: the continuation's random activity id is not used as replyToId.
// - One HTTP attempt per card: the connector client's own retry policy is removed (teams-auth.ts).
//   429/412/502/504/5xx are transient with Retry-After; 401/403 are permanent, and a 403 (bot
//   blocked, removed, uninstalled) disables the reference so nothing retries it forever.
// - Teams' per-conversation rate (rate-limiter.ts): short waits are slept through within the
//   delivery; a long one ends the attempt as transient with retryAfterMs.
// - A long digest is several cards. When card 2 of 3 fails, the retry sends only cards 2 and 3: the
//   cards already accepted are remembered per outbox key, in memory (after a restart a retry starts
//   from card 1 again, so a person may see it twice — a duplicate, never a lost message).
import { CloudAdapter, type ConversationReference } from 'botbuilder';
import { type Clock, systemClock, toStoredInstant } from '../../clock.js';
import type { Config } from '../../config.js';
import type { DeliveryAdapter, DeliveryOutcome, NotificationKind, OutgoingMessage, Recipient } from '../../jobs/delivery-types.js';
import { componentLogger, type Logger } from '../../logger.js';
import { renderCards } from '../../render/adaptive-card.js';
import {
  type ConversationReferenceRow,
  disableConversationReference,
  findEnabledConversationReference,
  findPersonalReference,
} from '../../store/conversation-references-repository.js';
import type { Db } from '../../store/database.js';
import { type ConversationRateLimiter, createConversationRateLimiter } from './rate-limiter.js';
import { createBotFrameworkAuthentication, logTeamsAuthMode } from './teams-auth.js';
import { classifyTeamsError, type TeamsFailure } from './teams-errors.js';
import { cardActivity } from './teams-replies.js';

const CHANNEL_PREFIX = 'teams:';

/** Notifications that ask the person to act on each action carry the update form. */
const KINDS_WITH_FORM = new Set<NotificationKind>(['nudge', 'reminder', 'overdue']);

/** Waits up to this long within one delivery for the conversation's rate budget; longer goes back to the outbox. */
export const MAX_INLINE_RATE_WAIT_MS = 2_000;

export interface TeamsDeliveryOptions {
  adapter: CloudAdapter;
  /** The bot's app id ('' or undefined when authentication is off, for local testing). */
  appId?: string;
  db: Db;
  /** For the time stamped on a disabled reference. */
  clock?: Clock;
  logger?: Logger;
  limiter?: ConversationRateLimiter;
  maxInlineWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** How many partly delivered multi-card notifications to remember. */
  maxRemembered?: number;
}

interface SentParts {
  conversationId: string;
  ids: string[];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function describe(recipient: Recipient): string {
  return recipient.person ? `${recipient.person.name} <${recipient.person.email}>` : (recipient.channel ?? 'nobody');
}

export function createTeamsDelivery(options: TeamsDeliveryOptions): DeliveryAdapter {
  const { adapter, db } = options;
  const clock = options.clock ?? systemClock;
  const log = (options.logger ? componentLogger(options.logger, 'teams-delivery') : undefined);
  const limiter = options.limiter ?? createConversationRateLimiter();
  const maxInlineWaitMs = options.maxInlineWaitMs ?? MAX_INLINE_RATE_WAIT_MS;
  const sleep = options.sleep ?? defaultSleep;
  const maxRemembered = options.maxRemembered ?? 1000;
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

  const target = async (recipient: Recipient): Promise<ConversationReferenceRow | undefined> => {
    if (recipient.channel !== undefined) {
      if (!recipient.channel.startsWith(CHANNEL_PREFIX) || recipient.channel.length <= CHANNEL_PREFIX.length) return undefined;
      return await findEnabledConversationReference(db, recipient.channel.slice(CHANNEL_PREFIX.length));
    }
    return recipient.person ? await findPersonalReference(db, recipient.person) : undefined;
  };

  const fail = (message: OutgoingMessage, failure: TeamsFailure | Extract<DeliveryOutcome, { ok: false }>, extra: Record<string, unknown> = {}) => {
    log?.warn({ key: message.key, outboxId: message.outboxId, attempt: message.attempt, error: failure.error, ...extra }, 'Teams delivery failed');
    const { ok, permanent, error, retryAfterMs } = failure;
    return { ok, permanent, error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } satisfies DeliveryOutcome;
  };

  return {
    platform: 'teams',

    async canReach(recipient) {
      return await target(recipient) !== undefined;
    },

    async deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
      const { payload, key } = message;
      const row = await target(message.recipient);
      if (!row) {
        return fail(message, {
          ok: false,
          permanent: true,
          error: `no Teams conversation with ${describe(message.recipient)}: the app is not installed there, or was removed`,
        });
      }
      const conversationId = row.conversationId;
      const cards = renderCards(payload.reply, KINDS_WITH_FORM.has(payload.kind) ? { updateForm: true } : {});
      const previously = partial.get(key);
      const sent: SentParts = { conversationId, ids: previously?.conversationId === conversationId ? [...previously.ids] : [] };

      let failure: unknown;
      let throttledMs: number | undefined;
      try {
        await adapter.continueConversationAsync(options.appId ?? '', row.reference as Partial<ConversationReference>, async (context) => {
          // A new post in the conversation, not a reply to the continuation's made-up activity id.
          context.onSendActivities(async (_context, activities, next) => {
            for (const activity of activities) delete activity.replyToId;
            return next();
          });
          for (let i = sent.ids.length; i < cards.length; i += 1) {
            const wait = limiter.delayFor(conversationId);
            if (wait > maxInlineWaitMs) {
              throttledMs = wait;
              return;
            }
            if (wait > 0) await sleep(wait);
            limiter.record(conversationId);
            // Caught here, not thrown: a throw inside the turn would go to the bot's onTurnError.
            try {
              const response = await context.sendActivity(cardActivity(cards[i] as (typeof cards)[number], payload.reply.summary));
              sent.ids.push(response?.id ?? '');
            } catch (error) {
              failure = error;
              return;
            }
          }
        });
      } catch (error) {
        // Before the turn started: creating the connector client or getting a token failed.
        failure = error;
      }

      const progress = (text: string): string =>
        sent.ids.length > 0 ? `part ${sent.ids.length + 1} of ${cards.length} failed (${sent.ids.length} already delivered; a retry sends the rest): ${text}` : text;

      if (failure !== undefined) {
        const outcome = classifyTeamsError(failure);
        if (outcome.disableReference) {
          await disableConversationReference(db, conversationId, outcome.error, toStoredInstant(clock.now()));
          log?.warn({ conversationId, error: outcome.error }, 'Teams refused the conversation (403): its reference is disabled');
        }
        if (sent.ids.length > 0 && !outcome.permanent) remember(key, sent);
        else partial.delete(key);
        return fail(message, { ...outcome, error: progress(outcome.error) }, { conversationId, status: outcome.status });
      }
      if (throttledMs !== undefined) {
        if (sent.ids.length > 0) remember(key, sent);
        return fail(
          message,
          { ok: false, permanent: false, retryAfterMs: throttledMs, error: progress(`holding back: Teams allows about 60 messages per 30 seconds to one conversation`) },
          { conversationId },
        );
      }
      partial.delete(key);
      // "<conversation id>:<activity id>[,<activity id>…]": enough to update or delete the messages later.
      return { ok: true, platformMessageId: `${conversationId}:${sent.ids.join(',')}` };
    },
  };
}

export interface TeamsDeliveryFromConfigOptions {
  logger?: Logger;
  clock?: Clock;
}

/**
 * The adapter built from configuration, for `sendbot tick` and the scheduler: undefined when Teams
 * is not configured. Throws TeamsStartError when there is no app id and unauthenticated mode was not
 * asked for. Its connector clients make one attempt per call.
 */
export function createTeamsDeliveryFromConfig(config: Pick<Config, 'teams'>, db: Db, options: TeamsDeliveryFromConfigOptions = {}): DeliveryAdapter | undefined {
  if (!config.teams) return undefined;
  const log = (options.logger ? componentLogger(options.logger, 'teams') : undefined);
  if (log) logTeamsAuthMode(config.teams, log);
  const adapter = new CloudAdapter(createBotFrameworkAuthentication(config.teams, log));
  return createTeamsDelivery({
    adapter,
    appId: config.teams.appId ?? '',
    db,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
