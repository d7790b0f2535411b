// What a plan file may bring in: the same checks as what people type in chat. Every piece of text in
// a loaded plan (YAML, CSV or XLSX; plans, workstreams, actions, KPIs and their readings, people,
// roles, boards, meetings) has control, bidirectional-override and invisible formatting characters
// removed, and text that looks like an NHS number is refused with where it is (YAML line, table
// row) — the whole file then imports nothing. Done once, over the loaded document, whatever read it.
import { findNhsNumber, MAX_TEXT_LENGTH, stripUnsafeCharacters } from '../domain/text-safety.js';
import { ImportError, type ImportProblem } from './import-errors.js';
import type { LoadedPlan } from './load-plan-file.js';
import type { TableRow } from './read-plan-table.js';
import { describePath } from './plain-issues.js';

type Path = (string | number)[];

const NHS_MESSAGE =
  'looks like an NHS number. No personal data about children goes into the plan: describe the work, not the child, then import again.';

/** Where a value sits in a table file: the row of the nearest action or KPI that holds it. */
function rowOf(document: unknown, path: Path): number | undefined {
  let row: number | undefined;
  let node: unknown = document;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) break;
    const line = (node as { source_line?: unknown }).source_line;
    if (typeof line === 'number') row = line;
    node = (node as Record<string | number, unknown>)[key];
  }
  return row;
}

/** A ten-digit whole number (a spreadsheet cell typed as a number) is read as text for the check. */
const numberAsText = (value: number): string | undefined => (Number.isInteger(value) && Math.abs(value) >= 1e9 ? String(Math.abs(value)) : undefined);

/**
 * Walks `value`, returning it with every string stripped of unsafe characters, and calling
 * `refuse(path)` for each string (or whole number) that looks like an NHS number.
 */
function cleanValue(value: unknown, path: Path, refuse: (path: Path) => void): unknown {
  if (typeof value === 'string') {
    const clean = stripUnsafeCharacters(value);
    // Very long cells are refused by the readers; the check here need not read past the limit twice over.
    if (findNhsNumber(clean.length > MAX_TEXT_LENGTH * 4 ? clean.slice(0, MAX_TEXT_LENGTH * 4) : clean)) refuse(path);
    return clean;
  }
  if (typeof value === 'number') {
    const text = numberAsText(value);
    if (text && findNhsNumber(text)) refuse(path);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => cleanValue(v, [...path, i], refuse));
  if (value instanceof Date || typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = cleanValue(v, [...path, key], refuse);
  return out;
}

/**
 * The loaded plan with its text made safe, or an ImportError listing every value that looks like an
 * NHS number (by YAML line or table row, and the field's path). Call once, after loading.
 */
export function checkImportedText(loaded: LoadedPlan): LoadedPlan {
  const problems: ImportProblem[] = [];
  const file = { file: loaded.file };
  const document = cleanValue(loaded.document, [], (path) => {
    const line = loaded.lineOf?.(path) ?? rowOf(loaded.document, path);
    problems.push({ ...file, ...(line !== undefined ? { line } : {}), path: describePath(path), message: NHS_MESSAGE });
  }) as LoadedPlan['document'];
  let kpiSheet = loaded.kpiSheet;
  if (kpiSheet) {
    const rows = kpiSheet.rows.map((row) => ({
      ...row,
      kpi: cleanValue(row.kpi, [], (path) => {
        const field = path[0];
        const column = typeof field === 'string' ? (row.columns as Record<string, string | undefined>)[field] : undefined;
        problems.push({ ...file, line: row.row, ...(column !== undefined ? { column } : { path: describePath(path) }), message: NHS_MESSAGE });
      }) as typeof row.kpi,
      plan: stripUnsafeCharacters(row.plan),
    }));
    kpiSheet = { ...kpiSheet, rows };
  }
  if (problems.length > 0) throw new ImportError(problems);
  // A workbook's people sheet is also in document.people (checked above); the copy is kept in step.
  const people = loaded.people.length > 0 ? document.people : loaded.people;
  return { ...loaded, document, people, ...(kpiSheet ? { kpiSheet } : {}) };
}

/**
 * The same checks over a table read straight from a file (a people list), cell by cell: the rows
 * with their text made safe, or an ImportError naming each refused cell by row and column.
 */
export function checkImportedRows(rows: TableRow[], file?: string): TableRow[] {
  const problems: ImportProblem[] = [];
  const checked = rows.map((row) => ({
    ...row,
    cells: cleanValue(row.cells, [], (path) => {
      problems.push({ ...(file !== undefined ? { file } : {}), line: row.row, column: String(path[0]), message: NHS_MESSAGE });
    }) as TableRow['cells'],
  }));
  if (problems.length > 0) throw new ImportError(problems);
  return checked;
}
