// When an overdue action is chased: on the first working day after its due date (D0), then weekly
// (Dk = the working day on or after D0 + 7k days), for as long as it stays overdue and unreported.
import { daysBetween, londonMidnightUtc, onOrAfterWorkingDay, plusDays, shiftWorkingDays } from './calendar-memo.js';

export interface ChaseOccasion {
  /** The current occasion C: the latest Dk on or before today (London date). */
  day: string;
  k: number;
  /** A report at or after this instant (UTC ISO) means the action is not chased at C. */
  reportedSince: string;
  /** 00:00 London on the next occasion: a chaser still pending then has been overtaken. */
  nextOccasionAt: string;
}

/** Dk for an action due on `due`. */
export function occasionDay(due: string, k: number): string {
  const d0 = shiftWorkingDays(due, 1);
  return k === 0 ? d0 : onOrAfterWorkingDay(plusDays(d0, 7 * k));
}

/** The current chase occasion for an action due on `due`, as of `today`; undefined before D0. */
export function currentOccasion(due: string, today: string): ChaseOccasion | undefined {
  const d0 = shiftWorkingDays(due, 1);
  if (d0 > today) return undefined;
  let k = Math.floor(daysBetween(d0, today) / 7);
  let day = occasionDay(due, k);
  // D0 + 7k can be a bank holiday that rolls past today: then the current occasion is the one before.
  if (day > today) {
    k -= 1;
    day = occasionDay(due, k);
  }
  return {
    day,
    k,
    // k = 0: any report after the due date; later: any report since the previous occasion began.
    reportedSince: londonMidnightUtc(k === 0 ? plusDays(due, 1) : occasionDay(due, k - 1)),
    nextOccasionAt: londonMidnightUtc(occasionDay(due, k + 1)),
  };
}

/**
 * The days whose occasions may still be planned today: the day itself and the working day before.
 * A scheduler that was down for a fortnight so does not send a backlog of stale chasers when it comes back.
 */
export function recentOccasionDays(today: string): ReadonlySet<string> {
  return new Set([today, shiftWorkingDays(today, -1)]);
}
