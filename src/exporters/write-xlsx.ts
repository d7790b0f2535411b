// Export tables as one XLSX workbook, a sheet per table: bold header row frozen with a filter,
// column widths set, dates and times as real spreadsheet dates (UK time, shown dd/mm/yyyy), yes/no
// as booleans. Every piece of text is written as a text cell, never as a formula; text that would
// look like one (= + - @ …) also gets the Text number format, so editing the cell keeps it text.
// Written with exceljs's streaming writer, so a 100,000-action plan does not sit in memory twice.
import { DateTime } from 'luxon';
import { LONDON } from '../clock.js';
import { type ExportCell, type ExportTable, looksLikeFormula } from './export-tables.js';

const DATE_FORMAT = 'dd/mm/yyyy';
const INSTANT_FORMAT = 'dd/mm/yyyy hh:mm';

/** A JS Date whose UTC fields are the wall-clock date and time to show (spreadsheets have no zones). */
function wallClock(dt: DateTime): Date {
  return new Date(Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second));
}

interface XlsxValue {
  value: string | number | boolean | Date | null;
  numFmt?: string;
}

export function xlsxValue(cell: ExportCell): XlsxValue {
  if (cell === null || typeof cell === 'number' || typeof cell === 'boolean') return { value: cell };
  if (typeof cell === 'string') return looksLikeFormula(cell) ? { value: cell, numFmt: '@' } : { value: cell };
  if ('date' in cell) return { value: wallClock(DateTime.fromISO(cell.date, { zone: 'utc' })), numFmt: DATE_FORMAT };
  return { value: wallClock(DateTime.fromISO(cell.instant, { zone: 'utc' }).setZone(LONDON)), numFmt: INSTANT_FORMAT };
}

/** Writes the workbook to `path`. exceljs is loaded here, on first use: the rest of the CLI never needs it. */
export async function writeXlsx(tables: ExportTable[], path: string, meta: { creator: string; created: Date }): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: true });
  workbook.creator = meta.creator;
  workbook.created = meta.created;
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    sheet.columns = table.columns.map((c) => ({ header: c.header, width: c.width }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.commit();
    if (table.columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, table.rows.length + 1), column: table.columns.length } };
    for (const cells of table.rows) {
      const values = cells.map(xlsxValue);
      const row = sheet.addRow(values.map((v) => v.value));
      values.forEach((v, i) => {
        if (v.numFmt) row.getCell(i + 1).numFmt = v.numFmt;
      });
      row.commit();
    }
    await sheet.commit();
  }
  await workbook.commit();
}
