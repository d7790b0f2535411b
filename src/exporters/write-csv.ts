// Export tables as CSV: one file per table in a folder (actions.csv, updates.csv, …), so each opens
// as its own sheet and loads into any tool. UTF-8 with a byte-order mark (Excel then reads "’" and
// "é" correctly), CRLF line ends and RFC 4180 quoting. Dates are ISO (2025-03-31); instants are UK
// local time (2024-11-20 10:00), as the headers say. Text that a spreadsheet would read as a formula
// gets a leading apostrophe, which spreadsheets show as text.
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { LONDON } from '../clock.js';
import { type ExportCell, type ExportTable, looksLikeFormula } from './export-tables.js';

const BOM = '\uFEFF';

export function csvCell(cell: ExportCell): string {
  let text: string;
  if (cell === null) text = '';
  else if (typeof cell === 'boolean') text = cell ? 'yes' : 'no';
  else if (typeof cell === 'number') text = String(cell);
  else if (typeof cell === 'string') text = looksLikeFormula(cell) ? `'${cell}` : cell;
  else if ('date' in cell) text = cell.date;
  else text = DateTime.fromISO(cell.instant, { zone: 'utc' }).setZone(LONDON).toFormat('yyyy-MM-dd HH:mm');
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tableToCsv(table: ExportTable): string {
  const lines = [table.columns.map((c) => csvCell(c.header)).join(','), ...table.rows.map((r) => r.map(csvCell).join(','))];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** Where the files go: the CLI's safe output (src/cli/safe-output.ts) checks and writes each one. */
export interface CsvOutput {
  makeFolder(dir: string): void;
  writeFile(path: string, content: string): void;
}

/** Writes each table to `<dir>/<name>.csv`; returns the paths written. */
export function writeCsvFolder(tables: ExportTable[], dir: string, output: CsvOutput): string[] {
  output.makeFolder(dir);
  return tables.map((table) => {
    const path = join(dir, `${table.name}.csv`);
    output.writeFile(path, tableToCsv(table));
    return path;
  });
}
