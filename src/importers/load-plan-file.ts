// Reads a plan file of any supported kind into a validated PlanDocument. Nothing here writes.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ImportError, type ImportProblem } from './import-errors.js';
import { checkImportedText } from './imported-text-checks.js';
import { type ActionInput, isSettledAction, type PlanDocument, type PlanDocumentInput, planDocumentSchema } from './plan-document.js';
import { describePath, plainErrorMap } from './plain-issues.js';
import { parseCsvRows } from './read-csv.js';
import { isKpiTable, type KpiSheet, readKpiTable } from './read-kpi-table.js';
import { headersOf, readPlanTable } from './read-plan-table.js';
import { parseXlsxRows } from './read-xlsx.js';
import { readYaml } from './read-yaml.js';

export interface LoadedPlan {
  document: PlanDocument;
  file: string;
  lineOf?: (path: (string | number)[]) => number | undefined;
  /** Readings an officer should check (table files: a lead carried down to a new workstream). */
  notices: ImportProblem[];
  /** Report flags by source row (table files: 'lead-inherited'). */
  rowFlags: Map<number, string[]>;
  /** Set (and `document` empty) when the table is a KPI sheet: import it with importKpiSheet. */
  kpiSheet?: KpiSheet;
}

export const PLAN_FILE_KINDS = '.yaml, .yml, .csv or .xlsx';

export async function loadPlanFile(path: string): Promise<LoadedPlan> {
  return checkImportedText(await readPlanFile(path));
}

async function readPlanFile(path: string): Promise<LoadedPlan> {
  const file = basename(path);
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder, not a file' : (code ?? 'error');
    throw new ImportError({ file, message: `cannot read the file: ${why}` });
  }
  switch (extname(path).toLowerCase()) {
    case '.yaml':
    case '.yml': {
      const { value, lineOf } = readYaml(decodeUtf8(content, file), planDocumentSchema, file);
      return { document: value, file, lineOf, notices: [], rowFlags: new Map() };
    }
    case '.csv':
      return fromTable(parseCsvRows(content, { file }), file);
    case '.xlsx':
      return fromTable(await parseXlsxRows(content, { file }), file);
    default:
      throw new ImportError({ file, message: `unsupported file type; use ${PLAN_FILE_KINDS}` });
  }
}

function fromTable(rows: Parameters<typeof readPlanTable>[0], file: string): LoadedPlan {
  // A KPI sheet (one row per KPI) is told apart by its headers: see read-kpi-table.ts.
  if (isKpiTable(headersOf(rows))) {
    const { sheet, problems } = readKpiTable(rows, { file });
    // Row problems are listed with the importer's (unknown plans, workstreams…); a sheet whose
    // columns cannot be used stops here.
    if (problems.length > 0 && sheet.rows.length === 0) throw new ImportError(problems);
    return { document: planDocumentSchema.parse({}), file, kpiSheet: sheet, notices: [], rowFlags: new Map() };
  }
  const { document, problems, notices, rowFlags } = readPlanTable(rows, { file });
  if (problems.length > 0) throw new ImportError(problems);
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
  return { document: parsed.data, file, notices, rowFlags };
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
