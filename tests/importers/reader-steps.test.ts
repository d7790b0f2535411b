// The steps of reading a sheet, each on its own: matching headings to fields (an exact heading beats
// one read without its brackets; two equally good ones are refused), finding the header row below
// titles, what a cell's number format shows, reading progress, and classifying a sheet.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { classifySheet } from '../../src/importers/classify-sheet.js';
import { formatProblem } from '../../src/importers/import-errors.js';
import { matchHeaders } from '../../src/importers/match-headers.js';
import { looksDated, numberInTitle, parseRef } from '../../src/importers/plan-cell-words.js';
import { PLAN_HEADER_ALIASES } from '../../src/importers/plan-headings.js';
import { readKpiTable } from '../../src/importers/read-kpi-table.js';
import { normaliseStatus, progressAsOf, readPercent, readProgress } from '../../src/importers/read-progress.js';
import { readDay, readSettingsTable } from '../../src/importers/read-settings-table.js';
import { readWorkbook, shownValue } from '../../src/importers/read-xlsx.js';
import { findHeaderRow, type SheetGrid, tableRowsOf } from '../../src/importers/sheet-grid.js';

const grid = (name: string, ...rows: unknown[][]): SheetGrid => ({ name, rows: rows.map((cells, i) => ({ row: i + 1, cells })) });

describe('matchHeaders', () => {
  it('understands the headings councils use', () => {
    const { columns, problems } = matchHeaders(
      ['No.', 'Priority', 'Responsible officer', 'Partners', 'What we will do', 'By when', 'RAG status', 'Progress update (Nov 23)', '% complete'],
      PLAN_HEADER_ALIASES,
    );
    expect(problems).toEqual([]);
    expect(columns).toEqual({
      ref: 'No.',
      workstream: 'Priority',
      lead: 'Responsible officer',
      with: 'Partners',
      action: 'What we will do',
      due: 'By when',
      status: 'RAG status',
      progress: 'Progress update (Nov 23)',
      percent: '% complete',
    });
    for (const due of ['Timescale', 'Target date', 'Deadline', 'Completion date', 'Due by', 'Due (as written)']) {
      expect(matchHeaders([due], PLAN_HEADER_ALIASES).columns.due).toBe(due);
    }
  });

  it('lets an exact heading win over one read without its brackets, and names the loser', () => {
    const m = matchHeaders(['Progress', 'Progress update (Oct 23)'], PLAN_HEADER_ALIASES);
    expect(m.columns.progress).toBe('Progress');
    expect(m.shadowed).toEqual([{ heading: 'Progress update (Oct 23)', field: 'progress', by: 'Progress' }]);
    expect(m.problems).toEqual([]);
  });

  it('reads an older export: a particular heading ("Plan title") beats the general one ("Plan")', () => {
    const m = matchHeaders(['Ref', 'Plan', 'Plan title', 'Workstream', 'Workstream title', 'Action'], PLAN_HEADER_ALIASES);
    expect(m.problems).toEqual([]);
    expect(m.columns).toMatchObject({ plan: 'Plan title', workstream: 'Workstream title', action: 'Action' });
    expect(m.shadowed.map((x) => [x.heading, x.by])).toEqual([
      ['Plan', 'Plan title'],
      ['Workstream', 'Workstream title'],
    ]);
  });

  it('refuses two equally good columns for one field, naming both', () => {
    const m = matchHeaders(['Deadline', 'Target date'], PLAN_HEADER_ALIASES, undefined, 'plan.csv');
    expect(m.problems.map(formatProblem)).toEqual(['plan.csv, column "Target date": columns "Deadline" and "Target date" both look like the due column; remove or rename one']);
  });

  it('reads a KPI sheet with both Plan and Plan code by its code (the more specific column)', () => {
    const rows = tableRowsOf(grid('KPIs', ['Plan', 'Plan code', 'KPI', 'Unit'], ['Neurodiversity', 'ND', 'Waiting list', 'count']), 0, { hint: '' });
    const { sheet, problems } = readKpiTable(rows);
    expect(problems).toEqual([]);
    expect(sheet.rows.map((r) => r.plan)).toEqual(['ND']);
  });
});

describe('findHeaderRow', () => {
  it('finds the headings below a title, a version line and notes', () => {
    const g = grid('Plan', ['SEND Improvement Plan 2023-25'], ['Version 4', 'Draft'], ['Priority', 'Lead', 'Key actions', 'Timescale'], ['One', 'L', 'a', 'Dec 24']);
    const known = (h: string) => matchHeaders([h], PLAN_HEADER_ALIASES).columns !== undefined && Object.keys(matchHeaders([h], PLAN_HEADER_ALIASES).columns).length > 0;
    expect(findHeaderRow(g, known)).toBe(2);
    // With nothing known, the first row with two cells, as before.
    expect(findHeaderRow(g)).toBe(1);
  });

  it('records which blank cells lie under a merged block', () => {
    const g: SheetGrid = { name: 'S', knowsMerges: true, rows: [{ row: 1, cells: ['A', 'B'] }, { row: 2, cells: ['', 'x'], merged: new Set([0]) }, { row: 3, cells: ['', 'y'] }] };
    const rows = tableRowsOf(g, 0, { hint: '' });
    expect(rows.map((r) => [...(r.merged ?? [])])).toEqual([['A'], []]);
  });
});

describe('shownValue', () => {
  it('gives a month-formatted date as shown, and a percentage as a percent', () => {
    const sep = new Date(Date.UTC(2024, 8, 1));
    expect(shownValue(sep, 'mmm-yy')).toBe('Sep-24');
    expect(shownValue(sep, '[$-809]mmmm yyyy')).toBe('September 2024');
    expect(shownValue(sep, 'dd/mm/yyyy')).toBe(sep);
    expect(shownValue(0.6, '0%')).toBe('60%');
    expect(shownValue(0.625, '0.0%')).toBe('62.5%');
    expect(shownValue(12, 'General')).toBe(12);
  });
});

describe('progress', () => {
  it('normalises obvious status forms only', () => {
    expect(['R', 'a', 'Green', 'B', 'COMPLETED', 'Done', 'On track'].map(normaliseStatus)).toEqual(['red', 'amber', 'green', 'blue', 'complete', 'complete', 'On track']);
  });
  it('reads percentages 0-100 and refuses others', () => {
    expect(['60%', '60', '0.6', '100', '7.5%'].map(readPercent)).toEqual([60, 60, 60, 100, 8]);
    expect(['150%', 'most', '-5'].map(readPercent)).toEqual([undefined, undefined, undefined]);
  });
  it('dates progress by the month its heading names', () => {
    expect(progressAsOf('Progress update (Nov 23)')).toBe('2023-11-30');
    expect(progressAsOf('Update as at Q3 23/24')).toBe('2023-12-31');
    expect(progressAsOf('Progress')).toBeUndefined();
    expect(readProgress({ note: 'Going well' }, '2023-11-30')).toEqual({ progress: { note: 'Going well', as_of: '2023-11-30' } });
    expect(readProgress({}, '2023-11-30')).toEqual({});
    expect(readProgress({ percent: 'lots' }, undefined)).toEqual({ unreadPercent: 'lots' });
  });
});

describe('plan cell words', () => {
  it('reads refs, numbers and numbered titles', () => {
    expect(parseRef('ND-1.2')).toEqual({ code: 'ND', workstream: 1, action: 2 });
    expect(parseRef('3')).toEqual({ action: 3 });
    expect(parseRef('x')).toBeUndefined();
    expect(['4. Joint commissioning', '4) Joint', 'Workstream 2: Comms', '2024 review', 'Joint 4.'].map(numberInTitle)).toEqual([4, 4, 2, undefined, undefined]);
  });
  it('notices a date in an action’s text', () => {
    expect(['(52 weeks in Sept 23)', 'by end Feb 25', 'review 31/03/2025', 'in 2024/25', 'Hold coffee mornings'].map(looksDated)).toEqual([true, true, true, true, false]);
  });
});

describe('classifySheet', () => {
  it('says what a sheet is, or why it is skipped', () => {
    expect(classifySheet(grid('Cover', ['Southshire partnership'], ['Improvement plan']))).toMatchObject({ kind: 'skip', reason: 'it holds no table (a cover, notes or chart sheet)' });
    expect(classifySheet(grid('Notes', ['Colour', 'Meaning'], ['Red', 'Off track']))).toMatchObject({ kind: 'skip', reason: 'none of its headings is one sendbot reads ("Colour", "Meaning")' });
    expect(classifySheet(grid('Tab', ['Title'], ['Workstream', 'Action', 'Lead'], ['W', 'a', 'L']))).toMatchObject({ kind: 'plan', headerIndex: 1 });
    expect(classifySheet(grid('Tab', ['KPI', 'Plan', 'Sep-23'], ['x', 'P', '5']))).toMatchObject({ kind: 'kpis' });
    expect(classifySheet(grid('Tab', ['Name', 'Email', 'Roles'], ['A', 'a@b.c', 'R']))).toMatchObject({ kind: 'people' });
    expect(classifySheet(grid('Tab', ['Board', 'Chair'], ['B', 'C']))).toMatchObject({ kind: 'boards' });
    expect(classifySheet(grid('Tab', ['Setting', 'Value'], ['Partnership name', 'X']))).toMatchObject({ kind: 'settings' });
  });
});

describe('settings', () => {
  it('reads days and refuses a partial term or settings without a name', () => {
    expect(['2024-09-03', '03/09/2024', '3 Sep 2024', '3rd September 2024', 'soon'].map(readDay)).toEqual(['2024-09-03', '2024-09-03', '2024-09-03', '2024-09-03', undefined]);
    const rows = tableRowsOf(grid('Settings', ['Setting', 'Value'], ['Spring term 2025 start', '6 Jan 2025'], ['Programme channel', 'C0PROG']), 0, { hint: '' });
    const read = readSettingsTable(rows, ['Setting', 'Value'], { file: 'plan.xlsx [Settings]' });
    expect(read.partnership).toBeUndefined();
    expect(read.problems.map(formatProblem)).toEqual([
      'plan.xlsx [Settings] row 2, column "Setting": the spring term needs both its first and last day',
      'plan.xlsx [Settings]: the settings give no "Partnership name"; add a row "Partnership name" with the partnership\'s name, so the other settings can be kept',
    ]);
  });
});

describe('readWorkbook', () => {
  it('reports a chart sheet and a hidden sheet as skipped, and reads the rest', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Plan').addRow(['Workstream', 'Action']);
    wb.addWorksheet('Old', { state: 'hidden' }).addRow(['x', 'y']);
    // exceljs cannot write a chart sheet: list one in the workbook, as Excel does.
    const zip = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
    const xml = await zip.file('xl/workbook.xml')!.async('string');
    zip.file('xl/workbook.xml', xml.replace('</sheets>', '<sheet name="Chart1" sheetId="9" r:id="rId99"/></sheets>'));
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    zip.file('xl/_rels/workbook.xml.rels', rels.replace('</Relationships>', '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>'));
    const { sheets, skipped } = await readWorkbook(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(sheets.map((s) => s.name)).toEqual(['Plan']);
    expect(skipped).toEqual([
      { name: 'Old', reason: 'it is hidden' },
      { name: 'Chart1', reason: 'it is a chart sheet (no table)' },
    ]);
  });
});
