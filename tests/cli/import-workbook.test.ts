// `sendbot import plan.xlsx` on a whole workbook built with exceljs (tests/helpers/council-workbook.ts), laid out as councils lay
// theirs out: a cover sheet first, a title and version line above the headings, merged workstream,
// lead and date cells, month-formatted date cells, a progress column headed with its month, a KPI
// sheet with one column per month, a people sheet, a boards sheet and a settings sheet. Driven
// through the real CLI against a real SQLite file.
import { existsSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../src/importers/load-plan-file.js';
import { sendbot } from '../helpers/cli.js';
import { councilWorkbook } from '../helpers/council-workbook.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { closeTestDb, one, rows, run, sql, type SQL, testDbAt, withTestDb } from '../helpers/test-db.js';

function query<T>(path: string, q: SQL): Promise<T[]> {
  return withTestDb(path, (db) => rows<T>(db, q));
}

describe('sendbot import <workbook>', () => {
  it('reads every sheet it recognises, says which sheet was read as what, and names every column it did not read', async () => {
    const db = tempDbPath();
    const file = writeTemp('southshire.xlsx', await councilWorkbook());
    const result = await sendbot(db, '--now', '2023-12-04T09:00', 'import', file);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toContain('"Cover": skipped, it holds no table (a cover, notes or chart sheet)');
    expect(out).toMatch(/"Action plan": read as plan actions \(headings on row 4, 6 rows below; no Plan column, so every action is in the plan "Southshire SEND Improvement Plan" \(the line above the headings\)\)/);
    expect(out).toContain('"KPIs": read as KPIs (headings on row 3');
    expect(out).toContain('"People": read as people and roles');
    expect(out).toContain('"Boards": read as boards');
    expect(out).toContain('"Settings": read as settings');
    // sendbot's own column once; the unknown column and setting named with what they would need.
    expect(out).toContain('Not read back: "Updated by"');
    expect(out).toMatch(/"Action plan" column "Comments": sendbot keeps no such field for plan actions/);
    expect(out).toMatch(/"Settings" setting "Favourite colour" \(row 6\): not a setting sendbot knows/);
    expect(out).toContain('Not imported (2):');
    expect(out).not.toMatch(/^ {2}"Action plan" column "(Timescale|RAG|% complete|Progress update \(Nov 23\)|Lead officer|Supported by|Priority)"/m);

    // The plan: numbers from the titles, dates as written on every action, merged cells exactly.
    const actions = await query<{ ws: number; title: string; text: string; due_text: string | null; due: string | null }>(db, sql`select w.number as ws, w.title, a.text, a.date_text as due_text, a.due from actions a join workstreams w on w.id = a.workstream_id order by w.number, a.number`);
    // (What the importer hands the store for every row is checked in tests/importers/load-workbook.test.ts.)
    expect(actions.map((a) => [a.ws, a.text])).toEqual([
      [1, 'Agree a joint commissioning strategy'],
      [1, 'Publish the strategy'],
      [1, 'Review the therapy contracts (52 weeks in Sept 23)'],
      [2, 'Relaunch the Local Offer website'],
      [2, 'Hold termly coffee mornings'],
      [2, 'Survey families about the Local Offer'],
    ]);
    expect(actions.map((a) => [a.due_text, a.due])).toEqual([
      ['31 March 24', '2024-03-31'],
      ['31 March 24', '2024-03-31'], // under the merged date block
      [null, null], // blank, not merged: no date (flagged, as its text holds one), never a date from another row
      ['Sep-24', '2024-09-30'], // a date cell formatted mmm-yy: the end of that month
      ['Ongoing', null], // says something with no date: never the workstream's or the row above's date
      ['TBC', null],
    ]);
    expect(actions[0]?.title).toBe('1. Joint commissioning');
    // The action whose only date is in its text is flagged for an officer.
    expect(out).toMatch(/row 7, column "Timescale": the date cell is blank but the action's text holds a date/);

    // KPI readings from the month columns, including the date-cell heading.
    const readings = await query<{ period: string; value: number }>(db, sql`select period_label as period, value from kpi_readings order by period_end`);
    expect(readings.map((r) => [r.period, r.value])).toEqual([
      ['August 2023', 48],
      ['September 2023', 52],
      ['October 2023', 55],
      ['Q3 2023/24', 57],
    ]);

    // People, boards with lead times and meetings, and the partnership's settings.
    expect(await query<{ email: string; admin: number }>(db, sql`select email, is_admin as admin from people order by email`)).toEqual([
      { email: 'cara@southshire.example', admin: 1 },
      { email: 'pat@pcf.example', admin: 0 },
    ]);
    expect(await query(db, sql`select name, slack_channel as channel, update_window_days as w, reminder_days as r, papers_days as p from boards`)).toEqual([
      { name: 'SEND Partnership Board', channel: 'C0BOARD', w: 8, r: 4, p: 3 },
    ]);
    expect((await query<{ n: number }>(db, sql`select count(*) as n from meetings`))[0]?.n).toBe(2);
    expect(await query(db, sql`select name, office_hours_start as s, office_hours_end as e, programme_channel as c, school_terms as t from partnership`)).toEqual([
      { name: 'Southshire Local Area Partnership', s: '08:30', e: '17:00', c: 'C0PROG', t: JSON.stringify([{ name: 'autumn', start: '2024-09-03', end: '2024-12-20' }]) },
    ]);
  });

  it('--dry-run writes nothing at all: no database file is created', async () => {
    const db = tempDbPath();
    const result = await sendbot(db, '--now', '2023-12-04T09:00', 'import', writeTemp('southshire.xlsx', await councilWorkbook()), '--dry-run');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Dry run — nothing written.');
    expect(result.stdout).toContain('KPI readings from the file: 4 added');
    expect(existsSync(db)).toBe(false);
  });

  it('--dry-run on a database another process has open reads it as it stands and changes nothing', async () => {
    const db = tempDbPath();
    const file = writeTemp('southshire.xlsx', await councilWorkbook());
    expect((await sendbot(db, '--now', '2023-12-04T09:00', 'import', file, '--sheet', 'People')).code).toBe(0);
    const running = await testDbAt(db); // as the bot would: WAL files exist while it runs
    try {
      await run(running, sql`update people set name = 'Cara C' where email = 'cara@southshire.example'`);
      const dry = await sendbot(db, '--now', '2023-12-04T09:00', 'import', file, '--dry-run');
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('People: 0 new, 1 updated.');
      expect(await one(running, sql`select count(*) as n from actions`)).toEqual({ n: 0 });
      expect(await one(running, sql`select name from people where email = 'cara@southshire.example'`)).toEqual({ name: 'Cara C' });
    } finally {
      await closeTestDb(running);
    }
  });

  it('--sheet reads one sheet; an unknown name lists the sheets', async () => {
    const db = tempDbPath();
    const file = writeTemp('southshire.xlsx', await councilWorkbook());
    const people = await sendbot(db, 'import', file, '--sheet', 'people');
    expect(people.code, people.stderr).toBe(0);
    expect(people.stdout).toContain('"People": read as people and roles');
    expect(people.stdout).not.toContain('"Action plan"');
    expect((await query<{ n: number }>(db, sql`select count(*) as n from actions`))[0]?.n).toBe(0);
    expect((await query<{ n: number }>(db, sql`select count(*) as n from people`))[0]?.n).toBe(2);

    const unknown = await sendbot(db, 'import', file, '--sheet', 'Plan');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('there is no sheet named "Plan"; the sheets are "Cover", "Action plan", "KPIs", "People", "Boards", "Settings"');
  });

  it('reads a workbook laid out as `sendbot export` writes it, setting sendbot’s own columns aside in one line', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Actions');
    // The export's Actions sheet: the plan's columns, then sendbot's record (read-only).
    const plan = ['Ref', 'Plan code', 'Plan', 'Board', 'Workstream', 'Accountable lead', 'Workstream date', 'Action', 'Owner', 'With', 'Due (as written)', 'Status', '% complete'];
    const record = ['Due date (read)', 'Baseline due', 'Start', 'Accountable person', 'Overdue', 'Working days overdue', 'Date flags', 'Latest update', 'Updated by', 'Updated on'];
    ws.addRow([...plan, ...record]);
    ws.addRow(['ND-1.1', 'ND', 'Neurodiversity', 'SEND Board', 'Assessment pathway', 'Head of SEND', 'Dec 24', 'Map the pathway', 'Head of SEND', '', 'Sep 24', 'amber', '40%', '2024-09-30', '2024-09-30', null, 'Sam Send', 'no', 0, '', 'Mapping half done', 'Sam Send', '2024-06-01']);
    ws.addRow(['ND-1.2', 'ND', 'Neurodiversity', 'SEND Board', 'Assessment pathway', 'Head of SEND', 'Dec 24', 'Publish the pathway', 'Head of SEND', '', 'Dec 24', 'not started', '', '2024-12-31']);
    const db = tempDbPath();
    const file = writeTemp('export.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const loaded = await loadPlanFile(file);
    expect(loaded.document.plans[0]?.workstreams.map((w) => [w.number, w.title, w.due])).toEqual([[1, 'Assessment pathway', 'Dec 24']]);
    expect(loaded.document.plans[0]?.workstreams[0]?.actions.map((a) => [a.number, a.due, a.progress])).toEqual([
      [1, 'Sep 24', { status: 'amber', percent: 40 }],
      [2, 'Dec 24', { status: 'not started' }],
    ]);
    const result = await sendbot(db, '--now', '2024-06-03T09:00', 'import', file);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('"Actions": read as plan actions');
    expect(result.stdout).toContain(`Not read back: ${record.map((h) => `"${h}"`).join(', ')} (written by sendbot for reading`);
    expect(result.stdout).not.toContain('Not imported');
    expect(await query(db, sql`select a.number, a.date_text as due from actions a order by a.number`)).toEqual([
      { number: 1, due: 'Sep 24' },
      { number: 2, due: 'Dec 24' },
    ]);
  });

  it('a file that is not a workbook gets one plain sentence and exit 1', async () => {
    const db = tempDbPath();
    const empty = await sendbot(db, 'import', writeTemp('plan.xlsx', Buffer.alloc(0)));
    expect(empty.code).toBe(1);
    expect(empty.stderr.trim()).toBe('plan.xlsx: the file is not an Excel workbook: it is empty. Open it in Excel and save it as an .xlsx workbook (an older .xls file must be saved again as .xlsx). Nothing was imported.');
    const renamed = await sendbot(db, 'people', 'import', writeTemp('people.xlsx', 'name,email,role\nSam,sam@example.org,Head of SEND\n'));
    expect(renamed.code).toBe(1);
    expect(renamed.stderr).toContain('people.xlsx: the file is not an Excel workbook: it holds plain text (perhaps a CSV file renamed .xlsx');
    const prose = await sendbot(db, 'import', writeTemp('plan.csv', 'Our SEND improvement plan\nWe will do better for families.\nThank you for reading.\n'));
    expect(prose.code).toBe(1);
    expect(prose.stderr.trim()).toBe(
      'plan.csv: the file is not a table (no line has two or more cells separated by commas); a plan file has a header row such as "Improvement Plan, Strategic Workstream Priority, Key Actions" and one row per action. Nothing was imported.',
    );
    expect(existsSync(db)).toBe(false);
  });
});
