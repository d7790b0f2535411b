// Built-in default school term dates for England, computed by rule for any academic year, and the
// lookup that prefers a partnership's own configured terms.
//
// Naming convention (calendar year of the term): "Autumn term 2024" = Sept–Dec 2024,
// "Spring term 2025" = Jan–Mar/Apr 2025, "Summer term 2025" = Apr–Jul 2025.
//
// The defaults are an approximation of a typical English local authority calendar; they are only used
// when the partnership has not configured its own terms, and results read from them are flagged
// ('term-dates-default') by the deadline reader.
//
// Rules:
// - Autumn starts on the first weekday on or after 2 September and ends on the last Friday on or
//   before 20 December.
// - Spring starts on the first weekday on or after 4 January and ends before the Easter holiday:
//     Easter Sunday on or before 31 March  -> ends Maundy Thursday (Good Friday - 1)
//     Easter Sunday 1–12 April             -> ends the Friday nine days before Easter (holiday = the
//                                             week before and the week after Easter)
//     Easter Sunday 13 April or later      -> ends the Friday sixteen days before Easter (holiday = the
//                                             two weeks up to Easter Monday)
// - Summer starts after the Easter holiday (Monday two weeks after Easter Monday / Monday after the
//   Easter week / Tuesday after Easter Monday respectively) and ends on the last weekday on or before
//   22 July.

import { DateTime } from 'luxon';
import type { SchoolTerm, TermName } from './deadline-types.js';

export interface TermDates {
  /** First day of term, ISO date. */
  start: string;
  /** Last day of term, ISO date. */
  end: string;
  /** True when the built-in England defaults were used (no configured term for that year). */
  fromDefaults: boolean;
}

const TERM_NAMES: readonly TermName[] = ['autumn', 'spring', 'summer'];

export function isTermName(value: string): value is TermName {
  return (TERM_NAMES as readonly string[]).includes(value);
}

function day(year: number, month: number, dayOfMonth: number): DateTime {
  return DateTime.utc(year, month, dayOfMonth);
}

function iso(d: DateTime): string {
  return d.toISODate() ?? '';
}

/** Easter Sunday (Gregorian calendar), anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(day(year, month, dayOfMonth));
}

/** First date on or after `from` whose ISO weekday (1 = Monday … 7 = Sunday) is in `weekdays`. */
function onOrAfter(from: DateTime, weekdays: readonly number[]): DateTime {
  let d = from;
  for (let n = 0; n < 7 && !weekdays.includes(d.weekday); n += 1) d = d.plus({ days: 1 });
  return d;
}

/** Last date on or before `from` whose ISO weekday is in `weekdays`. */
function onOrBefore(from: DateTime, weekdays: readonly number[]): DateTime {
  let d = from;
  for (let n = 0; n < 7 && !weekdays.includes(d.weekday); n += 1) d = d.minus({ days: 1 });
  return d;
}

const WEEKDAYS = [1, 2, 3, 4, 5] as const;
const FRIDAY = [5] as const;

/** The Easter break around `year`'s Easter: last day of spring term and first day of summer term. */
function easterBreak(year: number): { springEnd: DateTime; summerStart: DateTime } {
  const easter = DateTime.fromISO(easterSunday(year), { zone: 'utc' });
  if (easter.month === 3) {
    // Early Easter: the holiday starts on Good Friday and runs two weeks.
    return { springEnd: easter.minus({ days: 3 }), summerStart: easter.plus({ days: 15 }) };
  }
  if (easter.day <= 12) {
    // Easter in the middle of a two-week break.
    return { springEnd: easter.minus({ days: 9 }), summerStart: easter.plus({ days: 8 }) };
  }
  // Late Easter: the two weeks up to and including Easter Monday.
  return { springEnd: easter.minus({ days: 16 }), summerStart: easter.plus({ days: 2 }) };
}

/** The built-in default dates of one term, in calendar year `year` (computed by rule). */
function computeDefaultTerm(name: TermName, year: number): { start: string; end: string } | undefined {
  switch (name) {
    case 'autumn':
      return {
        start: iso(onOrAfter(day(year, 9, 2), WEEKDAYS)),
        end: iso(onOrBefore(day(year, 12, 20), FRIDAY)),
      };
    case 'spring':
      return {
        start: iso(onOrAfter(day(year, 1, 4), WEEKDAYS)),
        end: iso(easterBreak(year).springEnd),
      };
    case 'summer':
      return {
        start: iso(easterBreak(year).summerStart),
        end: iso(onOrBefore(day(year, 7, 22), WEEKDAYS)),
      };
  }
}

// The rule-based dates are pure in (name, year) and costly to compute (luxon): memoised. Bounded so an
// adversarial stream of years cannot grow it without limit.
const DEFAULT_TERM_CACHE: Record<TermName, Map<number, { start: string; end: string }>> = {
  autumn: new Map(),
  spring: new Map(),
  summer: new Map(),
};
const DEFAULT_TERM_CACHE_MAX = 1_000;

function cachedDefaultTerm(name: TermName, year: number): { start: string; end: string } | undefined {
  const cache = name === 'autumn' || name === 'spring' || name === 'summer' ? DEFAULT_TERM_CACHE[name] : undefined;
  if (!cache) return computeDefaultTerm(name, year); // not a term name (untyped callers): undefined
  let hit = cache.get(year);
  if (!hit) {
    hit = computeDefaultTerm(name, year) as { start: string; end: string };
    if (cache.size >= DEFAULT_TERM_CACHE_MAX) cache.clear();
    cache.set(year, hit);
  }
  return hit;
}

/** The built-in default dates of one term, in calendar year `year`. */
export function defaultTerm(name: TermName, year: number): SchoolTerm {
  const hit = cachedDefaultTerm(name, year);
  // As before memoising: an unknown name (untyped callers) gives undefined.
  if (!hit) return undefined as unknown as SchoolTerm;
  return { name, start: hit.start, end: hit.end };
}

/**
 * The three default terms of the academic year that starts in September of `startYear`
 * (autumn `startYear`, spring and summer `startYear + 1`).
 */
export function defaultTermsForAcademicYear(startYear: number): SchoolTerm[] {
  return [defaultTerm('autumn', startYear), defaultTerm('spring', startYear + 1), defaultTerm('summer', startYear + 1)];
}

const PLAIN_ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Same answer as `DateTime.fromISO(s, { zone: 'utc' }).isValid`, without luxon for plain YYYY-MM-DD. */
function isValidIso(s: string): boolean {
  const m = PLAIN_ISO_DATE.exec(s);
  if (!m) return DateTime.fromISO(s, { zone: 'utc' }).isValid;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (mo === 2 && leap ? 29 : (MONTH_DAYS[mo - 1] as number));
}

/**
 * The `name` term in calendar year `year`: the partnership's configured term when one starts in that
 * year, else the built-in default.
 */
export function findTerm(name: TermName, year: number, terms?: readonly SchoolTerm[]): TermDates {
  const yearText = String(year);
  const configured = (terms ?? []).find(
    (t) =>
      t.name === name &&
      typeof t.start === 'string' &&
      typeof t.end === 'string' &&
      t.start.slice(0, 4) === yearText &&
      isValidIso(t.start) &&
      isValidIso(t.end) &&
      t.start <= t.end,
  );
  if (configured) return { start: configured.start, end: configured.end, fromDefaults: false };
  const d = cachedDefaultTerm(name, year) as { start: string; end: string };
  return { start: d.start, end: d.end, fromDefaults: true };
}
