// What the planner produces: one row-to-be of the outbox, with its deterministic key. The tick inserts
// these with "on conflict(key) do nothing", so planning the same thing twice never sends it twice.
import type { NotificationKind, NotificationPayload } from '../../jobs/delivery-types.js';

export interface PlannedNotification {
  /** Deterministic and unique per occasion, e.g. `nudge:12:3:window`. */
  key: string;
  kind: NotificationKind;
  /** The person who receives it (a delegate when the owner is away); null for channel messages. */
  recipientPersonId: number | null;
  /** 'slack:<id>' or 'teams:<id>' for channel messages; null for direct messages. */
  recipientChannel: string | null;
  /** UTC ISO: never delivered before this instant (always an office-hours moment). */
  notBefore: string;
  boardId: number | null;
  meetingId: number | null;
  refs: string[];
  payload: NotificationPayload;
  /** UTC ISO: a row still pending at this instant is skipped (meeting start, or end of relevance). */
  expiresAt: string | null;
}

export interface PlannedFields {
  key: string;
  kind: NotificationKind;
  recipientPersonId?: number | null;
  recipientChannel?: string | null;
  notBefore: string;
  boardId?: number | null;
  meetingId?: number | null;
  refs?: string[];
  reply: NotificationPayload['reply'];
  onBehalfOfPersonId?: number | null;
  expiresAt: string | null;
}

/** One planned message, with the payload the delivery loop renders at send time. */
export function plannedNotification(f: PlannedFields): PlannedNotification {
  const refs = f.refs ?? [];
  return {
    key: f.key,
    kind: f.kind,
    recipientPersonId: f.recipientPersonId ?? null,
    recipientChannel: f.recipientChannel ?? null,
    notBefore: f.notBefore,
    boardId: f.boardId ?? null,
    meetingId: f.meetingId ?? null,
    refs,
    payload: {
      kind: f.kind,
      reply: f.reply,
      refs,
      boardId: f.boardId ?? null,
      meetingId: f.meetingId ?? null,
      onBehalfOfPersonId: f.onBehalfOfPersonId ?? null,
    },
    expiresAt: f.expiresAt,
  };
}

/**
 * A stored channel id as an outbox address. Board channels come typed; the programme channel is a bare
 * id: Teams conversation ids look like "19:…@thread…", anything else is taken to be a Slack channel.
 */
export function channelAddress(id: string, platform?: 'slack' | 'teams'): string {
  if (/^(slack|teams):/.test(id)) return id;
  const inferred = platform ?? (/^19:|@thread/.test(id) ? 'teams' : 'slack');
  return `${inferred}:${id}`;
}
