// Reads a KPI sheet (CSV or the first sheet of an XLSX workbook, one row per KPI) into the same KPI
// shape the YAML plan file uses. Pure: rows in, KPIs and problems (row and column) out.
//
// `sendbot import` recognises a KPI sheet by its headers: a KPI name column ("KPI", "Measure",
// "Indicator", "name") with a trajectory, baseline or unit column, and no actions column. Columns
// (any case, spaces or punctuation): plan (its code or title; blank = the row above, as merged cells
// export), code, name, workstream (number or title), owner, unit, direction, frequency, baseline,
// baseline_value, baseline_as_of, trajectory ("65% by March 25; 85% in 2025/26"). A column headed by a
// period ("Aug-23", "Q3 23/24", "2023/24", or a month as a spreadsheet date) holds that period's
// readings, one per KPI row. Other columns are named in the import's unused-columns report.
import { readPeriodHeading } from '../domain/kpi-periods.js';
import { type ImportProblem } from './import-errors.js';
import { headersOf, matchHeaders, normaliseHeader } from './match-headers.js';
import { type KpiInput, kpiSchema } from './plan-document.js';
import { PLAN_HEADER_ALIASES } from './plan-headings.js';
import { readRowCells, type TableRow } from './table-cells.js';

export type KpiSheetField =
  | 'plan'
  | 'plan_code'
  | 'code'
  | 'name'
  | 'workstream'
  | 'owner'
  | 'unit'
  | 'direction'
  | 'frequency'
  | 'baseline'
  | 'baseline_value'
  | 'baseline_as_of'
  | 'trajectory';

export const KPI_HEADER_ALIASES: Record<KpiSheetField, readonly string[]> = {
  plan: ['plan', 'Improvement Plan', 'Plan Title'],
  // More specific than "Plan": a sheet with both columns is read by its code.
  plan_code: ['plan_code', 'Plan Code'],
  code: ['code', 'KPI Code', 'kpi_code', 'KPI Ref', 'Ref'],
  name: ['name', 'KPI', 'KPI Name', 'Measure', 'Indicator', 'Performance Indicator', 'Key Performance Indicator', 'Evidence'],
  workstream: ['workstream', 'Strategic Workstream Priority', 'Workstream Number', 'Workstream No'],
  owner: ['owner', 'KPI Owner', 'Accountable Lead', 'Lead'],
  unit: ['unit', 'Units', 'Unit of Measure'],
  direction: ['direction', 'Polarity', 'Good Is', 'Better'],
  frequency: ['frequency', 'Reporting Frequency', 'Reported'],
  baseline: ['baseline', 'Baseline Position', 'Current Position'],
  baseline_value: ['baseline_value', 'Baseline Figure'],
  baseline_as_of: ['baseline_as_of', 'Baseline Date', 'Baseline Period'],
  trajectory: ['trajectory', 'Targets', 'Target', 'Trajectory Targets'],
};

const LABEL: Record<KpiSheetField, string> = {
  plan: 'Plan',
  plan_code: 'Plan code',
  code: 'Code',
  name: 'KPI',
  workstream: 'Workstream',
  owner: 'Owner',
  unit: 'Unit',
  direction: 'Direction',
  frequency: 'Frequency',
  baseline: 'Baseline',
  baseline_value: 'Baseline value',
  baseline_as_of: 'Baseline as of',
  trajectory: 'Trajectory',
};

const FIELDS = Object.keys(KPI_HEADER_ALIASES) as KpiSheetField[];

/** True when the headers are a KPI sheet's rather than a plan's (see the top of this file). */
export function isKpiTable(headers: readonly string[]): boolean {
  const { columns } = matchHeaders(headers, KPI_HEADER_ALIASES, LABEL);
  const actionHeaders = new Set(PLAN_HEADER_ALIASES.action.map(normaliseHeader));
  const hasActions = headers.some((h) => actionHeaders.has(normaliseHeader(h)));
  const hasPeriods = headers.some((h) => readPeriodHeading(h) !== undefined);
  return columns.name !== undefined && (columns.trajectory !== undefined || columns.baseline !== undefined || columns.unit !== undefined || hasPeriods) && !hasActions;
}

/** The KPI sheet's columns headed by a period, with the period each names. */
export function periodColumns(headers: readonly string[]): Array<{ heading: string; label: string }> {
  const matched = new Set(Object.values(matchHeaders(headers, KPI_HEADER_ALIASES, LABEL).columns));
  return headers.flatMap((h) => {
    if (matched.has(h)) return [];
    const period = readPeriodHeading(h);
    return period === undefined ? [] : [{ heading: h, label: period.label }];
  });
}

/** One KPI row: the plan it names (code or title, as written) and the KPI. */
export interface KpiSheetRow {
  row: number;
  plan: string;
  kpi: KpiInput;
  /** Field → the header of the column it came from, for problems. */
  columns: Partial<Record<KpiSheetField, string>>;
}

export interface KpiSheet {
  file?: string;
  rows: KpiSheetRow[];
  /** Problems found reading the rows; the importer lists them with its own, all at once. */
  problems: ImportProblem[];
}

/** `defaultPlan`: the plan of a sheet with no Plan column (a workbook with one plan). */
export function readKpiTable(rows: TableRow[], opts: { file?: string; defaultPlan?: string } = {}): { sheet: KpiSheet; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  const problem = (message: string, line?: number, column?: string): void => {
    problems.push({ ...fileField, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}), message });
  };
  const sheet: KpiSheet = { ...fileField, rows: [], problems: [] };
  const headers = headersOf(rows);
  const matched = matchHeaders(headers, KPI_HEADER_ALIASES, LABEL, opts.file);
  problems.push(...matched.problems);
  // The plan is named by its code where the sheet gives one, else by its title.
  const col: Partial<Record<KpiSheetField, string>> = { ...matched.columns };
  if (col.plan_code !== undefined) col.plan = col.plan_code;
  const periods = periodColumns(headers);
  for (const required of ['plan', 'name'] as const) {
    if (col[required] === undefined && !(required === 'plan' && opts.defaultPlan !== undefined)) {
      problem(`missing the ${LABEL[required]} column (a column headed one of ${KPI_HEADER_ALIASES[required].map((a) => `"${a}"`).join(', ')})`);
    }
  }
  if (problems.length > 0) return { sheet, problems };
  if (rows.length === 0) {
    problem('the file has no rows below the header row, so there are no KPIs to import');
    return { sheet, problems };
  }

  let plan: string | undefined = opts.defaultPlan;
  const present = FIELDS.flatMap((f) => (col[f] === undefined ? [] : [[f, col[f]] as const]));
  for (const { row, cells } of rows) {
    const { vals, given, bad } = readRowCells(cells, present, row, problem);
    const readable = bad.size === 0;
    if (given === 0) continue; // a blank row
    // A blank plan cell means the plan of the row above (merged cells in the source).
    if (vals.plan !== undefined) plan = vals.plan;
    if (plan === undefined) {
      problem('the plan is blank and there is no plan on the rows above to carry down; give its code (e.g. HCP) or title', row, col.plan);
      continue;
    }
    if (vals.name === undefined) {
      problem('the KPI name is blank on a row that has other values; every row is one KPI', row, col.name);
      continue;
    }
    if (!readable) continue;
    const baselineValue = vals.baseline_value !== undefined ? Number(vals.baseline_value.replace(/,/g, '').replace(/%$/, '')) : undefined;
    if (baselineValue !== undefined && !Number.isFinite(baselineValue)) {
      problem(`"${vals.baseline_value}" is not a number; give the baseline as one figure, e.g. 62`, row, col.baseline_value);
      continue;
    }
    const readings = periods.flatMap(({ heading, label }) => {
      const v = cells[heading];
      if (v === '' || v === null || v === undefined) return [];
      const { vals: r } = readRowCells(cells, [[heading, heading] as const], row, problem);
      const value = r[heading];
      return value === undefined ? [] : [{ period: label, value }];
    });
    const parsed = kpiSchema.safeParse({
      code: vals.code,
      name: vals.name,
      workstream: vals.workstream,
      owner: vals.owner,
      unit: vals.unit,
      direction: vals.direction,
      frequency: vals.frequency,
      baseline: vals.baseline,
      baseline_value: baselineValue,
      baseline_as_of: vals.baseline_as_of,
      trajectory: vals.trajectory ?? [],
      readings,
      source_line: row,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem(issue.message, row, col[issue.path[0] as KpiSheetField]);
      continue;
    }
    sheet.rows.push({ row, plan, kpi: parsed.data, columns: col });
  }
  sheet.problems = problems;
  return { sheet, problems };
}
