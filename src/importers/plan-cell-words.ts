// Reading the words of single plan cells: bulleted action lists, refs, a workstream's number in its
// title, and whether an action's text holds a date. Pure.

const BULLET = /^\s*(?:[•●◦▪■□‣⁃·○►▸➢✓]\s*|[-–—*+]\s+|\(?\d{1,2}[.)]\s+)/u;

/** Strip one leading bullet marker ("• ", "- ", "* ", "▪", "1. ", "2) "). */
export function stripBullet(line: string): string {
  return line.replace(BULLET, '').trim();
}

/**
 * "• a\n• b" → ["a", "b"]. Only a cell whose first line is a bullet is split; lines without a
 * marker continue the bullet above (wrapped text). Any other cell is one action.
 */
export function splitBulletedActions(text: string): string[] {
  // Most cells are one line: no need to split.
  const lines = text.includes('\n') ? text.split('\n').filter((l) => l.trim() !== '') : text.trim() === '' ? [] : [text];
  const first = lines[0];
  if (first === undefined) return [];
  if (!BULLET.test(first)) return [text.trim()];
  const items: string[] = [];
  for (const line of lines) {
    if (BULLET.test(line) || items.length === 0) items.push(stripBullet(line));
    else items[items.length - 1] = `${items[items.length - 1]} ${line.trim()}`.trim();
  }
  return items.filter((s) => s !== '');
}

/** "ND-1.2", "ND 1.2", "ND1.2", "1.2". */
const REF_RE = /^(?:([A-Za-z][A-Za-z0-9]*?)\s*[-–]?\s*)?(\d{1,3})\.(\d{1,3})$/;
/** "3", "3.", "#3": an action's number alone, within its workstream. */
const NUMBER_RE = /^#?\s*(\d{1,3})\.?$/;

export interface ParsedRef {
  code?: string;
  /** Absent when the ref gives the action's number alone ("3"). */
  workstream?: number;
  action: number;
}

/** A Ref / No. / ID cell: "ND-1.2", "1.2", or an action number alone, "3". */
export function parseRef(text: string): ParsedRef | undefined {
  const t = text.trim();
  const alone = NUMBER_RE.exec(t);
  if (alone) {
    const action = Number(alone[1]);
    return action >= 1 ? { action } : undefined;
  }
  const m = REF_RE.exec(t);
  if (!m) return undefined;
  const workstream = Number(m[2]);
  const action = Number(m[3]);
  if (workstream < 1 || action < 1) return undefined;
  return { ...(m[1] !== undefined ? { code: m[1].toUpperCase() } : {}), workstream, action };
}

/** "4. Joint commissioning", "4) …", "4 - …", "Workstream 4: …" → 4: the number a title states. */
export function numberInTitle(title: string): number | undefined {
  const m = /^(?:(?:workstream|priority|theme|objective)\s+)?(\d{1,3})\s*(?:[.):]|\s[-–—])\s*\S/i.exec(title.trim());
  const n = m ? Number(m[1]) : 0;
  return n >= 1 ? n : undefined;
}

/**
 * True when an action's text holds what looks like a date ("by Sep 24", "(52 weeks in Sept 23)",
 * "31/03/2025", "2024/25"): where the plan has a date column, such a row with a blank date cell is
 * flagged rather than silently dated from its text.
 */
export function looksDated(text: string): boolean {
  return DATED.test(text);
}

// One pattern (this runs on every undated row of a large plan): a month with a year, a day/month/year,
// a financial year, a quarter, or a school term.
const DATED =
  /\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*['’]?\d{2,4}\b|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|20\d{2}\s*\/\s*\d{2}\b|Q[1-4]\b|(?:spring|summer|autumn)\s+term\b)/i;
