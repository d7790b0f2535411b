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

/** Moves `n` working days from `isoDate` (negative n goes back). The start day itself is not counted. */
export function addWorkingDays(isoDate: string, n: number): string {
  let day = DateTime.fromISO(isoDate, { zone: LONDON });
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  while (left > 0) {
    day = day.plus({ days: step });
    if (isWorkingDay(day.toISODate() as string)) left -= 1;
  }
  return day.toISODate() as string;
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
  let day = DateTime.fromISO(from, { zone: LONDON });
  const end = DateTime.fromISO(to, { zone: LONDON });
  let count = 0;
  // Whole weeks first so a long overdue stretch does not walk day by day.
  const weeks = Math.floor(end.diff(day, 'days').days / 7) - 1;
  if (weeks > 0) {
    const jumped = day.plus({ weeks });
    count += weeks * 5;
    for (const year of new Set([day.year, jumped.year, ...rangeYears(day.year, jumped.year)])) {
      for (const h of bankHolidays(year)) {
        const wd = DateTime.fromISO(h, { zone: LONDON }).weekday;
        if (h > from && h <= (jumped.toISODate() as string) && wd <= 5) count -= 1;
      }
    }
    day = jumped;
  }
  while (day < end) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(day.toISODate() as string)) count += 1;
  }
  return count;
}

function rangeYears(a: number, b: number): number[] {
  const years: number[] = [];
  for (let y = a; y <= b; y += 1) years.push(y);
  return years;
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
