// Reads a plan file of any supported kind into a validated PlanDocument (and, from a workbook, its
// KPI, people, boards and settings sheets). Nothing here writes.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ImportError, type ImportProblem } from './import-errors.js';
import { checkImportedText } from './imported-text-checks.js';
import { type ActionInput, isSettledAction, type PersonInput, type PlanDocument, type PlanDocumentInput, planDocumentSchema } from './plan-document.js';
import { describePath, plainErrorMap } from './plain-issues.js';
import { CSV_UNHEADED_HINT, parseCsvGrid } from './read-csv.js';
import type { KpiSheet } from './read-kpi-table.js';
import { readWorkbookTables, type SheetReport, type WorkbookTables } from './read-workbook-tables.js';
import { readWorkbook, XLSX_UNHEADED_HINT } from './read-xlsx.js';
import { readYaml } from './read-yaml.js';
import type { SheetGrid } from './sheet-grid.js';
import type { UnusedColumn } from './unused-columns.js';

export interface LoadedPlan {
  document: PlanDocument;
  file: string;
  lineOf?: (path: (string | number)[]) => number | undefined;
  /** Readings an officer should check (table files: a lead carried down, a date only in the text). */
  notices: ImportProblem[];
  /** Report flags by source row (table files: 'lead-inherited', 'date-in-text'). */
  rowFlags: Map<number, string[]>;
  /** KPI rows (from a KPI sheet or a KPI CSV): import them with importKpiSheet, after the document. */
  kpiSheet?: KpiSheet;
  /** The people sheet's people (also in `document.people`, so the plan import applies them). */
  people: PersonInput[];
  /** Table files: which sheet was read as what, and which were skipped and why. */
  sheets: SheetReport[];
  /** Table files: every column (or setting) not read, with what it would need. */
  unusedColumns: UnusedColumn[];
  /** Table files: sendbot's own read-only columns (from `sendbot export`), not read back. */
  sendbotColumns: Array<{ sheet: string; heading: string }>;
}

export const PLAN_FILE_KINDS = '.yaml, .yml, .csv or .xlsx';

export interface LoadOptions {
  /** A workbook's sheet to read alone (`--sheet NAME`). */
  sheet?: string;
}

/**
 * Reads a plan file of any supported kind. A workbook is one bundle: every sheet recognised by its
 * headings (plan actions, KPIs, people, boards, settings) goes into one document and KPI sheet.
 */
export async function loadPlanFile(path: string, opts: LoadOptions = {}): Promise<LoadedPlan> {
  // Every text the file brings gets chat's checks, once, whatever read it (imported-text-checks.ts).
  return checkImportedText(await readPlanFile(path, opts));
}

async function readPlanFile(path: string, opts: LoadOptions): Promise<LoadedPlan> {
  const file = basename(path);
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder, not a file' : (code ?? 'error');
    throw new ImportError({ file, message: `cannot read the file: ${why}` });
  }
  const kind = extname(path).toLowerCase();
  if (opts.sheet !== undefined && kind !== '.xlsx') throw new ImportError({ file, message: '--sheet picks a sheet of an .xlsx workbook; this file has no sheets' });
  switch (kind) {
    case '.yaml':
    case '.yml': {
      const { value, lineOf } = readYaml(decodeUtf8(content, file), planDocumentSchema, file);
      return { document: value, file, lineOf, notices: [], rowFlags: new Map(), people: [], sheets: [], unusedColumns: [], sendbotColumns: [] };
    }
    case '.csv': {
      const grid = parseCsvGrid(content, { file });
      notAPlanIfProse(grid, file);
      return fromTables(readWorkbookTables([grid], { file, workbook: false, unheadedHint: CSV_UNHEADED_HINT }), file);
    }
    case '.xlsx': {
      const { sheets, skipped } = await readWorkbook(content, { file });
      return fromTables(readWorkbookTables(sheets, { file, workbook: true, unheadedHint: XLSX_UNHEADED_HINT, skipped, ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}) }), file);
    }
    default:
      throw new ImportError({ file, message: `unsupported file type; use ${PLAN_FILE_KINDS}` });
  }
}

/** A CSV file whose lines are sentences, not a table: one plain sentence rather than many row problems. */
function notAPlanIfProse(grid: SheetGrid, file: string): void {
  if (grid.rows.length === 0) throw new ImportError({ file, message: 'the file is empty; a plan file has a header row and one row per action' });
  if (grid.rows.every((r) => r.cells.filter((c) => typeof c === 'string' && c.trim() !== '').length <= 1)) {
    throw new ImportError({ file, message: 'the file is not a table (no line has two or more cells separated by commas); a plan file has a header row such as "Improvement Plan, Strategic Workstream Priority, Key Actions" and one row per action' });
  }
}

function fromTables(tables: WorkbookTables, file: string): LoadedPlan {
  const { document, notices, rowFlags, kpiSheet, people, sheets, unusedColumns, sendbotColumns } = tables;
  const problems = [...tables.problems];
  // Row problems of a KPI sheet are listed with the importer's (unknown plans, workstreams…); a sheet
  // whose columns cannot be used stops here.
  if (kpiSheet !== undefined && kpiSheet.rows.length === 0 && kpiSheet.problems.length > 0) problems.push(...kpiSheet.problems);
  const read = sheets.filter((s) => s.readAs !== undefined);
  if (problems.length === 0 && read.length === 0) {
    throw new ImportError({
      file,
      message: `no sheet holds a plan, KPIs, people, boards or settings (${sheets.map((s) => `"${s.sheet}": ${s.skipped}`).join('; ')}). A plan sheet has headings such as "Workstream", "Action", "Lead", "Due date"`,
    });
  }
  if (problems.length > 0) throw new ImportError(sortByFileAndRow(problems));
  const parsed = parseTableDocument(document);
  if (!parsed.success) {
    const extra: ImportProblem[] = parsed.error.issues.map((i) => {
      // The action (and so the row) the problem is in, when it is in one.
      const [, p, , w, , a] = i.path;
      const row = typeof p === 'number' && typeof w === 'number' && typeof a === 'number' ? document.plans?.[p]?.workstreams?.[w]?.actions?.[a]?.source_line : undefined;
      return { file, ...(row !== undefined ? { line: row } : {}), path: describePath(i.path), message: i.message };
    });
    throw new ImportError(extra);
  }
  return { document: parsed.data, file, notices, rowFlags, ...(kpiSheet !== undefined ? { kpiSheet } : {}), people, sheets, unusedColumns, sendbotColumns };
}

/** Problems of several sheets: each sheet's together, in row order. */
function sortByFileAndRow(problems: ImportProblem[]): ImportProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.file ?? '').localeCompare(b.p.file ?? '') || (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * planDocumentSchema over a table's document. When every action is already settled (isSettledAction:
 * zod would return it unchanged, as for nearly every table row), zod checks the document without its
 * actions and they are put back as they are; otherwise the whole document goes through zod, so the
 * messages are exactly zod's.
 */
function parseTableDocument(document: PlanDocumentInput): ReturnType<typeof planDocumentSchema.safeParse> {
  const plans = document.plans ?? [];
  const settled = plans.every((p) => (p.workstreams ?? []).every((w) => (w.actions ?? []).every(isSettledAction)));
  if (!settled) return planDocumentSchema.safeParse(document, { error: plainErrorMap });
  const withoutActions = { ...document, plans: plans.map((p) => ({ ...p, workstreams: (p.workstreams ?? []).map((w) => ({ ...w, actions: [] })) })) };
  const parsed = planDocumentSchema.safeParse(withoutActions, { error: plainErrorMap });
  if (parsed.success) {
    parsed.data.plans.forEach((p, i) => {
      p.workstreams.forEach((w, j) => {
        w.actions = (plans[i]?.workstreams?.[j]?.actions ?? []) as ActionInput[];
      });
    });
  }
  return parsed;
}

export function decodeUtf8(content: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw new ImportError({ file, message: 'the file is not UTF-8 text; save it as UTF-8 and try again' });
  }
}
