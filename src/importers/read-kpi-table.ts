// Reads a KPI sheet (CSV or the first sheet of an XLSX workbook, one row per KPI) into the same KPI
// shape the YAML plan file uses. Pure: rows in, KPIs and problems (row and column) out.
//
// `sendbot import` recognises a KPI sheet by its headers: a KPI name column ("KPI", "Measure",
// "Indicator", "name") with a trajectory, baseline or unit column, and no actions column. Columns
// (any case, spaces or punctuation): plan (its code or title; blank = the row above, as merged cells
// export), code, name, workstream (number or title), owner, unit, direction, frequency, baseline,
// baseline_value, baseline_as_of, trajectory ("65% by March 25; 85% in 2025/26"). Other columns are
// ignored.
import { type ImportProblem } from './import-errors.js';
import { type KpiInput, kpiSchema } from './plan-document.js';
import { headersOf, matchHeaders, normaliseHeader, PLAN_HEADER_ALIASES, readRowCells, type TableRow } from './read-plan-table.js';

export type KpiSheetField =
  | 'plan'
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
  plan: ['plan', 'plan_code', 'Improvement Plan', 'Plan Code', 'Plan Title'],
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
  return columns.name !== undefined && (columns.trajectory !== undefined || columns.baseline !== undefined || columns.unit !== undefined) && !hasActions;
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

export function readKpiTable(rows: TableRow[], opts: { file?: string } = {}): { sheet: KpiSheet; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  const problem = (message: string, line?: number, column?: string): void => {
    problems.push({ ...fileField, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}), message });
  };
  const sheet: KpiSheet = { ...fileField, rows: [], problems: [] };
  const headers = headersOf(rows);
  const matched = matchHeaders(headers, KPI_HEADER_ALIASES, LABEL, opts.file);
  problems.push(...matched.problems);
  const col = matched.columns;
  for (const required of ['plan', 'name'] as const) {
    if (col[required] === undefined) {
      problem(`missing the ${LABEL[required]} column (a column headed one of ${KPI_HEADER_ALIASES[required].map((a) => `"${a}"`).join(', ')})`);
    }
  }
  if (problems.length > 0) return { sheet, problems };
  if (rows.length === 0) {
    problem('the file has no rows below the header row, so there are no KPIs to import');
    return { sheet, problems };
  }

  let plan: string | undefined;
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
