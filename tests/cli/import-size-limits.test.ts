// Files built to exhaust memory, through the real CLI: each is refused with a plain sentence and
// exit 1, and nothing is imported — a zip-bombed .xlsx (a part that expands to 80 MB from a few
// hundred kilobytes), a worksheet past the row limit, and a YAML alias bomb.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { MAX_XLSX_ROWS } from '../../src/importers/xlsx-limits.js';
import { sendbot } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { count, withTestDb } from '../helpers/test-db.js';

async function smallWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Plan');
  ws.addRow(['plan', 'plan_code', 'workstream', 'lead', 'due', 'ref', 'action']);
  ws.addRow(['Workforce', 'WD', 'Skills audit', 'Head of SEND', 'November 2024', 'WD-1.1', 'SENCo skills audit']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const actions = (db: string): Promise<number> => withTestDb(db, (check) => count(check, 'actions'));

describe('sendbot import refuses, plainly and with exit 1', () => {
  it('a zip-bombed .xlsx, before opening it', async () => {
    const zip = await JSZip.loadAsync(await smallWorkbook());
    // 80 MB of one repeated character compresses to well under a megabyte.
    zip.file('xl/media/padding.xml', Buffer.alloc(80 * 1024 * 1024, 0x20));
    const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const db = tempDbPath();
    const result = await sendbot(db, 'import', writeTemp('plan.xlsx', bomb));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('plan.xlsx: the workbook would expand to 80 MB when opened; sendbot reads workbooks up to 64 MB.');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await actions(db)).toBe(0);
  });

  it('a worksheet with more rows than the limit', async () => {
    const zip = await JSZip.loadAsync(await smallWorkbook());
    const rows: string[] = [];
    for (let r = 1; r <= MAX_XLSX_ROWS + 2; r += 1) rows.push(`<row r="${r}"><c r="A${r}"><v>${r}</v></c><c r="B${r}"><v>1</v></c></row>`);
    zip.file(
      'xl/worksheets/sheet1.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`,
    );
    const db = tempDbPath();
    const result = await sendbot(db, 'import', writeTemp('plan.xlsx', await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`plan.xlsx: the first sheet has ${(MAX_XLSX_ROWS + 2).toLocaleString('en-GB')} rows; sendbot reads up to ${MAX_XLSX_ROWS.toLocaleString('en-GB')}.`);
    expect(await actions(db)).toBe(0);
  });

  it('a YAML alias bomb', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i += 1) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const db = tempDbPath();
    const result = await sendbot(db, 'import', writeTemp('plan.yaml', `${levels.join('\n')}\n`));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('plan.yaml: the file uses anchors and aliases (&name, *name) that expand too far');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await actions(db)).toBe(0);
  });
});
