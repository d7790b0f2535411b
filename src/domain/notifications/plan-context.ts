// Everything the planning helpers share for one call: "now" in the forms they need and the lookups
// built once, so no helper walks the whole state per action.
import { DateTime } from 'luxon';
import { toStoredInstant } from '../../clock.js';
import type { PersonState, PlanningState } from '../planning-state.js';
import type { OfficeHours } from '../working-calendar.js';
import { londonDateOf } from './calendar-memo.js';
import { sendDayFor } from './recipients.js';

export interface PlanContext {
  state: PlanningState;
  /** Stored UTC form of now, so it compares as text with every stored instant. */
  now: string;
  /** London date of now. */
  today: string;
  /** London date of the next office moment: the day a message planned now would go out. */
  sendDay: string;
  hours: OfficeHours;
  people: ReadonlyMap<number, PersonState>;
  /** Keys the caller already holds (in the outbox): left out, so their payloads are never built. */
  skip: (key: string) => boolean;
  /** What the outbox holds under a key, whatever its status (undefined: nothing, or not known). */
  queued: (key: string) => QueuedMessage | undefined;
  /**
   * The update-window nudges and reminders this call considered, by the owner they are about:
   * planned now (with what they list and the day they go out) or already queued. Overdue chasers
   * read it so an owner is not chased the same day for actions a meeting message lists.
   */
  meetingMessages: Map<number, MeetingMessage[]>;
}

/** An outbox row as the planner needs to know it: whether and when it went out, and what it listed. */
export interface QueuedMessage {
  status: 'pending' | 'sent' | 'failed' | 'dead' | 'skipped';
  notBefore: string;
  sentAt: string | null;
  refs: readonly string[];
  /** Delivery attempts so far (absent: none). */
  attempts?: number;
}

/**
 * The outbox rows the planner may ask about, by key: the caller reads them up front (the tick, in one
 * query over outboxKeyScope) and passes them in, so planning never reaches into the database. A Map
 * will do; anything with the same `get` does too.
 */
export interface QueuedMessages {
  get(key: string): QueuedMessage | undefined;
}

const NOTHING_QUEUED: QueuedMessages = { get: () => undefined };

/**
 * A key already queued is left out of the plan (its payload is not built again), except a row still
 * held for its recipient (pending, never tried, not due yet): planning it again may bring it sooner.
 */
export function isSettled(row: QueuedMessage | undefined, now: string): boolean {
  return row !== undefined && !(row.status === 'pending' && (row.attempts ?? 0) === 0 && row.notBefore > now);
}

export interface MeetingMessage {
  key: string;
  /** Set when planned in this call; otherwise the outbox is asked. */
  planned?: { refs: readonly string[]; notBefore: string };
}

export function createPlanContext(state: PlanningState, nowUtcIso: string, outbox: QueuedMessages = NOTHING_QUEUED): PlanContext {
  const now = STORED.test(nowUtcIso) ? nowUtcIso : normalise(nowUtcIso);
  return {
    state,
    now,
    today: londonDateOf(now),
    sendDay: sendDayFor(now, state.officeHours),
    hours: state.officeHours,
    people: new Map(state.people.map((p) => [p.id, p])),
    skip: (key) => isSettled(outbox.get(key), now),
    queued: (key) => outbox.get(key),
    meetingMessages: new Map(),
  };
}

/** The London day a message not to go before `notBefore` reaches its recipient (if sent as soon as it may be). */
export function deliveryDay(ctx: PlanContext, notBefore: string): string {
  return notBefore > ctx.now ? londonDateOf(notBefore) : ctx.sendDay;
}

/**
 * The London day a meeting message reached, or will reach, its recipient; undefined when it never
 * will (skipped, dead) or is not known.
 */
export function meetingMessageDay(ctx: PlanContext, m: MeetingMessage): { day: string; refs: readonly string[] } | undefined {
  if (m.planned) return { day: deliveryDay(ctx, m.planned.notBefore), refs: m.planned.refs };
  const row = ctx.queued(m.key);
  if (!row) return undefined;
  if (row.status === 'sent' && row.sentAt) return { day: londonDateOf(row.sentAt), refs: row.refs };
  if (row.status === 'pending' || row.status === 'failed') return { day: deliveryDay(ctx, row.notBefore), refs: row.refs };
  return undefined;
}

const STORED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function normalise(iso: string): string {
  const at = DateTime.fromISO(iso, { zone: 'utc' });
  if (!at.isValid) throw new Error(`planNotifications: "${iso}" is not an ISO instant`);
  return toStoredInstant(at);
}
