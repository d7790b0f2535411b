// Reads the first worksheet of an .xlsx workbook into TableRows keyed by header text, with
// spreadsheet row numbers. Cell values are passed through as exceljs gives them (strings, numbers,
// Dates, rich text, hyperlink, formula and error objects); read-plan-table.ts turns them into text.
import { ImportError, type ImportProblem, unheadedCell } from './import-errors.js';
import { cellText, type TableRow } from './read-plan-table.js';
import { checkXlsxRowCount, checkXlsxSize } from './xlsx-limits.js';

/**
 * Parse an .xlsx file. The header is the first row with at least two non-blank cells (so a title
 * row merged across the top of the sheet is skipped), or failing that the first non-blank row.
 * Cells are keyed by the header text (whitespace collapsed); a repeated header gets " (2)", " (3)"
 * appended, and a value in a column with no heading is refused with its row and column. In a merged block only the top-left
 * cell holds the value; the others are read as blank (which the plan reader carries down).
 */
export async function parseXlsxRows(content: Buffer | Uint8Array, opts: { file?: string } = {}): Promise<TableRow[]> {
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  checkXlsxSize(content, opts.file);
  // Loaded only for a workbook: exceljs takes ~0.5 s to load, which every CSV and YAML import paid.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (err) {
    throw new ImportError(
      {
        ...fileField,
        message:
          'the file could not be opened as an Excel .xlsx workbook (an older .xls file must be saved again as .xlsx): ' +
          (err instanceof Error ? err.message : String(err)),
      },
      { cause: err },
    );
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new ImportError({ ...fileField, message: 'the workbook has no worksheets' });
  checkXlsxRowCount(sheet.actualRowCount, opts.file);

  // Every non-blank row as column number → value, merged non-master cells left out.
  const sheetRows: Array<{ row: number; values: Map<number, unknown> }> = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = new Map<number, unknown>();
    row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
      if (cell.isMerged && cell.master.address !== cell.address) return;
      const v: unknown = cell.value;
      if (v === null || v === undefined) return;
      if (typeof v === 'string' && v.trim() === '') return;
      values.set(colNumber, v);
    });
    if (values.size > 0) sheetRows.push({ row: rowNumber, values });
  });

  const headerIndex = Math.max(
    sheetRows.findIndex((r) => [...r.values.values()].filter((v) => headerText(v) !== '').length >= 2),
    0,
  );
  const header = sheetRows[headerIndex];
  if (header === undefined) return [];

  const columns: Array<{ col: number; name: string }> = [];
  const seen = new Map<string, number>();
  for (const [col, v] of [...header.values].sort((a, b) => a[0] - b[0])) {
    const name = headerText(v);
    if (name === '') continue;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    columns.push({ col, name: n === 1 ? name : `${name} (${n})` });
  }

  const named = new Set(columns.map((c) => c.col));
  const headerColumns = Math.max(0, ...header.values.keys());
  const problems: ImportProblem[] = [];
  const rows = sheetRows.slice(headerIndex + 1).map(({ row, values }) => {
    const cells: Record<string, unknown> = {};
    for (const { col, name } of columns) cells[name] = values.get(col) ?? null;
    for (const [col, value] of values) {
      if (named.has(col)) continue;
      const text = cellText(value);
      problems.push(unheadedCell(opts.file, row, col, text.ok ? text.text : '…', headerColumns, 'Give the column a heading in the header row, or delete the value'));
    }
    return { row, cells };
  });
  if (problems.length > 0) throw new ImportError(problems);
  return rows;
}

function headerText(v: unknown): string {
  const r = cellText(v);
  return r.ok ? r.text.replace(/\s+/g, ' ') : '';
}
