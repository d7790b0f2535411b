import type { Command } from 'commander';
import { formatProblem } from '../importers/import-errors.js';
import { SHEET_KIND_NAME } from '../importers/classify-sheet.js';
import { type LoadedPlan, loadPlanFile } from '../importers/load-plan-file.js';
import { inTransaction } from '../store/database.js';
import { formatKpiValue } from '../domain/kpi-values.js';
import { describePlanCode } from '../domain/plan-codes.js';
import type { KpiReportRow } from '../store/kpi-import.js';
import { importKpiSheet, type KpiSheetReport } from '../store/kpi-sheet-import.js';
import { type ImportConflict, type ImportReport, importPlanDocument } from '../store/plan-import.js';
import type { CliContext } from './context.js';
import { formatTable } from './format-table.js';
import { plural } from '../render/format.js';

interface ImportOptions {
  dryRun?: boolean;
  json?: boolean;
  sheet?: string;
  preferFile?: boolean;
  removeMissing?: boolean;
}

export function registerImportCommand(program: Command, context: () => CliContext): void {
  program
    .command('import')
    .description('import an improvement plan from YAML, CSV or an XLSX workbook (plan, KPI, people, boards and settings sheets); re-importing updates in place')
    .argument('<file>', 'plan file: .yaml/.yml (whole structure), .csv (one row per action, or one row per KPI) or .xlsx (every sheet it recognises)')
    .option('--dry-run', 'check and report without writing anything (the database file is not even created)')
    .option('--json', 'print the report as JSON (one object per action)')
    .option('--sheet <name>', 'read only this sheet of a workbook')
    .option('--prefer-file', "where the file and sendbot both changed a field, take the file's value (the history says whose decision it replaced)")
    .option('--remove-missing', 'mark actions and workstreams that are no longer in the file removed (their history is kept)')
    .action(async (file: string, opts: ImportOptions) => {
      const ctx = context();
      if (opts.dryRun) ctx.useDryRunDatabase();
      const loaded = await loadPlanFile(file, opts.sheet !== undefined ? { sheet: opts.sheet } : {});
      const sheetLines = formatSheetReport(loaded);
      const doc = loaded.document;
      const onlyKpis = loaded.kpiSheet !== undefined && doc.plans.length === 0 && doc.boards.length === 0 && doc.people.length === 0 && doc.partnership === undefined;
      if (onlyKpis && loaded.kpiSheet) {
        const kpiReport = await importKpiSheet(await ctx.database(), loaded.kpiSheet, { now: ctx.clock.now(), dryRun: opts.dryRun, actorLabel: 'cli', preferFile: opts.preferFile });
        if (opts.json) {
          ctx.printJson(kpiReport.kpis.map(kpiJsonRow));
          for (const line of sheetLines) ctx.error(line);
        } else ctx.print([formatKpiSheetReport(kpiReport), ...sheetLines].join('\n'));
        return;
      }
      const { report, kpiReport } = await applyAll(ctx, loaded, opts);
      if (opts.json) {
        ctx.printJson(report.actions.map((a) => jsonRow(a, report.conflicts)));
        // Standard output stays one JSON array; what an officer must still read goes to standard error.
        const kpiLines = kpiReport ? [kpiSummaryLine(kpiReport.summary.kpis, kpiReport.summary.readings.created), ...kpiReport.warnings.map((w) => `Note: ${w}`)] : [];
        for (const line of [
          ...report.planCodes.map(describePlanCode),
          ...report.owners.map((o) => `Owner: ${o}`),
          ...report.conflicts.map((c) => `Conflict: ${describeConflict(c)}`),
          ...report.warnings.map((w) => `Note: ${w}`),
          ...kpiLines,
          ...sheetLines,
        ])
          ctx.error(line);
      } else {
        const lines = [formatImportReport(report)];
        if (kpiReport) {
          lines.push(kpiSummaryLine(kpiReport.summary.kpis, kpiReport.summary.readings.created));
          for (const w of kpiReport.warnings) lines.push(`Note: ${w}`);
        }
        ctx.print([...lines, ...sheetLines].join('\n'));
      }
    });
}

class DryRun extends Error {
  constructor(readonly result: { report: ImportReport; kpiReport?: KpiSheetReport }) {
    super('dry run');
  }
}

/**
 * Applies everything the file holds in ONE transaction: the document (plans, boards, settings,
 * people), then the KPI rows (which name the plans). A dry run is the same work rolled back, on an
 * in-memory copy of the database (see CliContext.useDryRunDatabase).
 */
async function applyAll(ctx: CliContext, loaded: LoadedPlan, opts: ImportOptions): Promise<{ report: ImportReport; kpiReport?: KpiSheetReport }> {
  const now = ctx.clock.now();
  const run = async () => {
    const report = await importPlanDocument(await ctx.database(), loaded.document, {
      now,
      file: loaded.file,
      lineOf: loaded.lineOf,
      actorLabel: 'cli',
      notices: loaded.notices.map((n) => `Check ${formatProblem(n)}`),
      rowFlags: loaded.rowFlags,
      preferFile: opts.preferFile,
      removeMissing: opts.removeMissing,
    });
    const kpiReport = loaded.kpiSheet ? await importKpiSheet(await ctx.database(), loaded.kpiSheet, { now, actorLabel: 'cli', preferFile: opts.preferFile }) : undefined;
    return { report, ...(kpiReport ? { kpiReport } : {}) };
  };
  if (!opts.dryRun) return await inTransaction(await ctx.database(), run);
  try {
    await inTransaction(await ctx.database(), async () => {
      throw new DryRun(await run());
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
    const { report, kpiReport } = error.result;
    return { report: { ...report, dryRun: true }, ...(kpiReport ? { kpiReport: { ...kpiReport, dryRun: true } } : {}) };
  }
  throw new Error('unreachable: a dry run always rolls back');
}

/**
 * What a table file's import read, for the officer: which sheet was read as what (a workbook), which
 * were skipped and why, sendbot's own columns set aside, and every column not read.
 */
export function formatSheetReport(loaded: Pick<LoadedPlan, 'sheets' | 'unusedColumns' | 'sendbotColumns'> & { file: string }): string[] {
  const lines: string[] = [];
  const workbook = /\.xlsx$/i.test(loaded.file);
  if (workbook && loaded.sheets.length > 0) {
    lines.push('Sheets:');
    for (const s of loaded.sheets) {
      lines.push(s.readAs !== undefined ? `  "${s.sheet}": read as ${SHEET_KIND_NAME[s.readAs]} (${s.detail ?? ''})` : `  "${s.sheet}": skipped, ${s.skipped ?? ''}`);
    }
  } else {
    for (const s of loaded.sheets) if (s.detail?.includes('no Plan column')) lines.push(`Note: ${s.detail}`);
  }
  if (loaded.sendbotColumns.length > 0) {
    const names = [...new Set(loaded.sendbotColumns.map((c) => `"${c.heading}"`))].join(', ');
    lines.push(`Not read back: ${names} (written by sendbot for reading; sendbot's record holds them).`);
  }
  if (loaded.unusedColumns.length > 0) {
    lines.push(`Not imported (${loaded.unusedColumns.length}):`);
    for (const u of loaded.unusedColumns) lines.push(`  ${workbook ? `"${u.sheet}" ` : ''}${u.heading.startsWith('setting ') ? u.heading : `column "${u.heading}"`}: ${u.needs}`);
  }
  return lines;
}

function jsonRow(a: ImportReport['actions'][number], conflicts: ImportConflict[]) {
  const own = conflicts.filter((c) => c.ref === a.ref);
  return {
    ref: a.ref,
    plan: a.plan,
    workstream: a.workstream,
    action: a.action,
    lead: a.lead,
    owner: a.owner,
    with: a.with,
    due: a.due,
    start: a.start,
    ongoing: a.ongoing,
    completed: a.completed,
    status: a.status,
    date_text: a.date_text,
    date_source: a.date_source,
    flags: a.flags,
    change: a.change,
    owner_change: a.owner_change,
    ...(a.reworded_from !== undefined ? { reworded_from: a.reworded_from } : {}),
    ...(a.changes !== undefined ? { changes: a.changes } : {}),
    ...(own.length > 0 ? { conflicts: own.map(({ line: _line, ...c }) => c) } : {}),
  };
}

/** "ND-1.2 due date: sendbot has 2025-07-31 (approved a date change by Sam Chair, 2025-02-03); the file says 2025-03-31. Kept sendbot's." */
export function describeConflict(c: ImportConflict): string {
  const by = [c.why, c.changed_by ? `by ${c.changed_by}` : '', c.changed_at ? `on ${c.changed_at.slice(0, 10)}` : ''].filter(Boolean).join(' ');
  const outcome = c.resolution === 'kept sendbot' ? "kept sendbot's (--prefer-file takes the file's)" : "took the file's (--prefer-file)";
  return `${c.ref} ${c.field}: sendbot has ${c.sendbot} (${by}); the file says ${c.file}. ${outcome[0]?.toUpperCase()}${outcome.slice(1)}.`;
}

export function formatImportReport(report: ImportReport): string {
  const s = report.summary;
  const table = formatTable(
    ['ref', 'owner', 'start', 'due', 'dates from', 'flags', 'change'],
    report.actions.map((a) => [
      a.ref,
      a.owner,
      a.start,
      a.due ?? (a.completed ? 'complete' : '—'),
      a.date_source === 'none' ? '' : `${a.date_source}: ${a.date_text ?? ''}`,
      a.flags.join(', '),
      a.change,
    ]),
    40,
  );
  const flagged = report.actions.filter((a) => a.flags.some((f) => ['unreadable', 'partly-read', 'vague', 'no-date'].includes(f)));
  const inherited = report.actions.filter((a) => a.flags.includes('lead-inherited'));
  const lines = [
    table,
    '',
    `${report.dryRun ? 'Dry run — nothing written. ' : ''}Plans: ${s.plans.created} new, ${s.plans.updated} updated, ${s.plans.unchanged} unchanged. ` +
      `Workstreams: ${s.workstreams.created} new, ${s.workstreams.updated} updated, ${s.workstreams.unchanged} unchanged, ${s.workstreams.removed} removed. ` +
      `Actions: ${s.actions.created} new, ${s.actions.updated} updated, ${s.actions.unchanged} unchanged, ${s.actions.removed} removed` +
      (s.actions.missing > 0 ? `, ${s.actions.missing} not in the file (kept).` : '.'),
    `People: ${s.people.created} new, ${s.people.updated} updated. Boards: ${s.boards.created} new, ${s.boards.updated} updated. Meetings: ${s.meetings.created} new. Roles: ${s.roles.created} new.`,
  ];
  if (flagged.length > 0) {
    lines.push(`${plural(flagged.length, 'action needs', 'actions need')} a date checked by an officer: ${flagged.map((a) => a.ref).join(', ')}`);
  }
  if (inherited.length > 0) {
    lines.push(`${plural(inherited.length, 'action')} took their accountable lead from the row above; check it: ${inherited.map((a) => a.ref).join(', ')}`);
  }
  const changed = report.actions.filter((a) => a.changes !== undefined);
  if (changed.length > 0) {
    lines.push(report.dryRun ? 'Changed (would change):' : 'Changed:');
    for (const a of changed) lines.push(`  ${a.ref}: ${a.changes?.join('; ')}`);
  }
  const reworded = report.actions.filter((a) => a.reworded_from !== undefined);
  if (reworded.length > 0) {
    lines.push(report.dryRun ? 'Reworded (would change):' : 'Reworded:');
    for (const a of reworded) lines.push(`  ${a.ref}: "${a.action}", was "${a.reworded_from}"`);
  }
  if (report.conflicts.length > 0) {
    lines.push(
      `Conflicts: ${plural(report.conflicts.length, 'field')} changed both in the file and in sendbot since the last import` +
        (report.conflicts.some((c) => c.resolution === 'kept sendbot') ? "; sendbot's values were kept:" : ':'),
    );
    for (const c of report.conflicts) lines.push(`  ${describeConflict(c)}`);
  }
  if (report.owners.length > 0) {
    // "(would change)" only over lines that change something; "kept …" lines change nothing.
    lines.push(report.dryRun && report.owners.some((o) => o.includes('→')) ? 'Owners (would change):' : 'Owners:');
    for (const o of report.owners) lines.push(`  ${o}`);
  }
  lines.push(...report.planCodes.map(describePlanCode));
  if (report.kpis.length > 0) lines.push(kpiSummaryLine(report.summary.kpis, report.summary.kpiReadings.created));
  for (const w of report.warnings) lines.push(`Note: ${w}`);
  return lines.join('\n');
}

function kpiJsonRow(k: KpiReportRow) {
  const { line: _line, ...row } = k;
  return row;
}

function kpiSummaryLine(k: KpiSheetReport['summary']['kpis'], readings: number): string {
  return `KPIs: ${k.created} new, ${k.updated} updated, ${k.unchanged} unchanged, ${k.removed} removed. KPI readings from the file: ${readings} added.`;
}

export function formatKpiSheetReport(report: KpiSheetReport): string {
  const table = formatTable(
    ['code', 'owner', 'unit', 'better', 'reported', 'baseline', 'trajectory', 'flags', 'change'],
    report.kpis.map((k) => [
      k.code,
      k.owner,
      k.unit,
      k.direction,
      k.frequency,
      k.baseline_value !== null ? `${formatKpiValue(k.baseline_value, k.unit)}${k.baseline_as_of ? ` at ${k.baseline_as_of}` : ''}` : (k.baseline ?? ''),
      k.trajectory.join('; '),
      k.flags.join(', '),
      k.change,
    ]),
    40,
  );
  const lines = [table, '', `${report.dryRun ? 'Dry run — nothing written. ' : ''}${kpiSummaryLine(report.summary.kpis, report.summary.readings.created)}`];
  if (report.summary.roles.created > 0) lines.push(`Roles: ${report.summary.roles.created} new.`);
  for (const w of report.warnings) lines.push(`Note: ${w}`);
  return lines.join('\n');
}
