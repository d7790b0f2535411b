// Calendar look-ups the planner repeats for thousands of actions per tick, memoised by their string
// inputs: luxon is exact about Europe/London but too slow to call per action on 100k actions.
import { DateTime } from 'luxon';
import { LONDON, toStoredInstant } from '../../clock.js';
import { formatDate, formatInstant } from '../../render/format.js';
import { addWorkingDays, isWorkingDay, type OfficeHours, officeOpens } from '../working-calendar.js';

/** A stored UTC instant, e.g. 2024-11-20T09:00:00.000Z (see toStoredInstant). */
const STORED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const DAY_MS = 86_400_000;

const memo = new Map<string, string>();
const countMemo = new Map<string, number>();
/** The caches only ever hold dates and instants the plan actually uses; a cap keeps a long-lived process bounded. */
const MAX_ENTRIES = 200_000;

function remember<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    value = compute();
    cache.set(key, value);
  }
  return value;
}

/** 00:00 London on `isoDate`, as a stored UTC instant. */
export function londonMidnightUtc(isoDate: string): string {
  return remember(memo, `m|${isoDate}`, () => toStoredInstant(DateTime.fromISO(isoDate, { zone: LONDON })));
}

/** Office opening on `isoDate` (London), as a stored UTC instant. */
export function officeOpensUtc(isoDate: string, hours: OfficeHours): string {
  return remember(memo, `o|${isoDate}|${hours.start}`, () => toStoredInstant(officeOpens(isoDate, hours)));
}

/**
 * The London calendar date of a UTC ISO instant. London is always a whole number of hours from UTC,
 * so the date is the same for every instant in a UTC hour: memoised per hour, not per instant.
 */
export function londonDateOf(utcIso: string): string {
  const hour = STORED.test(utcIso) ? utcIso.slice(0, 13) : undefined;
  if (hour === undefined) return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(LONDON).toISODate() as string;
  return remember(memo, `d|${hour}`, () => DateTime.fromISO(`${hour}:00:00.000Z`, { zone: 'utc' }).setZone(LONDON).toISODate() as string);
}

/** `isoDate` plus `days` calendar days. */
export function plusDays(isoDate: string, days: number): string {
  return remember(memo, `p|${isoDate}|${days}`, () => DateTime.fromISO(isoDate, { zone: 'utc' }).plus({ days }).toISODate() as string);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * Working days an action due on `due` is overdue on `today` (as workingDaysBetween). Walks the days
 * through memoised dates and the cached isWorkingDay: a large plan has hundreds of distinct due dates.
 */
export function workingDaysOverdue(due: string, today: string): number {
  return remember(countMemo, `${due}|${today}`, () => {
    let count = 0;
    for (let day = plusDays(due, 1); day <= today; day = plusDays(day, 1)) {
      if (isWorkingDay(day)) count += 1;
    }
    return count;
  });
}

/** "Wed 4 Dec" for message text. */
export function shortDay(isoDate: string): string {
  return remember(memo, `s|${isoDate}`, () => DateTime.fromISO(isoDate, { zone: LONDON }).toFormat('ccc d LLL'));
}

/** ISO week label of the week containing `isoDate`, e.g. "2024-W47". */
export function isoWeekLabel(isoDate: string): string {
  return remember(memo, `w|${isoDate}`, () => DateTime.fromISO(isoDate, { zone: LONDON }).toFormat("kkkk-'W'WW"));
}

/** The Monday of the ISO week containing `isoDate`. */
export function mondayOf(isoDate: string): string {
  return remember(memo, `mon|${isoDate}`, () => DateTime.fromISO(isoDate, { zone: LONDON }).startOf('week').toISODate() as string);
}

/** Office closing on `isoDate` (London), as a stored UTC instant. */
export function officeClosesUtc(isoDate: string, hours: OfficeHours): string {
  // officeOpens sets the local time of day on the date; asked for the closing time, it gives that.
  return remember(memo, `c|${isoDate}|${hours.end}`, () => toStoredInstant(officeOpens(isoDate, { start: hours.end, end: hours.end })));
}

/** `isoDate` moved by `n` working days (memoised addWorkingDays). */
export function shiftWorkingDays(isoDate: string, n: number): string {
  return remember(memo, `wd|${isoDate}|${n}`, () => addWorkingDays(isoDate, n));
}

/** The working day on or after `isoDate`. */
export function onOrAfterWorkingDay(isoDate: string): string {
  return isWorkingDay(isoDate) ? isoDate : shiftWorkingDays(isoDate, 1);
}

/**
 * The first instant at or after `utcIso` inside office hours on a working day (as nextOfficeMoment in
 * working-calendar.ts), worked out on memoised dates and compared as stored UTC text.
 */
export function officeMomentAtOrAfter(utcIso: string, hours: OfficeHours): string {
  const at = STORED.test(utcIso) ? utcIso : toStoredInstant(DateTime.fromISO(utcIso, { zone: 'utc' }));
  const day = londonDateOf(at);
  if (isWorkingDay(day)) {
    const opens = officeOpensUtc(day, hours);
    if (at < opens) return opens;
    if (at < officeClosesUtc(day, hours)) return at;
  }
  return officeOpensUtc(shiftWorkingDays(day, 1), hours);
}

/** "Wed 4 Dec 2024, 14:00" for a meeting start (formatInstant, memoised: the weekly summary lists every board). */
export function meetingLabel(utcIso: string): string {
  return remember(memo, `f|${utcIso}`, () => formatInstant(utcIso));
}

/** "3 Nov 2024" (formatDate, memoised: one per listed action's last report). */
export function dateLabel(isoDate: string): string {
  return remember(memo, `l|${isoDate}`, () => formatDate(isoDate));
}
