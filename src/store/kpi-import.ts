// Writes a plan's KPIs from a plan file (YAML `kpis`) or a KPI sheet (CSV/XLSX, one row per KPI):
// the same rules either way. Matching: by code when the file gives one, else by name within the
// plan, so a KPI keeps its code and readings across re-imports. Readings in the file are appended
// (never edited) and only when the file's own figure for that period changed, so a re-import never
// overrides what an owner has reported in chat since. A KPI left out of a file that lists the
// plan's KPIs is marked removed, never deleted: its readings are evidence.
import type { KpiTargetRow } from '../../db/schema.js';
import type { SchoolTerm } from '../domain/deadline-types.js';
import { readDeadline } from '../domain/deadlines.js';
import { deriveKpiCode, KPI_CODE_PATTERN, qualifyKpiCode, uniqueKpiCode } from '../domain/kpi-codes.js';
import { canonicalLabel, type KpiPeriod, readKpiPeriod } from '../domain/kpi-periods.js';
import type { KpiDirection, KpiFrequency, KpiUnit } from '../domain/kpi-types.js';
import {
  checkValue,
  formatKpiValue,
  readBaselineText,
  readDirectionWord,
  type ReadTarget,
  readTarget,
  readTrajectoryText,
  readUnitWord,
  readWrittenValue,
  unitOfWritten,
  UNIT_NAMES,
  type WrittenUnit,
} from '../domain/kpi-values.js';
import type { ImportProblem } from '../importers/import-errors.js';
import type { KpiInput } from '../importers/plan-document.js';
import type { KpiSheetField } from '../importers/read-kpi-table.js';
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { boolParam } from './dialect.js';
import { all, get, run } from './statements.js';
import { nameKey } from './keys.js';
import { recordKpiReading } from './kpis-repository.js';
import { plural } from '../render/format.js';
import { sameJsonText } from './same-json.js';

export type KpiChange = 'created' | 'updated' | 'unchanged' | 'removed';

/** The fields of a KPI as a file holds them: YAML keys, or the KPI sheet's columns. */
export type KpiField = KpiSheetField | 'readings';

/** One line of the import report per KPI (also the `--json` shape of a KPI sheet import). */
export interface KpiReportRow {
  code: string;
  plan: string;
  name: string;
  workstream: number | null;
  owner: string | null;
  unit: KpiUnit;
  direction: KpiDirection;
  frequency: KpiFrequency;
  baseline: string | null;
  baseline_value: number | null;
  baseline_as_of: string | null;
  /** Each target as written with the date it was read as: "65% by March 25 (2025-03-31)". */
  trajectory: string[];
  /** Readings from the file added by this import. */
  readings_added: number;
  flags: string[];
  change: KpiChange;
  line?: number;
}

export interface KpiSummary {
  kpis: Record<KpiChange, number>;
  readings: { created: number };
}

export function emptyKpiSummary(): KpiSummary {
  return { kpis: { created: 0, updated: 0, unchanged: 0, removed: 0 }, readings: { created: 0 } };
}

/** Where a KPI's fields are in the file, so problems name the line or row and column. */
export type KpiLocator = (field: KpiField, subPath?: (string | number)[]) => Omit<ImportProblem, 'message'>;

export interface KpiImportEnv {
  db: Db;
  /** Stored instant of the import. */
  at: string;
  /** London date of the import: the reference for dates written without a year. */
  today: string;
  terms: SchoolTerm[];
  /** Finds or creates a role by name (the plan importer's cache). */
  role: (name: string) => Promise<{ id: number; name: string }>;
  problems: ImportProblem[];
  warnings: string[];
  summary: KpiSummary;
  report: KpiReportRow[];
  /**
   * A file's figure for a period that someone recorded differently in chat since: told here, and the
   * chat reading kept unless `preferFile` (see addFileReading).
   */
  onConflict?: (c: KpiReadingConflict) => void;
  preferFile?: boolean;
}

export interface KpiReadingConflict {
  code: string;
  period: string;
  /** The figures, written with their unit ("62%", "14 weeks"). */
  file: string;
  sendbot: string;
  by: string | null;
  at: string;
}

interface ExistingKpi {
  id: number;
  planId: number;
  code: string | null;
  name: string;
  workstreamId: number | null;
  ownerRoleId: number | null;
  unit: string;
  direction: string;
  frequency: string;
  baseline: string | null;
  baselineValue: number | null;
  baselineAsOf: string | null;
  trajectory: string;
  position: number;
  removedAt: string | null;
}

const FREQUENCY_WORDS: Record<string, KpiFrequency> = {
  monthly: 'monthly',
  month: 'monthly',
  quarterly: 'quarterly',
  quarter: 'quarterly',
  annual: 'annual',
  annually: 'annual',
  yearly: 'annual',
  year: 'annual',
  'financial year': 'annual',
};

/** Imports the KPIs of one plan. */
export class KpiImporter {
  private readonly existing: ExistingKpi[];
  private readonly taken: Set<string>;
  /** Codes written by this import: the same code twice in one file is a problem. */
  private readonly seenCodes = new Map<string, string>();
  /** Plan id and name key of each KPI in this import: the same name twice in a plan is a problem. */
  private readonly seenNames = new Set<string>();

  private constructor(
    private readonly env: KpiImportEnv,
    existing: ExistingKpi[],
  ) {
    this.existing = existing;
    this.taken = new Set(this.existing.map((k) => k.code).filter((c): c is string => c !== null));
  }

  /** An importer that knows the KPIs already stored (read once, here). */
  static async create(env: KpiImportEnv): Promise<KpiImporter> {
    const existing = await all<ExistingKpi>(
      env.db,
      sql`select id, plan_id as "planId", code, name, workstream_id as "workstreamId", owner_role_id as "ownerRoleId", unit, direction, frequency,
                baseline, baseline_value as "baselineValue", baseline_as_of as "baselineAsOf", trajectory, position, removed_at as "removedAt"
           from kpis`,
    );
    return new KpiImporter(env, existing);
  }

  private problem(where: Omit<ImportProblem, 'message'>, message: string): void {
    this.env.problems.push({ ...where, message });
  }

  /**
   * Writes `items` as the KPIs of the plan. With `removeMissing`, the plan's other KPIs are marked
   * removed (the file is the list of the plan's KPIs).
   */
  async importPlanKpis(plan: { id: number; code: string; title: string }, items: { kpi: KpiInput; locate: KpiLocator }[], removeMissing: boolean): Promise<void> {
    const problemsBefore = this.env.problems.length;
    const kept: number[] = [];
    for (const [position, { kpi, locate }] of items.entries()) {
      const id = await this.importKpi(plan, kpi, locate, position);
      if (id !== undefined) kept.push(id);
    }
    if (!removeMissing || this.env.problems.length > problemsBefore) return;
    const stale = this.existing.filter((k) => k.planId === plan.id && k.removedAt === null && !kept.includes(k.id));
    for (const k of stale) {
      await run(this.env.db, sql`update kpis set removed_at = ${this.env.at} where id = ${k.id}`);
      this.env.summary.kpis.removed += 1;
    }
    if (stale.length > 0) {
      this.env.warnings.push(
        `${plural(stale.length, 'KPI')} of plan ${plan.code} no longer in the file ${stale.length === 1 ? 'was' : 'were'} marked removed (${stale.map((k) => k.code ?? k.name).join(', ')}); their readings are kept.`,
      );
    }
  }

  private async importKpi(plan: { id: number; code: string; title: string }, kpi: KpiInput, locate: KpiLocator, position: number): Promise<number | undefined> {
    const before = this.env.problems.length;
    const ctx = { reference: this.env.today, terms: this.env.terms };
    const nameSeen = `${plan.id}|${nameKey(kpi.name)}`;
    if (this.seenNames.has(nameSeen)) {
      this.problem(await locate('name'), `KPI "${kpi.name}" appears twice in plan ${plan.code}`);
      return undefined;
    }
    this.seenNames.add(nameSeen);

    // Which KPI this is: by code when given, else by name within the plan.
    let code = kpi.code ? qualifyKpiCode(plan.code, kpi.code) : undefined;
    if (code !== undefined && (!KPI_CODE_PATTERN.test(code) || code.length > 24)) {
      this.problem(await locate('code'), `"${kpi.code}" is not a KPI code; use letters and digits, e.g. HR1 (read as ${plan.code}-HR1) or ${plan.code}-WAIT`);
      code = undefined;
    }
    const byCode = code !== undefined ? this.existing.find((k) => k.code === code) : undefined;
    const byName = this.existing.find((k) => k.planId === plan.id && nameKey(k.name) === nameKey(kpi.name));
    if (byCode && byCode.planId !== plan.id) {
      this.problem(await locate('code'), `KPI code ${code} already belongs to "${byCode.name}" in another plan; choose another code`);
    } else if (byCode && byName && byCode.id !== byName.id) {
      this.problem(await locate('code'), `KPI code ${code} already belongs to "${byCode.name}" in plan ${plan.code}, not to "${kpi.name}"`);
    }
    const existing = byCode ?? byName;
    const finalCode = code ?? existing?.code ?? uniqueKpiCode(deriveKpiCode(plan.code, kpi.name), this.taken);
    const twice = this.seenCodes.get(finalCode);
    if (twice !== undefined) this.problem(await locate('code'), `KPI code ${finalCode} is used twice in this file (also for "${twice}")`);
    this.seenCodes.set(finalCode, kpi.name);
    if (existing?.code && existing.code !== finalCode) {
      this.env.warnings.push(`KPI "${kpi.name}" was ${existing.code} and is now ${finalCode}: /send kpi ${existing.code} no longer finds it.`);
    }

    const workstream = kpi.workstream !== undefined ? await this.findWorkstream(plan, kpi.workstream, locate) : undefined;
    const ownerName = kpi.owner ?? null;
    const ownerRoleId = ownerName ? (await this.env.role(ownerName)).id : null;

    // The trajectory, as words and as numbers.
    const targets: ReadTarget[] = [];
    const flags: string[] = [];
    if (typeof kpi.trajectory === 'string') {
      const read = readTrajectoryText(kpi.trajectory, ctx);
      targets.push(...read.points.filter((p) => p.point.due !== null));
      for (const message of read.problems) this.problem(await locate('trajectory'), message);
    } else {
      for (const [i, t] of kpi.trajectory.entries()) {
        const read =
          typeof t === 'string'
            ? readTrajectoryText(t, ctx)
            : (() => {
                const one = readTarget(t.target, t.by, ctx);
                return { points: one ? [one] : [], problems: one ? [] : [`target "${t.target}" is not a number; write e.g. "65%", "12 weeks" or 140`] };
              })();
        for (const message of read.problems) this.problem(await locate('trajectory', [i]), message);
        for (const p of read.points) {
          // A date that cannot be read is kept verbatim and flagged, like an action's.
          if (p.point.due === null) {
            flags.push('target-date-unreadable');
            this.env.warnings.push(`KPI ${finalCode}: the date "${p.point.byText}" of target ${p.point.targetText} could not be read; the target is kept but not judged against.`);
          }
          targets.push(p);
        }
      }
    }

    // Baseline: words, a value and the date it describes.
    const baselineText = kpi.baseline ?? null;
    const readBaseline = baselineText ? readBaselineText(baselineText, ctx) : undefined;
    let baselineAsOf = readBaseline?.asOf ?? null;
    if (kpi.baseline_as_of !== undefined) {
      const d = readDeadline(kpi.baseline_as_of, ctx);
      if (d.due === null) this.problem(await locate('baseline_as_of'), `"${kpi.baseline_as_of}" is not a date or period; write e.g. 2023/24, March 2024 or 2024-03-31`);
      baselineAsOf = d.due;
    }
    const baselineValue = kpi.baseline_value ?? readBaseline?.value ?? null;
    if (readBaseline?.range && kpi.baseline_value === undefined) {
      flags.push('baseline-range');
      this.env.warnings.push(`KPI ${finalCode}: the baseline "${baselineText}" is a range; add baseline_value (one figure) for sendbot to judge the trajectory from it.`);
    }

    // Readings given in the file.
    const readings = kpi.readings.map((r, i) => this.readFileReading(r, i, locate));

    // Unit: as given, or as the figures are written.
    let unit: KpiUnit;
    if (kpi.unit) {
      const u = readUnitWord(kpi.unit);
      if (!u) this.problem(await locate('unit'), `unit "${kpi.unit}" is not one of %, weeks, days, count or number`);
      unit = u ?? 'number';
    } else {
      unit = [readBaseline?.unit ?? null, ...targets.map((t) => t.unit), ...readings.map((r) => unitOfWritten(r?.written ?? null))].find((u): u is KpiUnit => u !== null) ?? 'number';
    }
    for (const [i, t] of targets.entries()) {
      const problem = checkValue({ value: t.point.target, unit: t.written }, unit);
      if (problem) this.problem(await locate('trajectory', typeof kpi.trajectory === 'string' ? [] : [i]), `target ${t.point.targetText}: ${describe(problem, unit)}`);
    }
    if (baselineValue !== null) {
      const problem = checkValue({ value: baselineValue, unit: readBaseline?.unit ?? null }, unit);
      if (problem) this.problem(await locate(kpi.baseline_value !== undefined ? 'baseline_value' : 'baseline'), `baseline ${baselineValue}: ${describe(problem, unit)}`);
    }
    for (const [i, r] of readings.entries()) {
      if (!r) continue;
      const problem = checkValue({ value: r.value, unit: r.written }, unit);
      if (problem) this.problem(await locate('readings', [i, 'value']), `reading ${r.valueText}: ${describe(problem, unit)}`);
    }

    // Direction: as given, or the way the targets go.
    let direction: KpiDirection;
    if (kpi.direction) {
      const d = readDirectionWord(kpi.direction);
      if (!d) this.problem(await locate('direction'), `direction "${kpi.direction}" should be "higher" (higher is better) or "lower" (lower is better)`);
      direction = d ?? 'higher';
    } else {
      const from = baselineValue ?? readings.find((r) => r)?.value ?? targets[0]?.point.target;
      const to = targets[targets.length - 1]?.point.target;
      direction = from !== undefined && to !== undefined && to < from ? 'lower' : 'higher';
    }

    let frequency: KpiFrequency;
    if (kpi.frequency) {
      const f = FREQUENCY_WORDS[kpi.frequency.trim().toLowerCase()];
      if (!f) this.problem(await locate('frequency'), `frequency "${kpi.frequency}" should be monthly, quarterly (financial quarters) or annual (financial years)`);
      frequency = f ?? 'monthly';
    } else {
      frequency = inferFrequency(readings.filter((r): r is FileReading => r !== undefined).map((r) => r.period));
    }

    if (!ownerName && workstream === undefined) {
      this.env.warnings.push(`KPI ${finalCode} has no owner and no workstream: nobody is nudged for its readings, and only programme officers can record them.`);
      flags.push('no-owner');
    }
    if (this.env.problems.length > before) return undefined;

    const trajectory: KpiTargetRow[] = targets.map((t) => ({
      target: t.point.target,
      targetText: t.point.targetText,
      byText: t.point.byText,
      due: t.point.due,
      start: t.point.start,
      flags: t.point.flags,
    }));
    const values = {
      code: finalCode,
      name: kpi.name,
      workstream_id: workstream?.id ?? null,
      owner_role_id: ownerRoleId,
      unit,
      direction,
      frequency,
      baseline: baselineText,
      baseline_value: baselineValue,
      baseline_as_of: baselineAsOf,
      trajectory: JSON.stringify(trajectory),
      position,
    };
    let id: number;
    let change: KpiChange;
    if (!existing) {
      const v = values;
      id = (await get<{ id: number }>(
        this.env.db,
        sql`insert into kpis (plan_id, code, name, workstream_id, owner_role_id, unit, direction, frequency, baseline, baseline_value, baseline_as_of, trajectory, position)
             values (${plan.id}, ${v.code}, ${v.name}, ${v.workstream_id}, ${v.owner_role_id}, ${v.unit}, ${v.direction}, ${v.frequency}, ${v.baseline},
                     ${v.baseline_value}, ${v.baseline_as_of}, ${v.trajectory}, ${v.position}) returning id`,
      ))!.id;
      change = 'created';
    } else {
      id = existing.id;
      const current = {
        code: existing.code,
        name: existing.name,
        workstream_id: existing.workstreamId,
        owner_role_id: existing.ownerRoleId,
        unit: existing.unit,
        direction: existing.direction,
        frequency: existing.frequency,
        baseline: existing.baseline,
        baseline_value: existing.baselineValue,
        baseline_as_of: existing.baselineAsOf,
        position: existing.position,
      };
      const { trajectory: _trajectory, ...rest } = values;
      const changed =
        JSON.stringify(current) !== JSON.stringify(rest) || !sameJsonText(existing.trajectory, trajectory) || existing.removedAt !== null;
      if (changed) {
        const v = values;
        await run(
          this.env.db,
          sql`update kpis set code = ${v.code}, name = ${v.name}, workstream_id = ${v.workstream_id}, owner_role_id = ${v.owner_role_id}, unit = ${v.unit},
                    direction = ${v.direction}, frequency = ${v.frequency}, baseline = ${v.baseline}, baseline_value = ${v.baseline_value},
                    baseline_as_of = ${v.baseline_as_of}, trajectory = ${v.trajectory}, position = ${v.position}, removed_at = null where id = ${id}`,
        );
      }
      change = changed ? 'updated' : 'unchanged';
    }
    this.taken.add(finalCode);

    let added = 0;
    for (const r of readings) {
      if (r && await this.addFileReading(id, finalCode, unit, r)) added += 1;
    }
    if (added > 0 && change === 'unchanged') change = 'updated';
    this.env.summary.kpis[change] += 1;
    this.env.summary.readings.created += added;
    const line = (await locate('name')).line;
    this.env.report.push({
      code: finalCode,
      plan: plan.code,
      name: kpi.name,
      workstream: workstream?.number ?? null,
      owner: ownerName ? (await this.env.role(ownerName)).name : (workstream?.lead ?? null),
      unit,
      direction,
      frequency,
      baseline: baselineText,
      baseline_value: baselineValue,
      baseline_as_of: baselineAsOf,
      trajectory: targets.map((t) => `${t.point.targetText} ${t.point.start ? 'in' : 'by'} ${t.point.byText} (${t.point.due ?? 'date not read'})`),
      readings_added: added,
      flags,
      change,
      ...(line !== undefined ? { line } : {}),
    });
    return id;
  }

  private async findWorkstream(
    plan: { id: number; code: string },
    which: number | string,
    locate: KpiLocator,
  ): Promise<{ id: number; number: number; lead: string | null } | undefined> {
    const rows = await all<{ id: number; number: number; title: string; lead: string | null }>(
      this.env.db,
      sql`select w.id, w.number, w.title, r.name as lead from workstreams w left join roles r on r.id = w.lead_role_id
          where w.plan_id = ${plan.id} and w.removed_at is null order by w.number`,
    );
    const asNumber = typeof which === 'number' ? which : /^\d+$/.test(which.trim()) ? Number(which) : undefined;
    const found = asNumber !== undefined ? rows.find((w) => w.number === asNumber) : rows.find((w) => nameKey(w.title) === nameKey(String(which)));
    if (!found) {
      const known = rows.map((w) => `${w.number} ${w.title}`).join('; ');
      this.problem(await locate('workstream'), `plan ${plan.code} has no workstream "${which}"${known ? ` (it has: ${known})` : ''}`);
      return undefined;
    }
    return { id: found.id, number: found.number, lead: found.lead };
  }

  private readFileReading(r: KpiInput['readings'][number], i: number, locate: KpiLocator): FileReading | undefined {
    // A file's readings are past figures: any readable period is taken, even one the import date
    // has not reached (a plan file prepared in advance).
    const read = readKpiPeriod(r.period, this.env.today, { terms: this.env.terms });
    const period = read.ok ? read.period : read.problem === 'not_ended' ? read.period : undefined;
    if (!period) this.problem(locate('readings', [i, 'period']), `"${r.period}" is not a period; write e.g. "Q2 24/25", "October 2024", "2023/24" or "as at 15 Nov 2024"`);
    const written = readWrittenValue(r.value.split(/\s+/));
    if (!written) this.problem(locate('readings', [i, 'value']), `"${r.value}" is not a number; write e.g. "63%", "12 weeks" or 140`);
    if (!period || !written) return undefined;
    return { period, value: written.value, written: written.unit, valueText: r.value, note: r.note ?? null, sample: r.sample, raw: `${r.period}: ${r.value}` };
  }

  /**
   * Appends a file's reading, merged three ways: the file's figure for the period last time (its
   * latest import reading), the figure now, and the reading that counts now. The same figure again
   * adds nothing; a changed figure is added unless someone recorded the period in chat since with a
   * different value, which is a conflict (the chat reading stays unless --prefer-file).
   */
  private async addFileReading(kpiId: number, code: string, unit: KpiUnit, r: FileReading): Promise<boolean> {
    const last = await get<{ value: number; isSample: number }>(
      this.env.db,
      sql`select value, is_sample as "isSample" from kpi_readings where kpi_id = ${kpiId} and period_end = ${r.period.end} and kind = 'import'
          order by recorded_at desc, id desc limit 1`,
    );
    if (last && last.value === r.value && last.isSample === boolParam(Boolean(r.sample))) return false;
    const latest = await get<{ value: number; kind: string; at: string; name: string | null; email: string | null }>(
      this.env.db,
      sql`select k.value, k.kind, k.recorded_at as at, p.name, p.email from kpi_readings k left join people p on p.id = k.person_id
          where k.kpi_id = ${kpiId} and k.period_end = ${r.period.end} order by k.recorded_at desc, k.id desc limit 1`,
    );
    if (latest && latest.kind !== 'import') {
      if (latest.value === r.value) return false; // chat already says what the file says
      this.env.onConflict?.({ code, period: r.period.label, file: formatKpiValue(r.value, unit), sendbot: formatKpiValue(latest.value, unit), by: latest.name ? `${latest.name} <${latest.email}>` : null, at: latest.at });
      if (!this.env.preferFile) return false;
    }
    await recordKpiReading(this.env.db, {
      kpiId,
      value: r.value,
      periodLabel: r.period.label,
      periodStart: r.period.start,
      periodEnd: r.period.end,
      recordedAt: this.env.at,
      personId: null,
      platform: 'import',
      kind: 'import',
      note: r.note,
      rawText: r.raw,
      isSample: r.sample,
    });
    return true;
  }
}

interface FileReading {
  period: KpiPeriod;
  value: number;
  /** The unit written after the figure, if any. */
  written: WrittenUnit | null;
  valueText: string;
  note: string | null;
  sample: boolean;
  raw: string;
}

function describe(problem: NonNullable<ReturnType<typeof checkValue>>, unit: KpiUnit): string {
  if (problem.kind === 'out_of_range') return problem.message;
  return `the KPI is ${UNIT_NAMES[unit]}, but this is written in ${problem.written}${problem.suggestion ? ` (that is ${problem.suggestion})` : ''}`;
}

/** Quarterly when every reading is for a financial quarter, annual when every one is for a financial year. */
function inferFrequency(periods: KpiPeriod[]): KpiFrequency {
  if (periods.length === 0) return 'monthly';
  const labels = periods.map((p) => canonicalLabel(p.start, p.end) ?? '');
  if (labels.every((l) => /^Q[1-4] /.test(l))) return 'quarterly';
  if (labels.every((l) => /^\d{4}\/\d{2}$/.test(l))) return 'annual';
  return 'monthly';
}

/** "65% by March 25" as the report and chat show a target. */
export function describeTarget(t: { targetText: string; byText: string; start: string | null }, unit?: KpiUnit, value?: number): string {
  const target = value !== undefined && unit ? formatKpiValue(value, unit) : t.targetText;
  return `${target} ${t.start ? 'in' : 'by'} ${t.byText}`;
}
