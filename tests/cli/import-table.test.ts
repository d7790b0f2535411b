// CSV and XLSX plan tables through the real CLI: "With" belongs to its own row (and so does the right
// to update), a new workstream's blank lead is carried down and reported, rows with more cells than
// headings are refused, and formula cells are refused while ordinary signs in text are kept.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sendbot, sendbotJson } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { count, withTestDb } from '../helpers/test-db.js';

interface JsonAction {
  ref: string;
  lead: string | null;
  owner: string | null;
  with: string[];
  due: string | null;
  flags: string[];
  action: string;
}

const HEADER = 'Improvement Plan,Plan Code,Strategic Workstream Priority,Accountable Lead,With,Date of Completion,Key Actions';

const PEOPLE = [
  'name,email,role,admin',
  'Ada Admin,ada@example.org,Programme Officer,yes',
  'Fin Finance,fin@example.org,Finance Lead,',
  'Hal Helper,hal@example.org,Helper,',
].join('\n');

async function rowCount(db: string, table: string): Promise<number> {
  return withTestDb(db, (conn) => count(conn, table));
}

describe('sendbot import: plan tables', () => {
  it('gives each action the With of its own row: a later row never widens who may update the rows above', async () => {
    const db = tempDbPath();
    const csv = [
      HEADER,
      'Transitions,TR,Governance,Head of SEND,Helper,Dec 2024,Relaunch the PFA plan',
      ',,,,,,Agree the transitions panel', // merged With: carried down
      ',,,,Finance Lead,,Cost the panel', // its own With: this row only
      ',,Information,Head of Service,,March 2025,Publish the guide', // new workstream: no With
    ].join('\n');
    expect((await sendbot(db, 'people', 'import', writeTemp('people.csv', PEOPLE))).code).toBe(0);
    const rows = await sendbotJson<JsonAction[]>(db, 'import', writeTemp('plan.csv', csv));
    expect(rows.map((r) => [r.ref, r.with])).toEqual([
      ['TR-1.1', ['Helper']],
      ['TR-1.2', ['Helper']],
      ['TR-1.3', ['Finance Lead']],
      ['TR-2.1', []],
    ]);

    const ask = (as: string, text: string) => sendbot(db, '--now', '2024-11-18T10:00', 'ask', '--as', as, text);
    expect((await ask('fin@example.org', 'update TR-1.3 amber costed')).stdout).toMatch(/TR-1\.3/);
    const refused = await ask('fin@example.org', 'update TR-1.1 amber nope');
    expect(refused.stdout).toContain("You can't update TR-1.1");
    expect((await ask('hal@example.org', 'update TR-1.2 green agreed')).stdout).not.toContain("can't update");
    expect((await ask('hal@example.org', 'update TR-1.3 green no')).stdout).toContain("You can't update TR-1.3");
    expect((await ask('ada@example.org', 'who TR-1.3')).stdout).toMatch(/Supporting\W+.*Finance Lead/);

    // Re-importing the same file changes nothing.
    const again = await sendbot(db, 'import', writeTemp('plan.csv', csv));
    expect(again.stdout).toMatch(/Actions: 0 new, 0 updated, 4 unchanged/);
  });

  it('carries a blank lead down to a new workstream and flags it for an officer', async () => {
    const db = tempDbPath();
    const csv = [
      HEADER,
      'Transitions,TR,Governance,Head of SEND,,Dec 2024,Relaunch the PFA plan',
      ',,Information,,,March 2025,Publish the guide', // merged lead cell
      ',,,,,,Launch the guide',
    ].join('\n');
    const file = writeTemp('plan.csv', csv);
    const text = await sendbot(db, 'import', file, '--dry-run');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('2 actions took their accountable lead from the row above; check it: TR-2.1, TR-2.2');
    expect(text.stdout).toContain(
      'Note: Check plan.csv row 3, column "Accountable Lead": Accountable Lead is blank for the new workstream "Information", so "Head of SEND" was carried down from row 2 above',
    );
    const rows = await sendbotJson<JsonAction[]>(db, 'import', file);
    expect(rows.map((r) => [r.ref, r.lead, r.flags.includes('lead-inherited')])).toEqual([
      ['TR-1.1', 'Head of SEND', false],
      ['TR-2.1', 'Head of SEND', true],
      ['TR-2.2', 'Head of SEND', true],
    ]);
  });

  it('refuses a row with more cells than the header has headings, naming row and column, and writes nothing', async () => {
    const db = tempDbPath();
    const csv = [
      HEADER,
      'Transitions,TR,Governance,Head of SEND,,Dec 2024,Relaunch the PFA plan',
      ',,,,,,Agree the panel, with partners', // an unquoted comma
      ',,,,,,Cost the panel,,,', // trailing empty cells are fine
    ].join('\n');
    const result = await sendbot(db, 'import', writeTemp('plan.csv', csv));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Nothing was imported\. 1 problem:/);
    expect(result.stderr).toContain(
      'plan.csv row 3, column H (no heading): "with partners" is in a column with no heading (the header row has 7 columns), so it would be lost. If a cell holds a comma, put the whole cell in double quotes',
    );
    expect(result.stderr).not.toMatch(/at |\.ts:/);
    expect(await rowCount(db, 'actions')).toBe(0);
  });

  it.each([
    ['=', '"=HYPERLINK(""http://evil.example"",""Click"")"', /starts with "=", so a spreadsheet would run it as a formula/],
    ['+', '+SUM(A1:A3)', /starts with "\+S", which a spreadsheet would run as a formula/],
    ['-', "-2+3+cmd|' /C calc'!A0", /starts with "-2", which a spreadsheet would run as a formula/],
    ['@', '@SUM(1+1)*cmd', /starts with "@"/],
    ['a tab, then =', '"\t=1+1"', /starts with "="/],
    ['a carriage return, then =', '"\r=1+1"', /starts with "="/],
  ])('refuses a CSV cell starting with %s, naming row and column and how to fix it', async (_label, cell, message) => {
    const db = tempDbPath();
    const csv = [HEADER, `Transitions,TR,Governance,Head of SEND,,Dec 2024,Relaunch the PFA plan`, `,,,,,,${cell}`].join('\n');
    const result = await sendbot(db, 'import', writeTemp('plan.csv', csv));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/plan\.csv row 3, column "Key Actions": the cell starts with/);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/apostrophe/);
    expect(await rowCount(db, 'actions')).toBe(0);
  });

  it('keeps negative numbers, dashes, list items and apostrophe-escaped signs as text', async () => {
    const db = tempDbPath();
    const csv = [
      HEADER,
      'Transitions,TR,Governance,Head of SEND,-,Dec 2024,"- Relaunch the PFA plan\n- Agree the panel"',
      ",,,,,,'=2 posts funded (text)",
      ',,,,,,-5',
      ',,,,,,Cut waits -5% by March 2025',
      ',,,,,,+ new pilot in two schools',
    ].join('\n');
    const rows = await sendbotJson<JsonAction[]>(db, 'import', writeTemp('plan.csv', csv));
    expect(rows.map((r) => r.action)).toEqual([
      'Relaunch the PFA plan',
      'Agree the panel',
      '=2 posts funded (text)',
      '-5',
      'Cut waits -5% by March 2025',
      'new pilot in two schools', // "+ " is a list bullet
    ]);
    expect(rows[0]?.with).toEqual([]);
  });

  it('refuses an XLSX formula cell even when Excel saved its value', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Plan');
    ws.addRow(['plan', 'workstream', 'lead', 'due', 'action']);
    ws.addRow(['Transitions', 'Governance', 'Head of SEND', { formula: 'EDATE(TODAY(),3)', result: new Date(Date.UTC(2025, 2, 1)) }, 'Relaunch']);
    ws.addRow([null, null, null, null, 'Agree the panel', 'stray value']);
    const db = tempDbPath();
    const result = await sendbot(db, 'import', writeTemp('plan.xlsx', Buffer.from(await wb.xlsx.writeBuffer())));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('plan.xlsx [Plan] row 3, column F (no heading): "stray value" is in a column with no heading');
    ws.getRow(3).getCell(6).value = null;
    const again = await sendbot(db, 'import', writeTemp('plan.xlsx', Buffer.from(await wb.xlsx.writeBuffer())));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('plan.xlsx [Plan] row 2, column "due": the cell holds a formula (=EDATE(TODAY(),3)); sendbot imports typed values only');
    expect(again.stderr).toContain('Paste Special → Values');
    expect(await rowCount(db, 'actions')).toBe(0);
  });
});
