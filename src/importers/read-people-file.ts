// Reads the people list `sendbot people import` is given: a CSV file, or the people sheet of an .xlsx
// workbook (the sheet whose headings are a people table: Name, Email, Role…). I/O-free: bytes in.
import { extname } from 'node:path';
import { classifySheet } from './classify-sheet.js';
import { ImportError, type ImportProblem } from './import-errors.js';
import { decodeUtf8 } from './load-plan-file.js';
import type { PersonInput } from './plan-document.js';
import { parseCsvRows } from './read-csv.js';
import { checkImportedRows } from './imported-text-checks.js';
import { readPeopleTable } from './read-people-csv.js';
import { readWorkbook, XLSX_UNHEADED_HINT } from './read-xlsx.js';
import { tableRowsOf } from './sheet-grid.js';

export async function readPeopleFile(content: Buffer, file: string): Promise<{ people: PersonInput[]; problems: ImportProblem[] }> {
  if (extname(file).toLowerCase() !== '.xlsx') {
    decodeUtf8(content, file);
    // The same checks as chat input, cell by cell (imported-text-checks.ts).
    return readPeopleTable(checkImportedRows(parseCsvRows(content, { file }), file), { file });
  }
  const { sheets } = await readWorkbook(content, { file });
  for (const sheet of sheets) {
    const found = classifySheet(sheet);
    if (found.kind !== 'people') continue;
    const label = `${file} [${sheet.name}]`;
    return readPeopleTable(checkImportedRows(tableRowsOf(sheet, found.headerIndex, { file: label, hint: XLSX_UNHEADED_HINT }), label), { file: label });
  }
  throw new ImportError({
    file,
    message: `no sheet of the workbook is a people list (${sheets.map((s) => `"${s.name}"`).join(', ') || 'it has no sheets'}); a people sheet has the headings Name, Email and Role`,
  });
}
