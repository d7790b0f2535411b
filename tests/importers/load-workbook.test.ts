// What loadPlanFile hands the store for a whole workbook: numbers only where the file states them,
// the date cell as written on every action (carried only under a merged block), progress from the
// RAG / % complete / "Progress update (Nov 23)" columns, KPI readings from period columns, people,
// boards and settings, and the sheet and unused-column report.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../src/importers/load-plan-file.js';
import { councilWorkbook } from '../helpers/council-workbook.js';
import { writeTemp } from '../helpers/temp.js';

describe('loadPlanFile on a workbook', () => {
  it('builds one document from every sheet it recognises', async () => {
    const loaded = await loadPlanFile(writeTemp('southshire.xlsx', await councilWorkbook()));
    const plan = loaded.document.plans[0];
    expect(loaded.document.plans).toHaveLength(1);
    expect(plan?.title).toBe('Southshire SEND Improvement Plan');
    expect(plan?.workstreams.map((w) => [w.number, w.title, w.lead, w.due])).toEqual([
      // No Workstream date column: the workstreams have no date of their own, so an unmerged blank
      // date cell takes none.
      [1, '1. Joint commissioning', 'Head of Commissioning', undefined],
      [2, '2. Communication with families', 'Parent Carer Forum Chair', undefined],
    ]);
    const actions = plan?.workstreams.flatMap((w) => w.actions) ?? [];
    // No Ref column: no action is numbered; the store matches them by text.
    expect(actions.every((a) => a.number === undefined)).toBe(true);
    expect(actions.map((a) => [a.text, a.due])).toEqual([
      ['Agree a joint commissioning strategy', '31 March 24'],
      ['Publish the strategy', '31 March 24'], // under the merged date block
      ['Review the therapy contracts (52 weeks in Sept 23)', undefined], // blank, not merged: nothing carried
      ['Relaunch the Local Offer website', 'Sep-24'], // a date cell formatted mmm-yy, as shown
      ['Hold termly coffee mornings', 'Ongoing'],
      ['Survey families about the Local Offer', 'TBC'],
    ]);
    expect(actions[0]?.progress).toEqual({ status: 'green', percent: 60, note: 'Strategy drafted; consultation closes in December', as_of: '2023-11-30' });
    expect(actions[1]?.progress).toEqual({ status: 'amber', as_of: '2023-11-30' });
    expect(actions[3]?.progress).toBeUndefined();
    // The row's own supporting role, not the workstream's.
    expect(actions[2]?.with).toEqual(['Finance Lead']);
    expect(loaded.rowFlags.get(7)).toEqual(['date-in-text']);

    expect(loaded.kpiSheet?.rows.map((r) => [r.plan, r.kpi.name, r.kpi.readings.map((x) => [x.period, x.value])])).toEqual([
      [
        'Southshire SEND Improvement Plan',
        'EHC plans issued within 20 weeks',
        [
          ['August 2023', '48%'],
          ['September 2023', '52%'],
          ['October 2023', '55%'],
          ['Q3 2023/24', '57%'],
        ],
      ],
    ]);
    expect(loaded.people.map((p) => [p.email, p.roles, p.admin, p.slack_user_id])).toEqual([
      ['cara@southshire.example', ['Head of Commissioning'], true, 'U0CARA'],
      ['pat@pcf.example', ['Parent Carer Forum Chair'], false, undefined],
    ]);
    expect(loaded.document.people).toEqual(loaded.people);
    expect(loaded.document.boards).toEqual([
      {
        name: 'SEND Partnership Board',
        chair_role: 'Director of Children’s Services',
        slack_channel: 'C0BOARD',
        lead_times: { update_window: 8, reminder: 4, papers: 3 },
        meetings: [
          { at: '2024-01-17T14:00', sample: false },
          { at: '2024-03-20T14:00', sample: false },
        ],
      },
    ]);
    expect(loaded.document.partnership).toEqual({
      name: 'Southshire Local Area Partnership',
      timezone: 'Europe/London',
      programme_channel: 'C0PROG',
      office_hours: { start: '08:30', end: '17:00' },
      school_terms: [{ name: 'autumn', start: '2024-09-03', end: '2024-12-20' }],
    });
    expect(loaded.sheets.map((s) => [s.sheet, s.readAs ?? `skipped: ${s.skipped}`])).toEqual([
      ['Cover', 'skipped: it holds no table (a cover, notes or chart sheet)'],
      ['Action plan', 'plan'],
      ['KPIs', 'kpis'],
      ['People', 'people'],
      ['Boards', 'boards'],
      ['Settings', 'settings'],
    ]);
    expect(loaded.unusedColumns.map((u) => [u.sheet, u.heading])).toEqual([
      ['Action plan', 'Comments'],
      ['Settings', 'setting "Favourite colour" (row 6)'],
    ]);
    expect(loaded.sendbotColumns).toEqual([{ sheet: 'Action plan', heading: 'Updated by' }]);
  });

  it('keeps CSV working: a blank date carries down only on rows that continue the workstream block', async () => {
    const csv = [
      'Improvement Plan,Workstream,Lead,Timescale,Action',
      'P,One,Lead A,Dec 24,a1',
      ',,,,a2', // continues the block (its workstream cell is blank too): Dec 24
      ',One,,,a3', // states its workstream: a blank date is blank
      ',,,Ongoing,a4', // says something: never replaced
    ].join('\n');
    const loaded = await loadPlanFile(writeTemp('plan.csv', csv));
    expect(loaded.document.plans[0]?.workstreams[0]?.actions.map((a) => [a.text, a.due])).toEqual([
      ['a1', 'Dec 24'],
      ['a2', 'Dec 24'],
      ['a3', undefined],
      ['a4', 'Ongoing'],
    ]);
    expect(loaded.sheets).toEqual([{ sheet: 'plan.csv', readAs: 'plan', detail: 'headings on row 1, 4 rows below' }]);
  });

  it('a KPI sheet with no Plan column belongs to the workbook\'s only plan', async () => {
    const wb = new ExcelJS.Workbook();
    const kpis = wb.addWorksheet('Measures');
    kpis.addRow(['KPI', 'Unit', 'Apr-26', 'May-26']);
    kpis.addRow(['EHC plans issued within 20 weeks', '%', '41%', '44%']);
    const plan = wb.addWorksheet('Plan');
    plan.addRow(['Eastvale SEND Improvement Plan 2026-28']);
    plan.addRow(['Priority area', 'Responsible officer', 'Action', 'Deadline']);
    plan.addRow(['Timeliness', 'Head of SEND', 'Clear the backlog', '31/03/2027']);
    const loaded = await loadPlanFile(writeTemp('eastvale.xlsx', Buffer.from(await wb.xlsx.writeBuffer())));
    expect(loaded.kpiSheet?.problems).toEqual([]);
    expect(loaded.kpiSheet?.rows.map((r) => [r.plan, r.kpi.name])).toEqual([['Eastvale SEND Improvement Plan 2026-28', 'EHC plans issued within 20 weeks']]);
  });
});
