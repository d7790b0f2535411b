// One row of a table file (CSV, or a worksheet below its header row) and reading its cells as text.
// Shared by the plan, KPI, people, boards and settings readers, so a cell is refused the same way in each.
import { checkFormulaText, formulaCellMessage } from './formula-cells.js';

/** One data row of a table file; `row` is the spreadsheet row number (or the CSV line). */
export interface TableRow {
  row: number;
  /** Cell values keyed by the original header text. */
  cells: Record<string, unknown>;
  /**
   * Headings whose cell on this row is blank because it lies under a merged block (xlsx only): the
   * value is the block's, on a row above. Absent for CSV, which cannot say.
   */
  merged?: ReadonlySet<string>;
}

/** Longest text accepted in one cell. */
export const MAX_CELL_LENGTH = 10_000;

export type CellTextResult = { ok: true; text: string } | { ok: false; message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** What readRowCells found in one row. */
export interface RowCells<F extends string> {
  /** The readable, non-blank cells by field. */
  vals: Partial<Record<F, string>>;
  /** How many cells were readable and not blank: 0 is a blank row (or one with nothing readable). */
  given: number;
  /** Fields whose cell was refused (a formula, a cell too long…); each was reported. */
  bad: ReadonlySet<F>;
}

const NONE_BAD: ReadonlySet<never> = new Set();

/**
 * Reads the cells of one row that `present` names (field → header), reporting each one that cannot
 * be used (formulas, error values, over MAX_CELL_LENGTH) to `report` with its row and column. Shared
 * by the plan, KPI and people readers, so a cell is refused the same way whichever file it is in.
 */
export function readRowCells<F extends string>(
  cells: TableRow['cells'],
  present: readonly (readonly [F, string])[],
  row: number,
  report: (message: string, row: number, header: string) => void,
): RowCells<F> {
  const vals: Partial<Record<F, string>> = {};
  let given = 0;
  let bad: ReadonlySet<F> = NONE_BAD;
  for (const [f, header] of present) {
    const value = cells[header];
    // Most cells of a large plan are blank (carried down from above): nothing to read or check.
    if (value === '' || value === undefined || value === null) continue;
    const r = cellText(value);
    if (!r.ok) {
      report(r.message, row, header);
      bad = new Set([...bad, f]);
    } else if (r.text.length > MAX_CELL_LENGTH) {
      report(`the cell holds ${r.text.length.toLocaleString('en-GB')} characters; the most allowed is ${MAX_CELL_LENGTH.toLocaleString('en-GB')}`, row, header);
      bad = new Set([...bad, f]);
    } else if (r.text !== '') {
      vals[f] = r.text;
      given++;
    }
  }
  return { vals, given, bad };
}

/**
 * A cell value as trimmed text. Handles strings, numbers, booleans, Dates (as YYYY-MM-DD) and the
 * objects exceljs produces: rich text, hyperlinks and error values. Formula cells, and text a
 * spreadsheet would run as a formula ("=…", "@…", "-cmd|…"), are refused: see formula-cells.ts.
 */
export function cellText(value: unknown, depth = 0): CellTextResult {
  if (value === null || value === undefined) return { ok: true, text: '' };
  if (typeof value === 'string') return checkFormulaText((value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value).trim());
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { ok: true, text: String(value) } : { ok: false, message: 'the cell holds an invalid number' };
  }
  if (typeof value === 'boolean') return { ok: true, text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? { ok: false, message: 'the cell holds an invalid date' }
      : { ok: true, text: value.toISOString().slice(0, 10) };
  }
  if (!isRecord(value) || depth > 4) return { ok: false, message: 'the cell holds a value that cannot be read as text' };
  if (typeof value.error === 'string') {
    return { ok: false, message: `the cell shows the error ${value.error}; fix the formula or type the value in` };
  }
  if (Array.isArray(value.richText)) {
    const text = value.richText.map((run: unknown) => (isRecord(run) && typeof run.text === 'string' ? run.text : '')).join('');
    return cellText(text, depth + 1);
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = typeof value.formula === 'string' ? value.formula : undefined;
    const shared = typeof value.sharedFormula === 'string' ? value.sharedFormula : undefined;
    return { ok: false, message: formulaCellMessage(formula, shared) };
  }
  if ('hyperlink' in value || 'text' in value) return cellText(value.text, depth + 1);
  return { ok: false, message: 'the cell holds a value that cannot be read as text' };
}
