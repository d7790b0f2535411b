// Reads a plan laid out as a table (one row per action) into the neutral PlanDocumentInput shape.
// The rows come from read-csv.ts or read-xlsx.ts; this module is pure and does no I/O.
//
// Columns are found by header, ignoring case, spaces and punctuation, either by their snake_case
// names (plan, plan_code, workstream, lead, with, due, action, ref, board, status, owner) or by the
// plan's own headings ("Improvement Plan", "Strategic Workstream Priority", "Accountable Lead",
// "With", "Date of Completion", "Key Actions", ...). Other columns are ignored.
//
// Blank cells and merged cells (exported from Word or Excel, where only the first row of a merged
// block holds the value) are read as "same as the row above", with these rules:
//
// - plan: carries down the whole file. A different plan title starts (or returns to) that plan.
// - plan_code, board: carry down across workstreams, but not into a different plan.
// - workstream: carries down within its plan. A different title starts a new workstream, or returns
//   to an earlier one with the same title; a title repeated on every row just continues.
// - lead: carries down within the plan. The first value on a workstream's rows is its lead; a row
//   whose lead (given or carried down) differs from it makes that lead the action's owner, unless the
//   row has an owner of its own. A new workstream whose Accountable Lead is blank takes the lead from
//   the row above (a lead cell merged across two workstreams) and is reported for an officer to
//   check: a notice naming the row, and the flag 'lead-inherited' on each of its actions. The first
//   workstream of a plan with a blank lead is a problem (if the file has a lead column at all).
// - with: belongs to its row. Each action's supporting roles are its own row's With; a blank With
//   carries down from the row above within the same workstream only (a With cell merged down the
//   workstream's rows), so a new workstream's blank With means none, and a With on a later row never
//   reaches the rows above it. "none", "n/a" or "-" says none and stops the carry. When every action of
//   a workstream ends up with the same roles they are the workstream's supporting roles; otherwise
//   each action keeps its own.
// - due: carries down only within the same workstream; a new workstream's blank due means none. The
//   first value seen for the workstream is the workstream's "Date of Completion". A row whose due
//   (given or carried down) differs from it gives that action its own due date.
// - action, ref, status, owner: never carried down; they belong to the row.
//
// A row with a blank action is a problem, except a row that starts a new workstream (a heading
// row whose actions follow on the next rows); a workstream that ends up with no actions at all is a
// problem. An action cell holding a bulleted list ("• a\n• b") becomes one action per bullet, unless
// the row has a ref (a ref names exactly one action).
//
// Refs like "ND-1.2" give the plan code (ND), workstream number (1) and action number (2). Rows
// without a ref are numbered in order of first appearance: workstreams within their plan, actions
// within their workstream, skipping numbers already taken by refs.
import { checkFormulaText, formulaCellMessage } from './formula-cells.js';
import { planSchema, splitRoleList, type PlanDocumentInput } from './plan-document.js';
import type { ImportProblem } from './import-errors.js';

/** One data row of a table file; `row` is the spreadsheet row number (header row = 1). */
export interface TableRow {
  row: number;
  /** Cell values keyed by the original header text. */
  cells: Record<string, unknown>;
}

export type PlanField =
  | 'plan'
  | 'plan_code'
  | 'workstream'
  | 'lead'
  | 'with'
  | 'due'
  | 'action'
  | 'ref'
  | 'board'
  | 'status'
  | 'owner';

/** Accepted headers per field; compared after normaliseHeader(). */
export const PLAN_HEADER_ALIASES: Record<PlanField, readonly string[]> = {
  plan: ['plan', 'Improvement Plan', 'Plan Title', 'Plan Name'],
  plan_code: ['plan_code', 'Plan Code', 'Code'],
  workstream: ['workstream', 'Strategic Workstream Priority', 'Strategic Workstream', 'Workstream Title', 'Workstreams'],
  lead: ['lead', 'Accountable Lead', 'Accountable Leads', 'Lead Officer'],
  with: ['with', 'Supporting', 'Supported By'],
  due: ['due', 'Date of Completion', 'Deadline', 'Due Date', 'Completion Date'],
  action: ['action', 'Key Actions', 'Key Action', 'Actions'],
  ref: ['ref', 'Reference', 'Ref No', 'Action Ref'],
  board: ['board'],
  status: ['status', 'RAG', 'RAG Status'],
  owner: ['owner', 'Action Owner'],
};

/** The plan's own heading for each field, used in messages. */
const LABEL: Record<PlanField, string> = {
  plan: 'Improvement Plan',
  plan_code: 'Plan Code',
  workstream: 'Strategic Workstream Priority',
  lead: 'Accountable Lead',
  with: 'With',
  due: 'Date of Completion',
  action: 'Key Actions',
  ref: 'Ref',
  board: 'Board',
  status: 'Status',
  owner: 'Owner',
};

const REQUIRED: readonly PlanField[] = ['plan', 'workstream', 'action'];
const FIELDS = Object.keys(PLAN_HEADER_ALIASES) as PlanField[];

/** Longest text accepted in one cell. */
export const MAX_CELL_LENGTH = 10_000;

/** "Date of Completion" → "dateofcompletion"; "plan_code" and "Plan Code" → "plancode". */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Header texts in order of first appearance across the rows. */
export function headersOf(rows: readonly TableRow[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const h of Object.keys(r.cells)) seen.add(h);
  return [...seen];
}

export interface HeaderMatch<F extends string> {
  /** Field → original header text of the column that supplies it. */
  columns: Partial<Record<F, string>>;
  problems: ImportProblem[];
}

/** Match headers to fields; a second column meaning the same field is a problem (the first wins). */
export function matchHeaders<F extends string>(
  headers: readonly string[],
  aliases: Record<F, readonly string[]>,
  labels: Record<F, string>,
  file?: string,
): HeaderMatch<F> {
  const lookup = new Map<string, F>();
  for (const field of Object.keys(aliases) as F[]) {
    for (const a of aliases[field]) lookup.set(normaliseHeader(a), field);
  }
  const columns: Partial<Record<F, string>> = {};
  const problems: ImportProblem[] = [];
  for (const h of headers) {
    const field = lookup.get(normaliseHeader(h));
    if (field === undefined) continue;
    const first = columns[field];
    if (first === undefined) columns[field] = h;
    else
      problems.push({
        ...(file !== undefined ? { file } : {}),
        column: h,
        message: `columns "${first}" and "${h}" both look like the ${labels[field]} column; remove or rename one`,
      });
  }
  return { columns, problems };
}

export type CellTextResult = { ok: true; text: string } | { ok: false; message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * A cell value as trimmed text. Handles strings, numbers, booleans, Dates (as YYYY-MM-DD) and the
 * objects exceljs produces: rich text, hyperlinks and error values. Formula cells, and text a
 * spreadsheet would run as a formula ("=…", "@…", "-cmd|…"), are refused: see formula-cells.ts.
 */
/** What readRowCells found in one row. */
export interface RowCells<F extends string> {
  /** The readable, non-blank cells by field. */
  vals: Partial<Record<F, string>>;
  /** How many cells were readable and not blank: 0 is a blank row (or one with nothing readable). */
  given: number;
  /** Fields whose cell was refused (a formula, a cell too long…); each was reported. */
  bad: ReadonlySet<F>;
}

const NONE_BAD: ReadonlySet<never> = new Set();

/**
 * Reads the cells of one row that `present` names (field → header), reporting each one that cannot
 * be used (formulas, error values, over MAX_CELL_LENGTH) to `report` with its row and column. Shared
 * by the plan, KPI and people readers, so a cell is refused the same way whichever file it is in.
 */
export function readRowCells<F extends string>(
  cells: TableRow['cells'],
  present: readonly (readonly [F, string])[],
  row: number,
  report: (message: string, row: number, header: string) => void,
): RowCells<F> {
  const vals: Partial<Record<F, string>> = {};
  let given = 0;
  let bad: ReadonlySet<F> = NONE_BAD;
  for (const [f, header] of present) {
    const value = cells[header];
    // Most cells of a large plan are blank (carried down from above): nothing to read or check.
    if (value === '' || value === undefined || value === null) continue;
    const r = cellText(value);
    if (!r.ok) {
      report(r.message, row, header);
      bad = new Set([...bad, f]);
    } else if (r.text.length > MAX_CELL_LENGTH) {
      report(`the cell holds ${r.text.length.toLocaleString('en-GB')} characters; the most allowed is ${MAX_CELL_LENGTH.toLocaleString('en-GB')}`, row, header);
      bad = new Set([...bad, f]);
    } else if (r.text !== '') {
      vals[f] = r.text;
      given++;
    }
  }
  return { vals, given, bad };
}

export function cellText(value: unknown, depth = 0): CellTextResult {
  if (value === null || value === undefined) return { ok: true, text: '' };
  if (typeof value === 'string') return checkFormulaText((value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value).trim());
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { ok: true, text: String(value) } : { ok: false, message: 'the cell holds an invalid number' };
  }
  if (typeof value === 'boolean') return { ok: true, text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? { ok: false, message: 'the cell holds an invalid date' }
      : { ok: true, text: value.toISOString().slice(0, 10) };
  }
  if (!isRecord(value) || depth > 4) return { ok: false, message: 'the cell holds a value that cannot be read as text' };
  if (typeof value.error === 'string') {
    return { ok: false, message: `the cell shows the error ${value.error}; fix the formula or type the value in` };
  }
  if (Array.isArray(value.richText)) {
    const text = value.richText.map((run: unknown) => (isRecord(run) && typeof run.text === 'string' ? run.text : '')).join('');
    return cellText(text, depth + 1);
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = typeof value.formula === 'string' ? value.formula : undefined;
    const shared = typeof value.sharedFormula === 'string' ? value.sharedFormula : undefined;
    return { ok: false, message: formulaCellMessage(formula, shared) };
  }
  if ('hyperlink' in value || 'text' in value) return cellText(value.text, depth + 1);
  return { ok: false, message: 'the cell holds a value that cannot be read as text' };
}

const BULLET = /^\s*(?:[•●◦▪■□‣⁃·○►▸➢✓]\s*|[-–—*+]\s+|\(?\d{1,2}[.)]\s+)/u;

/** Strip one leading bullet marker ("• ", "- ", "* ", "▪", "1. ", "2) "). */
export function stripBullet(line: string): string {
  return line.replace(BULLET, '').trim();
}

/**
 * "• a\n• b" → ["a", "b"]. Only a cell whose first line is a bullet is split; lines without a
 * marker continue the bullet above (wrapped text). Any other cell is one action.
 */
export function splitBulletedActions(text: string): string[] {
  // Most cells are one line: no need to split.
  const lines = text.includes('\n') ? text.split('\n').filter((l) => l.trim() !== '') : text.trim() === '' ? [] : [text];
  const first = lines[0];
  if (first === undefined) return [];
  if (!BULLET.test(first)) return [text.trim()];
  const items: string[] = [];
  for (const line of lines) {
    if (BULLET.test(line) || items.length === 0) items.push(stripBullet(line));
    else items[items.length - 1] = `${items[items.length - 1]} ${line.trim()}`.trim();
  }
  return items.filter((s) => s !== '');
}

/** "ND-1.2", "ND 1.2", "ND1.2", "1.2". */
const REF_RE = /^(?:([A-Za-z][A-Za-z0-9]*?)\s*[-–]?\s*)?(\d{1,3})\.(\d{1,3})$/;

export interface ParsedRef {
  code?: string;
  workstream: number;
  action: number;
}

export function parseRef(text: string): ParsedRef | undefined {
  const m = REF_RE.exec(text.trim());
  if (!m) return undefined;
  const workstream = Number(m[2]);
  const action = Number(m[3]);
  if (workstream < 1 || action < 1) return undefined;
  return { ...(m[1] !== undefined ? { code: m[1].toUpperCase() } : {}), workstream, action };
}

type PlanIn = NonNullable<PlanDocumentInput['plans']>[number];
type WorkstreamIn = NonNullable<PlanIn['workstreams']>[number];
type ActionIn = NonNullable<WorkstreamIn['actions']>[number];

interface ActionBuild {
  number?: number;
  text: string;
  owner?: string;
  /** Supporting roles from this action's own row (given or carried down). */
  with: string[];
  due?: string;
  status?: string;
  row: number;
}

interface WorkstreamBuild {
  key: string;
  title: string;
  firstRow: number;
  number?: number;
  numberRow?: number;
  lead?: string;
  with: string[];
  due?: string;
  board?: string;
  boardRow?: number;
  actions: ActionBuild[];
  /** An action cell on one of its rows could not be read (already reported). */
  badActionCell: boolean;
  /** The lead was blank on the workstream's first row and carried down from this row above. */
  leadFromRow?: number;
}

interface PlanBuild {
  key: string;
  title: string;
  code?: string;
  codeRow?: number;
  workstreams: WorkstreamBuild[];
  byKey: Map<string, WorkstreamBuild>;
}

/** Titles and names compare ignoring case and runs of whitespace. */
function sameKey(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** What a plan table reads into. */
export interface PlanTable {
  document: PlanDocumentInput;
  /** Anything that stops the import. */
  problems: ImportProblem[];
  /** Readings an officer should check, which do not stop the import (a lead carried down). */
  notices: ImportProblem[];
  /** Flags for the import report, by source row (e.g. 'lead-inherited'). */
  rowFlags: Map<number, string[]>;
}

/** Cells that say "no supporting roles" and stop the With above from carrying down. */
const NO_ROLES = /^(?:none|n\/?a|nil|no one|nobody|-|–|—)$/i;

export function readPlanTable(rows: TableRow[], opts: { file?: string } = {}): PlanTable {
  const problems: ImportProblem[] = [];
  const notices: ImportProblem[] = [];
  const rowFlags = new Map<number, string[]>();
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  const problem = (message: string, line?: number, column?: string): void => {
    problems.push({
      ...fileField,
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
      message,
    });
  };

  if (rows.length === 0) {
    problem('the file has no rows below the header row, so there are no actions to import');
    return { document: { plans: [] }, problems, notices, rowFlags };
  }

  const headers = headersOf(rows);
  const matched = matchHeaders(headers, PLAN_HEADER_ALIASES, LABEL, opts.file);
  problems.push(...matched.problems);
  const col = matched.columns;

  const missing = REQUIRED.filter((f) => col[f] === undefined);
  if (missing.length > 0) {
    const found = headers.filter((h) => h.trim() !== '').map((h) => `"${h}"`).join(', ');
    for (const f of missing) {
      const names = PLAN_HEADER_ALIASES[f].map((a) => `"${a}"`).join(', ');
      problem(`missing the ${LABEL[f]} column (a column headed one of ${names}); the columns found were ${found || '(none)'}`);
    }
    return { document: { plans: [] }, problems: sortProblems(problems), notices, rowFlags };
  }

  const plans: PlanBuild[] = [];
  const plansByKey = new Map<string, PlanBuild>();
  let plan: PlanBuild | undefined;
  let ws: WorkstreamBuild | undefined;
  // Values carried down from the rows above (see the rules at the top of this file).
  let board: string | undefined;
  let lead: string | undefined;
  /** The row on which the carried lead was written. */
  let leadRow: number | undefined;
  let due: string | undefined;
  let withRoles: string[] | undefined;

  // The columns this file has, found once rather than on every row.
  const present = FIELDS.flatMap((f) => (col[f] === undefined ? [] : [[f, col[f]] as const]));
  for (const { row, cells } of rows) {
    const { vals, given, bad } = readRowCells(cells, present, row, problem);
    if (given === 0) continue; // blank row (or nothing readable, already reported)

    // Plan.
    let startedPlan = false;
    if (vals.plan !== undefined) {
      const key = sameKey(vals.plan);
      if (plan === undefined || plan.key !== key) {
        let next = plansByKey.get(key);
        if (next === undefined) {
          next = { key, title: vals.plan, workstreams: [], byKey: new Map() };
          plansByKey.set(key, next);
          plans.push(next);
        }
        plan = next;
        startedPlan = true;
        ws = undefined;
        board = lead = due = leadRow = withRoles = undefined;
      }
    }
    if (plan === undefined) {
      if (!bad.has('plan')) problem(`${LABEL.plan} is blank and there is no plan on the rows above to carry down`, row, col.plan);
      continue;
    }

    // Plan code.
    if (vals.plan_code !== undefined) setPlanCode(plan, vals.plan_code, row, col.plan_code!);

    // Board carries down within the plan.
    if (vals.board !== undefined) board = vals.board;

    // Workstream.
    let startedWorkstream = false;
    /** The lead in effect on the row above, for a new workstream whose lead cell is blank (merged). */
    const leadAbove = lead;
    const leadAboveRow = leadRow;
    if (vals.workstream !== undefined) {
      const key = sameKey(vals.workstream);
      if (ws === undefined || ws.key !== key) {
        let next = plan.byKey.get(key);
        if (next === undefined) {
          next = { key, title: vals.workstream, firstRow: row, with: [], actions: [], badActionCell: false };
          plan.byKey.set(key, next);
          plan.workstreams.push(next);
          startedWorkstream = true;
        }
        ws = next;
        lead = ws.lead;
        leadRow = undefined;
        due = ws.due;
        withRoles = undefined;
      }
    }
    if (ws === undefined) {
      if (!bad.has('workstream')) {
        const why = startedPlan ? 'this row starts a new plan' : 'there is no workstream on the rows above to carry down';
        problem(`${LABEL.workstream} is blank and ${why}`, row, col.workstream);
      }
      continue;
    }

    // Board: the first value seen on a workstream's rows is its board.
    if (board !== undefined) {
      if (ws.board === undefined) {
        ws.board = board;
        ws.boardRow = row;
      } else if (vals.board !== undefined && sameKey(vals.board) !== sameKey(ws.board)) {
        problem(
          `Board "${vals.board}" differs from "${ws.board}" given on row ${ws.boardRow} for the same workstream`,
          row,
          col.board,
        );
      }
    }

    // Lead: a new workstream's blank lead is carried down from the row above, and reported.
    if (vals.lead !== undefined) {
      lead = vals.lead;
      leadRow = row;
      if (ws.lead === undefined) ws.lead = vals.lead;
    } else if (startedWorkstream && col.lead !== undefined && !bad.has('lead')) {
      if (leadAbove !== undefined && !startedPlan) {
        ws.lead = lead = leadAbove;
        leadRow = leadAboveRow;
        ws.leadFromRow = leadAboveRow ?? row - 1;
        notices.push({
          ...fileField,
          line: row,
          column: col.lead,
          message:
            `${LABEL.lead} is blank for the new workstream "${ws.title}", so "${leadAbove}" was carried down from row ${ws.leadFromRow} above ` +
            '(as for a merged cell). Check it is right, or write the lead in that cell and import again',
        });
      } else {
        problem(`${LABEL.lead} is blank for a new workstream ("${ws.title}") and there is no lead on the rows above to carry down`, row, col.lead);
      }
    }

    // With: this row's own, or carried down from the row above within the workstream.
    if (vals.with !== undefined) withRoles = NO_ROLES.test(vals.with.trim()) ? [] : dedupe(splitRoleList(vals.with));

    // Due: the first value is the workstream's; a different value is the action's own.
    if (vals.due !== undefined) {
      due = vals.due;
      if (ws.due === undefined) ws.due = vals.due;
    }

    // Ref.
    let ref: ParsedRef | undefined;
    if (vals.ref !== undefined) {
      ref = parseRef(vals.ref);
      if (ref === undefined) {
        problem(
          `"${vals.ref}" is not a reference like ND-1.2 (plan code, then workstream number, a dot and the action number)`,
          row,
          col.ref,
        );
      } else {
        applyRef(plan, ws, ref, vals.ref, row, col.ref!);
      }
    }

    // Action(s).
    if (vals.action === undefined) {
      if (bad.has('action')) ws.badActionCell = true;
      else if (!(startedWorkstream && vals.ref === undefined && vals.status === undefined && vals.owner === undefined)) {
        problem(`${LABEL.action} is blank on a row that has other values; every row needs an action`, row, col.action);
      }
      continue;
    }
    const texts = ref !== undefined ? [vals.action] : splitBulletedActions(vals.action);
    const owner =
      vals.owner ?? (lead !== undefined && ws.lead !== undefined && lead !== ws.lead && sameKey(lead) !== sameKey(ws.lead) ? lead : undefined);
    const ownDue = due !== undefined && ws.due !== undefined && due !== ws.due ? due : undefined;
    for (const [i, text] of texts.entries()) {
      const action: ActionBuild = { text, row, with: withRoles ?? [] };
      if (ref !== undefined && i === 0) {
        const clash = ws.actions.find((a) => a.number === ref!.action);
        if (clash) {
          problem(`ref "${vals.ref}" repeats action number ${ref.action}, already used on row ${clash.row}`, row, col.ref);
        } else action.number = ref.action;
      }
      if (owner !== undefined) action.owner = owner;
      if (ownDue !== undefined) action.due = ownDue;
      if (vals.status !== undefined) action.status = vals.status;
      ws.actions.push(action);
    }
  }

  // Number workstreams and actions; check every workstream has an action.
  const document: PlanDocumentInput = { plans: plans.map((p) => finishPlan(p)) };
  if (plans.length === 0 && problems.length === 0) problem('no actions were found in the file');
  for (const p of plans) {
    for (const w of p.workstreams) {
      if (w.leadFromRow === undefined) continue;
      for (const a of w.actions) rowFlags.set(a.row, [...new Set([...(rowFlags.get(a.row) ?? []), 'lead-inherited'])]);
    }
  }
  return { document, problems: sortProblems(problems), notices: sortProblems(notices), rowFlags };

  function setPlanCode(p: PlanBuild, text: string, row: number, column: string): void {
    const parsed = planSchema.shape.code.safeParse(text);
    if (!parsed.success || parsed.data === undefined) {
      problem(`"${text}" ${parsed.success ? 'is not a plan code' : (parsed.error.issues[0]?.message ?? 'is not a plan code')}`, row, column);
      return;
    }
    if (p.code === undefined) {
      p.code = parsed.data;
      p.codeRow = row;
    } else if (p.code !== parsed.data) {
      problem(`plan code "${parsed.data}" differs from "${p.code}" given on row ${p.codeRow} for the same plan`, row, column);
    }
  }

  function applyRef(p: PlanBuild, w: WorkstreamBuild, ref: ParsedRef, text: string, row: number, column: string): void {
    if (ref.code !== undefined) {
      if (p.code === undefined) setPlanCode(p, ref.code, row, column);
      else if (p.code !== ref.code) {
        problem(`ref "${text}" has plan code ${ref.code}, but this plan's code is ${p.code} (row ${p.codeRow})`, row, column);
      }
    }
    if (w.number === undefined) {
      const other = p.workstreams.find((o) => o !== w && o.number === ref.workstream);
      if (other) {
        problem(
          `ref "${text}" says workstream ${ref.workstream}, but that number belongs to "${other.title}" (row ${other.numberRow})`,
          row,
          column,
        );
      } else {
        w.number = ref.workstream;
        w.numberRow = row;
      }
    } else if (w.number !== ref.workstream) {
      problem(
        `ref "${text}" says workstream ${ref.workstream}, but row ${w.numberRow} numbered this workstream ("${w.title}") ${w.number}`,
        row,
        column,
      );
    }
  }

  function finishPlan(p: PlanBuild): PlanIn {
    numberInOrder(p.workstreams);
    for (const w of p.workstreams) {
      numberInOrder(w.actions);
      if (w.actions.length === 0 && !w.badActionCell) {
        problem(`${LABEL.action} is blank: workstream "${w.title}" has no actions`, w.firstRow, col.action);
      }
    }
    // Supporting roles shared by every action of a workstream are the workstream's.
    for (const w of p.workstreams) {
      const firstWith = w.actions[0]?.with ?? [];
      const firstKeys = roleKeys(firstWith);
      if (w.actions.every((a) => a.with === firstWith || sameRoles(a.with, firstWith, firstKeys))) {
        w.with = firstWith;
        for (const a of w.actions) a.with = [];
      } else w.with = [];
    }
    // A board shared by every workstream is the plan's board.
    const first = p.workstreams[0]?.board;
    const shared =
      first !== undefined && p.workstreams.every((w) => w.board !== undefined && sameKey(w.board) === sameKey(first));
    const out: PlanIn = {
      title: p.title,
      ...(p.code !== undefined ? { code: p.code } : {}),
      ...(shared ? { board: first } : {}),
      workstreams: p.workstreams.map((w) => {
        const ws: WorkstreamIn = {
          ...(w.number !== undefined ? { number: w.number } : {}),
          title: w.title,
          ...(w.lead !== undefined ? { lead: w.lead } : {}),
          with: w.with,
          ...(w.due !== undefined ? { due: w.due } : {}),
          ...(!shared && w.board !== undefined ? { board: w.board } : {}),
          // Plain assignments, not spreads of small objects: this runs once per action (100k in a large plan).
          actions: w.actions.map((a) => {
            const action: ActionIn = { text: a.text };
            if (a.number !== undefined) action.number = a.number;
            if (a.owner !== undefined) action.owner = a.owner;
            if (a.with.length > 0) action.with = a.with;
            if (a.due !== undefined) action.due = a.due;
            if (a.status !== undefined) action.status = a.status;
            action.source_line = a.row;
            return action;
          }),
        };
        return ws;
      }),
    };
    return out;
  }
}

/** Role names without repeats (compared ignoring case and spacing), first spelling kept. */
function dedupe(roles: string[]): string[] {
  const out: string[] = [];
  for (const r of roles) if (!out.some((o) => sameKey(o) === sameKey(r))) out.push(r);
  return out;
}

/** The same roles, in any order. */
function sameRoles(a: string[], b: string[], bKeys: ReadonlySet<string> = roleKeys(b)): boolean {
  return a.length === b.length && a.every((r) => bKeys.has(sameKey(r)));
}

function roleKeys(roles: string[]): Set<string> {
  return new Set(roles.map(sameKey));
}

/** Give unnumbered items the next free number after the item before them. */
function numberInOrder(items: Array<{ number?: number }>): void {
  const used = new Set(items.map((i) => i.number).filter((n): n is number => n !== undefined));
  let next = 1;
  for (const item of items) {
    if (item.number !== undefined) {
      next = item.number + 1;
      continue;
    }
    while (used.has(next)) next++;
    item.number = next;
    used.add(next);
    next++;
  }
}

function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}
