// Reads a CSV file into TableRows keyed by header text, with the line on which each record starts
// (a quoted cell may span several lines) so problems point at the right place.
import { parse } from 'csv-parse/sync';
import { ImportError, type ImportProblem, unheadedCell } from './import-errors.js';
import type { TableRow } from './read-plan-table.js';

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
const CSV_UNHEADED_HINT =
  'If a cell holds a comma, put the whole cell in double quotes ("Relaunch the plan, with partners"); otherwise give the column a heading or delete the value';

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Parse CSV content: the header is the first record with two or more non-blank cells; each later
 * non-blank record becomes a TableRow whose `row` is the line number where the record starts
 * (header on line 1 → first data row 2). Cells are keyed by the trimmed header text; a
 * repeated header gets " (2)", " (3)" appended. Short records are padded with "". A value in a column
 * with no heading (beyond the header's last column, or under a blank heading) is refused with its row
 * and column: it would otherwise be lost.
 */
export function parseCsvRows(content: Buffer | Uint8Array | string, opts: { file?: string } = {}): TableRow[] {
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

  const isBlank = (r: string[]): boolean => r.every((c) => c.trim() === '');
  // The line each record starts on: a record takes one line plus one for each line break inside its
  // quoted cells (line endings were normalised to \n above, and an empty line is a record of its own).
  const startLines: number[] = new Array(records.length);
  let line = 1;
  for (let i = 0; i < records.length; i++) {
    startLines[i] = line;
    line += 1;
    for (const cell of records[i] as string[]) if (cell.length > 0) line += countNewlines(cell);
  }
  // The header is the first record with at least two non-blank cells (skipping a title line such as
  // "SEND Improvement Plan,,,"), or failing that the first non-blank record.
  let headerIndex = records.findIndex((r) => r.filter((c) => c.trim() !== '').length >= 2);
  if (headerIndex === -1) headerIndex = records.findIndex((r) => !isBlank(r));
  const header = records[headerIndex];
  if (header === undefined) return [];

  const names: Array<string | undefined> = [];
  const seen = new Map<string, number>();
  for (const raw of header) {
    const name = raw.replace(/\s+/g, ' ').trim();
    if (name === '') {
      names.push(undefined);
      continue;
    }
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    names.push(n === 1 ? name : `${name} (${n})`);
  }

  const rows: TableRow[] = [];
  const problems: ImportProblem[] = [];
  for (let r = headerIndex + 1; r < records.length; r++) {
    const record = records[r] as string[];
    if (isBlank(record)) continue;
    const start = startLines[r] as number;
    const cells: Record<string, unknown> = {};
    for (let i = 0; i < record.length; i++) {
      const value = record[i] as string;
      const name = names[i];
      if (name !== undefined) cells[name] = value;
      else if (value.trim() !== '') problems.push(unheadedCell(opts.file, start, i + 1, value, names.length, CSV_UNHEADED_HINT));
    }
    for (const name of names) if (name !== undefined && !(name in cells)) cells[name] = '';
    rows.push({ row: start, cells });
  }
  if (problems.length > 0) throw new ImportError(problems);
  return rows;
}
