// Importing KPIs through the real CLI: a KPI sheet (CSV and XLSX, told apart by its headers) on top of
// the demo plan, and the KPI lines of a YAML plan import.
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { listKpiSeries } from '../../src/store/kpis-repository.js';
import { sendbot } from '../helpers/cli.js';
import { DEMO_PLAN } from '../helpers/digest-demo.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { closeTestDb, rows, sql, testDbAt } from '../helpers/test-db.js';

const SHEET = `Improvement Plan,KPI Code,KPI,Workstream,Owner,Unit,Direction,Frequency,Baseline,Trajectory
HCP,HR1,HR1 (12-month review) coverage,2,,%,higher,quarterly,62–65% in 2023/24,65% by March 25; 85% in 2025/26
,HR2,HR2 (2–2.5 year review) coverage,2,,%,higher,quarterly,62–65% in 2023/24,65% by March 25; 78% in 2025/26
,ANC,Antenatal contact coverage,Improving Universal coverage,Solent 0-19 Service Manager,percent,higher,quarterly,58% in 2023/24,70% by March 25
Neurodiversity Waiting List Improvement Plan,WAIT,Children and young people waiting for an autism or ADHD assessment,4,,count,lower,monthly,"1,240 (March 2024)","1,000 by March 25; 600 in 2025/26"
,MEDS,Wait from ADHD diagnosis to starting medication,4,,weeks,lower,monthly,"over 2 years (findings, 2024)",
`;

let db: string;
beforeEach(async () => {
  db = tempDbPath();
  const imported = await sendbot(db, '--now', '2024-09-02T09:00', 'import', DEMO_PLAN);
  expect(imported.code).toBe(0);
});

const series = async () => {
  const handle = await testDbAt(db);
  try {
    return await listKpiSeries(handle);
  } finally {
    await closeTestDb(handle);
  }
};
const fingerprint = async () => {
  const handle = await testDbAt(db);
  try {
    return JSON.stringify([await rows(handle, sql`select * from kpis order by id`), await rows(handle, sql`select * from kpi_readings order by id`)]);
  } finally {
    await closeTestDb(handle);
  }
};

describe('sendbot import <KPI sheet>', () => {
  it('recognises a CSV KPI sheet by its headers and imports it into the named plans', async () => {
    const result = await sendbot(db, '--now', '2024-09-03T09:00', 'import', writeTemp('kpis.csv', SHEET));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('KPIs: 1 new, 3 updated, 1 unchanged, 0 removed. KPI readings from the file: 0 added.');
    expect(result.stdout).toMatch(/HCP-ANC\s+Solent 0-19 Service Manager\s+percent\s+higher\s+quarterly\s+58% at 2024-03-31\s+70% by March 25 \(2025-03-31\)\s+created/);
    const byCode = new Map((await series()).map((s) => [s.code, s]));
    expect(byCode.get('HCP-ANC')).toMatchObject({ workstreamNumber: 2, unit: 'percent', baseline: { value: 58, asOf: '2024-03-31' }, trajectory: [{ target: 70, due: '2025-03-31' }] });
    expect(byCode.get('ND-WAIT')).toMatchObject({
      direction: 'lower',
      baseline: { value: 1240, text: '1,240 (March 2024)', asOf: '2024-03-31' },
      trajectory: [
        { target: 1000, due: '2025-03-31' },
        { target: 600, due: '2026-03-31', start: '2025-04-01' },
      ],
    });
    // The demo's sample readings are untouched. The sheet gives the baseline as a range and no single
    // figure: sendbot takes none (so judges from the first reading) and says how to give one.
    expect(byCode.get('HCP-HR1')?.readings.map((r) => r.value)).toEqual([63, 64.1]);
    expect(byCode.get('HCP-HR1')?.baseline).toEqual({ value: null, text: '62–65% in 2023/24', asOf: '2024-03-31' });
    expect(result.stdout).toContain('Note: KPI HCP-HR1: the baseline "62–65% in 2023/24" is a range; add baseline_value (one figure) for sendbot to judge the trajectory from it.');
    // Re-importing the same sheet changes nothing.
    const again = await sendbot(db, '--now', '2024-09-04T09:00', 'import', writeTemp('kpis.csv', SHEET));
    expect(again.stdout).toContain('KPIs: 0 new, 0 updated, 5 unchanged, 0 removed.');
  });

  it('--json prints one object per KPI; --dry-run writes nothing', async () => {
    const before = await fingerprint();
    const result = await sendbot(db, '--now', '2024-09-03T09:00', 'import', writeTemp('kpis.csv', SHEET), '--dry-run', '--json');
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { code: string; change: string; trajectory: string[] }[];
    expect(rows.map((r) => [r.code, r.change])).toEqual([
      ['HCP-HR1', 'updated'],
      ['HCP-HR2', 'updated'],
      ['HCP-ANC', 'created'],
      ['ND-WAIT', 'updated'],
      ['ND-MEDS', 'unchanged'],
    ]);
    expect(rows[3]?.trajectory).toEqual(['1,000 by March 25 (2025-03-31)', '600 in 2025/26 (2026-03-31)']);
    expect(await fingerprint()).toBe(before);
  });

  it('reads the first sheet of an XLSX workbook the same way', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('KPIs');
    ws.addRow(['KPI sheet for the SEND Partnership Board']); // a title row above the headers
    ws.addRow(['Plan', 'Code', 'Measure', 'Workstream', 'Unit', 'Direction', 'Frequency', 'Baseline Figure', 'Baseline Date', 'Targets']);
    ws.addRow(['TR', 'NEET', 'Young people with SEND not in education, employment or training', 'Extended Offer', '%', 'lower', 'quarterly', 9.5, '2023/24', '8% by March 25']);
    const file = writeTemp('kpis.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const result = await sendbot(db, '--now', '2024-09-03T09:00', 'import', file);
    expect(result.stderr).toBe('');
    expect((await series()).find((s) => s.code === 'TR-NEET')).toMatchObject({
      ownerRole: 'SCC Head of Commissioning',
      unit: 'percent',
      direction: 'lower',
      baseline: { value: 9.5, asOf: '2024-03-31' },
      trajectory: [{ target: 8, due: '2025-03-31' }],
    });
  });

  it('a bad sheet changes nothing and every problem names its row and column', async () => {
    const before = await fingerprint();
    const bad = `Plan,Code,KPI,Workstream,Unit,Direction,Frequency,Baseline,Trajectory
HCP,HR1,HR1 coverage,9,%,sideways,fortnightly,62%,65% March 25
XYZ,A1,Something,,%,higher,monthly,,
HCP,HR2,,2,%,,,,
HCP,HR9,Other,2,%,higher,monthly,,120% by March 25
HCP,HR8,Other again,2,weeks,higher,monthly,,65% by March 25
`;
    const result = await sendbot(db, '--now', '2024-09-03T09:00', 'import', writeTemp('kpis-bad.csv', bad));
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((l) => l.trim().startsWith('- '));
    expect(lines.map((l) => l.trim())).toEqual([
      '- kpis-bad.csv row 2, column "Workstream": plan HCP has no workstream "9" (it has: 1 Strategic oversight; 2 Improving Universal coverage; 3 Ensuring positive impact)',
      '- kpis-bad.csv row 2, column "Trajectory": "65% March 25" is not a target with a date; write e.g. "65% by March 25; 85% in 2025/26"',
      '- kpis-bad.csv row 2, column "Direction": direction "sideways" should be "higher" (higher is better) or "lower" (lower is better)',
      '- kpis-bad.csv row 2, column "Frequency": frequency "fortnightly" should be monthly, quarterly (financial quarters) or annual (financial years)',
      '- kpis-bad.csv row 3, column "Plan": there is no plan "XYZ"; the plans are ND (Neurodiversity Waiting List Improvement Plan), TR (Transitions Improvement Plan), HCP (Healthy Child Programme Improvement Plan), QA (Quality Assurance and Performance Improvement Plan), WD (Workforce Development Improvement Plan)',
      '- kpis-bad.csv row 4, column "KPI": the KPI name is blank on a row that has other values; every row is one KPI',
      '- kpis-bad.csv row 5, column "Trajectory": target 120%: a percentage is between 0% and 100%; 120% is not',
      '- kpis-bad.csv row 6, column "Trajectory": target 65%: the KPI is measured in weeks, but this is written in percent',
    ]);
    expect(await fingerprint()).toBe(before);
  });

  it('a plan table with actions is still a plan, not a KPI sheet', async () => {
    const plan = `Improvement Plan,Strategic Workstream Priority,Accountable Lead,Date of Completion,Key Actions,Baseline
Testing Plan,Workstream one,Head of SEND,Dec 24,Do the first thing,n/a
`;
    const result = await sendbot(db, '--now', '2024-09-03T09:00', 'import', writeTemp('plan.csv', plan));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Actions: 1 new');
  });
});

describe('sendbot import <plan.yaml> reports KPIs', () => {
  it('counts the plan file’s KPIs and readings', async () => {
    const fresh = tempDbPath();
    const result = await sendbot(fresh, '--now', '2024-09-02T09:00', 'import', DEMO_PLAN);
    expect(result.stdout).toContain('KPIs: 6 new, 0 updated, 0 unchanged, 0 removed. KPI readings from the file: 9 added.');
    const again = await sendbot(fresh, '--now', '2024-09-03T09:00', 'import', DEMO_PLAN);
    expect(again.stdout).toContain('KPIs: 0 new, 0 updated, 6 unchanged, 0 removed. KPI readings from the file: 0 added.');
  });
});
