// A sheet as rows of cells (a CSV file, or one worksheet of a workbook), finding its header row, and
// turning the rows below it into TableRows keyed by heading. Pure.
//
// The header row is the row, among the first HEADER_SEARCH_ROWS non-blank ones, whose cells match the
// most known headings (a title, a version line or notes above the table match none); with no known
// heading anywhere, it is the first row with two or more cells, as before.
import { ImportError, type ImportProblem, unheadedCell } from './import-errors.js';
import { cellText, type TableRow } from './table-cells.js';

export interface GridRow {
  /** Spreadsheet row number (CSV: the line the record starts on). */
  row: number;
  /** Cell values by column, index 0 = column A; blank cells are '' or undefined. */
  cells: readonly unknown[];
  /** Columns (0-based) whose cell is blank because it lies under a merged block (xlsx only). */
  merged?: ReadonlySet<number>;
}

export interface SheetGrid {
  /** The worksheet's name; a CSV file's name. */
  name: string;
  /** Non-blank rows, in order. */
  rows: GridRow[];
  /** True when the source says which cells are merged (xlsx): every TableRow then has `merged`. */
  knowsMerges?: boolean;
}

/** How far down a title, version line and notes may push the header row. */
export const HEADER_SEARCH_ROWS = 30;

/** A header cell as one line of text ('' for a blank or unreadable cell). */
export function headingText(value: unknown): string {
  if (value === '' || value === null || value === undefined) return '';
  const r = cellText(value);
  return r.ok ? r.text.replace(/\s+/g, ' ') : '';
}

/**
 * The index (into grid.rows) of the header row: the row with the most cells for which `isKnown` is
 * true, the earliest on a tie; failing any, the first row with two or more non-blank cells, or the
 * first row. -1 for an empty sheet.
 */
export function findHeaderRow(grid: SheetGrid, isKnown?: (heading: string) => boolean): number {
  if (grid.rows.length === 0) return -1;
  if (isKnown !== undefined) {
    let best = -1;
    let bestScore = 0;
    const last = Math.min(grid.rows.length, HEADER_SEARCH_ROWS);
    for (let i = 0; i < last; i++) {
      let score = 0;
      for (const v of (grid.rows[i] as GridRow).cells) {
        const h = headingText(v);
        if (h !== '' && isKnown(h)) score++;
      }
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    if (best !== -1) return best;
  }
  const wide = grid.rows.findIndex((r) => r.cells.filter((c) => headingText(c) !== '').length >= 2);
  return wide === -1 ? 0 : wide;
}

/** The header row's headings by column (undefined for a blank heading); a repeat gets " (2)", " (3)". */
export function headingsOf(row: GridRow): Array<string | undefined> {
  const seen = new Map<string, number>();
  return row.cells.map((v) => {
    const name = headingText(v);
    if (name === '') return undefined;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

/**
 * The rows below the header as TableRows. A value in a column with no heading would be lost: it is
 * refused (ImportError) with its row and column and `hint` on how to fix it.
 */
export function tableRowsOf(grid: SheetGrid, headerIndex: number, opts: { file?: string; hint: string }): TableRow[] {
  const header = grid.rows[headerIndex];
  if (header === undefined) return [];
  const names = headingsOf(header);
  const rows: TableRow[] = [];
  const problems: ImportProblem[] = [];
  for (let r = headerIndex + 1; r < grid.rows.length; r++) {
    const { row, cells: values, merged } = grid.rows[r] as GridRow;
    const cells: Record<string, unknown> = {};
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      const name = names[i];
      if (name !== undefined) cells[name] = value ?? '';
      else if (value !== undefined && value !== null && value !== '' && !(typeof value === 'string' && value.trim() === '')) {
        const text = cellText(value);
        problems.push(unheadedCell(opts.file, row, i + 1, text.ok ? text.text : '…', names.length, opts.hint));
      }
    }
    for (const name of names) if (name !== undefined && !(name in cells)) cells[name] = '';
    const out: TableRow = { row, cells };
    if (grid.knowsMerges === true) {
      const headings = new Set<string>();
      for (const c of merged ?? []) {
        const name = names[c];
        if (name !== undefined) headings.add(name);
      }
      out.merged = headings;
    }
    rows.push(out);
  }
  if (problems.length > 0) throw new ImportError(problems);
  return rows;
}
