// Working days and office hours for the partnership: weekends and England and Wales bank holidays
// (from date-holidays, which tracks one-off holidays such as coronations) are not working days.
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { LONDON } from '../clock.js';

export interface OfficeHours {
  /** "HH:MM" local time. */
  start: string;
  end: string;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = { start: '09:00', end: '17:30' };

const bankHolidaysByYear = new Map<number, Set<string>>();
const englandAndWales = new Holidays('GB', 'ENG');

/** ISO dates of England and Wales bank holidays in `year` (cached: the rules do not change at run time). */
export function bankHolidays(year: number): Set<string> {
  let days = bankHolidaysByYear.get(year);
  if (!days) {
    days = new Set(
      (englandAndWales.getHolidays(year) || [])
        .filter((h) => h.type === 'public' || h.type === 'bank')
        .map((h) => h.date.slice(0, 10)),
    );
    bankHolidaysByYear.set(year, days);
  }
  return days;
}

export function isBankHoliday(isoDate: string): boolean {
  return bankHolidays(Number(isoDate.slice(0, 4))).has(isoDate);
}

const workingDayCache = new Map<string, boolean>();

export function isWorkingDay(isoDate: string): boolean {
  let working = workingDayCache.get(isoDate);
  if (working === undefined) {
    // Weekday from the calendar date alone (UTC noon avoids any zone edge): this runs in hot loops.
    const weekday = new Date(`${isoDate}T12:00:00Z`).getUTCDay();
    working = weekday !== 0 && weekday !== 6 && !isBankHoliday(isoDate);
    workingDayCache.set(isoDate, working);
  }
  return working;
}

// Calendar dates as whole days since 1970-01-01: the planner does this arithmetic for every
// action on every tick, and integer days are far cheaper than DateTime objects.
const DAY_MS = 86_400_000;
const toDay = (isoDate: string): number => Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) / DAY_MS;
const fromDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Moves `n` working days from `isoDate` (negative n goes back). The start day itself is not counted. */
export function addWorkingDays(isoDate: string, n: number): string {
  let day = toDay(isoDate);
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  while (left > 0) {
    day += step;
    if (isWorkingDay(fromDay(day))) left -= 1;
  }
  return fromDay(day);
}

/** The first working day strictly after `isoDate`. */
export function nextWorkingDay(isoDate: string): string {
  return addWorkingDays(isoDate, 1);
}

/** The working day on or after `isoDate`. */
export function workingDayOnOrAfter(isoDate: string): string {
  return isWorkingDay(isoDate) ? isoDate : nextWorkingDay(isoDate);
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string): number {
  if (to <= from) return 0;
  const first = toDay(from) + 1;
  const last = toDay(to);
  // Whole weeks hold five weekdays each; walk only the remainder, then take off bank holidays.
  const weeks = Math.floor((last - first + 1) / 7);
  let count = weeks * 5;
  for (let day = first + weeks * 7; day <= last; day += 1) {
    const weekday = new Date(day * DAY_MS).getUTCDay();
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1) {
    for (const h of bankHolidays(year)) {
      if (h > from && h <= to) {
        const weekday = new Date(`${h}T12:00:00Z`).getUTCDay();
        if (weekday !== 0 && weekday !== 6) count -= 1;
      }
    }
  }
  return count;
}

function atLocalTime(isoDate: string, hhmm: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number);
  return DateTime.fromISO(isoDate, { zone: LONDON }).set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 });
}

/** Office hours opening on a given working day. */
export function officeOpens(isoDate: string, hours: OfficeHours = DEFAULT_OFFICE_HOURS): DateTime {
  return atLocalTime(isoDate, hours.start);
}

/**
 * The earliest instant at or after `at` that falls inside office hours on a working day: messages
 * planned for the evening, a weekend or a bank holiday wait for the next morning the office is open.
 */
export function nextOfficeMoment(at: DateTime, hours: OfficeHours = DEFAULT_OFFICE_HOURS): DateTime {
  const local = at.setZone(LONDON);
  const today = local.toISODate() as string;
  if (isWorkingDay(today)) {
    const opens = atLocalTime(today, hours.start);
    const closes = atLocalTime(today, hours.end);
    if (local < opens) return opens;
    if (local < closes) return local;
  }
  return atLocalTime(nextWorkingDay(today), hours.start);
}

export function isWithinOfficeHours(at: DateTime, hours: OfficeHours = DEFAULT_OFFICE_HOURS): boolean {
  return nextOfficeMoment(at, hours).toMillis() === at.toMillis();
}
