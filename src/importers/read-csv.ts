// Reads a CSV file into TableRows keyed by header text, with the line on which each record starts
// (a quoted cell may span several lines) so problems point at the right place.
import { parse } from 'csv-parse/sync';
import { ImportError, type ImportProblem } from './import-errors.js';
import { findHeaderRow, type GridRow, type SheetGrid, tableRowsOf } from './sheet-grid.js';
import type { TableRow } from './table-cells.js';

const SAVE_AS =
  'save the file as CSV UTF-8: in Excel use File → Save As → "CSV UTF-8 (Comma delimited) (*.csv)" and import that file';

/** Decode CSV bytes as UTF-8 (a UTF-8 byte-order mark is dropped); anything else is an ImportError. */
export function decodeCsv(content: Buffer | Uint8Array | string, opts: { file?: string } = {}): string {
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  const bytes = content;
  const fail = (message: string, line?: number): never => {
    throw new ImportError({ ...fileField, ...(line !== undefined ? { line, unit: 'line' as const } : {}), message });
  };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    fail(`the file is saved as UTF-16 ("Unicode Text"), not UTF-8; ${SAVE_AS}`);
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    fail('the file is an Excel workbook (.xlsx), not a CSV file; import it as .xlsx or save it as CSV UTF-8');
  }
  if (bytes.includes(0)) fail(`the file contains NUL bytes, so it is not UTF-8 text (perhaps UTF-16); ${SAVE_AS}`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(
      `the file is not valid UTF-8 text (probably saved as "CSV (Comma delimited)", which uses a Windows character set); ${SAVE_AS}`,
      firstBadLine(bytes),
    );
  }
}

/** 1-based line of the first line that is not valid UTF-8. */
function firstBadLine(bytes: Uint8Array): number | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
    line++;
  }
  return undefined;
}

/** Comma unless the first line uses more semicolons or tabs (Excel in some locales saves those). */
function sniffDelimiter(text: string): string {
  const firstLine = text.split('\n', 20).find((l) => l.trim() !== '') ?? '';
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** Usually a comma outside quotes split a cell in two. */
export const CSV_UNHEADED_HINT =
  'If a cell holds a comma, put the whole cell in double quotes ("Relaunch the plan, with partners"); otherwise give the column a heading or delete the value';

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Parse CSV content into a grid of its non-blank records, each with the line on which it starts
 * (header on line 1 → first data row 2).
 */
export function parseCsvGrid(content: Buffer | Uint8Array | string, opts: { file?: string } = {}): SheetGrid {
  // Normalise line endings so line counting is exact (also turns \r\n inside quoted cells into \n).
  const text = decodeCsv(content, opts).replace(/\r\n?/g, '\n');
  let records: string[][];
  try {
    // Empty lines are kept (as blank records) and no per-record info is asked for: each record's line
    // is counted below, which is exact and much cheaper than csv-parse's info on a large file.
    records = parse(text, {
      delimiter: sniffDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      bom: true,
    }) as string[][];
  } catch (err) {
    const e = err as { message?: string; lines?: unknown };
    const problem: ImportProblem = {
      ...(opts.file !== undefined ? { file: opts.file } : {}),
      ...(typeof e.lines === 'number' ? { line: e.lines, unit: 'line' as const } : {}),
      message: `the file could not be read as CSV: ${e.message ?? String(err)}`,
    };
    throw new ImportError(problem, { cause: err });
  }
  const rows: GridRow[] = [];
  // The line each record starts on: a record takes one line plus one for each line break inside its
  // quoted cells (line endings were normalised to \n above, and an empty line is a record of its own).
  let line = 1;
  for (const record of records) {
    const start = line;
    line += 1;
    let blank = true;
    for (const cell of record) {
      if (cell.length === 0) continue;
      line += countNewlines(cell);
      if (blank && cell.trim() !== '') blank = false;
    }
    if (!blank) rows.push({ row: start, cells: record });
  }
  return { name: opts.file ?? 'CSV', rows };
}

/**
 * Parse CSV content into TableRows: the header is the first record with two or more non-blank cells
 * (skipping a title line such as "SEND Improvement Plan,,,"), or `findHeaderRow` with `isKnown`
 * when given (see sheet-grid.ts). Cells are keyed by the trimmed header text; a repeated header gets
 * " (2)", " (3)" appended. Short records are padded with "". A value in a column with no heading is
 * refused with its row and column: it would otherwise be lost.
 */
export function parseCsvRows(content: Buffer | Uint8Array | string, opts: { file?: string; isKnown?: (heading: string) => boolean } = {}): TableRow[] {
  const grid = parseCsvGrid(content, opts);
  return tableRowsOf(grid, findHeaderRow(grid, opts.isKnown), { ...(opts.file !== undefined ? { file: opts.file } : {}), hint: CSV_UNHEADED_HINT });
}
