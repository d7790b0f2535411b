// Reads an .xlsx workbook into one SheetGrid per worksheet (sheet-grid.ts), knowing exactly which
// blank cells lie under a merged block (exceljs reports each cell's merge). Cell values are passed
// through as exceljs gives them (strings, numbers, Dates, rich text, hyperlink, formula and error
// objects) except where the cell's number format changes what it says:
// - a date formatted as a month ("mmm-yy", shown "Sep-24") becomes that text, which the deadline
//   reader takes as the end of the month (a date cell would otherwise be the 1st);
// - a number formatted as a percentage (0.6 shown "60%") becomes "60%".
import { ImportError } from './import-errors.js';
import { findHeaderRow, type GridRow, type SheetGrid, tableRowsOf } from './sheet-grid.js';
import type { TableRow } from './table-cells.js';
import { checkXlsxRowCount, checkXlsxSize } from './xlsx-limits.js';

export interface Workbook {
  sheets: SheetGrid[];
  /** Sheets that cannot hold a table (hidden ones), with why. */
  skipped: Array<{ name: string; reason: string }>;
}

const XLSX_UNHEADED_HINT = 'Give the column a heading in the header row, or delete the value';

/** Read every worksheet of an .xlsx file; anything that is not a workbook is one plain ImportError. */
export async function readWorkbook(content: Buffer | Uint8Array, opts: { file?: string } = {}): Promise<Workbook> {
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  const notAWorkbook = (why: string, cause?: unknown): never => {
    throw new ImportError({ ...fileField, message: `the file is not an Excel workbook: ${why}. Open it in Excel and save it as an .xlsx workbook (an older .xls file must be saved again as .xlsx)` }, cause !== undefined ? { cause } : undefined);
  };
  if (content.length === 0) notAWorkbook('it is empty');
  // An .xlsx file is a zip archive, which starts "PK".
  if (!(content[0] === 0x50 && content[1] === 0x4b)) {
    const start = Buffer.from(content.subarray(0, 512)).toString('utf8');
    notAWorkbook(/^[\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]*$/u.test(start) && /[,;\t]/.test(start) ? 'it holds plain text (perhaps a CSV file renamed .xlsx; import it with a .csv name)' : 'it is not a zip archive, as every .xlsx file is');
  }
  // The parts' uncompressed sizes are checked before exceljs expands them (xlsx-limits.ts).
  checkXlsxSize(content, opts.file);
  // Loaded only for a workbook: exceljs takes ~0.5 s to load, which every CSV and YAML import paid.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  // exceljs loads worksheets only: the workbook's own list of sheets also names chart sheets, which
  // it drops. The list is caught as this one workbook parses it, so that a chart sheet is reported
  // as skipped rather than vanishing from the report.
  let listed: string[] = [];
  const reader = workbook.xlsx as unknown as { parseWorkbook?: (stream: unknown) => Promise<{ sheets?: Array<{ name?: unknown }> }> };
  const parseWorkbook = reader.parseWorkbook?.bind(reader);
  if (parseWorkbook !== undefined) {
    reader.parseWorkbook = async (stream) => {
      const parsed = await parseWorkbook(stream);
      listed = (parsed.sheets ?? []).flatMap((sheet) => (typeof sheet.name === 'string' ? [sheet.name] : []));
      return parsed;
    };
  }
  try {
    await workbook.xlsx.load(content as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (err) {
    notAWorkbook(`it could not be opened (${err instanceof Error ? err.message : String(err)})`, err);
  }
  const sheets: SheetGrid[] = [];
  const skipped: Workbook['skipped'] = [];
  for (const sheet of workbook.worksheets) {
    if (sheet.state === 'hidden' || sheet.state === 'veryHidden') {
      skipped.push({ name: sheet.name, reason: 'it is hidden' });
      continue;
    }
    checkXlsxRowCount(sheet.actualRowCount, opts.file);
    const rows: GridRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: unknown[] = [];
      let merged: Set<number> | undefined;
      let given = false;
      row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
        if (cell.isMerged && cell.master.address !== cell.address) {
          (merged ??= new Set()).add(colNumber - 1);
          return;
        }
        const v = shownValue(cell.value, cell.numFmt);
        if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return;
        cells[colNumber - 1] = v;
        given = true;
      });
      if (given) rows.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? ''), ...(merged ? { merged } : {}) });
    });
    sheets.push({ name: sheet.name, rows, knowsMerges: true });
  }
  const loaded = new Set(workbook.worksheets.map((w) => w.name));
  for (const name of listed) if (!loaded.has(name)) skipped.push({ name, reason: 'it is a chart sheet (no table)' });
  if (sheets.length === 0 && skipped.length === 0) throw new ImportError({ ...fileField, message: 'the workbook has no worksheets' });
  return { sheets, skipped };
}

/**
 * The first worksheet as TableRows, its header the first row with two or more cells (a title row
 * merged across the top is skipped). Used where a workbook holds one table (people, one plan sheet).
 */
export async function parseXlsxRows(content: Buffer | Uint8Array, opts: { file?: string; isKnown?: (heading: string) => boolean } = {}): Promise<TableRow[]> {
  const { sheets } = await readWorkbook(content, opts);
  const sheet = sheets[0];
  if (sheet === undefined) return [];
  return tableRowsOf(sheet, findHeaderRow(sheet, opts.isKnown), { ...(opts.file !== undefined ? { file: opts.file } : {}), hint: XLSX_UNHEADED_HINT });
}

export { XLSX_UNHEADED_HINT };

const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The value as the cell shows it, where its number format changes the meaning (see the top). */
export function shownValue(value: unknown, numFmt: string | undefined): unknown {
  if (numFmt === undefined || numFmt === '' || numFmt === 'General') return value;
  // Locale prefixes ("[$-809]"), colours and quoted literals do not change what is shown here.
  const format = numFmt.replace(/\[[^\]]*\]/g, '').replace(/"[^"]*"/g, '');
  if (value instanceof Date && !Number.isNaN(value.getTime()) && /m/i.test(format) && /y/i.test(format) && !/d|h|s/i.test(format)) {
    return format.replace(/m{3,}|m{1,2}|y{3,4}|y{1,2}|\\(.)/gi, (token, escaped: string | undefined) => {
      if (escaped !== undefined) return escaped;
      const t = token.toLowerCase();
      const m = value.getUTCMonth();
      if (t.startsWith('mmmm')) return MONTH_LONG[m] as string;
      if (t === 'mmm') return MONTH_SHORT[m] as string;
      if (t.startsWith('m')) return String(m + 1).padStart(t.length, '0');
      const y = value.getUTCFullYear();
      return t.length >= 3 ? String(y) : String(y % 100).padStart(2, '0');
    });
  }
  if (typeof value === 'number' && Number.isFinite(value) && format.includes('%')) {
    return `${Math.round(value * 1000) / 10}%`;
  }
  return value;
}
