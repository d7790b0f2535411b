// The plan workbook round-trip through the real CLI: `sendbot export` writes the workbook, importing
// it back changes nothing at all, and editing one cell in it changes exactly that one thing — on the
// demo plan after a board cycle of chat traffic (approved date changes, updates, KPI readings), and on
// another council's workbook imported first.
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendbot } from '../helpers/cli.js';
import { councilWorkbook } from '../helpers/council-workbook.js';
import { DIGEST_NOW, scriptedDemoDb } from '../helpers/digest-demo.js';
import { tempDbPath, tempDir, writeTemp } from '../helpers/temp.js';
import { copyTestDb, one, rows, sql, withTestDb } from '../helpers/test-db.js';

/** Every row of the tables an import could write, so "no change at all" is checked, not assumed. */
async function fingerprint(path: string): Promise<Record<string, unknown[]>> {
  return withTestDb(path, async (db) => {
    const tables = [
      'plans',
      'workstreams',
      'actions',
      'updates',
      'due_date_changes',
      'roles',
      'people',
      'role_assignments',
      'boards',
      'meetings',
      'kpis',
      'kpi_readings',
      'workstream_supporting_roles',
      'action_supporting_roles',
    ];
    const out: Record<string, unknown[]> = {};
    for (const t of tables) {
      // file_base and imported_* are what the file said last: bookkeeping, compared separately.
      const found = await rows(db, sql`select * from ${sql.identifier(t)} order by rowid`);
      out[t] = found.map(({ file_base: _b, imported_status: _s, imported_owner: _o, ...r }) => r);
    }
    return out;
  });
}

async function exportWorkbook(db: string, now: string): Promise<string> {
  const file = join(tempDir(), 'plan.xlsx');
  const r = await sendbot(db, '--now', now, 'export', '--out', file);
  expect(r.code, r.stderr).toBe(0);
  return file;
}

/** Sets one cell of the Actions sheet, found by the row's Ref and the column's heading. */
async function editCell(file: string, ref: string, heading: string, value: ExcelJS.CellValue): Promise<string> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.getWorksheet('Actions') as ExcelJS.Worksheet;
  const headers = (sheet.getRow(1).values as unknown[]).slice(1);
  const col = headers.indexOf(heading) + 1;
  expect(col, `no column ${heading}`).toBeGreaterThan(0);
  let found = false;
  sheet.eachRow((row) => {
    if (row.getCell(1).value === ref) {
      row.getCell(col).value = value;
      found = true;
    }
  });
  expect(found, `no row ${ref}`).toBe(true);
  const out = join(tempDir(), 'edited.xlsx');
  await book.xlsx.writeFile(out);
  return out;
}

describe('the workbook round-trip on the demo plan after a board cycle', () => {
  let db: string;
  let file: string;
  beforeAll(async () => {
    db = await scriptedDemoDb();
    file = await exportWorkbook(db, DIGEST_NOW);
  });

  it('export → import changes nothing at all, and says so', async () => {
    const copy = await copyTestDb(db);
    const before = await fingerprint(copy);
    const r = await sendbot(copy, '--now', DIGEST_NOW, 'import', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Actions: 0 new, 0 updated, \d+ unchanged, 0 removed\./);
    expect(r.stdout).not.toContain('Conflicts');
    expect(r.stdout).not.toContain('Not imported');
    expect(r.stdout).not.toContain('not in the file');
    // The record sheets export writes are named as such, not as tables sendbot cannot read.
    expect(r.stdout).toContain(`"Updates": skipped, it is sendbot's own record (sendbot export writes it), never read back`);
    expect(r.stdout).toContain(`"KPI readings": skipped, it is sendbot's own record`);
    expect(r.stdout).toMatch(/KPIs: 0 new, 0 updated, \d+ unchanged, 0 removed\. KPI readings from the file: 0 added\./);
    expect(await fingerprint(copy)).toEqual(before);
    // And again: a second import of the same workbook is just as quiet.
    const again = await sendbot(copy, '--now', DIGEST_NOW, 'import', file);
    expect(again.stdout).toMatch(/Actions: 0 new, 0 updated/);
    expect(await fingerprint(copy)).toEqual(before);
  });

  it('editing one cell changes exactly that one thing, and the report says so', async () => {
    const copy = await copyTestDb(db);
    const before = await fingerprint(copy);
    const edited = await editCell(file, 'ND-1.1', 'Due (as written)', '31 May 2025');
    const r = await sendbot(copy, '--now', DIGEST_NOW, 'import', edited);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Actions: 0 new, 1 updated, \d+ unchanged, 0 removed\./);
    expect(r.stdout).toMatch(/ND-1\.1 .*2025-05-31 .*updated/);
    expect(r.stdout).toMatch(/Changed:\n  ND-1\.1: due date \d{4}-\d{2}-\d{2} → 2025-05-31\n/);
    const after = await fingerprint(copy);
    // Only ND-1.1's dates moved, with the file's change in the trail; nothing else differs.
    const changed = (t: string) => after[t]?.filter((row, i) => JSON.stringify(row) !== JSON.stringify(before[t]?.[i])) ?? [];
    expect(changed('actions')).toEqual([expect.objectContaining({ ref: 'ND-1.1', due: '2025-05-31', date_text: '31 May 2025' })]);
    expect(after.due_date_changes?.length).toBe((before.due_date_changes?.length ?? 0) + 1);
    expect(after.due_date_changes?.at(-1)).toMatchObject({ to_due: '2025-05-31', state: 'imported' });
    for (const t of ['plans', 'workstreams', 'updates', 'people', 'role_assignments', 'kpis', 'kpi_readings', 'action_supporting_roles', 'workstream_supporting_roles']) {
      expect(after[t], t).toEqual(before[t]);
    }
  });

  it('a workbook exported before a chair approved a date change does not undo it on import', async () => {
    const copy = await copyTestDb(db);
    // WD-2.1's date was moved twice by approved changes in the script; the workbook says the date now held.
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('Actions') as ExcelJS.Worksheet;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    let written: unknown;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 'WD-2.1') written = row.getCell(headers.indexOf('Due (as written)') + 1).value;
    });
    expect(written).toBe('30 Jun 2025');
    const r = await sendbot(copy, '--now', DIGEST_NOW, 'import', file);
    expect(r.code, r.stderr).toBe(0);
    await withTestDb(copy, async (check) => {
      expect(await one(check, sql`select due, baseline_due as baseline from actions where ref = 'WD-2.1'`)).toEqual({ due: '2025-06-30', baseline: '2025-01-31' });
    });
  });
});

describe("the workbook round-trip on another council's workbook", () => {
  it('import the council workbook, export, import the export: no change', async () => {
    const db = tempDbPath();
    const first = await sendbot(db, '--now', '2023-11-20T09:00', 'import', writeTemp('southshire.xlsx', await councilWorkbook()));
    expect(first.code, first.stderr).toBe(0);
    const file = await exportWorkbook(db, '2023-11-21T09:00');
    const before = await fingerprint(db);
    const r = await sendbot(db, '--now', '2023-11-21T10:00', 'import', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Actions: 0 new, 0 updated, \d+ unchanged, 0 removed\./);
    expect(r.stdout).not.toContain('Conflicts');
    expect(await fingerprint(db)).toEqual(before);
  });
});

describe('the workbook round-trip on a plan without KPIs', () => {
  it('imports its own export back (the KPIs sheet has headings and no rows) and changes nothing', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await councilWorkbook()) as unknown as ArrayBuffer);
    for (const sheet of [...book.worksheets]) if (/kpi/i.test(sheet.name)) book.removeWorksheet(sheet.id);
    const db = tempDbPath();
    const first = await sendbot(db, '--now', '2023-11-20T09:00', 'import', writeTemp('no-kpis.xlsx', Buffer.from(await book.xlsx.writeBuffer())));
    expect(first.code, first.stderr).toBe(0);
    const file = await exportWorkbook(db, '2023-11-21T09:00');
    const before = await fingerprint(db);
    const r = await sendbot(db, '--now', '2023-11-21T10:00', 'import', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no KPIs below the headings, so none are imported from it');
    expect(r.stdout).toMatch(/Actions: 0 new, 0 updated, \d+ unchanged, 0 removed\./);
    expect(await fingerprint(db)).toEqual(before);
  });
});
