// Builds one import from the sheets of a workbook (or the one table of a CSV file): each sheet is
// classified by its headings (classify-sheet.ts), read by its reader, and put into one PlanDocument
// (plans, boards, partnership settings, people) plus the KPI rows, with a report of which sheet was
// read as what, which were skipped and why, and every column not read. Pure: grids in.
import { type SheetKind, SHEET_KIND_NAME, classifySheet } from './classify-sheet.js';
import type { ImportProblem } from './import-errors.js';
import { headersOf, matchHeaders } from './match-headers.js';
import type { BoardInput, PersonInput, PlanDocumentInput } from './plan-document.js';
import { PLAN_HEADER_ALIASES } from './plan-headings.js';
import { BOARD_HEADER_ALIASES, readBoardsTable } from './read-boards-table.js';
import { KPI_HEADER_ALIASES, type KpiSheet, type KpiSheetRow, periodColumns, readKpiTable } from './read-kpi-table.js';
import { PEOPLE_HEADER_ALIASES, readPeopleTable } from './read-people-csv.js';
import { readPlanTable } from './read-plan-table.js';
import { readSettingsTable } from './read-settings-table.js';
import { headingText, type SheetGrid, tableRowsOf } from './sheet-grid.js';
import type { TableRow } from './table-cells.js';
import { type UnusedColumn, unusedColumns } from './unused-columns.js';

export interface SheetReport {
  sheet: string;
  /** What it was read as; absent when skipped. */
  readAs?: SheetKind;
  /** Why it was skipped. */
  skipped?: string;
  /** The row its headings were found on, and anything else worth saying ("12 rows"). */
  detail?: string;
}

export interface WorkbookTables {
  document: PlanDocumentInput;
  /** KPI rows from every KPI sheet; undefined when there is none. */
  kpiSheet?: KpiSheet;
  people: PersonInput[];
  problems: ImportProblem[];
  notices: ImportProblem[];
  rowFlags: Map<number, string[]>;
  sheets: SheetReport[];
  unusedColumns: UnusedColumn[];
  /** sendbot's own read-only columns found (from `sendbot export`), by sheet. */
  sendbotColumns: Array<{ sheet: string; heading: string }>;
}

export interface ReadTablesOptions {
  /** The file's name as the user knows it. */
  file: string;
  /** True for a workbook: problems name the sheet. */
  workbook: boolean;
  /** `--sheet NAME`: read this sheet only. */
  sheet?: string;
  /** The hint for a value in a column with no heading. */
  unheadedHint: string;
  /** Sheets the workbook reader set aside (hidden), with why. */
  skipped?: Array<{ name: string; reason: string }>;
}

/** Kinds of which a workbook has one sheet: a second is skipped (rows of two would collide). */
const ONE_OF: ReadonlySet<SheetKind> = new Set(['plan', 'people', 'settings']);

export function readWorkbookTables(grids: readonly SheetGrid[], opts: ReadTablesOptions): WorkbookTables {
  const out: WorkbookTables = {
    document: { plans: [], boards: [], people: [] },
    people: [],
    problems: [],
    notices: [],
    rowFlags: new Map(),
    sheets: (opts.skipped ?? []).map((s) => ({ sheet: s.name, skipped: s.reason })),
    unusedColumns: [],
    sendbotColumns: [],
  };
  let chosen = grids;
  if (opts.sheet !== undefined) {
    const wanted = opts.sheet.trim().toLowerCase();
    chosen = grids.filter((g) => g.name.trim().toLowerCase() === wanted);
    if (chosen.length === 0) {
      out.problems.push({ file: opts.file, message: `there is no sheet named "${opts.sheet}"; the sheets are ${grids.map((g) => `"${g.name}"`).join(', ') || '(none)'}` });
      return out;
    }
    out.sheets = [];
  }
  const firstOf = new Map<SheetKind, string>();
  const kpiRows: KpiSheetRow[] = [];
  /** KPI sheets with no Plan column, read after the plan sheets (see the kpis case). */
  const kpiWithoutPlan: { rows: TableRow[]; label: string }[] = [];
  const kpiProblems: ImportProblem[] = [];
  for (const grid of chosen) {
    const label = opts.workbook ? `${opts.file} [${grid.name}]` : opts.file;
    const found = classifySheet(grid);
    if (found.kind === 'skip') {
      if (opts.sheet !== undefined) out.problems.push({ file: label, message: `this sheet cannot be read: ${found.reason}` });
      out.sheets.push({ sheet: grid.name, skipped: found.reason });
      continue;
    }
    const already = firstOf.get(found.kind);
    if (already !== undefined && ONE_OF.has(found.kind)) {
      out.sheets.push({ sheet: grid.name, skipped: `it is a second ${SHEET_KIND_NAME[found.kind]} sheet; only "${already}" is read (import this one alone with --sheet "${grid.name}")` });
      continue;
    }
    firstOf.set(found.kind, grid.name);
    let rows: TableRow[];
    try {
      rows = tableRowsOf(grid, found.headerIndex, { file: label, hint: opts.unheadedHint });
    } catch (error) {
      if (error instanceof Error && 'problems' in error) {
        out.problems.push(...(error as { problems: ImportProblem[] }).problems);
        continue;
      }
      throw error;
    }
    const headers = found.headers;
    const headerRow = grid.rows[found.headerIndex]?.row;
    const report: SheetReport = { sheet: grid.name, readAs: found.kind, detail: `headings on row ${headerRow}, ${rows.length} row${rows.length === 1 ? '' : 's'} below` };
    out.sheets.push(report);
    let used = new Set<string>();
    let shadowed: Array<{ heading: string; by: string }> = [];
    const matchedBy = (aliases: Record<string, readonly string[]>) => {
      const m = matchHeaders(headers, aliases);
      used = new Set(Object.values(m.columns) as string[]);
      shadowed = m.shadowed;
    };
    switch (found.kind) {
      case 'plan': {
        matchedBy(PLAN_HEADER_ALIASES);
        const hasPlanColumn = matchHeaders(headers, PLAN_HEADER_ALIASES).columns.plan !== undefined;
        // A CSV file has no sheet name to fall back on: only a title line above its headings names its plan.
        const defaultPlan = hasPlanColumn ? undefined : planTitleFor(grid, found.headerIndex, opts.workbook ? opts.file : undefined);
        if (defaultPlan !== undefined) report.detail += `; no Plan column, so every action is in the plan "${defaultPlan}" (${defaultPlan === grid.name ? 'the sheet\'s name' : 'the line above the headings'})`;
        const table = readPlanTable(rows, { file: label, ...(defaultPlan !== undefined ? { defaultPlan } : {}) });
        out.problems.push(...table.problems);
        out.notices.push(...table.notices);
        out.rowFlags = table.rowFlags;
        out.document.plans = table.document.plans ?? [];
        break;
      }
      case 'kpis': {
        matchedBy(KPI_HEADER_ALIASES);
        for (const p of periodColumns(headers)) used.add(p.heading);
        // A workbook's KPI sheet with headings and no rows (sendbot's own export of a plan without
        // KPIs) has nothing to import: it is said, not refused, so the workbook imports back.
        if (rows.length === 0) {
          report.detail += '; no KPIs below the headings, so none are imported from it';
          break;
        }
        // A KPI sheet without a Plan column is read once the plan sheets are: with one plan, it is that plan's.
        if (matchHeaders(headers, KPI_HEADER_ALIASES).columns.plan === undefined) {
          kpiWithoutPlan.push({ rows, label });
          break;
        }
        const { sheet, problems } = readKpiTable(rows, { file: label });
        kpiRows.push(...sheet.rows);
        kpiProblems.push(...problems);
        break;
      }
      case 'people': {
        matchedBy(PEOPLE_HEADER_ALIASES);
        const { people, problems } = readPeopleTable(rows, { file: label });
        out.problems.push(...problems);
        out.people = people;
        out.document.people = people;
        break;
      }
      case 'boards': {
        matchedBy(BOARD_HEADER_ALIASES);
        const { boards, problems } = readBoardsTable(rows, { file: label });
        out.problems.push(...problems);
        out.document.boards = [...((out.document.boards ?? []) as BoardInput[]), ...boards];
        break;
      }
      case 'settings': {
        const read = readSettingsTable(rows, headersOf(rows).length > 0 ? headersOf(rows) : headers, { file: label });
        used = new Set([read.columns.setting, read.columns.value].filter((h): h is string => h !== undefined));
        out.problems.push(...read.problems);
        if (read.partnership !== undefined) out.document.partnership = read.partnership;
        for (const u of read.unknown) {
          out.unusedColumns.push({ sheet: grid.name, heading: `setting "${u.name}" (row ${u.row})`, needs: 'not a setting sendbot knows: Partnership name, Programme channel, Office hours, Timezone, or a school term ("Autumn term 2024")' });
        }
        break;
      }
    }
    const { unused, own } = unusedColumns(grid.name, found.kind, headers, used, shadowed);
    out.unusedColumns.push(...unused);
    out.sendbotColumns.push(...own.map((heading) => ({ sheet: grid.name, heading })));
  }
  const onlyPlan = out.document.plans?.length === 1 ? out.document.plans[0]?.title : undefined;
  for (const { rows, label } of kpiWithoutPlan) {
    const { sheet, problems } = readKpiTable(rows, { file: label, ...(onlyPlan !== undefined ? { defaultPlan: onlyPlan } : {}) });
    kpiRows.push(...sheet.rows);
    kpiProblems.push(...problems);
  }
  if (kpiRows.length > 0 || kpiProblems.length > 0) out.kpiSheet = { file: opts.file, rows: kpiRows, problems: kpiProblems };
  return out;
}

const GENERIC_SHEET = /^(?:sheet\s*\d*|actions?|action plan|plan|data|table\s*\d*)$/i;
const NOT_A_TITLE = /^(?:version|v\d|draft|updated|last updated|date|status|owner|author|produced)\b/i;

/**
 * The plan's title for a table with no Plan column: the first line above the headings that reads
 * like a title (not "Version 3", "Updated …"), else the sheet's name unless it is generic
 * ("Sheet1", "Actions"), else the file's name without its extension.
 */
function planTitleFor(grid: SheetGrid, headerIndex: number, file: string | undefined): string | undefined {
  for (let i = 0; i < headerIndex; i++) {
    const texts = (grid.rows[i]?.cells ?? []).map(headingText).filter((t) => t !== '');
    const first = texts[0];
    if (texts.length === 1 && first !== undefined && !NOT_A_TITLE.test(first) && first.length <= 200) return first;
  }
  if (file === undefined) return undefined;
  if (!GENERIC_SHEET.test(grid.name.trim())) return grid.name.trim();
  return file.replace(/\.[^.]+$/, '');
}
