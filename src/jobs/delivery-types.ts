// The contract between the outbox and each platform (console, Slack, Teams). The outbox owns
// retries and backoff; an adapter makes ONE attempt and says what happened.
import type { Reply } from '../render/reply.js';

export type NotificationKind =
  | 'nudge'
  | 'reminder'
  | 'overdue'
  | 'chair_digest'
  | 'channel_digest'
  | 'weekly_digest'
  | 'dead_letter'
  /** A chair is told a new due date was asked for (with an Approve button). */
  | 'date_request'
  /** The person who asked for a new due date is told the decision. */
  | 'date_decision'
  /** Programme officers are told a followed calendar feed changed a board's meetings, or broke. */
  | 'feed_report';

/** What an outbox row carries: a neutral Reply (rendered per platform at send time) plus context. */
export interface NotificationPayload {
  kind: NotificationKind;
  reply: Reply;
  /** Action refs the message is about (nudges show Update / No change buttons for these). */
  refs: string[];
  boardId?: number | null;
  meetingId?: number | null;
  /** Set when a delegate receives someone else's nudge. */
  onBehalfOfPersonId?: number | null;
}

export interface Recipient {
  /** A person (direct message) … */
  person?: {
    id: number;
    name: string;
    email: string;
    slackUserId: string | null;
    teamsUserId: string | null;
    lastPlatform: string | null;
  };
  /** … or a channel: 'slack:C123', 'teams:<conversation id>' or 'console'. */
  channel?: string;
}

export interface OutgoingMessage {
  outboxId: number;
  key: string;
  recipient: Recipient;
  payload: NotificationPayload;
  attempt: number;
}

export type DeliveryOutcome =
  | { ok: true; platformMessageId: string | null }
  /**
   * permanent: do not retry (e.g. channel_not_found, 403 uninstalled); otherwise the outbox backs off,
   * waiting at least retryAfterMs when the platform said so (429 Retry-After).
   */
  | { ok: false; permanent: boolean; retryAfterMs?: number; error: string };

export interface DeliveryAdapter {
  readonly platform: 'console' | 'slack' | 'teams';
  /** True when this adapter has a way to reach the recipient (an id, a conversation reference…). */
  canReach(recipient: Recipient): Promise<boolean>;
  deliver(message: OutgoingMessage): Promise<DeliveryOutcome>;
}
