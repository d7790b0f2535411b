// `sendbot export` through the real CLI on the demo plan with a few weeks of chat updates (one of
// them written to look like a spreadsheet formula), reading the files back with exceljs and
// csv-parse as a spreadsheet or another system would.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendbot } from '../helpers/cli.js';
import { ALEX, DEMO_SCRIPT, DIGEST_NOW, MORGAN, scriptedDemoDb } from '../helpers/digest-demo.js';
import { tempDir } from '../helpers/temp.js';
import { count, sql, value, withTestDb } from '../helpers/test-db.js';

const FORMULA_NOTE = '=HYPERLINK("http://evil.example","click") then +1 -1 @x';

let path: string;
let counts: { actions: number; updates: number; changes: number; kpis: number; readings: number; people: number };

beforeAll(async () => {
  path = await scriptedDemoDb([
    ...DEMO_SCRIPT,
    // HCP-1.1 reports to the Health and Wellbeing Board, the rest to the SEND Partnership Board.
    ['2024-11-26T12:00', ALEX, '/send update HCP-1.1 green 10% joint review booked'],
    ['2024-11-26T17:00', MORGAN, `/send update ND-1.1 amber ${FORMULA_NOTE}`],
  ]);
  counts = await withTestDb(path, async (db) => ({
    actions: Number(await value(db, sql`select count(*) from actions where removed_at is null`)),
    updates: await count(db, 'updates'),
    changes: await count(db, 'due_date_changes'),
    kpis: Number(await value(db, sql`select count(*) from kpis where removed_at is null`)),
    readings: await count(db, 'kpi_readings'),
    people: await count(db, 'people'),
  }));
});

const exportTo = (...args: string[]) => sendbot(path, '--now', DIGEST_NOW, 'export', ...args);

describe('sendbot export --format xlsx', () => {
  let book: ExcelJS.Workbook;
  let file: string;
  beforeAll(async () => {
    file = join(tempDir(), 'board-paper.xlsx');
    const result = await exportTo('--out', file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Exported ${counts.actions} actions, ${counts.kpis} KPIs, ${counts.people} people, ${counts.updates} updates, ${counts.changes} date changes, ${counts.readings} KPI readings.\n  ${file}\n`,
    );
    book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
  });

  it('has a sheet per table, each with a bold, frozen, filtered header row', () => {
    // The plan's own sheets first (they import back), then sendbot's record.
    expect(book.worksheets.map((s) => s.name)).toEqual(['Actions', 'KPIs', 'People', 'Updates', 'Date changes', 'KPI readings']);
    for (const sheet of book.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getRow(1).font?.bold).toBe(true);
      expect(sheet.autoFilter).toBeTruthy();
    }
    const actions = book.getWorksheet('Actions') as ExcelJS.Worksheet;
    expect(actions.rowCount).toBe(counts.actions + 1);
    expect(book.getWorksheet('Updates')?.rowCount).toBe(counts.updates + 1);
    expect(book.getWorksheet('Date changes')?.rowCount).toBe(counts.changes + 1);
    expect(book.getWorksheet('KPIs')?.rowCount).toBe(counts.kpis + 1);
    expect(book.getWorksheet('KPI readings')?.rowCount).toBe(counts.readings + 1);
  });

  it('writes each KPI with its trajectory and today’s verdict, and every reading with who, when and whether it counts', () => {
    const sheet = book.getWorksheet('KPIs') as ExcelJS.Worksheet;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = rowByRef(sheet, 'HCP-HR1');
    const cell = (header: string) => row.getCell(headers.indexOf(header) + 1).value;
    expect(cell('KPI')).toBe('HR1 (12-month review) coverage');
    expect(cell('Unit')).toBe('percent');
    expect(cell('Baseline value')).toBe(62);
    expect(cell('Trajectory')).toBe('65% by March 25; 85% by 2025/26');
    expect(cell('Latest value')).toBe(64.1);
    expect(cell('Latest period')).toMatch(/^Q2/);
    expect(cell('Position')).toBe('on track');
    expect(cell('Next target')).toBe(65);
    expect(cell('Next target by')).toEqual(new Date(Date.UTC(2025, 2, 31)));
    const readings = book.getWorksheet('KPI readings') as ExcelJS.Worksheet;
    const rh = (readings.getRow(1).values as unknown[]).slice(1);
    const hr1 = [];
    for (let i = 2; i <= readings.rowCount; i += 1) if (readings.getRow(i).getCell(rh.indexOf('KPI') + 1).value === 'HCP-HR1') hr1.push(readings.getRow(i));
    expect(hr1.map((r) => r.getCell(rh.indexOf('Value') + 1).value)).toEqual([63, 64.1]);
    expect(hr1.map((r) => r.getCell(rh.indexOf('Sample figure') + 1).value)).toEqual([true, true]);
    expect(hr1.map((r) => r.getCell(rh.indexOf('Counts') + 1).value)).toEqual([true, true]);
    expect(hr1[1]?.getCell(rh.indexOf('Period end') + 1).value).toEqual(new Date(Date.UTC(2024, 8, 30)));
  });

  it('writes actions with owner role and holder, real dates, status, percent and the last update', () => {
    const sheet = book.getWorksheet('Actions') as ExcelJS.Worksheet;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = rowByRef(sheet, 'ND-1.2');
    const cell = (header: string) => row.getCell(headers.indexOf(header) + 1);
    expect(cell('Plan code').value).toBe('ND');
    expect(cell('Accountable lead').value).toBe('Head of SEND');
    expect(cell('Owner').value).toBe(null); // no owner of its own: the workstream's lead
    expect(cell('Accountable person').value).toBe('Morgan Demo');
    expect(cell('Status').value).toBe('amber');
    expect(cell('% complete').value).toBe(60);
    expect(cell('Due date (read)').value).toEqual(new Date(Date.UTC(2025, 6, 31)));
    expect(cell('Due date (read)').numFmt).toBe('dd/mm/yyyy');
    expect(cell('Updated by').value).toBe('Morgan Demo');
    expect(cell('Latest update').value).toBe('amber, 60%, NDPT pilot extended; roll-out from Jan');
    // 20 Nov 2024 10:00 in London (GMT) is shown as 10:00.
    expect(cell('Updated on').value).toEqual(new Date(Date.UTC(2024, 10, 20, 10, 0)));
    const wd = rowByRef(sheet, 'WD-2.1');
    expect(wd.getCell(headers.indexOf('Baseline due') + 1).value).toEqual(new Date(Date.UTC(2025, 0, 31)));
    expect(wd.getCell(headers.indexOf('Due date (read)') + 1).value).toEqual(new Date(Date.UTC(2025, 5, 30)));
    // Its date was moved by approved date changes: the sheet says the date the record holds.
    expect(wd.getCell(headers.indexOf('Due (as written)') + 1).value).toBe('30 Jun 2025');
    const overdue = rowByRef(sheet, 'ND-4.1');
    expect(overdue.getCell(headers.indexOf('Overdue') + 1).value).toBe(true);
    expect(overdue.getCell(headers.indexOf('Working days overdue') + 1).value).toBe(42);
  });

  it('keeps the whole update trail with who, when (UK time, across the clock change) and where', () => {
    const sheet = book.getWorksheet('Updates') as ExcelJS.Worksheet;
    // The plan file's own first updates (the two actions it marks complete) come first, then chat's.
    expect((sheet.getRow(2).values as unknown[]).slice(6, 8)).toEqual(['import', 'import']);
    let i = 2;
    while ((sheet.getRow(i).values as unknown[])[6] === 'import') i += 1;
    const first = sheet.getRow(i).values as unknown[];
    // 1 Oct 2024 10:00 London is 09:00 UTC (summer time): the sheet shows 10:00.
    expect(first.slice(2, 10)).toEqual([new Date(Date.UTC(2024, 9, 1, 10, 0)), 'WD-2.1', 'Morgan Demo', MORGAN, 'slack', 'update', null, null].map((v) => v ?? undefined));
  });

  it('writes formula-looking text as text, never as a formula', async () => {
    const sheet = book.getWorksheet('Updates') as ExcelJS.Worksheet;
    const last = sheet.getRow(sheet.rowCount);
    const note = last.getCell(10);
    expect(note.type).toBe(ExcelJS.ValueType.String);
    expect(String(note.value).startsWith('=HYPERLINK(')).toBe(true);
    expect(note.numFmt).toBe('@');
    // And in the file itself: no formula element anywhere.
    const zip = await JSZip.loadAsync(readFileSync(file));
    for (const name of Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/'))) {
      expect(await zip.file(name)?.async('string')).not.toContain('<f>');
    }
  });

  it('exports one board’s actions, with their updates and date changes only', async () => {
    const out = join(tempDir(), 'partnership.xlsx');
    const result = await exportTo('--board', 'partnership', '--out', out);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Exported SEND Partnership Board: 91 actions, \d+ KPIs, \d+ people, \d+ updates, \d+ date changes, \d+ KPI readings\./);
    const scoped = new ExcelJS.Workbook();
    await scoped.xlsx.readFile(out);
    const refs = (scoped.getWorksheet('Actions') as ExcelJS.Worksheet).getColumn(1).values.slice(2) as string[];
    expect(refs).toHaveLength(91);
    // The Health and Wellbeing Board's workstream is left out, and so are its updates.
    expect(refs).not.toContain('HCP-1.1');
    const updateRefs = (scoped.getWorksheet('Updates') as ExcelJS.Worksheet).getColumn(3).values.slice(2) as string[];
    expect(updateRefs).toHaveLength(counts.updates - 1);
    expect(updateRefs).not.toContain('HCP-1.1');
    expect((book.getWorksheet('Updates') as ExcelJS.Worksheet).getColumn(3).values).toContain('HCP-1.1');
  });
});

function rowByRef(sheet: ExcelJS.Worksheet, ref: string): ExcelJS.Row {
  for (let i = 2; i <= sheet.rowCount; i += 1) if (sheet.getRow(i).getCell(1).value === ref) return sheet.getRow(i);
  throw new Error(`no row ${ref}`);
}

describe('sendbot export --format csv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tempDir(), 'paper');
    const result = await exportTo('--format', 'csv', '--out', dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(join(dir, 'actions.csv'));
  });

  const read = (name: string) => parse(readFileSync(join(dir, name)), { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];

  it('writes a file per table, UTF-8 with a byte-order mark and CRLF lines', () => {
    expect(readdirSync(dir).sort()).toEqual(['actions.csv', 'date-changes.csv', 'kpi-readings.csv', 'kpis.csv', 'people.csv', 'updates.csv']);
    const raw = readFileSync(join(dir, 'actions.csv'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(raw.toString('utf8')).toContain('\r\n');
    expect(read('actions.csv')).toHaveLength(counts.actions);
    expect(read('updates.csv')).toHaveLength(counts.updates);
    expect(read('date-changes.csv')).toHaveLength(counts.changes);
    expect(read('kpis.csv')).toHaveLength(counts.kpis);
    expect(read('kpi-readings.csv')).toHaveLength(counts.readings);
  });

  it('reads back with ISO dates, UK times and the people and words as written', () => {
    const nd12 = read('actions.csv').find((r) => r.Ref === 'ND-1.2');
    expect(nd12).toMatchObject({
      'Accountable person': 'Morgan Demo',
      'Accountable lead': 'Head of SEND',
      Status: 'amber',
      '% complete': '60',
      'Due date (read)': '2025-07-31',
      'Updated on': '2024-11-20 10:00',
    });
    const wd = read('date-changes.csv').filter((r) => r.Ref === 'WD-2.1');
    expect(wd.map((r) => [r.From, r.To, r.State, r['Decided by']])).toEqual([
      ['2025-01-31', '2025-03-31', 'approved', 'Alex Sample'],
      ['2025-03-31', '2025-06-30', 'approved', 'Elaine Demoster'],
    ]);
    const typed = read('updates.csv').find((r) => r.Ref === 'ND-3.1' && r.Percent === '15');
    expect(typed?.['As typed']).toBe('/send update ND-3.1 red 15% still no panel chair & no start date');
  });

  it('puts an apostrophe before text a spreadsheet would run as a formula', () => {
    const last = read('updates.csv').at(-1);
    expect(last?.Note?.startsWith("'=HYPERLINK(")).toBe(true);
    expect(last?.['As typed']?.startsWith('/send update ND-1.1')).toBe(true);
  });
});

describe('sendbot export refuses, and writes nothing, when', () => {
  it('the file exists, unless --force', async () => {
    const file = join(tempDir(), 'existing.xlsx');
    writeFileSync(file, 'keep me');
    const refused = await exportTo('--out', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`${file} already exists. Nothing was written; choose another --out, or add --force to replace it.\n`);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect((await exportTo('--out', file, '--force')).code).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(1000);
  });

  it('the CSV folder already has CSV files, unless --force', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'actions.csv'), 'keep');
    const refused = await exportTo('--format', 'csv', '--out', dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already has CSV files in it');
    expect(readFileSync(join(dir, 'actions.csv'), 'utf8')).toBe('keep');
  });

  it('the board is unknown, the name is ambiguous, the file name is not .xlsx or the format is unknown', async () => {
    const out = join(tempDir(), 'x.xlsx');
    const none = await exportTo('--board', 'Schools Forum', '--out', out);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No board matches "Schools Forum". Boards: Child Friendly Board, Health and Wellbeing Board, SEND Partnership Board, Scrutiny Panel.');
    const several = await exportTo('--board', 'board', '--out', out);
    expect(several.stderr).toContain('"board" matches several boards');
    const named = await exportTo('--out', join(tempDir(), 'paper.xls'));
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('should end in .xlsx');
    const format = await exportTo('--format', 'pdf', '--out', out);
    expect(format.code).toBe(1);
    expect(format.stderr).toContain('Allowed choices are xlsx, csv');
    expect(existsSync(out)).toBe(false);
  });
});
