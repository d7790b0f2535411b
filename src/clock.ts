import { DateTime } from 'luxon';

/** Every local time sendbot reasons about is in this zone. */
export const LONDON = 'Europe/London';

/**
 * Where "now" comes from. Domain code takes a Clock instead of reading the wall clock, so tests
 * (and `--now`) can pin time to a board cycle, a bank holiday or a clock change.
 */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = {
  now: () => DateTime.now().setZone(LONDON),
};

/** A clock stopped at `iso` (any ISO-8601 form; a bare date means 00:00 London time). */
export function fixedClock(iso: string): Clock {
  const at = parseInstant(iso);
  return { now: () => at };
}

/**
 * A clock that starts at `iso` and then runs at real speed (`--now … --clock-runs`): for runs that
 * need time to pass — leases running out when an instance dies — at a chosen moment of a board cycle.
 */
export function runningClock(iso: string): Clock {
  const at = parseInstant(iso);
  const started = Date.now();
  return { now: () => at.plus({ milliseconds: Date.now() - started }) };
}

/** A clock tests can move forward. */
export interface ManualClock extends Clock {
  set(iso: string | DateTime): void;
  advance(duration: { minutes?: number; hours?: number; days?: number; seconds?: number }): void;
}

export function manualClock(iso: string): ManualClock {
  let at = parseInstant(iso);
  return {
    now: () => at,
    set: (next) => {
      at = typeof next === 'string' ? parseInstant(next) : next.setZone(LONDON);
    },
    advance: (d) => {
      at = at.plus(d);
    },
  };
}

/** Parses an ISO date or date-time; times without an offset are London local time. */
export function parseInstant(iso: string): DateTime {
  const at = DateTime.fromISO(iso, { zone: LONDON, setZone: false });
  if (!at.isValid) throw new Error(`"${iso}" is not an ISO date or date-time (e.g. 2024-11-18 or 2024-11-18T09:00)`);
  return at.setZone(LONDON);
}

/** Instants are stored as UTC ISO text. */
export function toStoredInstant(at: DateTime): string {
  // The same text as luxon's toUTC().toISO(), at a sixth of the cost: every Slack request stores one.
  return at.isValid ? new Date(at.toMillis()).toISOString() : (at.toUTC().toISO({ suppressMilliseconds: false }) as string);
}
