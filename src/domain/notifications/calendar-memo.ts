// Calendar look-ups the planner repeats for thousands of actions per tick, memoised by their string
// inputs: luxon is exact about Europe/London but too slow to call per action on 100k actions.
import { DateTime } from 'luxon';
import { LONDON, toStoredInstant } from '../../clock.js';
import { formatDate, formatInstant } from '../../messages/format.js';
import type { LeadTimes, MeetingMilestones, MeetingRef } from '../board-cycle.js';
import { addWorkingDays, isWorkingDay, type OfficeHours, officeOpens, workingDaysBetween } from '../working-calendar.js';

/** A stored UTC instant, e.g. 2024-11-20T09:00:00.000Z (see toStoredInstant). */
const STORED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const DAY_MS = 86_400_000;

const memo = new Map<string, string>();
/** today → due → working days overdue. */
const countMemo = new Map<string, Map<string, number>>();
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

/** A UTC calendar day as London sees it. */
interface UtcDay {
  /** London's offset from UTC in minutes, the same all day; null on a day the clocks change. */
  offset: number | null;
  day: string;
  previous: string;
  next: string;
}

/** By the UTC date's digits as a number (20241120): looked up without building a key string. */
const utcDays = new Map<number, UtcDay>();

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;

function utcDay(isoDate: string): UtcDay {
  const offsetAt = (time: string) => DateTime.fromISO(`${isoDate}T${time}Z`, { zone: 'utc' }).setZone(LONDON).offset;
  const start = offsetAt('00:00:00.000');
  const end = offsetAt('23:59:59.999');
  const midnight = Date.parse(`${isoDate}T00:00:00.000Z`);
  return {
    // Europe/London changes its clocks at most once a day (at 01:00 UTC): same offset at both ends, same all day.
    offset: start === end && Number.isInteger(start) ? start : null,
    day: isoDate,
    previous: Number.isNaN(midnight) ? isoDate : new Date(midnight - DAY_MS).toISOString().slice(0, 10),
    next: Number.isNaN(midnight) ? isoDate : new Date(midnight + DAY_MS).toISOString().slice(0, 10),
  };
}

/**
 * The London calendar date of a UTC ISO instant. London's offset changes at most once a day, so
 * each UTC day's offset is worked out once (luxon) and every instant in it is placed by arithmetic
 * on its time of day; on the two days a year the clocks change, the date is memoised per UTC hour
 * (London is always a whole number of hours from UTC).
 */
export function londonDateOf(utcIso: string): string {
  if (!STORED.test(utcIso)) return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(LONDON).toISODate() as string;
  const key =
    digit(utcIso, 0) * 10_000_000 +
    digit(utcIso, 1) * 1_000_000 +
    digit(utcIso, 2) * 100_000 +
    digit(utcIso, 3) * 10_000 +
    digit(utcIso, 5) * 1_000 +
    digit(utcIso, 6) * 100 +
    digit(utcIso, 8) * 10 +
    digit(utcIso, 9);
  let day = utcDays.get(key);
  if (day === undefined) {
    if (utcDays.size >= MAX_ENTRIES) utcDays.clear();
    day = utcDay(utcIso.slice(0, 10));
    utcDays.set(key, day);
  }
  const hours = digit(utcIso, 11) * 10 + digit(utcIso, 12);
  const minutes = digit(utcIso, 14) * 10 + digit(utcIso, 15);
  if (day.offset !== null && hours < 24 && minutes < 60) {
    const minute = hours * 60 + minutes + day.offset;
    return minute >= 1440 ? day.next : minute < 0 ? day.previous : day.day;
  }
  const hour = utcIso.slice(0, 13);
  return remember(memo, `d|${hour}`, () => DateTime.fromISO(`${hour}:00:00.000Z`, { zone: 'utc' }).setZone(LONDON).toISODate() as string);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `isoDate` plus `days` calendar days. */
export function plusDays(isoDate: string, days: number): string {
  return remember(memo, `p|${isoDate}|${days}`, () => addCalendarDays(isoDate, days));
}

/** Plain date arithmetic for a valid ISO date; luxon for anything else (as before, so odd input reads the same). */
function addCalendarDays(isoDate: string, days: number): string {
  if (ISO_DATE.test(isoDate)) {
    const y = Number(isoDate.slice(0, 4));
    const m = Number(isoDate.slice(5, 7));
    const d = Number(isoDate.slice(8, 10));
    const at = new Date(Date.UTC(y, m - 1, d));
    // A real date (not 2025-02-30), in the years toISOString writes as four digits.
    if (y >= 1000 && at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d) {
      at.setUTCDate(d + days);
      const year = at.getUTCFullYear();
      if (year >= 1000 && year <= 9999) return at.toISOString().slice(0, 10);
    }
  }
  return DateTime.fromISO(isoDate, { zone: 'utc' }).plus({ days }).toISODate() as string;
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * Working days an action due on `due` is overdue on `today`: workingDaysBetween (weeks counted
 * whole, bank holidays taken off), memoised by today and due date, as a large plan has hundreds of
 * distinct due dates and lists each overdue action in a message.
 */
export function workingDaysOverdue(due: string, today: string): number {
  let byDue = countMemo.get(today);
  if (!byDue) {
    if (countMemo.size >= 1_000) countMemo.clear();
    byDue = new Map();
    countMemo.set(today, byDue);
  }
  let count = byDue.get(due);
  if (count === undefined) {
    if (byDue.size >= MAX_ENTRIES) byDue.clear();
    count = ISO_DATE.test(due) && ISO_DATE.test(today) ? workingDaysBetween(due, today) : walkWorkingDays(due, today);
    byDue.set(due, count);
  }
  return count;
}

/** Working days in (due, today], one day at a time: for input that is not a plain ISO date. */
function walkWorkingDays(due: string, today: string): number {
  let count = 0;
  for (let day = plusDays(due, 1); day <= today; day = plusDays(day, 1)) {
    if (isWorkingDay(day)) count += 1;
  }
  return count;
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

const milestoneCache = new Map<string, MeetingMilestones>();

/**
 * A meeting's milestones, as milestonesFor (board-cycle.ts) works them out: its London date, then
 * working days back from it. They depend only on the meeting time and lead times, and every tick
 * and digest asks again for the same ones: memoised, and worked out on the memoised calendar, so a
 * fresh process does not pay luxon for every board's meeting.
 */
export function meetingMilestones(meeting: MeetingRef, lead: LeadTimes): MeetingMilestones {
  const key = `${meeting.id}|${meeting.startsAt}|${lead.updateWindowDays}|${lead.reminderDays}|${lead.papersDays}`;
  let m = milestoneCache.get(key);
  if (!m) {
    if (milestoneCache.size > 50_000) milestoneCache.clear();
    const date = londonDateOf(meeting.startsAt);
    m = {
      meeting,
      date,
      updateWindowOpens: shiftWorkingDays(date, -lead.updateWindowDays),
      reminderOn: shiftWorkingDays(date, -lead.reminderDays),
      papersDeadline: shiftWorkingDays(date, -lead.papersDays),
    };
    milestoneCache.set(key, m);
  }
  return m;
}
