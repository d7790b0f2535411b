// KPIs in a real SQLite file with the real migrations and the real plan importer.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/clock.js';
import { planDocumentSchema } from '../../src/importers/plan-document.js';
import { migrationsFolder } from '../../src/paths.js';
import { openDatabase } from '../../src/store/database.js';
import { kpiReadingHistory, listKpiRecords, listKpiSeries, recordKpiReading } from '../../src/store/kpis-repository.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { tempDir } from '../helpers/temp.js';
import { closeTestDb, one, sql, testDb, value } from '../helpers/test-db.js';

describe('listKpiSeries on the demo plan', () => {
  it('lists the board’s KPIs in plan order with their trajectories and sample readings', async () => {
    const { db } = await demoPlanDb();
    const series = await listKpiSeries(db, { board: 'SEND Partnership Board' });
    expect(series.map((s) => s.code)).toEqual(['ND-WAIT', 'ND-MEDS', 'TR-AHC', 'TR-PFA', 'HCP-HR1', 'HCP-HR2']);
    const hr1 = series.find((s) => s.code === 'HCP-HR1');
    expect(hr1).toMatchObject({
      name: 'HR1 (12-month review) coverage',
      planCode: 'HCP',
      planTitle: 'Healthy Child Programme Improvement Plan',
      workstreamNumber: 2,
      workstreamTitle: 'Improving Universal coverage',
      ownerRole: 'Solent 0-19 Service Manager',
      unit: 'percent',
      direction: 'higher',
      frequency: 'quarterly',
      baseline: { value: 62, text: '62–65% in 2023/24', asOf: '2024-03-31' },
      trajectory: [
        { target: 65, targetText: '65%', byText: 'March 25', due: '2025-03-31', start: null, flags: [] },
        { target: 85, targetText: '85%', byText: '2025/26', due: '2026-03-31', start: '2025-04-01', flags: [] },
      ],
    });
    expect(hr1?.readings.map((r) => [r.periodLabel, r.periodEnd, r.value, r.isSample, r.platform, r.recordedBy])).toEqual([
      ['Q1 2024/25', '2024-06-30', 63, true, 'import', null],
      ['Q2 2024/25', '2024-09-30', 64.1, true, 'import', null],
    ]);
    // By board id, by plan code in any case, and nothing for a board with no KPIs.
    const boardId = (await one(db, sql`select id from boards where name = 'SEND Partnership Board'`) as { id: number }).id;
    expect(await listKpiSeries(db, { board: boardId })).toHaveLength(6);
    expect((await listKpiSeries(db, { plan: 'hcp' })).map((s) => s.code)).toEqual(['HCP-HR1', 'HCP-HR2']);
    expect(await listKpiSeries(db, { board: 'Scrutiny Panel' })).toEqual([]);
  });

  it('gives owner, supporting roles and board for permissions and nudges', async () => {
    const { db } = await demoPlanDb();
    const [hr1] = await listKpiRecords(db, { codes: ['HCP-HR1'] });
    expect(hr1?.series.ownerRole).toBe('Solent 0-19 Service Manager');
    expect(hr1?.supportingRoles).toEqual(['Public Health Leads']);
    expect(hr1?.boardName).toBe('SEND Partnership Board');
  });

  it('keeps every reading; the series shows the latest for each period', async () => {
    const { db } = await demoPlanDb();
    const [hr2] = await listKpiRecords(db, { codes: ['HCP-HR2'] });
    const id = hr2?.series.id as number;
    const base = { kpiId: id, periodLabel: 'Q2 2024/25', periodStart: '2024-07-01', periodEnd: '2024-09-30', personId: null, platform: 'console', note: null };
    await recordKpiReading(db, { ...base, value: 62.2, recordedAt: '2024-11-20T10:00:00.000Z', kind: 'correction', rawText: 'kpi HCP-HR2 62.2% for Q2 24/25' });
    const series = (await listKpiSeries(db, { codes: ['HCP-HR2'] }))[0];
    expect(series?.readings.map((r) => [r.periodLabel, r.value])).toEqual([
      ['Q1 2024/25', 61.5],
      ['Q2 2024/25', 62.2],
    ]);
    expect((await kpiReadingHistory(db, id)).map((r) => [r.periodLabel, r.value, r.kind])).toEqual([
      ['Q1 2024/25', 61.5, 'import'],
      ['Q2 2024/25', 60.8, 'import'],
      ['Q2 2024/25', 62.2, 'correction'],
    ]);
  });
});

describe('KPIs from plan files', () => {
  const plan = (kpis: unknown[]) =>
    planDocumentSchema.parse({
      roles: [{ name: 'Lead' }],
      plans: [{ code: 'HCP', title: 'Healthy Child Programme', workstreams: [{ title: 'Coverage', lead: 'Lead', actions: [{ text: 'Do it' }] }], kpis }],
    });

  it('reads the old { target, by } form: unit from "65%", code from the name', async () => {
    const db = await testDb();
    const report = await importPlanDocument(
      db,
      plan([{ name: 'HR1 (12-month review) coverage', baseline: '62%', trajectory: [{ target: '65%', by: 'March 25' }, { target: '85%', by: '2025/26' }] }]),
      { now: parseInstant('2024-09-02T09:00') },
    );
    expect(report.kpis).toMatchObject([{ code: 'HCP-HR1', unit: 'percent', direction: 'higher', baseline_value: 62, change: 'created' }]);
    const [s] = await listKpiSeries(db);
    expect(s?.trajectory.map((t) => [t.target, t.due])).toEqual([
      [65, '2025-03-31'],
      [85, '2026-03-31'],
    ]);
  });

  it('re-importing the same file changes nothing; a changed figure in the file is appended', async () => {
    const db = await testDb();
    const kpi = { code: 'HR1', name: 'HR1 coverage', trajectory: '65% by March 25', readings: [{ period: 'Q1 24/25', value: '63%' }] };
    await importPlanDocument(db, plan([kpi]), { now: parseInstant('2024-09-02T09:00') });
    const again = await importPlanDocument(db, plan([kpi]), { now: parseInstant('2024-09-03T09:00') });
    expect(again.summary.kpis).toEqual({ created: 0, updated: 0, unchanged: 1, removed: 0 });
    expect(again.summary.kpiReadings.created).toBe(0);
    const changed = await importPlanDocument(db, plan([{ ...kpi, readings: [{ period: 'Q1 24/25', value: '63.4%' }] }]), { now: parseInstant('2024-09-04T09:00') });
    expect(changed.summary.kpiReadings.created).toBe(1);
    expect((await listKpiSeries(db))[0]?.readings.map((r) => r.value)).toEqual([63.4]);
    expect(await value(db, sql`select count(*) from kpi_readings`)).toBe(2);
  });

  it('a re-import never overrides a reading given in chat since', async () => {
    const db = await testDb();
    const kpi = { code: 'HR1', name: 'HR1 coverage', trajectory: '65% by March 25', readings: [{ period: 'Q1 24/25', value: '63%' }] };
    await importPlanDocument(db, plan([kpi]), { now: parseInstant('2024-09-02T09:00') });
    const id = (await listKpiSeries(db))[0]?.id as number;
    await recordKpiReading(db, { kpiId: id, value: 63.6, periodLabel: 'Q1 2024/25', periodStart: '2024-04-01', periodEnd: '2024-06-30', recordedAt: '2024-09-10T09:00:00.000Z', personId: null, platform: 'slack', kind: 'correction', note: null, rawText: 'kpi HCP-HR1 63.6%' });
    await importPlanDocument(db, plan([kpi]), { now: parseInstant('2024-09-20T09:00') });
    expect((await listKpiSeries(db))[0]?.readings.map((r) => r.value)).toEqual([63.6]);
  });

  it('a KPI left out of the plan’s KPI list is marked removed and its readings kept; renamed by code keeps its id', async () => {
    const db = await testDb();
    await importPlanDocument(db, plan([{ code: 'HR1', name: 'HR1 coverage', readings: [{ period: 'Q1 24/25', value: '63%' }] }, { code: 'HR2', name: 'HR2 coverage' }]), {
      now: parseInstant('2024-09-02T09:00'),
    });
    const hr1 = (await listKpiSeries(db, { codes: ['HCP-HR1'] }))[0]?.id;
    const report = await importPlanDocument(db, plan([{ code: 'HR1', name: 'Health review 1 coverage' }]), { now: parseInstant('2024-09-03T09:00') });
    expect(report.summary.kpis).toMatchObject({ updated: 1, removed: 1 });
    expect((await listKpiSeries(db)).map((s) => [s.id, s.code, s.name])).toEqual([[hr1, 'HCP-HR1', 'Health review 1 coverage']]);
    expect(await value(db, sql`select count(*) from kpi_readings r join kpis k on k.id = r.kpi_id where k.code = 'HCP-HR1'`)).toBe(1);
    expect(await value(db, sql`select removed_at from kpis where code = 'HCP-HR2'`)).toBe('2024-09-03T08:00:00.000Z');
  });
});

describe('KPIs imported before KPI codes existed', () => {
  it('get a code from plan code and name, numeric targets and a unit when the database is opened', async () => {
    // A database at the last migration before KPI readings, holding a KPI as the old importer wrote it.
    const folder = join(tempDir(), 'migrations');
    cpSync(migrationsFolder(), folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
    const cut = journal.entries.findIndex((e) => /kpi/.test(e.tag));
    expect(cut).toBeGreaterThan(0);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
    const path = join(tempDir(), 'old.db');
    const old = new Database(path);
    migrate(drizzle(old), { migrationsFolder: folder });
    old.exec(`insert into plans (id, code, title, created_at, updated_at) values (1, 'HCP', 'Healthy Child Programme', 'x', 'x');
      insert into kpis (plan_id, name, baseline, trajectory, position) values
        (1, 'HR1 (12-month review) coverage', 'about two thirds', '[{"target":"65%","by":"March 25","due":"2025-03-31"},{"target":"85%","by":"2025/26","due":"2026-03-31"}]', 0),
        (1, 'Children waiting for assessment', '1,240', '[]', 1);`);
    old.close();

    // Opened directly on purpose: the upgrade of an old SQLite file happens when it is opened.
    const db = await openDatabase(path);
    const series = await listKpiSeries(db);
    expect(series.map((s) => [s.code, s.unit, s.baseline.value, s.trajectory.map((t) => t.target)])).toEqual([
      ['HCP-HR1', 'percent', null, [65, 85]],
      ['HCP-CWA', 'number', 1240, []],
    ]);
    await closeTestDb(db);
    // Stable: reopening changes nothing, and re-importing the plan by name keeps the codes.
    const again = await openDatabase(path);
    expect((await listKpiSeries(again)).map((s) => s.code)).toEqual(['HCP-HR1', 'HCP-CWA']);
    await importPlanDocument(
      again,
      planDocumentSchema.parse({ plans: [{ code: 'HCP', title: 'Healthy Child Programme', kpis: [{ name: 'Children waiting for assessment', unit: 'count' }] }] }),
      { now: parseInstant('2024-09-02T09:00') },
    );
    expect((await listKpiSeries(again)).map((s) => [s.code, s.unit])).toEqual([['HCP-CWA', 'count']]);
  });
});
