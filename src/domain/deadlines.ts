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
// Readings worth knowing (documented choices):
// - "2025-26", "2025/2026", "25/26" are financial years (April–March); "academic year 2024/25" is
//   September–August. "Q3 24/25" is a financial quarter (Q1 = Apr–Jun); "Q1 2025" (one calendar year)
//   is a calendar quarter (Jan–Mar 2025).
// - "Summer 2025" / "Spring 2026" are read as school terms, like "Summer term 2025". Half terms
//   ("Spring 1 2025") are not guessed: unreadable.
// - A month alone ("Dec 25", "December 2024") is due on its last day and has no start; a financial
//   year, quarter, term, calendar year or range has both.
// - "before X" is due the day before X starts; "after X" starts the day after X ends; "w/c 3 March
//   2025" runs 3–9 March.
//
// - A date is only a deadline when nothing around it takes the certainty away: hedges ("sometime",
//   "approx.", "TBC", "?"), alternatives ("March 25 or 26"), bounds and negations ("not before"),
//   superseded dates ("delayed from …"), month words that are not months ("Febtember"), impossible
//   quarters and days ("Q5", "31 Feb"), and years more than ten years from the plan's date
//   ("31 March 1925", "2099") are kept verbatim and flagged, never dated (deadline-doubts.ts).
//
// Pure: no clock, no I/O. Never throws.

import { DateTime } from 'luxon';
import { type DateSpan, type Doubt, doubtsAround, findMisspeltMonthPhrases } from './deadline-doubts.js';
import type { Confidence, Deadline, DeadlineContext, DeadlineFlag, Milestone, SchoolTerm, TermName } from './deadline-types.js';
import { findTerm } from './school-terms.js';

// ---------------------------------------------------------------------------------------------------
// Regular-expression building blocks. Horizontal whitespace only inside a date, so a date never spans
// lines of a cell.

const S = '[^\\S\\r\\n]';
const MONTH =
  '(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\\.?(?![\\p{L}])';
const UNIT = `${S}{0,4}(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|y/?o|%)(?![\\p{L}])`;
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
  /**
   * How a match can start, space-separated: the first words the pattern's match can begin with (lower
   * case; the word is always followed by a non-letter when shorter than three letters), and '#n' when it
   * can begin with a run of exactly n digits. A superset is fine: it only lets atomAt skip patterns that
   * cannot match.
   */
  starts: string;
  build(m: RegExpExecArray): Atom | null;
}

function sticky(src: string): RegExp {
  return new RegExp(src, 'iyu');
}

const MONTH_INDEX: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** Three ASCII letters, lower-cased, as a number (−1 for anything else). */
function asciiKey3(word: string): number {
  if (word.length < 3) return -1;
  let key = 0;
  for (let k = 0; k < 3; k += 1) {
    let c = word.charCodeAt(k);
    if (c >= 65 && c <= 90) c += 32;
    if (c < 97 || c > 122) return -1;
    key = key * 32 + (c - 96);
  }
  return key;
}

const MONTH_BY_KEY = new Uint8Array(32 * 32 * 32);
for (const [name, m] of Object.entries(MONTH_INDEX)) MONTH_BY_KEY[asciiKey3(name)] = m;

/**
 * The month of a month word, by its first three letters (as `MONTH_INDEX[word.slice(0, 3).toLowerCase()]`:
 * no other character lower-cases into a month's letters).
 */
function monthOf(word: string | undefined): number {
  const key = asciiKey3(word ?? '');
  return key < 0 ? 0 : (MONTH_BY_KEY[key] as number);
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

// ---------------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, as luxon): no DateTime objects on the hot path.

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (MONTH_DAYS[m - 1] as number);
}

/** Same answer as `DateTime.utc(y, m, d).isValid` for these ranges. */
function validDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The ISO date luxon's toISODate() gives for a valid y-m-d ('' when invalid). */
function isoDate(y: number, m: number, d: number): string {
  if (!validDate(y, m, d)) return '';
  let ys: string;
  if (y >= 0 && y <= 9999) ys = y < 1000 ? String(y).padStart(4, '0') : String(y);
  else ys = y < 0 ? `-${String(-y).padStart(6, '0')}` : `+${String(y).padStart(6, '0')}`;
  return `${ys}-${pad2(m)}-${pad2(d)}`;
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil, as an ISO date. */
function isoFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return isoDate(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}

const PLAIN_ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dateAtom(y: number | null, m: number, d: number): Atom {
  if (m < 1 || m > 12 || d < 1 || d > 31) return { kind: 'invalid' };
  if (y !== null && !validDate(y, m, d)) return { kind: 'invalid' };
  // A day that exists in no year (31 April) is invalid even without a year.
  if (y === null && !validDate(2024, m, d)) return { kind: 'invalid' };
  return { kind: 'date', y, m, d };
}

const STANDALONE_VAGUE = /^(?:tbc|tba|tbd|asap)$/i;

const VAGUE = [
  `(?:the${S}{1,4})?end${S}{1,4}of${S}{1,4}(?:the${S}{1,4})?(?:(?:financial|calendar|academic|school|current|this)${S}{1,4})?year(?!${S}{0,4}\\d)`,
  `(?:(?:financial|calendar|academic|school)${S}{1,4})?year${S}?${DASH}?${S}?end`,
  `(?:(?:the${S}{1,4})?next|this|(?:the${S}{1,4})?current)${S}{1,4}(?:(?:financial|academic|calendar|school)${S}{1,4})?(?:year|month|term|quarter|week)`,
  'tbc', 'tba', 'tbd', 'asap',
  `as${S}{1,4}soon${S}{1,4}as${S}{1,4}possible`,
  `in${S}{1,4}due${S}{1,4}course`,
  `to${S}{1,4}be${S}{1,4}(?:confirmed|agreed|determined|decided)`,
  `(?:early|mid|late)(?:${S}{0,4}${DASH}${S}{0,4}|${S}{1,4})(?:${MONTH}(?:${S}{0,4}(?:,${S}{0,4})?${YEAR})?|20\\d{2}|${TERM}(?:${S}{1,4}term)?(?:${S}{1,4}(?:20\\d{2}|\\d{2}))?)`,
  'shortly', 'imminently', 'soon',
].join('|');

const QUARTER_WORDS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4 };

const MONTH_WORDS = 'january february march april may june july august september october november december sept jan feb mar apr jun jul aug sep oct nov dec';

const PATTERNS: Pattern[] = [
  {
    // 2025-03-31
    starts: '#4',
    re: sticky('(\\d{4})-(\\d{1,2})-(\\d{1,2})(?![\\p{N}])'),
    build: (m) => dateAtom(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    // 31/03/2025, 31.03.25, 31-03-2025 (day first, always)
    starts: '#1 #2',
    re: sticky('(\\d{1,2})([/.\\-])(\\d{1,2})\\2(\\d{4}|\\d{2})(?![\\p{N}])'),
    build: (m) => dateAtom(yearOf(m[4]), Number(m[3]), Number(m[1])),
  },
  {
    // 31 March 25, 31st March 2025, 3rd of March 2025, 31-Mar-2025
    starts: '#1 #2',
    re: sticky(`${DAY}(?:${S}{0,4}|-)(?:of${S}{1,4})?${MONTH}(?:-|${S}{0,4}(?:,${S}{0,4})?'?)${YEAR}`),
    build: (m) => dateAtom(yearOf(m[3]), monthOf(m[2]), Number(m[1])),
  },
  {
    // March 31st, 2025 (four-digit year only, so "Sept 24" stays a month)
    starts: MONTH_WORDS,
    re: sticky(`${MONTH}${S}{0,4}${DAY},?${S}{1,4}(20\\d{2})(?![\\p{N}]|${S}{0,4}[/–—-]${S}{0,4}\\d)`),
    build: (m) => dateAtom(Number(m[3]), monthOf(m[1]), Number(m[2])),
  },
  {
    // 3 – 7 March 2025
    starts: '#1 #2',
    re: sticky(`${DAY}${S}{0,4}${DASH}${S}{0,4}${DAY}${S}{1,4}(?:of${S}{1,4})?${MONTH}${S}{0,4}(?:,${S}{0,4})?${YEAR}`),
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
    starts: '#1 #2',
    re: sticky(`${DAY}(?:${S}{0,4}|-)(?:of${S}{1,4})?${MONTH}`),
    build: (m) => dateAtom(null, monthOf(m[2]), Number(m[1])),
  },
  {
    // Sept 24, March 2025, Mar-25, Mar '25
    starts: MONTH_WORDS,
    re: sticky(`${MONTH}(?:${DASH}|${S}{0,4}(?:,${S}{0,4})?['’]?)${YEAR}`),
    build: (m) => ({ kind: 'month', y: yearOf(m[2]), m: monthOf(m[1]) }),
  },
  {
    // Dec, Sept. (year from context). "may" only capitalised: it is usually the verb.
    starts: MONTH_WORDS,
    re: sticky(MONTH),
    build: (m) => {
      const word = m[1] ?? '';
      if (word.toLowerCase() === 'may' && word !== 'May' && word !== 'MAY') return null;
      return { kind: 'month', y: null, m: monthOf(word) };
    },
  },
  {
    // 2025/26, 25/26, 2025-26, FY25/26, financial year 2025/2026
    starts: `#2 #4 the financial fy`,
    re: sticky(
      `((?:the${S}{1,4})?financial${S}{1,4}year${S}{0,4}|fy${S}?)?(20\\d{2}|\\d{2})${S}{0,4}[/–—-]${S}{0,4}(20\\d{2}|\\d{2})(?![\\p{N}%/]|${UNIT})`,
    ),
    build: (m) => {
      const y = consecutive(m[2], m[3]);
      if (y === null) return m[1] ? { kind: 'invalid' } : null;
      return { kind: 'fy', y, strong: Boolean(m[1]) || (m[2] ?? '').length === 4 };
    },
  },
  {
    // Q3 24/25, Q4 2024/25, Q3 FY24/25, third quarter 2024/25, Q1 2025 (calendar), Q3 (from context)
    starts: `#1 q first second third fourth`,
    re: sticky(
      `(?:q(\\d{1,2})|(first|second|third|fourth|1st|2nd|3rd|4th)${S}{1,4}quarter)(?:${S}{0,4}(?:of${S}{1,4})?(?:the${S}{1,4})?(?:fy${S}?|financial${S}{1,4}year${S}{1,4})?(?:(20\\d{2}|\\d{2})${S}{0,4}[/–—-]${S}{0,4}(20\\d{2}|\\d{2})|(20\\d{2})))?(?![\\p{L}\\p{N}/])`,
    ),
    build: (m) => {
      const q = m[1] ? Number(m[1]) : (QUARTER_WORDS[(m[2] ?? '').toLowerCase()] ?? 0);
      // "Q5 24/25", "Q0": a quarter that does not exist is read (so it is flagged), never skipped.
      if (q < 1 || q > 4) return { kind: 'invalid' };
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
    starts: `autumn spring summer`,
    re: sticky(
      `${TERM}(${S}{1,4}term)?(?:${S}{1,4}(?:of${S}{1,4})?(20\\d{2}|\\d{2})(?:${S}{0,4}[/–—-]${S}{0,4}(20\\d{2}|\\d{2}))?)?(?![\\p{N}%])`,
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
    // Half terms ("Spring 1 2025", "autumn term 2"): no half-term dates are known, so never guessed.
    starts: `autumn spring summer`,
    re: sticky(`${TERM}${S}{0,4}(?:term${S}{0,4})?[12](?![\\p{L}\\p{N}])(?:${S}{1,4}(?:20\\d{2}|\\d{2})(?![\\p{N}]))?`),
    build: () => ({ kind: 'invalid' }),
  },
  {
    // academic year 2024/25, AY 2024-25
    starts: `the academic ay`,
    re: sticky(`(?:(?:the${S}{1,4})?academic${S}{1,4}year|ay)${S}{0,4}(20\\d{2}|\\d{2})${S}{0,4}[/–—-]${S}{0,4}(20\\d{2}|\\d{2})(?![\\p{N}%/])`),
    build: (m) => {
      const y = consecutive(m[1], m[2]);
      return y === null ? { kind: 'invalid' } : { kind: 'academic', y };
    },
  },
  {
    // 2025
    starts: '#4',
    re: sticky(`(20\\d{2})(?![\\p{N}%]|${S}{0,4}/${S}{0,4}\\d|${S}{0,4}${DASH}${S}{0,4}\\d{1,2}(?!\\d))`),
    build: (m) => ({ kind: 'year', y: Number(m[1]) }),
  },
  {
    // year end, TBC, asap, next year, mid-March 2025, early 2025 …
    starts: `the end financial calendar academic school year next this current tbc tba tbd asap as in to early mid late shortly imminently soon`,
    re: sticky(`(?:${VAGUE})(?![\\p{L}\\p{N}])`),
    build: (m) => ({ kind: 'vague', standalone: STANDALONE_VAGUE.test(m[0]) }),
  },
];

// Which patterns can match at a word start, decided from its first three letters: a bit mask (by
// pattern index) per three-letter key. Letters are folded as the patterns' 'iu' flags fold them: ASCII
// case, plus 'ſ' (U+017F) = s and 'K' (U+212A) = k, the only other characters that match an ASCII letter
// or digit under 'iu'. Every other character starts no pattern.

/** 1–26 for a letter (folded), 0 otherwise. */
function letterCode(c: number): number {
  if (c >= 97 && c <= 122) return c - 96;
  if (c >= 65 && c <= 90) return c - 64;
  if (c === 0x17f) return 19; // ſ
  if (c === 0x212a) return 11; // Kelvin sign
  return 0;
}

function keyOf(word: string): number {
  let key = 0;
  for (let k = 0; k < 3; k += 1) key = key * 27 + (k < word.length ? letterCode(word.charCodeAt(k)) : 0);
  return key;
}

const WORD_MASK = new Uint32Array(27 * 27 * 27);
/** By the length of the run of digits at a word start (0–5, 5 = five or more). */
const DIGITS_MASK = new Uint32Array(6);
PATTERNS.forEach((p, i) => {
  for (const w of p.starts.split(' ')) {
    if (w.startsWith('#')) {
      const n = Number(w.slice(1));
      DIGITS_MASK[n] = (DIGITS_MASK[n] as number) | (1 << i);
    } else if (w) {
      const key = keyOf(w);
      WORD_MASK[key] = (WORD_MASK[key] as number) | (1 << i);
    }
  }
});

/** Bit mask of the patterns that can match at `i` (a word start). */
function candidates(text: string, i: number): number {
  const c0 = text.charCodeAt(i);
  if (c0 >= 48 && c0 <= 57) {
    // Every pattern reads a digit run whole (a date's numbers are never followed by another digit).
    let n = 1;
    while (n < 5) {
      const c = text.charCodeAt(i + n);
      if (!(c >= 48 && c <= 57)) break;
      n += 1;
    }
    return DIGITS_MASK[n] as number;
  }
  const l0 = letterCode(c0);
  if (l0 === 0) return 0;
  const l1 = letterCode(text.charCodeAt(i + 1));
  const l2 = l1 === 0 ? 0 : letterCode(text.charCodeAt(i + 2));
  return WORD_MASK[(l0 * 27 + l1) * 27 + l2] as number;
}

const RANGE_SEP = sticky(`(?:${S}{0,4}${DASH}+${S}{0,4}|${S}{1,4}(?:to|until|till|through(?:${S}{1,4}to)?|thru)${S}{1,4})`);
const BEYOND = sticky(`${S}{0,4}(?:&|and|\\+)${S}{0,4}beyond(?![\\p{L}])`);
const ONWARDS = sticky(`(?:${S}{0,4}(?:&|and)${S}{0,4}|${S}{1,4})onwards?(?![\\p{L}])`);
const AND_ONGOING = sticky(`${S}{0,4}(?:&|and|\\+|${DASH}|,)${S}{0,4}ongoing(?![\\p{L}])`);

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

/**
 * A hedge between a cue and its date ("by around Sept 24"): part of the phrase, so the phrase is
 * found and then flagged by deadline-doubts.ts instead of being passed over.
 */
const HEDGE_AFTER_CUE =
  '(?:around|about|approx\\.?|approximately|roughly|circa|c\\.|ca\\.|some\\s*time|possibly|probably|hopefully|ideally|maybe|perhaps|provisionally|tentatively)';

// Groups: 1 cue word, 2 what follows it (a hedge, "the"), 3 the "end of" modifier, 4 its word. The match always ends at
// the end of the slice, so the groups' positions follow from their lengths (no 'd' flag needed).
const CUE_RE = new RegExp(
  `(?:(?:^|[^\\p{L}\\p{N}/])(${[...CUES]
    .map(([w]) => w)
    .sort((a, b) => b.length - a.length)
    .map((w) => escapeRe(w).replace(/ /g, '\\s+'))
    .join('|')})([\\s:,]*(?:${HEDGE_AFTER_CUE}\\s+)?(?:the\\s+)?))?((?<![\\p{L}\\p{N}])(?:the\\s+)?(?:very\\s+)?(end|start|beginning|close)(?:\\s+of)?(?:\\s+the)?[\\s-]*)?$`,
  'iu',
);

const ONGOING_BEFORE = /(?:^|[^\p{L}])ongoing[\s\-–—:,]*$/iu;
/** Cheap pre-check for ONGOING_BEFORE (no other character case-folds into these letters). */
const ONGOING_LITERAL = /ongoing/i;

function cueTypeOf(cueWord: string): CueType {
  const lower = cueWord.toLowerCase();
  // Keys have single spaces: a key is its own normal form, so only other spacing needs the replace.
  return CUE_TYPE.get(lower) ?? CUE_TYPE.get(lower.replace(/\s+/g, ' ')) ?? 'none';
}

/** Whether `c` is in JavaScript's \s. */
function isJsSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * A character that can follow a cue's separator in a CUE_RE match: the letters of the cue and modifier
 * words (ASCII, or 'ſ'/'K', which fold into them), \s and [:,-/.].
 */
function isCueTailChar(c: number): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return true;
  if (c === 58 || c === 44 || c === 45 || c === 47 || c === 46) return true; // : , - / .
  return c === 0x17f || c === 0x212a || isJsSpace(c);
}

/**
 * Where to start searching text[from, to) for CUE_RE. A match ends at `to` and, after its first
 * character (a cue's separator, or ^ at `from`), holds only cue-tail characters; so no match starts
 * before the character preceding the run of cue-tail characters at the end (taken whole when it is a
 * surrogate pair), and that character cannot start a cue under ^.
 */
function cueSearchStart(text: string, from: number, to: number): number {
  let q = to;
  while (q > from && isCueTailChar(text.charCodeAt(q - 1))) q -= 1;
  if (q === from) return from;
  let start = q - 1;
  const c = text.charCodeAt(start);
  if (c >= 0xdc00 && c <= 0xdfff && start > from) {
    const hi = text.charCodeAt(start - 1);
    if (hi >= 0xd800 && hi <= 0xdbff) start -= 1;
  }
  return start;
}

/** /[-–—:]\s*$/ on text[from, to). */
function dashBefore(text: string, from: number, to: number): boolean {
  let k = to - 1;
  while (k >= from && isJsSpace(text.charCodeAt(k))) k -= 1;
  if (k < from) return false;
  const c = text.charCodeAt(k);
  return c === 45 || c === 0x2013 || c === 0x2014 || c === 58;
}

// ---------------------------------------------------------------------------------------------------
// Context.

interface Ctx {
  windowStart: string | null;
  windowDue: string | null;
  reference: string | null;
  terms: SchoolTerm[] | undefined;
}

function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** The first ten characters of `v` when they are a valid YYYY-MM-DD date. */
function isoOrNull(v: unknown): string | null {
  if (typeof v !== 'string' || v.length < 10) return null;
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return null;
  let y = 0;
  for (let i = 0; i < 4; i += 1) {
    const dgt = digitAt(v, i);
    if (dgt < 0) return null;
    y = y * 10 + dgt;
  }
  const m1 = digitAt(v, 5);
  const m2 = digitAt(v, 6);
  const d1 = digitAt(v, 8);
  const d2 = digitAt(v, 9);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return null;
  if (!validDate(y, m1 * 10 + m2, d1 * 10 + d2)) return null;
  return v.length === 10 ? v : v.slice(0, 10);
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

function monthStart(y: number, m: number): string {
  return isoDate(y, m, 1);
}

function monthEnd(y: number, m: number): string {
  return validDate(y, m, 1) ? isoDate(y, m, daysInMonth(y, m)) : '';
}

function addDays(iso: string, days: number): string {
  const m = PLAIN_ISO_DATE.exec(iso);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const dd = Number(m[3]);
    if (validDate(y, mo, dd)) return isoFromDays(daysFromCivil(y, mo, dd) + days);
  }
  // Anything else (a configured term written in another ISO form, an invalid date): luxon, as before.
  return DateTime.fromISO(iso, { zone: 'utc' }).plus({ days }).toISODate() ?? '';
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
        const s = isoDate(a.y, a.m, a.d);
        return { start: s, end: s, period: false, ...plain };
      }
      const hit = pickOccurrence((y) => {
        if (!validDate(y, a.m, a.d)) return null;
        const s = isoDate(y, a.m, a.d);
        return { start: s, end: s, period: false, defaults: false };
      }, ctx);
      return hit ?? 'no-context';
    }
    case 'dayRange':
      return { start: isoDate(a.y, a.m, a.d1), end: isoDate(a.y, a.m, a.d2), period: true, ...plain };
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
  /** "Sept 2023 - ongoing": ongoing written after the date, which is then when the work started. */
  ongoingAfter: boolean;
  inParen: boolean;
  /** What the words around the date say about it (deadline-doubts.ts). */
  doubt: Doubt;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Memo of WORD_CHAR for BMP code units: 0 unknown, 1 word char, 2 not. */
const WORD_UNIT = new Uint8Array(65536);

/** Whether the UTF-16 code unit at `i` is a letter or number on its own (as /[\p{L}\p{N}]/u tests it). */
function isWordAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i); // NaN out of range
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  if (!(c >= 128)) return false;
  let known = WORD_UNIT[c] as number;
  if (known === 0) {
    known = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    WORD_UNIT[c] = known;
  }
  return known === 1;
}

function atomAt(text: string, i: number): { atom: Atom; end: number } | null {
  const mask = candidates(text, i);
  if (mask === 0) return null;
  let best: { atom: Atom; end: number } | null = null;
  for (let k = 0; k < PATTERNS.length; k += 1) {
    if ((mask & (1 << k)) === 0) continue;
    const p = PATTERNS[k] as Pattern;
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
  const firstOpen = text.indexOf('(');
  if (firstOpen < 0) return spans;
  let depth = 0;
  let open = -1;
  for (let i = firstOpen; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 40 /* ( */) {
      if (depth === 0) open = i;
      depth += 1;
    } else if (ch === 41 /* ) */ && depth > 0) {
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
  // Only word starts (a letter or number after a non-word character) can start a date.
  let prevWord = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    const word = c < 128 ? (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) : isWordAt(text, i);
    if (!word || prevWord) {
      prevWord = word;
      i += 1;
      continue;
    }
    const first = atomAt(text, i);
    if (!first) {
      // The rest of this word is skipped: no word start before its end.
      prevWord = true;
      i += 1;
      continue;
    }
    const atoms: Atom[] = [first.atom];
    let end = first.end;
    if (RANGEABLE.has(first.atom.kind)) {
      const afterSep = stickyMatch(RANGE_SEP, text, end);
      if (afterSep > 0 && isWordAt(text, afterSep) && !isWordAt(text, afterSep - 1)) {
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
    hits.push({ atoms, from: i, to: end, phraseFrom: i, cue: 'none', mod: null, beyond, onwards, ongoing, ongoingAfter: ongoing, inParen: false, doubt: null });
    i = end;
    prevWord = isWordAt(text, end - 1);
  }
  return hits;
}

function classify(text: string, hits: Hit[]): void {
  const spans = parenSpans(text);
  let prevEnd = 0;
  // Hits come in text order and the outermost spans are disjoint and in order: walk both together.
  let sp = 0;
  for (const h of hits) {
    while (sp < spans.length && (spans[sp] as [number, number])[1] <= h.from) sp += 1;
    const span = spans[sp];
    h.inParen = span !== undefined && h.from > span[0] && h.from < span[1];
    let sliceStart = Math.max(prevEnd, h.from - 48);
    for (let k = h.from - 1; k >= sliceStart; k -= 1) {
      const ch = text.charCodeAt(k);
      if (ch === 10 || ch === 13 || ch === 40 || ch === 41) {
        sliceStart = k + 1;
        break;
      }
    }
    // The cue is read from text[sliceStart, h.from). CUE_RE only matches at the end of it, over cue-tail
    // characters: searching the short tail gives the same match as searching the whole slice.
    const m = CUE_RE.exec(text.slice(cueSearchStart(text, sliceStart, h.from), h.from));
    const cueWord = m?.[1];
    const modWord = m?.[4];
    let phraseFrom = h.from;
    if (m && (cueWord || modWord)) {
      // The match ends at h.from: its groups' positions follow from their lengths.
      const modLength = m[3]?.length ?? 0;
      if (cueWord !== undefined) phraseFrom = h.from - modLength - (m[2]?.length ?? 0) - cueWord.length;
      else if (m[3] !== undefined) phraseFrom = h.from - modLength;
      h.cue = cueWord ? cueTypeOf(cueWord) : 'none';
      const mw = (modWord ?? '').toLowerCase();
      h.mod = mw === 'end' || mw === 'close' ? 'end' : mw === 'start' || mw === 'beginning' ? 'start' : null;
    } else if (dashBefore(text, sliceStart, h.from)) {
      h.cue = 'dash';
    }
    h.phraseFrom = phraseFrom;
    const before = text.slice(Math.max(sliceStart - 40, prevEnd, 0), phraseFrom);
    if (ONGOING_LITERAL.test(before) && ONGOING_BEFORE.test(before)) h.ongoing = true;
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

/** A date with no year of its own, so a number right after it is a year the reader could not take. */
function isYearless(a: Atom | undefined): boolean {
  if (a === undefined) return false;
  if (a.kind === 'date' || a.kind === 'month' || a.kind === 'term') return a.y === null;
  if (a.kind === 'quarter') return a.fy === null && a.cal === null;
  return false;
}

function markDoubts(text: string, hits: Hit[], mode: Mode): void {
  if (hits.length === 0) return;
  const spans: DateSpan[] = hits.map((h) => ({
    from: h.from,
    phraseFrom: h.phraseFrom,
    to: h.to,
    vague: h.atoms[0]?.kind === 'vague',
    yearless: isYearless(h.atoms[h.atoms.length - 1]),
    bareYear: h.atoms.length === 1 && h.atoms[0]?.kind === 'year' && h.cue === 'none' && h.mod === null,
  }));
  const doubts = doubtsAround(text, spans, mode);
  for (let k = 0; k < hits.length; k += 1) (hits[k] as Hit).doubt = doubts[k] ?? null;
}

function scan(text: string, mode: Mode): Hit[] {
  const hits = rawHits(text);
  classify(text, hits);
  markDoubts(text, hits, mode);
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
  if (h.doubt === 'unreadable') return unreadable(r);
  if (h.doubt === 'vague') {
    r.ongoing = false;
    r.flags = ['vague'];
    r.confidence = 'low';
    return r;
  }
  const res = b ? resolveRange(a, b, ctx) : resolveAtom(a, ctx);
  if (typeof res === 'string' || outsidePlanLife(res, ctx)) return unreadable(r);
  if (res.fromContext) r.flags.push('year-from-context');
  if (res.defaults) r.flags.push('term-dates-default');
  if (res.fromContext || res.defaults) r.confidence = 'medium';

  const point = h.mod === 'end' ? res.end : h.mod === 'start' ? res.start : null;
  // "Jan 2024 onwards", "Sept 2023 - ongoing": the date is when it started; there is no end. With a
  // due cue ("to March 25 and ongoing") the date stays a due date.
  const startsOngoing = h.ongoingAfter && (h.cue === 'none' || h.cue === 'dash' || h.cue === 'period');
  const cue = h.onwards || startsOngoing ? 'start' : h.cue;
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

/** Plans run a few years: a date more than this many years from the plan's date is a slip, not a deadline. */
const PLAN_LIFE_YEARS = 10;

/** "31 Dec 2099", "Dec 99" against a 2024 plan: outside any plan's life, so not read. */
function outsidePlanLife(res: Interval, ctx: Ctx): boolean {
  const base = ctx.reference ?? ctx.windowStart ?? ctx.windowDue;
  if (base === null) return false;
  const year = Number(base.slice(0, 4));
  return Number(res.start.slice(0, 4)) < year - PLAN_LIFE_YEARS || Number(res.end.slice(0, 4)) > year + PLAN_LIFE_YEARS;
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

const MARKER_SEPARATORS = new Set([...' \t\r\n\u00a0\u202f\u2009-–—:;,([']);

function trimSeparatorsEnd(s: string): string {
  let end = s.length;
  while (end > 0 && MARKER_SEPARATORS.has(s[end - 1] as string)) end -= 1;
  return s.slice(0, end);
}

const COMPLETE_WORD = /complete|done/i;
const WHOLE_COMPLETED = /^[\s\-–—:(\[]*(completed?|done)[\s.!)\]]*$/iu;
/** In a date cell, a marker any case followed by a separator and the date: "Complete - Sept 23", "Done (Jan 24)", "completed: March 2024". */
const LEAD_MARKER_THEN_DATE = /^(completed?|done)\s*(?:[-–—:,]\s*|(?=\())/iu;
const TRAIL_COMPLETED = /(?<![\p{L}\p{N}])[(\[]?\s*(COMPLETED|COMPLETE)[\s.!)\]]*$/u;
const TRAIL_COMPLETED_AFTER_DASH = /(?:[-–—:]|\()\s*(Completed|Complete|completed|complete)[\s.!)\]]*$/u;
const LEAD_COMPLETED = /^(COMPLETED|COMPLETE|Completed)(?![\p{L}\p{N}])[\s\-–—:,.]{0,20}/u;

/** "… COMPLETED", "… – Completed", "(complete)", or a cell that is just "Completed". */
function splitCompleted(text: string, allowLeading: boolean): Marker | null {
  const t = text.trimEnd();
  // Only the end of the text can hold a trailing marker: look at a short tail (keeps this linear).
  const offset = Math.max(0, t.length - 40);
  const tail = t.slice(offset);
  // Every marker contains the word (no other character case-folds into its letters): most text has none.
  const inTail = COMPLETE_WORD.test(tail);
  if (!inTail && !(allowLeading && COMPLETE_WORD.test(t.slice(0, 8)))) return null;
  const whole = inTail ? WHOLE_COMPLETED.exec(offset === 0 ? t : '') : null;
  if (whole) return { rest: '', marker: whole[1] ?? '' };
  const trail = inTail ? (TRAIL_COMPLETED.exec(tail) ?? TRAIL_COMPLETED_AFTER_DASH.exec(tail)) : null;
  if (trail && !(trail.index === 0 && offset > 0 && WORD_CHAR.test(t[offset - 1] ?? ''))) {
    return { rest: trimSeparatorsEnd(t.slice(0, offset + trail.index)), marker: trail[1] ?? '' };
  }
  if (allowLeading) {
    const marked = LEAD_MARKER_THEN_DATE.exec(t);
    if (marked && marked[0].length < t.length) return { rest: t.slice(marked[0].length).replace(/^\((.*)\)[\s.]*$/su, '$1'), marker: marked[1] ?? '' };
    const lead = LEAD_COMPLETED.exec(t);
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
    revisedFrom: null,
    confidence,
    flags: FLAG_ORDER.filter((f) => flags.has(f)),
  };
}

function emptyDeadline(text: string): Deadline {
  return { text, start: null, due: null, milestones: [], ongoing: false, completed: false, revisedFrom: null, confidence: 'low', flags: ['unreadable'] };
}

function unreadableDeadline(text: string): Deadline {
  return {
    text,
    start: null,
    due: null,
    milestones: [{ text: text.trim(), start: null, due: null, ongoing: false, completed: false, note: false, flags: ['unreadable'] }],
    ongoing: false,
    completed: false,
    revisedFrom: null,
    confidence: 'low',
    flags: ['unreadable'],
  };
}

/**
 * "revised from Dec 23", "(was Dec 24)", "delayed from March 2025", "originally Sept 24": the date a
 * phrase says it was moved from. Its text runs to the end of the bracket, clause or line.
 */
const REVISED_FROM =
  /(?:revised|moved|changed|delayed|slipped|deferred|rescheduled|extended|postponed|amended|put\s+back|pushed\s+back|re-?profiled)\s+from\s+([^()\n;]{1,40})|\(\s*(?:was|originally|previously|orig\.?|formerly)\s*:?\s+([^()\n;]{1,40})\)/iu;

function findRevisedFrom(text: string, ctx: DeadlineContext | undefined): string | null {
  const m = REVISED_FROM.exec(text.length > 2000 ? text.slice(0, 2000) : text);
  const phrase = (m?.[1] ?? m?.[2])?.trim();
  if (!phrase) return null;
  const read = readDeadline(phrase, ctx);
  return read.flags.includes('vague') || read.flags.includes('unreadable') ? null : read.due;
}

/** Longer input than this is not a date phrase: kept verbatim and flagged unreadable. */
const MAX_CELL = 20_000;
const MAX_PROSE = 100_000;

// ---------------------------------------------------------------------------------------------------
// Public API.

const ONGOING_WORD = /(?:^|[^\p{L}])on-?going(?![\p{L}])/iu;
/** Cheap pre-check for findMisspeltMonthPhrases: a cue word followed by a word that could be a month. */
const MISSPELT_CUE = /(?:by|from|until|till|before|after|in|during|due|commencing|starting|of)\s+(?:the\s+)?(?:\d{1,2}\S*\s+)?[jfmasond][a-z]{3}/i;
const ONGOING_WORD_LITERAL = /going/i;
const LINE_BREAK = /\r\n|\r|\n/;
const SPACE_RUN = /\s{2,}/g;

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
  const ongoingWord = ONGOING_WORD_LITERAL.test(body) && ONGOING_WORD.test(body);
  const out: Reading[] = [];

  if (usedHits.length === 0) {
    const r = blank(line);
    r.completed = completed;
    r.ongoing = ongoingWord;
    if (!completed && !ongoingWord) return [unreadable(r)];
    return [r];
  }

  // A line whose every date is doubtful ("March 25 or 26", "Dec 24 TBC") is one flagged milestone,
  // kept whole: its dates are alternatives or hedged, not separate milestones.
  if (usedHits.some((h) => h.doubt !== null) && usedHits.every((h) => h.doubt !== null || h.atoms[0]?.kind === 'vague')) {
    const r = blank(body.trim());
    r.completed = completed;
    if (usedHits.some((h) => h.doubt === 'unreadable')) return [unreadable(r)];
    r.flags.push('vague');
    r.confidence = 'low';
    return [r];
  }

  // The text of a single-milestone line is the line without its parenthetical notes.
  const spans = parenSpans(body);
  const noteSpans = spans.filter(([a, b]) => noteHits.some((h) => h.from > a && h.from < b));
  let mainText = body;
  for (const [a, b] of [...noteSpans].reverse()) mainText = mainText.slice(0, a) + mainText.slice(b);
  mainText = mainText.replace(SPACE_RUN, ' ').trim();

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
    for (const raw of input.split(LINE_BREAK)) {
      const line = raw.trim();
      if (line) readings.push(...readLine(line, c));
    }
    const deadline = aggregate(input, readings);
    deadline.revisedFrom = findRevisedFrom(input, ctx);
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
    if (hits.length === 0 && !done && !MISSPELT_CUE.test(body)) return null;
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
    // "by Febuary 2025": a cue and a misspelt month the scan passed over; flagged, not left to inherit.
    for (const m of findMisspeltMonthPhrases(body)) {
      if (hits.some((h) => m.from < h.to && h.phraseFrom < m.to)) continue;
      const r = unreadable(blank(m.phrase));
      if (done) r.completed = true;
      readings.push(r);
      phrases.push(m.phrase);
    }
    if (readings.length === 0 && !done) return null;
    if (done) {
      phrases.push(done.marker);
      if (readings.length === 0) {
        const r = blank(done.marker);
        r.completed = true;
        readings.push(r);
      }
    }
    const phrase = phrases.join(' / ');
    const deadline = aggregate(phrase, readings);
    deadline.revisedFrom = findRevisedFrom(body, ctx);
    return { phrase, deadline };
  } catch {
    return null;
  }
}
