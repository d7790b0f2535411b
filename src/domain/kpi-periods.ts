// The periods a KPI is reported for, and reading a period someone typed ("for Q3 24/25").
//
// Frequencies: monthly (calendar months), quarterly (financial quarters: Q1 = April–June, as NHS and
// council returns count them) and annual (financial years, April–March).
//
// Choices worth knowing:
// - A period's figure is expected by the END OF THE MONTH AFTER the period ends: October's by
//   30 November, Q2 (July–September) by 31 October, 2024/25 by 30 April 2025. Figures take time to
//   be produced, so demanding October's figure on 2 November would chase people for what cannot
//   exist yet. `duePeriod(freq, today)` is the latest period whose figure is overdue by that rule.
// - With no period given, a reading is for the latest COMPLETE period: on 18 November 2024 a
//   monthly KPI's reading is for October 2024, a quarterly one's for Q2 2024/25. Someone with an
//   earlier figure says so ("for September 2024").
// - A reading is for a period that has ended (or for a single day up to today, "as at 15 Nov 2024",
//   for snapshot counts such as a waiting list); a period still running is refused, not guessed.
//
// Pure: dates are ISO calendar dates (Europe/London); no clock, no I/O.
import type { SchoolTerm } from './deadline-types.js';
import { readDeadline } from './deadlines.js';
import type { KpiFrequency } from './kpi-types.js';

export interface KpiPeriod {
  /** "November 2024", "Q3 2024/25", "2024/25", "30 Nov 2024", or the words as written. */
  label: string;
  /** First day; null for a single day. */
  start: string | null;
  /** Last day: where the reading sits on a chart, and what "for the same period" compares. */
  end: string;
}

export const KPI_FREQUENCIES: readonly KpiFrequency[] = ['monthly', 'quarterly', 'annual'];

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Plain calendar arithmetic on ISO dates: periods are worked out for every KPI on every tick and
// digest, so no date library objects here.
interface Ymd {
  y: number;
  m: number;
  d: number;
}
const ymd = (iso: string): Ymd => ({ y: Number(iso.slice(0, 4)), m: Number(iso.slice(5, 7)), d: Number(iso.slice(8, 10)) });
const pad = (n: number): string => String(n).padStart(2, '0');
const isoOf = (y: number, m: number, d: number): string => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
/** Days in month `m` (1–12) of `y`. */
const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** The month `n` months after (y, m), as [year, month]. */
function addMonths(y: number, m: number, n: number): [number, number] {
  const index = y * 12 + (m - 1) + n;
  return [Math.floor(index / 12), (index % 12) + 1];
}
const monthEnd = (y: number, m: number): string => isoOf(y, m, daysIn(y, m));
/** The day before an ISO date. */
function dayBefore(iso: string): string {
  const { y, m, d } = ymd(iso);
  if (d > 1) return isoOf(y, m, d - 1);
  const [py, pm] = addMonths(y, m, -1);
  return monthEnd(py, pm);
}

/** "2024/25" for the financial year starting April 2024. */
export function financialYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

export function monthPeriod(year: number, month: number): KpiPeriod {
  return { label: `${MONTH_NAMES[month - 1]} ${year}`, start: isoOf(year, month, 1), end: monthEnd(year, month) };
}

/** Financial quarter `q` (1–4) of the year starting in April `fyStart`. */
export function quarterPeriod(fyStart: number, q: number): KpiPeriod {
  const [sy, sm] = addMonths(fyStart, 4, (q - 1) * 3);
  const [ey, em] = addMonths(sy, sm, 2);
  return { label: `Q${q} ${financialYearLabel(fyStart)}`, start: isoOf(sy, sm, 1), end: monthEnd(ey, em) };
}

export function financialYearPeriod(fyStart: number): KpiPeriod {
  return { label: financialYearLabel(fyStart), start: `${fyStart}-04-01`, end: `${fyStart + 1}-03-31` };
}

/** The financial year (by its starting year) a date falls in. */
function financialYearOf(d: Ymd): number {
  return d.m >= 4 ? d.y : d.y - 1;
}

/** The period of `frequency` that contains `iso`. */
export function periodContaining(frequency: KpiFrequency, iso: string): KpiPeriod {
  const d = ymd(iso);
  switch (frequency) {
    case 'monthly':
      return monthPeriod(d.y, d.m);
    case 'quarterly': {
      const monthsIn = (d.m - 4 + 12) % 12;
      return quarterPeriod(financialYearOf(d), Math.floor(monthsIn / 3) + 1);
    }
    case 'annual':
      return financialYearPeriod(financialYearOf(d));
  }
}

/** The period of `frequency` just before `period` (which need not be one of that frequency). */
export function periodBefore(frequency: KpiFrequency, period: Pick<KpiPeriod, 'start' | 'end'>): KpiPeriod {
  return periodContaining(frequency, dayBefore(period.start ?? period.end));
}

/** The latest period that has ended before `today` (today is still part of its own period). */
export function latestCompletePeriod(frequency: KpiFrequency, today: string): KpiPeriod {
  return periodBefore(frequency, periodContaining(frequency, today));
}

/** The day a period's figure is due: the last day of the month after the period ends. */
export function readingDueBy(period: Pick<KpiPeriod, 'end'>): string {
  const { y, m } = ymd(period.end);
  const [ny, nm] = addMonths(y, m, 1);
  return monthEnd(ny, nm);
}

/** The latest period whose figure was due before `today`: the one a reading is missing for. */
export function duePeriod(frequency: KpiFrequency, today: string): KpiPeriod {
  let period = latestCompletePeriod(frequency, today);
  while (readingDueBy(period) >= today) period = periodBefore(frequency, period);
  return period;
}

/** The canonical label when a span is exactly a month, a financial quarter or a financial year. */
export function canonicalLabel(start: string | null, end: string): string | null {
  if (start === null) return null;
  const s = ymd(start);
  const e = ymd(end);
  if (s.d !== 1 || e.d !== daysIn(e.y, e.m)) return null;
  const months = (e.y - s.y) * 12 + e.m - s.m + 1;
  if (months === 1) return monthPeriod(s.y, s.m).label;
  if (months === 3 && (s.m - 4 + 12) % 3 === 0) return periodContaining('quarterly', start).label;
  if (months === 12 && s.m === 4) return financialYearLabel(s.y);
  return null;
}

/** "30 Nov 2024". */
export function dayLabel(iso: string): string {
  const d = ymd(iso);
  return `${d.d} ${SHORT_MONTHS[d.m - 1]} ${d.y}`;
}

export type PeriodReading =
  | { ok: true; period: KpiPeriod }
  /** `unreadable`: not a period; `not_ended`: the period (given back) has not ended by today. */
  | { ok: false; problem: 'unreadable' }
  | { ok: false; problem: 'not_ended'; period: KpiPeriod };

const MONTH_WORD =
  /^(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?:(?:\s+|\s*[-–/]\s*)'?(\d{4}|\d{2}))?$/i;

/** Flags from the deadline reader that mean the words were not (wholly) a period. */
const NOT_A_PERIOD = new Set(['unreadable', 'vague', 'partly-read', 'start-only']);

/**
 * Reads the period a reading is for: "Q3 24/25", "November 2024", "Nov 24", "November" (the latest
 * November that has started), "2024/25", "Oct–Dec 2024", "autumn term 2024", "30 Nov 2024",
 * "last month", "last quarter", "last year" (for the KPI's frequency; "last year" is the last
 * financial year). A leading "for", "as at" or "as of" is ignored.
 */
export function readKpiPeriod(text: string, today: string, opts: { frequency?: KpiFrequency; terms?: SchoolTerm[] } = {}): PeriodReading {
  const words = text
    .trim()
    .replace(/^(?:for|as\s+at|as\s+of)\s+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!words) return { ok: false, problem: 'unreadable' };
  const period = readWords(words, today, opts);
  if (!period) return { ok: false, problem: 'unreadable' };
  if (period.end > today) return { ok: false, problem: 'not_ended', period };
  return { ok: true, period };
}

function readWords(words: string, today: string, opts: { frequency?: KpiFrequency; terms?: SchoolTerm[] }): KpiPeriod | undefined {
  const lower = words.toLowerCase();
  const relative = /^(?:the\s+)?(last|previous)\s+(month|quarter|(?:financial\s+)?year)$/.exec(lower);
  if (relative) {
    const unit = relative[2] as string;
    const frequency: KpiFrequency = unit === 'month' ? 'monthly' : unit === 'quarter' ? 'quarterly' : 'annual';
    return latestCompletePeriod(frequency, today);
  }
  const month = MONTH_WORD.exec(words);
  if (month) {
    const m = SHORT_MONTHS.findIndex((s) => (month[1] as string).toLowerCase().startsWith(s.toLowerCase())) + 1;
    const yearText = month[2];
    if (yearText) return monthPeriod(yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText), m);
    // No year: the latest such month that has started.
    const t = ymd(today);
    return monthPeriod(m <= t.m ? t.y : t.y - 1, m);
  }
  const deadline = readDeadline(words, { reference: today, ...(opts.terms ? { terms: opts.terms } : {}) });
  if (deadline.due === null || deadline.flags.some((f) => NOT_A_PERIOD.has(f)) || deadline.milestones.length !== 1) return undefined;
  const start = deadline.start;
  return { label: canonicalLabel(start, deadline.due) ?? (start === null ? dayLabel(deadline.due) : words), start, end: deadline.due };
}

const QUARTER_HEADING = /^q([1-4])\s*(?:fy\s*)?(\d{2}|\d{4})\s*[/-]\s*(\d{2}|\d{4})$/i;
const YEAR_HEADING = /^(?:fy\s*)?(\d{4}|\d{2})\s*[/-]\s*(\d{2}|\d{4})$/i;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "23" → 2023; "2023" → 2023. */
const fullYear = (text: string): number => (text.length === 2 ? 2000 + Number(text) : Number(text));

/**
 * The period a column heading of a KPI sheet names, with no "today" to fill a missing year: a month
 * with its year ("Aug-23", "Aug 23", "August 2023", "Sept '23"), a financial quarter ("Q3 23/24",
 * "Q3 2023/24"), a financial year ("2023/24", "2023-24", "FY 23/24"), or a spreadsheet date cell
 * (read as YYYY-MM-DD) on the first or last day of a month, meaning that month. Anything else
 * (including a month without a year, or years that do not follow on) is undefined: not a period column.
 */
export function readPeriodHeading(text: string): KpiPeriod | undefined {
  const words = text.trim().replace(/\s+/g, ' ');
  const month = MONTH_WORD.exec(words);
  if (month) {
    if (month[2] === undefined) return undefined;
    const m = SHORT_MONTHS.findIndex((s) => (month[1] as string).toLowerCase().startsWith(s.toLowerCase())) + 1;
    return monthPeriod(fullYear(month[2]), m);
  }
  const quarter = QUARTER_HEADING.exec(words);
  if (quarter) {
    const start = fullYear(quarter[2] as string);
    return (fullYear(quarter[3] as string) % 100) === (start + 1) % 100 ? quarterPeriod(start, Number(quarter[1])) : undefined;
  }
  const year = YEAR_HEADING.exec(words);
  if (year) {
    const start = fullYear(year[1] as string);
    return fullYear(year[2] as string) % 100 === (start + 1) % 100 ? financialYearPeriod(start) : undefined;
  }
  const day = ISO_DAY.exec(words);
  if (day) {
    const y = Number(day[1]);
    const m = Number(day[2]);
    const d = Number(day[3]);
    if (m < 1 || m > 12) return undefined;
    return d === 1 || d === daysIn(y, m) ? monthPeriod(y, m) : undefined;
  }
  return undefined;
}
