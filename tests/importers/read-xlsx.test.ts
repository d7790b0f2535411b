import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { formatProblem, ImportError } from '../../src/importers/import-errors.js';
import { planDocumentSchema } from '../../src/importers/plan-document.js';
import { readPlanTable } from '../../src/importers/read-plan-table.js';
import { parseXlsxRows } from '../../src/importers/read-xlsx.js';

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A plan laid out like the council's Word/Excel plan: title row, merged cells, dates, rich text. */
async function planWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Plan');
  ws.getCell('A1').value = 'SEND Improvement Plan 2024–26';
  ws.mergeCells('A1:F1');
  ws.getRow(2).values = [
    'Improvement Plan',
    'Strategic Workstream Priority',
    { richText: [{ text: 'Accountable ', font: { bold: true } }, { text: 'Lead' }] },
    'With',
    'Date of\nCompletion',
    'Key Actions',
  ];
  // Workstream 1 spans rows 3–5, with plan, lead, with and date merged down.
  ws.getCell('A3').value = 'Neurodiversity';
  ws.mergeCells('A3:A7');
  ws.getCell('B3').value = { richText: [{ text: 'Assessment ', font: { italic: true } }, { text: 'pathway' }] };
  ws.mergeCells('B3:B5');
  ws.getCell('C3').value = { text: 'Head of SEND', hyperlink: 'mailto:head.of.send@example.org' };
  ws.mergeCells('C3:C5');
  ws.getCell('D3').value = 'Designated Clinical Officer / Parent Carer Forum';
  ws.mergeCells('D3:D5');
  ws.getCell('E3').value = new Date(Date.UTC(2024, 8, 30));
  ws.getCell('E3').numFmt = 'dd/mm/yyyy';
  ws.mergeCells('E3:E5');
  ws.getCell('F3').value = 'Map the current pathway';
  ws.getCell('F4').value = { richText: [{ text: '• Publish the ' }, { text: 'new pathway\n• Train GPs' }] };
  ws.getCell('F5').value = '- Audit referrals';
  // Row 6 left blank; workstream 2 on row 7.
  ws.getCell('B7').value = 'Waiting lists';
  ws.getCell('C7').value = 'Designated Clinical Officer';
  ws.getCell('E7').value = 'Mar 2025';
  ws.getCell('F7').value = 'Validate the waiting list';
  return toBuffer(wb);
}

describe('parseXlsxRows', () => {
  it('reads a workbook with a title row, merged cells, dates and rich text', async () => {
    const rows = await parseXlsxRows(await planWorkbook());
    expect(rows.map((r) => r.row)).toEqual([3, 4, 5, 7]);
    expect(Object.keys(rows[0]!.cells)).toEqual([
      'Improvement Plan',
      'Strategic Workstream Priority',
      'Accountable Lead',
      'With',
      'Date of Completion',
      'Key Actions',
    ]);
    // Merged (non-master) cells read as blank, and the row says which cells lie under a merged block.
    expect(rows[1]?.cells['Improvement Plan']).toBe('');
    expect(rows[1]?.merged?.has('Improvement Plan')).toBe(true);
    expect(rows[0]?.cells['Date of Completion']).toBeInstanceOf(Date);

    const { document, problems } = readPlanTable(rows, { file: 'plan.xlsx' });
    expect(problems).toEqual([]);
    expect(document.plans).toEqual([
      {
        title: 'Neurodiversity',
        workstreams: [
          {
            title: 'Assessment pathway',
            lead: 'Head of SEND',
            with: ['Designated Clinical Officer', 'Parent Carer Forum'],
            // The date cell is merged down the workstream: every action has it. (A workbook gives a
            // workstream a date of its own only from a Workstream date column.)
            actions: [
              { text: 'Map the current pathway', due: '2024-09-30', source_line: 3 },
              { text: 'Publish the new pathway', due: '2024-09-30', source_line: 4 },
              { text: 'Train GPs', due: '2024-09-30', source_line: 4 },
              { text: 'Audit referrals', due: '2024-09-30', source_line: 5 },
            ],
          },
          {
            title: 'Waiting lists',
            lead: 'Designated Clinical Officer',
            with: [],
            actions: [{ text: 'Validate the waiting list', due: 'Mar 2025', source_line: 7 }],
          },
        ],
      },
    ]);
    expect(() => planDocumentSchema.parse(document)).not.toThrow();
  });

  it('refuses formula cells (with or without a cached value) and error cells at their row and column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Plan');
    ws.addRow(['plan', 'workstream', 'lead', 'due', 'action', 'ref']);
    ws.addRow(['P', 'W', 'L', { formula: 'TODAY()' }, 'a1', 'P-1.1']);
    ws.addRow(['', '', '', '', { error: '#REF!' }, 'P-1.2']);
    ws.addRow(['', '', '', '', 'a3', 'P1-3x']);
    ws.addRow(['', '', '', '', '', 'P-1.4']);
    const rows = await parseXlsxRows(await toBuffer(wb));
    const { document, problems } = readPlanTable(rows, { file: 'plan.xlsx' });
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^plan\.xlsx row 2, column "due": the cell holds a formula \(=TODAY\(\)\); sendbot imports typed values only.*Paste Special → Values/),
      expect.stringMatching(/^plan\.xlsx row 3, column "action": the cell shows the error #REF!/),
      expect.stringMatching(/^plan\.xlsx row 4, column "ref": "P1-3x" is not a reference/),
      expect.stringMatching(/^plan\.xlsx row 5, column "action": Key Actions is blank/),
    ]);
    expect(document.plans?.[0]?.workstreams?.[0]?.actions?.map((a) => a.text)).toEqual(['a1', 'a3']);
  });

  it('refuses a formula even when Excel saved its result, and text a spreadsheet would run as a formula', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Plan');
    ws.addRow(['plan', 'workstream', 'lead', 'due', 'action']);
    ws.addRow(['P', 'W', 'L', { formula: 'EDATE(DATE(2025,1,1),3)', result: new Date(Date.UTC(2025, 3, 1)) }, 'a1']);
    ws.addRow(['', '', '', '', '=HYPERLINK("http://example.org","x")']);
    ws.addRow(['', '', '', '', "-2+3+cmd|' /C calc'!A0"]);
    ws.addRow(['', '', '', '', '@SUM(1+1)']);
    // Not formulas: a list item, a negative number, a dash for "none", an apostrophe-escaped sign.
    ws.addRow(['', '', '', '', '- Relaunch the plan']);
    ws.addRow(['', '', '', -5, 'Cut waits by 5%']);
    ws.addRow(['', '', '', '', "'=Not a formula"]);
    ws.getCell('F9').value = { formula: 'A1', result: 'x' };
    const rows = await parseXlsxRows(await toBuffer(wb), { file: 'plan.xlsx' }).catch((e: unknown) => e);
    // F9 is in a column with no heading: refused before the plan is read.
    expect(rows).toBeInstanceOf(ImportError);
    expect(formatProblem((rows as ImportError).problems[0]!)).toMatch(/^plan\.xlsx row 9, column F \(no heading\): .* is in a column with no heading \(the header row has 5 columns\)/);

    ws.getCell('F9').value = null;
    const again = await parseXlsxRows(await toBuffer(wb), { file: 'plan.xlsx' });
    const { document, problems } = readPlanTable(again, { file: 'plan.xlsx' });
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^plan\.xlsx row 2, column "due": the cell holds a formula \(=EDATE\(DATE\(2025,1,1\),3\)\)/),
      expect.stringMatching(/^plan\.xlsx row 3, column "action": the cell starts with "=", so a spreadsheet would run it as a formula/),
      expect.stringMatching(/^plan\.xlsx row 4, column "action": the cell starts with "-2", which a spreadsheet would run as a formula/),
      expect.stringMatching(/^plan\.xlsx row 5, column "action": the cell starts with "@"/),
    ]);
    expect(document.plans?.[0]?.workstreams?.[0]?.actions?.map((a) => [a.text, a.due])).toEqual([
      ['a1', undefined],
      ['Relaunch the plan', undefined],
      ['Cut waits by 5%', '-5'],
      ['=Not a formula', undefined],
    ]);
    // The negative number is text, and its row's own: only a workstream's first row gives the
    // workstream a date, and that row's cell held a refused formula.
    expect(document.plans?.[0]?.workstreams?.[0]?.due).toBeUndefined();
  });

  it('uses the first worksheet and returns no rows for an empty one', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Empty');
    wb.addWorksheet('Other').addRow(['plan', 'action']);
    expect(await parseXlsxRows(await toBuffer(wb))).toEqual([]);
  });

  it('rejects a file that is not an xlsx workbook', async () => {
    const err = await parseXlsxRows(Buffer.from('plan,action\n'), { file: 'plan.xlsx' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).message).toMatch(/^plan\.xlsx: the file is not an Excel workbook: it holds plain text \(perhaps a CSV file renamed \.xlsx/);
  });
});
