// Writes a KPI sheet (see src/importers/read-kpi-table.ts) into the database: one transaction, the
// same rules as KPIs in a plan file (src/store/kpi-import.ts). Each row names an existing plan; the
// KPIs of each plan named are the sheet's rows for it (others of that plan are marked removed).
import type { DateTime } from 'luxon';
import { toStoredInstant } from '../clock.js';
import { ImportError, type ImportProblem } from '../importers/import-errors.js';
import type { KpiSheet, KpiSheetField } from '../importers/read-kpi-table.js';
import { recordAudit } from './audit-repository.js';
import { sql } from 'drizzle-orm';
import { type Db, inTransaction } from './database.js';
import { emptyKpiSummary, KpiImporter, type KpiLocator, type KpiReportRow, type KpiSummary } from './kpi-import.js';
import { nameKey } from './keys.js';
import { getPartnership } from './partnership-repository.js';
import { ensureRole } from './roles-repository.js';
import { all } from './statements.js';
import { storeCall, withConnection } from './unit-of-work.js';

export interface KpiSheetReport {
  dryRun: boolean;
  summary: KpiSummary & { roles: { created: number } };
  kpis: KpiReportRow[];
  warnings: string[];
}

export interface KpiSheetOptions {
  now: DateTime;
  dryRun?: boolean;
  actorLabel?: string;
  /** A reading for a period someone recorded differently in chat since: take the file's figure. */
  preferFile?: boolean;
}

class DryRunRollback extends Error {
  constructor(readonly report: KpiSheetReport) {
    super('dry run');
  }
}

/** Imports a KPI sheet. Throws ImportError (and writes nothing) when any row cannot be applied. */
export function importKpiSheet(db: Db, sheet: KpiSheet, options: KpiSheetOptions): Promise<KpiSheetReport> {
  return withConnection(db, async () => {
    try {
      return await inTransaction(db, async () => {
        const report = await applySheet(db, sheet, options);
        if (options.dryRun) throw new DryRunRollback(report);
        return report;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.report;
      throw error;
    }
  });
}

async function applySheet(db: Db, sheet: KpiSheet, options: KpiSheetOptions): Promise<KpiSheetReport> {
  const at = toStoredInstant(options.now);
  const problems: ImportProblem[] = [...sheet.problems];
  const warnings: string[] = [];
  const summary = { ...emptyKpiSummary(), roles: { created: 0 } };
  const report: KpiReportRow[] = [];
  const roles = new Map<string, { id: number; name: string }>();
  const importer = await KpiImporter.create({
    db,
    at,
    today: options.now.toISODate() as string,
    terms: (await getPartnership(db)).schoolTerms,
    role: async (name) => {
      const key = nameKey(name);
      let role = roles.get(key);
      if (!role) {
        const ensured = await ensureRole(db, name, at);
        if (ensured.created) {
          summary.roles.created += 1;
          warnings.push(`Role "${ensured.role.name}" was not known and has been created; give it to someone with sendbot role assign.`);
        }
        role = ensured.role;
        roles.set(key, role);
      }
      return role;
    },
    problems,
    warnings,
    summary,
    report,
    preferFile: options.preferFile,
    onConflict: (c) =>
      warnings.push(
        `Conflict: ${c.code} ${c.period}: sendbot has ${c.sendbot} (reading recorded in chat${c.by ? ` by ${c.by}` : ''} on ${c.at.slice(0, 10)}); ` +
          `the file says ${c.file}. ${options.preferFile ? "Took the file's (--prefer-file)." : "Kept sendbot's (--prefer-file takes the file's)."}`,
      ),
  });

  const plans = await all<{ id: number; code: string; title: string }>(db, sql`select id, code, title from plans order by position, code`);
  const byPlan = new Map<number, { plan: (typeof plans)[number]; rows: KpiSheet['rows'] }>();
  for (const row of sheet.rows) {
    const plan = plans.find((p) => p.code.toUpperCase() === row.plan.trim().toUpperCase() || nameKey(p.title) === nameKey(row.plan));
    if (!plan) {
      const known = plans.map((p) => `${p.code} (${p.title})`).join(', ');
      problems.push({
        ...(sheet.file !== undefined ? { file: sheet.file } : {}),
        line: row.row,
        ...(row.columns.plan !== undefined ? { column: row.columns.plan } : {}),
        message: `there is no plan "${row.plan}"; ${known ? `the plans are ${known}` : 'import the plan first'}`,
      });
      continue;
    }
    const group = byPlan.get(plan.id) ?? { plan, rows: [] };
    group.rows.push(row);
    byPlan.set(plan.id, group);
  }
  // Rows are checked even when others have problems, so every problem is listed at once; nothing is
  // written unless there are none (the transaction is rolled back).
  {
    for (const { plan, rows } of byPlan.values()) {
      const items = rows.map((row) => {
        const locate: KpiLocator = (field) => {
          const column = row.columns[field as KpiSheetField];
          return { ...(sheet.file !== undefined ? { file: sheet.file } : {}), line: row.row, ...(column !== undefined ? { column } : {}) };
        };
        return { kpi: row.kpi, locate };
      });
      await importer.importPlanKpis(plan, items, true);
    }
  }
  if (problems.length > 0) throw new ImportError(problems.map((p, i) => ({ p, i })).sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i).map(({ p }) => p));
  await recordAudit(db, { at, actorLabel: options.actorLabel ?? 'import', event: 'kpis.imported', entity: sheet.file, detail: summary });
  return { dryRun: Boolean(options.dryRun), summary, kpis: report, warnings };
}
