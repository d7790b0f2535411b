// Reads the date phrases council plans are written in ("31 March 25", "Sept 24 – Dec 24",
// "Ongoing to 31 Mar 25 & beyond", "Summer term 2025", "Q3 24/25", "by end Feb 25", "COMPLETED") into
// ISO dates. UK conventions: day/month order, two-digit years are 20YY, financial years run April to
// March, school terms from the partnership's configuration or built-in England defaults.
//
// Two entry points:
// - readDeadline(text): a whole "Date of Completion" cell. Each non-blank line is a milestone; leading
//   prose on a line is allowed ("Communication campaign commencing Sept 24").
// - findDeadlineInText(actionText): date phrases embedded in an action's prose. Stricter: a date needs a
//   cue ("by", "from", "in", "until", "end", a dash, …) unless it is unambiguous on its own (a month
//   range, a financial year written with four digits, a school term with its year); event dates
//   ("on 24 September 2024", "event 26 Sept") and ages ("aged 11 – 24") are ignored.
//
// Overall values of a Deadline:
// - start = earliest start of the non-note milestones; due = latest due of the non-note milestones.
// - ongoing if any non-note milestone is ongoing; completed if every non-note milestone is completed.
// - flags: 'year-from-context', 'term-dates-default' and 'and-beyond' are carried up from milestones;
//   'start-only' only when the overall due is null; a milestone that could not be read turns into
//   'partly-read' (plus 'vague' for a vague one) when other milestones were read, and into
//   'unreadable'/'vague' when nothing was read.
// - confidence: 'low' when nothing was read; else the lowest milestone confidence ('high' explicit,
//   'medium' year from context or default term dates), capped at 'medium' when partly read.
//
// Pure: no clock, no I/O. Never throws.

import { DateTime } from 'luxon';
import type { Confidence, Deadline, DeadlineContext, DeadlineFlag, Milestone, SchoolTerm, TermName } from './deadline-types.js';
import { findTerm } from './school-terms.js';

// ---------------------------------------------------------------------------------------------------
// Regular-expression building blocks. Horizontal whitespace only inside a date, so a date never spans
// lines of a cell.

const S = '[^\\S\\r\\n]';
const MONTH =
  '(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\\.?(?![\\p{L}])';
const UNIT = `${S}*(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|y/?o|%)(?![\\p{L}])`;
const YEAR = `(20\\d{2}|\\d{2})(?![\\p{N}%]|(?:st|nd|rd|th)(?![\\p{L}])|${UNIT})`;
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const DASH = '[-–—‐‑]';
const TERM = '(autumn|spring|summer)';

type Atom =
  | { kind: 'date'; y: number | null; m: number; d: number }
  | { kind: 'dayRange'; y: number; m: number; d1: number; d2: number }
  | { kind: 'month'; y: number | null; m: number }
  | { kind: 'year'; y: number }
  | { kind: 'fy'; y: number; strong: boolean }
  | { kind: 'quarter'; q: number; fy: number | null; cal: number | null }
  | { kind: 'term'; name: TermName; y: number | null }
  | { kind: 'academic'; y: number }
  | { kind: 'vague'; standalone: boolean }
  | { kind: 'invalid' };

interface Pattern {
  re: RegExp;
  build(m: RegExpExecArray): Atom | null;
}

function sticky(src: string): RegExp {
  return new RegExp(src, 'iyu');
}

const MONTH_INDEX: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

function monthOf(word: string | undefined): number {
  return MONTH_INDEX[(word ?? '').slice(0, 3).toLowerCase()] ?? 0;
}

/** Two-digit years are 20YY. */
function yearOf(digits: string | undefined): number {
  const n = Number(digits);
  return (digits ?? '').length <= 2 ? 2000 + n : n;
}

/** "2025/26", "25/26", "2025/2026": the second year must follow the first. */
function consecutive(a: string | undefined, b: string | undefined): number | null {
  if (a === undefined || b === undefined) return null;
  const first = yearOf(a);
  if (b.length <= 2 ? (first + 1) % 100 === Number(b) : Number(b) === first + 1) return first;
  return null;
}

function validDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= 31 && DateTime.utc(y, m, d).isValid;
}

function dateAtom(y: number | null, m: number, d: number): Atom {
  if (m < 1 || m > 12 || d < 1 || d > 31) return { kind: 'invalid' };
  if (y !== null && !validDate(y, m, d)) return { kind: 'invalid' };
  // A day that exists in no year (31 April) is invalid even without a year.
  if (y === null && !validDate(2024, m, d)) return { kind: 'invalid' };
  return { kind: 'date', y, m, d };
}

const VAGUE = [
  `(?:the${S}+)?end${S}+of${S}+(?:the${S}+)?(?:(?:financial|calendar|academic|school|current|this)${S}+)?year(?!${S}*\\d)`,
  `(?:(?:financial|calendar|academic|school)${S}+)?year${S}?${DASH}?${S}?end`,
  `(?:(?:the${S}+)?next|this|(?:the${S}+)?current)${S}+(?:(?:financial|academic|calendar|school)${S}+)?(?:year|month|term|quarter|week)`,
  'tbc', 'tba', 'tbd', 'asap',
  `as${S}+soon${S}+as${S}+possible`,
  `in${S}+due${S}+course`,
  `to${S}+be${S}+(?:confirmed|agreed|determined|decided)`,
  `(?:early|mid|late)${S}*${DASH}?${S}*(?:${MONTH}(?:${S}*,?${S}*${YEAR})?|20\\d{2}|${TERM}(?:${S}+term)?(?:${S}+(?:20\\d{2}|\\d{2}))?)`,
  'shortly', 'imminently', 'soon',
].join('|');

const PATTERNS: Pattern[] = [
  {
    // 2025-03-31
    re: sticky('(\\d{4})-(\\d{1,2})-(\\d{1,2})(?![\\p{N}])'),
    build: (m) => dateAtom(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    // 31/03/2025, 31.03.25, 31-03-2025 (day first, always)
    re: sticky('(\\d{1,2})([/.\\-])(\\d{1,2})\\2(\\d{4}|\\d{2})(?![\\p{N}])'),
    build: (m) => dateAtom(yearOf(m[4]), Number(m[3]), Number(m[1])),
  },
  {
    // 31 March 25, 31st March 2025, 3rd of March 2025, 31-Mar-2025
    re: sticky(`${DAY}(?:${S}*|-)(?:of${S}+)?${MONTH}(?:-|${S}*,?${S}*'?)${YEAR}`),
    build: (m) => dateAtom(yearOf(m[3]), monthOf(m[2]), Number(m[1])),
  },
  {
    // March 31st, 2025 (four-digit year only, so "Sept 24" stays a month)
    re: sticky(`${MONTH}${S}*${DAY},?${S}+(20\\d{2})(?![\\p{N}]|${S}*[/–—-]${S}*\\d)`),
    build: (m) => dateAtom(Number(m[3]), monthOf(m[1]), Number(m[2])),
  },
  {
    // 3 – 7 March 2025
    re: sticky(`${DAY}${S}*${DASH}${S}*${DAY}${S}+(?:of${S}+)?${MONTH}${S}*,?${S}*${YEAR}`),
    build: (m) => {
      const y = yearOf(m[4]);
      const mo = monthOf(m[3]);
      const d1 = Number(m[1]);
      const d2 = Number(m[2]);
      if (!validDate(y, mo, d1) || !validDate(y, mo, d2) || d1 > d2) return { kind: 'invalid' };
      return { kind: 'dayRange', y, m: mo, d1, d2 };
    },
  },
  {
    // 26 Sept (year from context)
    re: sticky(`${DAY}(?:${S}*|-)(?:of${S}+)?${MONTH}`),
    build: (m) => dateAtom(null, monthOf(m[2]), Number(m[1])),
  },
  {
    // Sept 24, March 2025, Mar-25, Mar '25
    re: sticky(`${MONTH}(?:${DASH}|${S}*,?${S}*['’]?)${YEAR}`),
    build: (m) => ({ kind: 'month', y: yearOf(m[2]), m: monthOf(m[1]) }),
  },
  {
    // Dec, Sept. (year from context). "may" only capitalised: it is usually the verb.
    re: sticky(MONTH),
    build: (m) => {
      const word = m[1] ?? '';
      if (word.toLowerCase() === 'may' && word !== 'May' && word !== 'MAY') return null;
      return { kind: 'month', y: null, m: monthOf(word) };
    },
  },
  {
    // 2025/26, 25/26, 2025-26, FY25/26, financial year 2025/2026
    re: sticky(
      `((?:the${S}+)?financial${S}+year${S}*|fy${S}?)?(20\\d{2}|\\d{2})${S}*[/–—-]${S}*(20\\d{2}|\\d{2})(?![\\p{N}%/]|${UNIT})`,
    ),
    build: (m) => {
      const y = consecutive(m[2], m[3]);
      if (y === null) return m[1] ? { kind: 'invalid' } : null;
      return { kind: 'fy', y, strong: Boolean(m[1]) || (m[2] ?? '').length === 4 };
    },
  },
  {
    // Q3 24/25, Q4 2024/25, Q3 FY24/25, third quarter 2024/25, Q1 2025 (calendar), Q3 (from context)
    re: sticky(
      `(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th)${S}+quarter)(?:${S}*(?:of${S}+)?(?:the${S}+)?(?:fy${S}?|financial${S}+year${S}+)?(?:(20\\d{2}|\\d{2})${S}*[/–—-]${S}*(20\\d{2}|\\d{2})|(20\\d{2})))?(?![\\p{L}\\p{N}/])`,
    ),
    build: (m) => {
      const words: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4 };
      const q = m[1] ? Number(m[1]) : (words[(m[2] ?? '').toLowerCase()] ?? 0);
      if (q < 1 || q > 4) return null;
      if (m[3] !== undefined) {
        const fy = consecutive(m[3], m[4]);
        return fy === null ? { kind: 'invalid' } : { kind: 'quarter', q, fy, cal: null };
      }
      if (m[5] !== undefined) return { kind: 'quarter', q, fy: null, cal: Number(m[5]) };
      return { kind: 'quarter', q, fy: null, cal: null };
    },
  },
  {
    // Summer term 2025, autumn term, Spring 2026, summer term 2024/25
    re: sticky(
      `${TERM}(${S}+term)?(?:${S}+(?:of${S}+)?(20\\d{2}|\\d{2})(?:${S}*[/–—-]${S}*(20\\d{2}|\\d{2}))?)?(?![\\p{N}%])`,
    ),
    build: (m) => {
      const name = (m[1] ?? '').toLowerCase() as TermName;
      if (!m[2] && m[3] === undefined) return null;
      if (m[3] === undefined) return { kind: 'term', name, y: null };
      if (!m[2] && (m[3] ?? '').length !== 4) return null;
      if (m[4] !== undefined) {
        const ay = consecutive(m[3], m[4]);
        if (ay === null) return m[2] ? { kind: 'invalid' } : null;
        return { kind: 'term', name, y: name === 'autumn' ? ay : ay + 1 };
      }
      return { kind: 'term', name, y: yearOf(m[3]) };
    },
  },
  {
    // academic year 2024/25, AY 2024-25
    re: sticky(`(?:(?:the${S}+)?academic${S}+year|ay)${S}*(20\\d{2}|\\d{2})${S}*[/–—-]${S}*(20\\d{2}|\\d{2})(?![\\p{N}%/])`),
    build: (m) => {
      const y = consecutive(m[1], m[2]);
      return y === null ? { kind: 'invalid' } : { kind: 'academic', y };
    },
  },
  {
    // 2025
    re: sticky(`(20\\d{2})(?![\\p{N}%]|${S}*/${S}*\\d|${S}*${DASH}${S}*\\d{1,2}(?!\\d))`),
    build: (m) => ({ kind: 'year', y: Number(m[1]) }),
  },
  {
    // year end, TBC, asap, next year, mid-March 2025, early 2025 …
    re: sticky(`(?:${VAGUE})(?![\\p{L}\\p{N}])`),
    build: (m) => ({ kind: 'vague', standalone: /^(?:tbc|tba|tbd|asap)$/i.test(m[0]) }),
  },
];

const RANGE_SEP = sticky(`(?:${S}*${DASH}+${S}*|${S}+(?:to|until|till|through(?:${S}+to)?|thru)${S}+)`);
const BEYOND = sticky(`${S}*(?:&|and|\\+)${S}*beyond(?![\\p{L}])`);
const ONWARDS = sticky(`(?:${S}*(?:&|and)${S}*|${S}+)onwards?(?![\\p{L}])`);
const AND_ONGOING = sticky(`${S}*(?:&|and|\\+|${DASH}|,)${S}*ongoing(?![\\p{L}])`);

// ---------------------------------------------------------------------------------------------------
// Cue words before a date.

type CueType = 'due' | 'before' | 'start' | 'after' | 'week' | 'period' | 'negative' | 'dash' | 'none';

const CUES: Array<[string, CueType]> = [
  ['no later than', 'due'], ['not later than', 'due'], ['in place by', 'due'], ['through to', 'due'], ['up to', 'due'],
  ['up until', 'due'], ['until', 'due'], ['till', 'due'], ['by', 'due'], ['to', 'due'], ['due by', 'due'],
  ['due on', 'due'], ['due in', 'due'], ['due', 'due'], ['deadline of', 'due'], ['deadline', 'due'],
  ['go live on', 'due'], ['go live from', 'due'], ['go live by', 'due'], ['go live in', 'due'], ['go live', 'due'],
  ['goes live on', 'due'], ['goes live from', 'due'], ['goes live in', 'due'], ['goes live', 'due'], ['going live', 'due'],
  ['live from', 'due'], ['live on', 'due'], ['live by', 'due'],
  ['before', 'before'], ['prior to', 'before'],
  ['from', 'start'], ['commencing', 'start'], ['commences', 'start'], ['commence', 'start'],
  ['starting from', 'start'], ['starting in', 'start'], ['starting on', 'start'], ['starting', 'start'],
  ['starts from', 'start'], ['starts in', 'start'], ['starts on', 'start'], ['starts', 'start'],
  ['start from', 'start'], ['start in', 'start'], ['start on', 'start'], ['start', 'start'],
  ['beginning from', 'start'], ['beginning in', 'start'], ['beginning on', 'start'], ['beginning', 'start'],
  ['with effect from', 'start'], ['effective from', 'start'], ['as of', 'start'], ['as from', 'start'],
  ['week commencing', 'week'], ['w/c', 'week'], ['w.c.', 'week'],
  ['after', 'after'],
  ['in', 'period'], ['during', 'period'], ['for', 'period'], ['within', 'period'], ['throughout', 'period'], ['over', 'period'],
  ['on', 'negative'], ['at', 'negative'], ['since', 'negative'], ['aged', 'negative'], ['age', 'negative'], ['ages', 'negative'],
];

const CUE_TYPE = new Map<string, CueType>(CUES.map(([w, t]) => [w.replace(/\s+/g, ' '), t]));

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const CUE_RE = new RegExp(
  `(?:(?:^|[^\\p{L}\\p{N}/])(?<cue>${[...CUES]
    .map(([w]) => w)
    .sort((a, b) => b.length - a.length)
    .map((w) => escapeRe(w).replace(/ /g, '\\s+'))
    .join('|')})[\\s:,]*(?:the\\s+)?)?(?<mod>(?<![\\p{L}\\p{N}])(?:the\\s+)?(?:very\\s+)?(?<modword>end|start|beginning|close)(?:\\s+of)?(?:\\s+the)?[\\s-]*)?$`,
  'iud',
);

const ONGOING_BEFORE = /(?:^|[^\p{L}])ongoing[\s\-–—:,]*$/iu;

// ---------------------------------------------------------------------------------------------------
// Context.

interface Ctx {
  windowStart: string | null;
  windowDue: string | null;
  reference: string | null;
  terms: SchoolTerm[] | undefined;
}

function isoOrNull(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = v.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  return DateTime.fromISO(s, { zone: 'utc' }).isValid ? s : null;
}

function normaliseContext(ctx: DeadlineContext | undefined): Ctx {
  const c = (ctx ?? {}) as Partial<DeadlineContext>;
  const w = (c.window ?? {}) as Partial<NonNullable<DeadlineContext['window']>>;
  return {
    windowStart: isoOrNull(w.start),
    windowDue: isoOrNull(w.due),
    reference: isoOrNull(c.reference),
    terms: Array.isArray(c.terms) ? c.terms.filter((t) => t && typeof t === 'object') : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------
// Date helpers.

function d(y: number, m: number, day: number): DateTime {
  return DateTime.utc(y, m, day);
}

function isoOf(dt: DateTime): string {
  return dt.toISODate() ?? '';
}

function monthStart(y: number, m: number): string {
  return isoOf(d(y, m, 1));
}

function monthEnd(y: number, m: number): string {
  return isoOf(d(y, m, 1).endOf('month'));
}

function addDays(iso: string, days: number): string {
  return isoOf(DateTime.fromISO(iso, { zone: 'utc' }).plus({ days }));
}

interface Interval {
  start: string;
  end: string;
  /** A period with an inherent start (financial year, term, range); a month or a day is due-only. */
  period: boolean;
  fromContext: boolean;
  defaults: boolean;
}

type Resolved = Interval | 'invalid' | 'no-context';

/** The occurrence of a yearless month/day/term the context points at. */
function pickOccurrence(gen: (y: number) => Omit<Interval, 'fromContext'> | null, ctx: Ctx): Interval | null {
  const { windowStart: lower, windowDue: upper, reference: ref } = ctx;
  const base = lower ?? ref ?? upper;
  if (!base) return null;
  const baseYear = Number(base.slice(0, 4));
  const candidates: Interval[] = [];
  for (let y = baseYear - 2; y <= baseYear + 2; y += 1) {
    const c = gen(y);
    if (c) candidates.push({ ...c, fromContext: true });
  }
  candidates.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  if (lower) return candidates.find((c) => c.end >= lower) ?? null;
  if (upper) {
    if (ref) {
      const next = candidates.find((c) => c.end >= ref);
      if (next && next.start <= upper) return next;
    }
    const before = candidates.filter((c) => c.start <= upper);
    return before[before.length - 1] ?? null;
  }
  return candidates.find((c) => c.end >= (ref as string)) ?? null;
}

function fyQuarter(q: number, fy: number): { start: string; end: string } {
  const firstMonth = q === 4 ? 1 : 1 + q * 3; // Q1 Apr, Q2 Jul, Q3 Oct, Q4 Jan
  const y = q === 4 ? fy + 1 : fy;
  return { start: monthStart(y, firstMonth), end: monthEnd(y, firstMonth + 2) };
}

function resolveAtom(a: Atom, ctx: Ctx): Resolved {
  const plain = { fromContext: false, defaults: false };
  switch (a.kind) {
    case 'invalid':
    case 'vague':
      return 'invalid';
    case 'date': {
      if (a.y !== null) {
        if (!validDate(a.y, a.m, a.d)) return 'invalid';
        const s = isoOf(d(a.y, a.m, a.d));
        return { start: s, end: s, period: false, ...plain };
      }
      const hit = pickOccurrence((y) => {
        if (!validDate(y, a.m, a.d)) return null;
        const s = isoOf(d(y, a.m, a.d));
        return { start: s, end: s, period: false, defaults: false };
      }, ctx);
      return hit ?? 'no-context';
    }
    case 'dayRange':
      return { start: isoOf(d(a.y, a.m, a.d1)), end: isoOf(d(a.y, a.m, a.d2)), period: true, ...plain };
    case 'month': {
      if (a.y !== null) return { start: monthStart(a.y, a.m), end: monthEnd(a.y, a.m), period: false, ...plain };
      const hit = pickOccurrence(
        (y) => ({ start: monthStart(y, a.m), end: monthEnd(y, a.m), period: false, defaults: false }),
        ctx,
      );
      return hit ?? 'no-context';
    }
    case 'year':
      return { start: monthStart(a.y, 1), end: monthEnd(a.y, 12), period: true, ...plain };
    case 'fy':
      return { start: monthStart(a.y, 4), end: monthEnd(a.y + 1, 3), period: true, ...plain };
    case 'academic':
      return { start: monthStart(a.y, 9), end: monthEnd(a.y + 1, 8), period: true, ...plain };
    case 'quarter': {
      if (a.fy !== null) return { ...fyQuarter(a.q, a.fy), period: true, ...plain };
      if (a.cal !== null) {
        const first = (a.q - 1) * 3 + 1;
        return { start: monthStart(a.cal, first), end: monthEnd(a.cal, first + 2), period: true, ...plain };
      }
      const hit = pickOccurrence((fy) => ({ ...fyQuarter(a.q, fy), period: true, defaults: false }), ctx);
      return hit ?? 'no-context';
    }
    case 'term': {
      const gen = (y: number): Omit<Interval, 'fromContext'> => {
        const t = findTerm(a.name, y, ctx.terms);
        return { start: t.start, end: t.end, period: true, defaults: t.fromDefaults };
      };
      if (a.y !== null) return { ...gen(a.y), fromContext: false };
      return pickOccurrence(gen, ctx) ?? 'no-context';
    }
  }
}

function hasYear(a: Atom): a is Extract<Atom, { kind: 'date' | 'month' }> & { y: number } {
  return (a.kind === 'date' || a.kind === 'month') && a.y !== null;
}

function withYear(a: Atom, y: number): Atom {
  if (a.kind === 'date') return dateAtom(y, a.m, a.d);
  if (a.kind === 'month') return { ...a, y };
  return a;
}

/** "Sept – Dec 24": the start takes the end's year (or the year before); "Sept 24 – Dec": the reverse. */
function resolveRange(a: Atom, b: Atom, ctx: Ctx): Resolved {
  let first = a;
  let second = b;
  const yearless = (x: Atom): boolean => (x.kind === 'date' || x.kind === 'month') && x.y === null;
  const dayOf = (x: Atom): number => (x.kind === 'date' ? x.d : 1);
  const monthOfAtom = (x: Atom): number => (x.kind === 'date' || x.kind === 'month' ? x.m : x.kind === 'dayRange' ? x.m : 0);
  if (yearless(first) && (hasYear(second) || second.kind === 'dayRange')) {
    const y = (second as { y: number }).y;
    const later = monthOfAtom(first) > monthOfAtom(second) ||
      (monthOfAtom(first) === monthOfAtom(second) && dayOf(first) > dayOf(second));
    first = withYear(first, later ? y - 1 : y);
  }
  const ra = resolveAtom(first, ctx);
  if (typeof ra === 'string') return ra;
  if (yearless(second)) {
    const ya = Number(ra.start.slice(0, 4));
    const ma = Number(ra.start.slice(5, 7));
    const da = Number(ra.start.slice(8, 10));
    const earlier = monthOfAtom(second) < ma || (monthOfAtom(second) === ma && second.kind === 'date' && second.d < da);
    second = withYear(second, earlier ? ya + 1 : ya);
  }
  const rb = resolveAtom(second, ctx);
  if (typeof rb === 'string') return rb;
  if (rb.end < ra.start) return 'invalid';
  return {
    start: ra.start,
    end: rb.end,
    period: true,
    fromContext: ra.fromContext || rb.fromContext,
    defaults: ra.defaults || rb.defaults,
  };
}

// ---------------------------------------------------------------------------------------------------
// Scanning.

type Mode = 'cell' | 'prose';

interface Hit {
  atoms: Atom[];
  from: number;
  to: number;
  phraseFrom: number;
  cue: CueType;
  mod: 'end' | 'start' | null;
  beyond: boolean;
  onwards: boolean;
  ongoing: boolean;
  inParen: boolean;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

function atomAt(text: string, i: number): { atom: Atom; end: number } | null {
  let best: { atom: Atom; end: number } | null = null;
  for (const p of PATTERNS) {
    p.re.lastIndex = i;
    const m = p.re.exec(text);
    if (!m) continue;
    const end = i + m[0].length;
    if (best && end <= best.end) continue;
    const atom = p.build(m);
    if (atom) best = { atom, end };
  }
  return best;
}

const RANGEABLE = new Set<Atom['kind']>(['date', 'dayRange', 'month', 'year', 'fy', 'quarter', 'term', 'academic', 'invalid']);

function stickyMatch(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? at + m[0].length : -1;
}

/** Spans of text inside parentheses (outermost). */
function parenSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let depth = 0;
  let open = -1;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '(') {
      if (depth === 0) open = i;
      depth += 1;
    } else if (ch === ')' && depth > 0) {
      depth -= 1;
      if (depth === 0) spans.push([open, i + 1]);
    }
  }
  return spans;
}

function rawHits(text: string): Hit[] {
  const hits: Hit[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (!isWordChar(text[i]) || isWordChar(text[i - 1])) {
      i += 1;
      continue;
    }
    const first = atomAt(text, i);
    if (!first) {
      i += 1;
      while (i < n && isWordChar(text[i])) i += 1;
      continue;
    }
    const atoms: Atom[] = [first.atom];
    let end = first.end;
    if (RANGEABLE.has(first.atom.kind)) {
      const afterSep = stickyMatch(RANGE_SEP, text, end);
      if (afterSep > 0 && isWordChar(text[afterSep]) && !isWordChar(text[afterSep - 1])) {
        const second = atomAt(text, afterSep);
        if (second && RANGEABLE.has(second.atom.kind)) {
          atoms.push(second.atom);
          end = second.end;
        }
      }
    }
    let beyond = false;
    let onwards = false;
    let ongoing = false;
    for (;;) {
      const b = stickyMatch(BEYOND, text, end);
      if (b > 0) {
        beyond = true;
        end = b;
        continue;
      }
      const o = stickyMatch(ONWARDS, text, end);
      if (o > 0) {
        onwards = true;
        end = o;
        continue;
      }
      const g = stickyMatch(AND_ONGOING, text, end);
      if (g > 0) {
        ongoing = true;
        end = g;
        continue;
      }
      break;
    }
    hits.push({ atoms, from: i, to: end, phraseFrom: i, cue: 'none', mod: null, beyond, onwards, ongoing, inParen: false });
    i = end;
  }
  return hits;
}

function classify(text: string, hits: Hit[]): void {
  const spans = parenSpans(text);
  let prevEnd = 0;
  for (const h of hits) {
    const span = spans.find(([a, b]) => h.from > a && h.from < b);
    h.inParen = Boolean(span);
    let sliceStart = Math.max(prevEnd, h.from - 80);
    for (let k = h.from - 1; k >= sliceStart; k -= 1) {
      const ch = text[k];
      if (ch === '\n' || ch === '\r' || ch === '(' || ch === ')') {
        sliceStart = k + 1;
        break;
      }
    }
    const slice = text.slice(sliceStart, h.from);
    const m = CUE_RE.exec(slice);
    const cueWord = m?.groups?.['cue'];
    const modWord = m?.groups?.['modword'];
    let phraseFrom = h.from;
    if (m && (cueWord || modWord)) {
      const idx = m.indices?.groups?.['cue']?.[0] ?? m.indices?.groups?.['mod']?.[0];
      if (idx !== undefined) phraseFrom = sliceStart + idx;
      h.cue = cueWord ? (CUE_TYPE.get(cueWord.toLowerCase().replace(/\s+/g, ' ')) ?? 'none') : 'none';
      const mw = (modWord ?? '').toLowerCase();
      h.mod = mw === 'end' || mw === 'close' ? 'end' : mw === 'start' || mw === 'beginning' ? 'start' : null;
    } else if (/[-–—:]\s*$/.test(slice)) {
      h.cue = 'dash';
    }
    h.phraseFrom = phraseFrom;
    if (ONGOING_BEFORE.test(text.slice(Math.max(sliceStart - 40, prevEnd, 0), phraseFrom))) h.ongoing = true;
    prevEnd = h.to;
  }
}

/** In action prose, keep only the dates that read as deadlines. */
function acceptInProse(h: Hit): boolean {
  const [a, b] = h.atoms;
  if (!a) return false;
  const cue = h.cue;
  const strongCue = cue === 'due' || cue === 'before' || cue === 'start' || cue === 'after' || cue === 'week' || cue === 'period';
  if (a.kind === 'vague') {
    return a.standalone || cue === 'due' || cue === 'before' || cue === 'start' || (h.mod !== null && cue !== 'period');
  }
  if (cue === 'negative' && !h.mod) return false;
  if (strongCue || h.mod || h.beyond || h.onwards) return true;
  // Two-digit financial years and bare years need a cue ("aged 16-17", "Act 2014").
  if (a.kind === 'fy' && !a.strong) return false;
  if (a.kind === 'year' && !b) return false;
  if (cue === 'dash') return true;
  if (b) {
    const monthish = (x: Atom): boolean =>
      x.kind === 'date' || x.kind === 'month' || x.kind === 'dayRange' || x.kind === 'term' || x.kind === 'invalid';
    return monthish(a) || monthish(b);
  }
  return (
    (a.kind === 'fy' && a.strong) ||
    (a.kind === 'quarter' && (a.fy !== null || a.cal !== null)) ||
    (a.kind === 'term' && a.y !== null) ||
    a.kind === 'academic'
  );
}

function scan(text: string, mode: Mode): Hit[] {
  const hits = rawHits(text);
  classify(text, hits);
  if (mode === 'cell') return hits;
  return hits.filter(acceptInProse);
}

// ---------------------------------------------------------------------------------------------------
// Milestones.

interface Reading extends Milestone {
  confidence: Confidence;
}

function blank(text: string): Reading {
  return { text, start: null, due: null, ongoing: false, completed: false, note: false, flags: [], confidence: 'high' };
}

function milestoneFromHit(h: Hit, text: string, ctx: Ctx): Reading {
  const r = blank(text);
  r.ongoing = h.ongoing || h.beyond;
  if (h.beyond) r.flags.push('and-beyond');
  const [a, b] = h.atoms;
  if (!a) return unreadable(r);
  if (a.kind === 'vague') {
    r.flags.push('vague');
    r.confidence = 'low';
    return r;
  }
  const res = b ? resolveRange(a, b, ctx) : resolveAtom(a, ctx);
  if (typeof res === 'string') return unreadable(r);
  if (res.fromContext) r.flags.push('year-from-context');
  if (res.defaults) r.flags.push('term-dates-default');
  if (res.fromContext || res.defaults) r.confidence = 'medium';

  const point = h.mod === 'end' ? res.end : h.mod === 'start' ? res.start : null;
  const cue = h.onwards ? 'start' : h.cue;
  if (b) {
    r.start = res.start;
    r.due = res.end;
  } else if (cue === 'start') {
    r.start = point ?? res.start;
    r.flags.push('start-only');
  } else if (cue === 'after') {
    r.start = addDays(point ?? res.end, 1);
    r.flags.push('start-only');
  } else if (cue === 'week' && a.kind === 'date' && !point) {
    r.start = res.start;
    r.due = addDays(res.start, 6);
  } else if (cue === 'before') {
    r.due = addDays(point ?? res.start, -1);
  } else if (point) {
    r.due = point;
  } else if (cue === 'due') {
    r.due = res.end;
  } else {
    r.start = res.period ? res.start : null;
    r.due = res.end;
  }
  return r;
}

function unreadable(r: Reading): Reading {
  r.start = null;
  r.due = null;
  r.flags = r.flags.filter((f) => f === 'and-beyond');
  r.flags.push('unreadable');
  r.confidence = 'low';
  return r;
}

// ---------------------------------------------------------------------------------------------------
// Completion markers.

interface Marker {
  rest: string;
  marker: string;
}

/** "… COMPLETED", "… – Completed", "(complete)", or a cell that is just "Completed". */
function splitCompleted(text: string, allowLeading: boolean): Marker | null {
  const t = text.replace(/\s+$/u, '');
  const whole = /^[\s\-–—:(\[]*(completed?)[\s.!)\]]*$/iu.exec(t);
  if (whole) return { rest: '', marker: whole[1] ?? '' };
  const trail =
    /(?<![\p{L}\p{N}])[(\[]?\s*(COMPLETED|COMPLETE)[\s.!)\]]*$/u.exec(t) ??
    /(?:[-–—:]|\()\s*(Completed|Complete|completed|complete)[\s.!)\]]*$/u.exec(t);
  if (trail) return { rest: t.slice(0, trail.index).replace(/[\s\-–—:;,(\[]+$/u, ''), marker: trail[1] ?? '' };
  if (allowLeading) {
    const lead = /^(COMPLETED|COMPLETE|Completed)(?![\p{L}\p{N}])[\s\-–—:,.]*/u.exec(t);
    if (lead && lead[0].length < t.length) return { rest: t.slice(lead[0].length), marker: lead[1] ?? '' };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Aggregation.

const FLAG_ORDER: DeadlineFlag[] = [
  'unreadable', 'partly-read', 'vague', 'year-from-context', 'start-only', 'and-beyond', 'term-dates-default',
];

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

function minConfidence(a: Confidence, b: Confidence): Confidence {
  return RANK[a] <= RANK[b] ? a : b;
}

function isUnread(m: Milestone): boolean {
  return m.flags.includes('unreadable') || m.flags.includes('vague');
}

function aggregate(text: string, readings: Reading[]): Deadline {
  const main = readings.filter((m) => !m.note);
  const read = main.filter((m) => !isUnread(m));
  const unread = main.filter(isUnread);
  const flags = new Set<DeadlineFlag>();
  let start: string | null = null;
  let due: string | null = null;
  for (const m of read) {
    if (m.start && (start === null || m.start < start)) start = m.start;
    if (m.due && (due === null || m.due > due)) due = m.due;
    for (const f of m.flags) if (f !== 'start-only') flags.add(f);
  }
  if (due === null && read.some((m) => m.flags.includes('start-only'))) flags.add('start-only');
  if (read.length === 0) {
    if (unread.length === 0 || unread.some((m) => m.flags.includes('unreadable'))) flags.add('unreadable');
    if (unread.some((m) => m.flags.includes('vague'))) flags.add('vague');
  } else if (unread.length > 0) {
    flags.add('partly-read');
    if (unread.some((m) => m.flags.includes('vague'))) flags.add('vague');
  }
  let confidence: Confidence = read.length === 0 ? 'low' : 'high';
  for (const m of read) confidence = minConfidence(confidence, m.confidence);
  if (flags.has('partly-read')) confidence = minConfidence(confidence, 'medium');
  return {
    text,
    start,
    due,
    milestones: readings.map(({ confidence: _c, ...m }) => ({ ...m, flags: FLAG_ORDER.filter((f) => m.flags.includes(f)) })),
    ongoing: main.some((m) => m.ongoing),
    completed: main.length > 0 && main.every((m) => m.completed),
    confidence,
    flags: FLAG_ORDER.filter((f) => flags.has(f)),
  };
}

function emptyDeadline(text: string): Deadline {
  return { text, start: null, due: null, milestones: [], ongoing: false, completed: false, confidence: 'low', flags: ['unreadable'] };
}

function unreadableDeadline(text: string): Deadline {
  return {
    text,
    start: null,
    due: null,
    milestones: [{ text: text.trim(), start: null, due: null, ongoing: false, completed: false, note: false, flags: ['unreadable'] }],
    ongoing: false,
    completed: false,
    confidence: 'low',
    flags: ['unreadable'],
  };
}

/** Longer input than this is not a date phrase: kept verbatim and flagged unreadable. */
const MAX_CELL = 20_000;
const MAX_PROSE = 100_000;

// ---------------------------------------------------------------------------------------------------
// Public API.

function readLine(line: string, ctx: Ctx): Reading[] {
  const done = splitCompleted(line, true);
  const body = done ? done.rest.trim() : line;
  const completed = Boolean(done);
  if (!body) {
    const r = blank(line);
    r.completed = true;
    return [r];
  }
  const hits = scan(body, 'cell');
  const mainHits = hits.filter((h) => !h.inParen);
  const noteHits = mainHits.length > 0 ? hits.filter((h) => h.inParen) : [];
  const usedHits = mainHits.length > 0 ? mainHits : hits;
  const ongoingWord = /(?:^|[^\p{L}])on-?going(?![\p{L}])/iu.test(body);
  const out: Reading[] = [];

  if (usedHits.length === 0) {
    const r = blank(line);
    r.completed = completed;
    r.ongoing = ongoingWord;
    if (!completed && !ongoingWord) return [unreadable(r)];
    return [r];
  }

  // The text of a single-milestone line is the line without its parenthetical notes.
  const spans = parenSpans(body);
  const noteSpans = spans.filter(([a, b]) => noteHits.some((h) => h.from > a && h.from < b));
  let mainText = body;
  for (const [a, b] of [...noteSpans].reverse()) mainText = mainText.slice(0, a) + mainText.slice(b);
  mainText = mainText.replace(/\s{2,}/g, ' ').trim();

  for (const h of usedHits) {
    const text = usedHits.length === 1 ? mainText || body.trim() : body.slice(h.phraseFrom, h.to).trim();
    const r = milestoneFromHit(h, text, ctx);
    r.ongoing = r.ongoing || ongoingWord;
    r.completed = completed;
    out.push(r);
  }
  for (const [a, b] of noteSpans) {
    const inside = noteHits.filter((h) => h.from > a && h.from < b);
    for (const h of inside) {
      const text = inside.length === 1 ? body.slice(a, b) : body.slice(h.phraseFrom, h.to).trim();
      const r = milestoneFromHit(h, text, ctx);
      r.note = true;
      out.push(r);
    }
  }
  return out;
}

/**
 * Reads a whole date phrase or "Date of Completion" cell. Each non-blank line is read as a milestone;
 * parenthetical dates become notes that do not move the overall dates. Never throws.
 */
export function readDeadline(text: string, ctx?: DeadlineContext): Deadline {
  const input: string = typeof text === 'string' ? text : '';
  try {
    if (input.trim() === '') return emptyDeadline(input);
    if (input.length > MAX_CELL) return unreadableDeadline(input);
    const c = normaliseContext(ctx);
    const readings: Reading[] = [];
    for (const raw of input.split(/\r\n|\r|\n/)) {
      const line = raw.trim();
      if (line) readings.push(...readLine(line, c));
    }
    const deadline = aggregate(input, readings);
    return deadline;
  } catch {
    return unreadableDeadline(input);
  }
}

/**
 * Finds the deadline phrases in an action's prose ("… – by Sep 24", "from Sept.", "in 2025/26") and a
 * trailing "COMPLETED"/"COMPLETE" marker. `phrase` is the matched text(s) joined with " / ". Returns
 * null when the text carries no date and is not marked complete. Never throws.
 */
export function findDeadlineInText(
  actionText: string,
  ctx?: DeadlineContext,
): { phrase: string; deadline: Deadline } | null {
  try {
    if (typeof actionText !== 'string' || actionText.trim() === '') return null;
    const text = actionText.length > MAX_PROSE ? actionText.slice(0, MAX_PROSE) : actionText;
    const c = normaliseContext(ctx);
    const done = splitCompleted(text, false);
    const body = done ? done.rest : text;
    const hits = scan(body, 'prose');
    if (hits.length === 0 && !done) return null;
    const mainHits = hits.filter((h) => !h.inParen);
    const readings: Reading[] = [];
    const phrases: string[] = [];
    for (const h of hits) {
      const phrase = body.slice(h.phraseFrom, h.to).trim();
      const r = milestoneFromHit(h, phrase, c);
      if (h.inParen && mainHits.length > 0) r.note = true;
      if (done) r.completed = true;
      readings.push(r);
      phrases.push(phrase);
    }
    if (done) {
      phrases.push(done.marker);
      if (readings.length === 0) {
        const r = blank(done.marker);
        r.completed = true;
        readings.push(r);
      }
    }
    const phrase = phrases.join(' / ');
    return { phrase, deadline: aggregate(phrase, readings) };
  } catch {
    return null;
  }
}
