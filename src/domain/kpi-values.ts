// KPI values as people write them ("63%", "63.5 %", "12 weeks", "1,240", "16.9") and as sendbot shows
// them, plus the targets and baselines a plan writes ("65% by March 25; 85% in 2025/26",
// "62–65% in 2023/24"). Pure.
import type { SchoolTerm } from './deadline-types.js';
import { readDeadline } from './deadlines.js';
import type { KpiDirection, KpiTrajectoryPoint, KpiUnit } from './kpi-types.js';

export const KPI_UNITS: readonly KpiUnit[] = ['percent', 'weeks', 'days', 'count', 'number'];

/** A unit word someone may write after a number. Months and years are read only to be refused clearly. */
export type WrittenUnit = 'percent' | 'weeks' | 'days' | 'months' | 'years';

const UNIT_WORDS: Record<string, WrittenUnit> = {
  '%': 'percent',
  percent: 'percent',
  'per cent': 'percent',
  pc: 'percent',
  pct: 'percent',
  'per-cent': 'percent',
  week: 'weeks',
  weeks: 'weeks',
  wk: 'weeks',
  wks: 'weeks',
  day: 'days',
  days: 'days',
  month: 'months',
  months: 'months',
  year: 'years',
  years: 'years',
  yrs: 'years',
};

/** How a unit is named in replies: "HCP-HR1 is a percentage". */
export const UNIT_NAMES: Record<KpiUnit, string> = {
  percent: 'a percentage',
  weeks: 'measured in weeks',
  days: 'measured in days',
  count: 'a count (a whole number)',
  number: 'a number',
};

/** What a unit looks like written, for examples: `/send kpi HCP-HR1 63%`. */
export function exampleValue(unit: KpiUnit): string {
  switch (unit) {
    case 'percent':
      return '63%';
    case 'weeks':
      return '12 weeks';
    case 'days':
      return '30 days';
    case 'count':
      return '140';
    case 'number':
      return '16.5';
  }
}

/** "63.5%", "12 weeks", "1 week", "1,240", "16.9": up to two decimals, no trailing zeros. */
export function formatKpiValue(value: number, unit: KpiUnit): string {
  const n = value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  switch (unit) {
    case 'percent':
      return `${n}%`;
    case 'weeks':
      return `${n} ${value === 1 ? 'week' : 'weeks'}`;
    case 'days':
      return `${n} ${value === 1 ? 'day' : 'days'}`;
    default:
      return n;
  }
}

const NUMBER = /^([-−–]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;

/** A written number ("1,240", "63.5", "−3") or undefined. */
export function readNumber(text: string): number | undefined {
  const m = NUMBER.exec(text.trim());
  if (!m) return undefined;
  const value = Number(`${m[2]?.replace(/,/g, '')}${m[3] ? `.${m[3]}` : ''}`);
  return m[1] ? -value : value;
}

export interface WrittenValue {
  value: number;
  unit: WrittenUnit | null;
  /** How many of the words were used (1 or 2: "63%" or "12 weeks"). */
  consumed: number;
}

/**
 * Reads a value from the start of `words`: a number with an optional unit stuck to it ("63%",
 * "12wks") or in the next word ("12 weeks", "63 per cent"). Undefined when the first word is not a number.
 */
export function readWrittenValue(words: readonly string[]): WrittenValue | undefined {
  const first = words[0];
  if (first === undefined) return undefined;
  const m = /^([-−–]?[\d,]*\d(?:\.\d+)?)\s*([a-z%]*)$/i.exec(first.trim());
  if (!m) return undefined;
  const value = readNumber(m[1] as string);
  if (value === undefined) return undefined;
  const stuck = (m[2] as string).toLowerCase();
  if (stuck) {
    const unit = UNIT_WORDS[stuck];
    return unit ? { value, unit, consumed: 1 } : undefined;
  }
  const next = words[1]?.toLowerCase();
  const pair = next && words[2] ? `${next} ${words[2].toLowerCase()}` : '';
  if (pair === 'per cent') return { value, unit: 'percent', consumed: 3 };
  if (next && UNIT_WORDS[next]) return { value, unit: UNIT_WORDS[next] ?? null, consumed: 2 };
  return { value, unit: null, consumed: 1 };
}

/** How many words at the start of `words` are a unit word on their own ("%", "weeks", "per cent"); 0 when none. */
export function unitWordsAt(words: readonly string[]): number {
  const first = words[0]?.toLowerCase().replace(/[,;:.!]+$/, '');
  if (first === undefined) return 0;
  if (first === 'per' && /^cent[,;:.!]*$/i.test(words[1] ?? '')) return 2;
  return UNIT_WORDS[first] ? 1 : 0;
}

/**
 * True when a reading moves more than half of the way from the last one: the change is more than
 * half of the last value (78% → 7% or 78% → 120% in a count, 20 → 31 weeks). A last value of 0
 * gives no scale, so nothing is asked then.
 */
export function isLargeMove(last: number, next: number): boolean {
  if (last === 0) return false;
  return Math.abs(next - last) > Math.abs(last) / 2;
}

export type ValueProblem =
  | { kind: 'wrong_unit'; written: WrittenUnit; suggestion?: string }
  | { kind: 'out_of_range'; message: string };

/** Checks a written value against the KPI's unit; undefined when it is fine. */
export function checkValue(written: { value: number; unit: WrittenUnit | KpiUnit | null }, unit: KpiUnit): ValueProblem | undefined {
  const { value } = written;
  // "count" and "number" are never written after a figure: a bare number fits any unit. A plain
  // number may be an age or a span in months or years ("16.5 years"), so those words fit it.
  const plainFits = unit === 'number' && (written.unit === 'months' || written.unit === 'years');
  const writtenUnit = written.unit === 'count' || written.unit === 'number' || plainFits ? null : written.unit;
  if (writtenUnit !== null && writtenUnit !== unit) {
    // Days and weeks convert exactly one way: say what the figure is in the KPI's unit.
    if (writtenUnit === 'days' && unit === 'weeks' && value % 7 === 0) return { kind: 'wrong_unit', written: 'days', suggestion: formatKpiValue(value / 7, 'weeks') };
    if (writtenUnit === 'weeks' && unit === 'days') return { kind: 'wrong_unit', written: 'weeks', suggestion: formatKpiValue(value * 7, 'days') };
    // Any other unit is a mismatch, on a plain number or count too (a percentage is never a count).
    return { kind: 'wrong_unit', written: writtenUnit };
  }
  if (!Number.isFinite(value)) return { kind: 'out_of_range', message: 'that is not a number sendbot can store' };
  switch (unit) {
    case 'percent':
      if (value < 0 || value > 100) return { kind: 'out_of_range', message: `a percentage is between 0% and 100%; ${formatKpiValue(value, 'percent')} is not` };
      return undefined;
    case 'weeks':
    case 'days':
      if (value < 0) return { kind: 'out_of_range', message: `a waiting time cannot be negative (${formatKpiValue(value, unit)})` };
      return undefined;
    case 'count':
      if (value < 0) return { kind: 'out_of_range', message: `a count cannot be negative (${value.toLocaleString('en-GB')})` };
      if (!Number.isInteger(value)) return { kind: 'out_of_range', message: `a count is a whole number (${value.toLocaleString('en-GB')} is not)` };
      return undefined;
    case 'number':
      return undefined;
  }
}

/** The KPI unit a written unit implies ("65%" → percent), or null when it says nothing. */
export function unitOfWritten(unit: WrittenUnit | null): KpiUnit | null {
  return unit === 'percent' || unit === 'weeks' || unit === 'days' ? unit : null;
}

/** Reads a unit as a plan file writes it: "%", "percent", "weeks", "count", "number of children"… */
export function readUnitWord(text: string): KpiUnit | undefined {
  const t = text.trim().toLowerCase();
  if (t === '' ) return undefined;
  if (t === '%' || /^(percent|per cent|percentage|pct|pc|rate)$/.test(t)) return 'percent';
  if (/^(weeks?|wks?)$/.test(t)) return 'weeks';
  if (/^days?$/.test(t)) return 'days';
  if (/^(count|whole number|number of .+|people|children|cyp|young people)$/.test(t)) return 'count';
  if (/^(number|value|score|age|years?)$/.test(t)) return 'number';
  return undefined;
}

export function readDirectionWord(text: string): KpiDirection | undefined {
  const t = text.trim().toLowerCase();
  if (/^(higher|up|increase|increasing|higher is better|more|\+|↑)$/.test(t)) return 'higher';
  if (/^(lower|down|decrease|decreasing|reduce|reduction|lower is better|less|fewer|-|↓)$/.test(t)) return 'lower';
  return undefined;
}

export interface ReadTarget {
  point: KpiTrajectoryPoint;
  /** The KPI unit the target's writing implies ("65%" → percent), if any. */
  unit: KpiUnit | null;
  /** The unit word written after the figure, if any. */
  written: WrittenUnit | null;
}

/**
 * One trajectory point from the target and the date phrase as the plan writes them: ("65%",
 * "March 25"), ("85%", "in 2025/26"). Undefined when the target is not a number.
 */
export function readTarget(targetText: string, byText: string, ctx: { reference: string; terms?: SchoolTerm[] }): ReadTarget | undefined {
  const written = readWrittenValue(targetText.trim().split(/\s+/));
  if (!written) return undefined;
  const by = byText.trim().replace(/^(by|in|for|during|at)\s+/i, '');
  const deadline = readDeadline(by, { reference: ctx.reference, ...(ctx.terms ? { terms: ctx.terms } : {}) });
  const flags: string[] = deadline.due === null ? (deadline.flags.length > 0 ? [...deadline.flags] : ['unreadable']) : [...deadline.flags];
  return {
    point: { target: written.value, targetText: targetText.trim(), byText: by, due: deadline.due, start: deadline.start, flags },
    unit: unitOfWritten(written.unit),
    written: written.unit,
  };
}

/**
 * A whole trajectory written in one cell: "65% by March 25; 85% in 2025/26" (points separated by
 * ";" or new lines; each "<target> by|in|for <date or period>"). Problems name the part that failed.
 */
export function readTrajectoryText(text: string, ctx: { reference: string; terms?: SchoolTerm[] }): { points: ReadTarget[]; problems: string[] } {
  const points: ReadTarget[] = [];
  const problems: string[] = [];
  for (const part of text.split(/[;\n]+/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.+?)\s+(by|in|for|during)\s+(.+)$/i.exec(part);
    const read = m ? readTarget(m[1] as string, `${m[2]} ${m[3]}`, ctx) : undefined;
    if (!read) {
      problems.push(`"${part}" is not a target with a date; write e.g. "65% by March 25; 85% in 2025/26"`);
      continue;
    }
    if (read.point.due === null) problems.push(`the date in "${part}" could not be read; write e.g. "by March 25", "in 2025/26" or "by Q4 24/25"`);
    points.push(read);
  }
  return { points, problems };
}

export interface ReadBaseline {
  value: number | null;
  unit: KpiUnit | null;
  /** End of the period the baseline names ("in 2023/24" → 2024-03-31), or null. */
  asOf: string | null;
  /** True when the text gives a range ("62–65%"): no single value is taken from it. */
  range: boolean;
}

/**
 * Reads "62%", "62% in 2023/24", "62–65% in 2023/24", "1,240 (March 2024)", "over 2 years". A range
 * gives no single value (`range` is set, so the import can ask for one); words that are not a value
 * leave it null. The as-of date is the end of the period named after the value.
 */
export function readBaselineText(text: string, ctx: { reference: string; terms?: SchoolTerm[] }): ReadBaseline {
  const t = text.trim();
  const lead = /^(\d[\d,]*(?:\.\d+)?)\s*(%|weeks?|wks?|days?)?(?:\s*[-–—]\s*(\d[\d,]*(?:\.\d+)?)\s*(%|weeks?|wks?|days?)?)?/i.exec(t);
  if (!lead) return { value: null, unit: null, asOf: null, range: false };
  const unitWord = (lead[4] ?? lead[2] ?? '').toLowerCase();
  const unit = unitOfWritten(unitWord ? (UNIT_WORDS[unitWord] ?? null) : null);
  const range = lead[3] !== undefined;
  const rest = t.slice(lead[0].length).replace(/[()]/g, ' ').trim().replace(/^(in|at|as at|as of|for|during)\s+/i, '');
  const period = rest ? readDeadline(rest, { reference: ctx.reference, ...(ctx.terms ? { terms: ctx.terms } : {}) }) : undefined;
  const readable = period && period.due !== null && !period.flags.some((f) => f === 'unreadable' || f === 'vague' || f === 'partly-read');
  return { value: range ? null : (readNumber(lead[1] as string) ?? null), unit, asOf: readable ? period.due : null, range };
}
