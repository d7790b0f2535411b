// KPIs and their readings: the one place KPI queries live. `listKpiSeries` is what the digest, the
// dashboard, chat and exports read; `listKpiRecords` adds what permissions and nudges need.
import type { KpiTarget, KpiTargetRow } from '../../db/schema.js';
import { deriveKpiCode, uniqueKpiCode } from '../domain/kpi-codes.js';
import type { KpiReading, KpiSeries, KpiTrajectoryPoint, KpiUnit } from '../domain/kpi-types.js';
import { KPI_UNITS, readBaselineText, readWrittenValue, unitOfWritten } from '../domain/kpi-values.js';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, inTransaction } from './database.js';
import { boolParam, inList } from './dialect.js';
import { nameKey } from './keys.js';
import { all, get, run } from './statements.js';
import { storeCall, withConnection } from './unit-of-work.js';

/** A KPI with what decides who records its readings and which board sees it. */
export interface KpiRecord {
  series: KpiSeries;
  planId: number;
  workstreamId: number | null;
  /** The KPI's own owner role, else its workstream's accountable lead. */
  ownerRoleId: number | null;
  /** Supporting ("With") roles of its workstream: they may record readings too. */
  supportingRoleIds: number[];
  supportingRoles: string[];
  /** The workstream's board, else the plan's. */
  boardId: number | null;
  boardName: string | null;
}

export interface KpiFilter {
  /** A board id, or a board name (any case). */
  board?: number | string;
  /** A plan code (any case). */
  plan?: string;
  ids?: number[];
  /** Exact codes. */
  codes?: string[];
  /** KPIs owned by any of these roles (the caller's). */
  ownerRoleIds?: number[];
}

interface KpiRow {
  id: number;
  code: string | null;
  name: string;
  planId: number;
  planCode: string;
  planTitle: string;
  workstreamId: number | null;
  workstreamNumber: number | null;
  workstreamTitle: string | null;
  ownerRoleId: number | null;
  ownerRole: string | null;
  unit: string;
  direction: string;
  frequency: string;
  baseline: string | null;
  baselineValue: number | null;
  baselineAsOf: string | null;
  trajectory: string;
  boardId: number | null;
  boardName: string | null;
}

const KPI_SQL = sql`select k.id, k.code, k.name, k.plan_id as "planId", p.code as "planCode", p.title as "planTitle",
       k.workstream_id as "workstreamId", w.number as "workstreamNumber", w.title as "workstreamTitle",
       coalesce(k.owner_role_id, w.lead_role_id) as "ownerRoleId", r.name as "ownerRole",
       k.unit, k.direction, k.frequency, k.baseline, k.baseline_value as "baselineValue", k.baseline_as_of as "baselineAsOf",
       k.trajectory, coalesce(w.board_id, p.board_id) as "boardId", b.name as "boardName"
  from kpis k
  join plans p on p.id = k.plan_id
  left join workstreams w on w.id = k.workstream_id
  left join roles r on r.id = coalesce(k.owner_role_id, w.lead_role_id)
  left join boards b on b.id = coalesce(w.board_id, p.board_id)
 where k.removed_at is null`;

/** Every live KPI matching the filter, in plan order, each with its readings (latest per period). */
export function listKpiRecords(db: Db, filter: KpiFilter = {}): Promise<KpiRecord[]> {
  return storeCall(db, async () => {
    const where: SQL[] = [];
    if (typeof filter.board === 'number') where.push(sql`coalesce(w.board_id, p.board_id) = ${filter.board}`);
    if (filter.plan !== undefined) where.push(sql`upper(p.code) = upper(${filter.plan.trim()})`);
    if (filter.ids) {
      if (filter.ids.length === 0) return [];
      where.push(inList(sql`k.id`, filter.ids));
    }
    if (filter.codes) {
      if (filter.codes.length === 0) return [];
      where.push(inList(sql`k.code`, filter.codes));
    }
    if (filter.ownerRoleIds) {
      if (filter.ownerRoleIds.length === 0) return [];
      where.push(inList(sql`coalesce(k.owner_role_id, w.lead_role_id)`, filter.ownerRoleIds));
    }
    const query = sql`${KPI_SQL}${where.length ? sql` and ${sql.join(where, sql` and `)}` : sql``} order by p.position, p.code, k.position, k.id`;
    let rows = await all<KpiRow>(db, query);
    if (typeof filter.board === 'string') {
      const key = nameKey(filter.board);
      rows = rows.filter((r) => r.boardName !== null && nameKey(r.boardName) === key);
    }
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const readings = latestPerPeriod(await readingRows(db, ids));
    const support = await supportingRoles(db, rows.map((r) => r.workstreamId).filter((id): id is number => id !== null));
    return rows.map((r) => {
      const sup = r.workstreamId !== null ? (support.get(r.workstreamId) ?? []) : [];
      return {
        series: toSeries(r, readings.get(r.id) ?? []),
        planId: r.planId,
        workstreamId: r.workstreamId,
        ownerRoleId: r.ownerRoleId,
        supportingRoleIds: sup.map((s) => s.id).filter((id) => id !== r.ownerRoleId),
        supportingRoles: sup.filter((s) => s.id !== r.ownerRoleId).map((s) => s.name),
        boardId: r.boardId,
        boardName: r.boardName,
      };
    });
  });
}

/** The KPIs as charts and digests read them: `listKpiSeries(db, { board: 'SEND Partnership Board' })`. */
export function listKpiSeries(db: Db, filter: KpiFilter = {}): Promise<KpiSeries[]> {
  return withConnection(db, async () => {
    return (await listKpiRecords(db, filter)).map((r) => r.series);
  });
}

export function findKpiByCode(db: Db, code: string): Promise<KpiRecord | undefined> {
  return withConnection(db, async () => {
    return (await listKpiRecords(db, { codes: [code] }))[0];
  });
}

/** Codes and names of live KPIs, for matching what someone typed. */
export function listKpiCodes(db: Db): Promise<{ id: number; code: string; name: string }[]> {
  return storeCall(db, async () => {
    return await all<{ id: number; code: string; name: string }>(db, sql`select id, code, name from kpis where removed_at is null and code is not null order by code`);
  });
}

/** One stored reading, superseded or not, with who gave it: the evidence trail. */
export interface KpiReadingRow extends KpiReading {
  kpiId: number;
  personId: number | null;
  kind: 'reading' | 'correction' | 'import';
  rawText: string;
}

interface ReadingSqlRow {
  id: number;
  kpiId: number;
  value: number;
  periodLabel: string;
  periodStart: string | null;
  periodEnd: string;
  recordedAt: string;
  personId: number | null;
  recordedBy: string | null;
  platform: string;
  kind: KpiReadingRow['kind'];
  note: string | null;
  rawText: string;
  isSample: unknown;
}

async function readingRows(db: Db, kpiIds: number[]): Promise<KpiReadingRow[]> {
  const rows = await all<ReadingSqlRow>(
    db,
    sql`select r.id, r.kpi_id as "kpiId", r.value, r.period_label as "periodLabel", r.period_start as "periodStart", r.period_end as "periodEnd",
              r.recorded_at as "recordedAt", r.person_id as "personId", pe.name as "recordedBy", r.platform, r.kind, r.note, r.raw_text as "rawText",
              r.is_sample as "isSample"
         from kpi_readings r left join people pe on pe.id = r.person_id
        where ${inList(sql`r.kpi_id`, kpiIds)}
        order by r.kpi_id, r.period_end, r.recorded_at, r.id`,
  );
  return rows.map((r) => ({ ...r, isSample: Boolean(r.isSample) }));
}

/** Every reading of one KPI, oldest period first and, within a period, in the order recorded. */
export function kpiReadingHistory(db: Db, kpiId: number): Promise<KpiReadingRow[]> {
  return storeCall(db, async () => {
    return await readingRows(db, [kpiId]);
  });
}

/** The reading now standing for a period (the latest recorded for it), if any. */
export function standingReading(db: Db, kpiId: number, periodEnd: string): Promise<KpiReadingRow | undefined> {
  return storeCall(db, async () => {
    const rows = (await readingRows(db, [kpiId])).filter((r) => r.periodEnd === periodEnd);
    return rows[rows.length - 1];
  });
}

/** Rows come ordered by (kpi, period end, recorded at): the last per period wins. */
function latestPerPeriod(rows: KpiReadingRow[]): Map<number, KpiReading[]> {
  const out = new Map<number, KpiReading[]>();
  for (const r of rows) {
    const list = out.get(r.kpiId) ?? [];
    const reading: KpiReading = {
      id: r.id,
      value: r.value,
      periodLabel: r.periodLabel,
      periodEnd: r.periodEnd,
      periodStart: r.periodStart,
      recordedAt: r.recordedAt,
      recordedBy: r.recordedBy,
      note: r.note,
      platform: r.platform,
      isSample: r.isSample,
    };
    const last = list[list.length - 1];
    if (last && last.periodEnd === r.periodEnd) list[list.length - 1] = reading;
    else list.push(reading);
    out.set(r.kpiId, list);
  }
  return out;
}

async function supportingRoles(db: Db, workstreamIds: number[]): Promise<Map<number, { id: number; name: string }[]>> {
  const out = new Map<number, { id: number; name: string }[]>();
  if (workstreamIds.length === 0) return out;
  const rows = await all<{ ws: number; id: number; name: string }>(
    db,
    sql`select s.workstream_id as ws, r.id, r.name from workstream_supporting_roles s join roles r on r.id = s.role_id
      where ${inList(sql`s.workstream_id`, [...new Set(workstreamIds)])} order by s.workstream_id, s.position`,
  );
  for (const r of rows) out.set(r.ws, [...(out.get(r.ws) ?? []), { id: r.id, name: r.name }]);
  return out;
}

function toSeries(r: KpiRow, readings: KpiReading[]): KpiSeries {
  return {
    id: r.id,
    code: r.code ?? `${r.planCode}-${r.id}`,
    name: r.name,
    planCode: r.planCode,
    planTitle: r.planTitle,
    workstreamNumber: r.workstreamNumber,
    workstreamTitle: r.workstreamTitle,
    ownerRole: r.ownerRole,
    unit: (KPI_UNITS as readonly string[]).includes(r.unit) ? (r.unit as KpiUnit) : 'number',
    direction: r.direction === 'lower' ? 'lower' : 'higher',
    frequency: (['monthly', 'quarterly', 'annual'] as const).find((f) => f === r.frequency) ?? 'monthly',
    baseline: { value: r.baselineValue, text: r.baseline, asOf: r.baselineAsOf },
    trajectory: sortByDue(normaliseTrajectory(JSON.parse(r.trajectory) as (KpiTargetRow | KpiTarget)[])),
    readings,
  };
}

/** Trajectories stored before KPI readings hold targets as text ({ target: "65%", by, due }). */
export function normaliseTrajectory(rows: (KpiTargetRow | KpiTarget)[]): KpiTrajectoryPoint[] {
  const out: KpiTrajectoryPoint[] = [];
  for (const row of rows) {
    if (typeof row.target === 'number') {
      const r = row as KpiTargetRow;
      out.push({ target: r.target, targetText: r.targetText, byText: r.byText, due: r.due, start: r.start, flags: r.flags ?? [] });
      continue;
    }
    const legacy = row as KpiTarget;
    const value = readWrittenValue(legacy.target.trim().split(/\s+/));
    out.push({
      target: value ? value.value : Number.NaN,
      targetText: legacy.target,
      byText: legacy.by,
      due: legacy.due,
      start: null,
      flags: value ? [] : ['unreadable-target'],
    });
  }
  return out;
}

function sortByDue(points: KpiTrajectoryPoint[]): KpiTrajectoryPoint[] {
  return points
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.due ?? '9999').localeCompare(b.p.due ?? '9999') || a.i - b.i)
    .map(({ p }) => p);
}

export interface NewKpiReading {
  kpiId: number;
  value: number;
  periodLabel: string;
  periodStart: string | null;
  periodEnd: string;
  recordedAt: string;
  personId: number | null;
  platform: string;
  kind: KpiReadingRow['kind'];
  note: string | null;
  rawText: string;
  isSample?: boolean;
}

/** Appends a reading (never updates one); returns its id. */
export function recordKpiReading(db: Db, r: NewKpiReading): Promise<number> {
  return storeCall(db, async () => {
    return (await get<{ id: number }>(
      db,
      sql`insert into kpi_readings (kpi_id, value, period_label, period_start, period_end, recorded_at, person_id, platform, kind, note, raw_text, is_sample)
       values (${r.kpiId}, ${r.value}, ${r.periodLabel}, ${r.periodStart}, ${r.periodEnd}, ${r.recordedAt}, ${r.personId}, ${r.platform}, ${r.kind},
               ${r.note}, ${r.rawText}, ${boolParam(r.isSample ?? false)}) returning id`,
    ))!.id;
  });
}

/**
 * Brings KPIs imported before codes and units existed up to date, once: each gets a code from its
 * plan code and name (the same rule a fresh import uses, so re-importing the plan file finds it by
 * name and keeps it), its targets as numbers, a unit read from how they were written ("65%" →
 * percent) and a baseline value when the baseline text is a single figure. Runs when the database
 * is opened; a no-op (one indexed lookup) once done.
 */
export function upgradeLegacyKpis(db: Db): Promise<number> {
  return withConnection(db, async () => {
    const pending = await all<{ id: number; name: string; baseline: string | null; trajectory: string; planCode: string }>(
      db,
      sql`select k.id, k.name, k.baseline, k.trajectory, p.code as "planCode" from kpis k join plans p on p.id = k.plan_id where k.code is null
        order by k.plan_id, k.position, k.id`,
    );
    if (pending.length === 0) return 0;
    const taken = new Set((await all<{ code: string }>(db, sql`select code from kpis where code is not null`)).map((r) => r.code));
    await inTransaction(db, async () => {
      for (const k of pending) {
        const code = uniqueKpiCode(deriveKpiCode(k.planCode, k.name), taken);
        taken.add(code);
        const points = normaliseTrajectory(JSON.parse(k.trajectory) as (KpiTargetRow | KpiTarget)[]);
        const baseline = k.baseline ? readBaselineText(k.baseline, { reference: '2000-01-01' }) : undefined;
        const units = points
          .map((p) => unitOfWritten(readWrittenValue(p.targetText.split(/\s+/))?.unit ?? null))
          .concat(baseline?.unit ?? null)
          .filter((u): u is Exclude<KpiUnit, 'count' | 'number'> => u !== null);
        const rows: KpiTargetRow[] = points.map((p) => ({ target: p.target, targetText: p.targetText, byText: p.byText, due: p.due, start: p.start, flags: p.flags }));
        await run(
          db,
          sql`update kpis set code = ${code}, trajectory = ${JSON.stringify(rows)}, unit = ${units[0] ?? 'number'},
            baseline_value = coalesce(baseline_value, ${baseline?.value ?? null}), baseline_as_of = coalesce(baseline_as_of, ${baseline?.asOf ?? null}) where id = ${k.id}`,
        );
      }
    });
    return pending.length;
  });
}
