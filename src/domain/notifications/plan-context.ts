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
}

export function createPlanContext(state: PlanningState, nowUtcIso: string, skip: (key: string) => boolean = () => false): PlanContext {
  const now = STORED.test(nowUtcIso) ? nowUtcIso : normalise(nowUtcIso);
  return {
    state,
    now,
    today: londonDateOf(now),
    sendDay: sendDayFor(now, state.officeHours),
    hours: state.officeHours,
    people: new Map(state.people.map((p) => [p.id, p])),
    skip,
  };
}

const STORED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function normalise(iso: string): string {
  const at = DateTime.fromISO(iso, { zone: 'utc' });
  if (!at.isValid) throw new Error(`planNotifications: "${iso}" is not an ISO instant`);
  return toStoredInstant(at);
}
