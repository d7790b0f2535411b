// An action's progress as a plan table gives it: a RAG/status cell, a "% complete" cell and a progress
// note ("Progress update (Nov 23)"), read into the PlanDocument's `progress`. Pure.
//
// Status is kept as written except for the obvious forms: R/A/G/B and red/amber/green/blue in any
// case become the words, "complete"/"completed"/"done" becomes "complete". Anything else ("On track")
// is kept as written for the store to judge. The note's date is the one its heading names: a month
// means the end of that month ("Nov 23" → 2023-11-30); a heading without a date gives none.
import { readPeriodHeading } from '../domain/kpi-periods.js';
import { bracketedPart } from './match-headers.js';

export interface ActionProgress {
  status?: string;
  percent?: number;
  note?: string;
  as_of?: string;
}

const STATUS_WORDS: Record<string, string> = {
  r: 'red',
  red: 'red',
  a: 'amber',
  amber: 'amber',
  g: 'green',
  green: 'green',
  b: 'blue',
  blue: 'blue',
  complete: 'complete',
  completed: 'complete',
  done: 'complete',
};

/** "R" → "red", "Amber" → "amber", "COMPLETED" → "complete"; other words as written. */
export function normaliseStatus(text: string): string {
  const t = text.trim();
  return STATUS_WORDS[t.toLowerCase().replace(/[.\s]+$/, '')] ?? t;
}

/**
 * "60%", "60", "0.6" (a spreadsheet's 60% read without its format) → 60, rounded to a whole percent as
 * chat records it; anything else undefined.
 */
export function readPercent(text: string): number | undefined {
  const m = /^(\d{1,3}(?:\.\d+)?)\s*%?$/.exec(text.trim());
  if (!m) return undefined;
  let n = Number(m[1]);
  if (!text.includes('%') && n > 0 && n < 1) n *= 100;
  n = Math.round(n);
  return n >= 0 && n <= 100 ? n : undefined;
}

/** The date a progress column's heading names: "Progress update (Nov 23)" → "2023-11-30". */
export function progressAsOf(heading: string | undefined): string | undefined {
  if (heading === undefined) return undefined;
  const named = bracketedPart(heading) ?? /(?:update|progress|position)\s+(?:at|as\s+at|as\s+of|for)?\s*(.+)$/i.exec(heading)?.[1];
  if (named === undefined) return undefined;
  return readPeriodHeading(named.replace(/^(?:as\s+at|as\s+of|at)\s+/i, ''))?.end;
}

/**
 * The progress a row states, or undefined when it states none. A percent that cannot be read is
 * returned in `unreadPercent` so that the caller can report it (it is not guessed).
 */
export function readProgress(cells: { status?: string; percent?: string; note?: string }, asOf: string | undefined): { progress?: ActionProgress; unreadPercent?: string } {
  const progress: ActionProgress = {};
  if (cells.status !== undefined) progress.status = normaliseStatus(cells.status);
  let unreadPercent: string | undefined;
  if (cells.percent !== undefined) {
    const p = readPercent(cells.percent);
    if (p === undefined) unreadPercent = cells.percent;
    else progress.percent = p;
  }
  if (cells.note !== undefined) progress.note = cells.note;
  if (Object.keys(progress).length === 0) return unreadPercent !== undefined ? { unreadPercent } : {};
  if (asOf !== undefined) progress.as_of = asOf;
  return { progress, ...(unreadPercent !== undefined ? { unreadPercent } : {}) };
}
