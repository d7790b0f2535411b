// Reads a plan laid out as a table (one row per action) into the neutral PlanDocumentInput shape.
// The rows come from read-csv.ts or read-xlsx.ts; this module is pure and does no I/O.
//
// Columns are found by heading (plan-headings.ts, matched as match-headers.ts says). Columns it does
// not use are named by the caller's report (see unused-columns.ts), never dropped silently.
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
//   workstream's rows; in a workbook, only a cell that IS under a merged block), so a new
//   workstream's blank With means none, and a With on a later row never reaches the rows above it.
//   "none", "n/a" or "-" says none and stops the carry. When every action of a workstream ends up
//   with the same roles they are the workstream's supporting roles; otherwise each action keeps its own.
// - due: every action keeps its row's date cell as written. A blank date cell takes the date above
//   ONLY when it is blank because it lies under a merged block (a workbook says so exactly), or, in a
//   CSV (which cannot say), when the row's workstream cell is blank too (the rows of a merged block
//   saved as CSV) and it is the same workstream. A cell that says something ("Ongoing", "TBC") is never
//   replaced. The first date cell of a workstream is also the workstream's "Date of Completion".
//   Where the file has a date column, a row with no date whose action text holds one is flagged
//   'date-in-text' (with a notice): its date is not taken from the text without an officer knowing.
// - action, ref, status, owner, progress, % complete: never carried down; they belong to the row.
//
// A row with a blank action is a problem, except a row that starts a new workstream (a heading
// row whose actions follow on the next rows); a workstream that ends up with no actions at all is a
// problem. An action cell holding a bulleted list ("• a\n• b") becomes one action per bullet, unless
// the row has a ref (a ref names exactly one action).
//
// Numbers are only those the file states: a ref like "ND-1.2" gives the plan code (ND), workstream
// number (1) and action number (2); "3" gives the action number; a workstream title "4. Joint
// commissioning" gives the workstream number (the title is kept as written). Nothing is numbered by
// its position: the store matches unnumbered rows by their text and numbers them itself.
import type { ImportProblem } from './import-errors.js';
import { headersOf, matchHeaders } from './match-headers.js';
import { readDeadline } from '../domain/deadlines.js';
import { looksDated, numberInTitle, type ParsedRef, parseRef, splitBulletedActions } from './plan-cell-words.js';
import { type PlanField, PLAN_HEADER_ALIASES, PLAN_LABEL as LABEL } from './plan-headings.js';
import { planSchema, splitRoleList, type PlanDocumentInput } from './plan-document.js';
import { type ActionProgress, progressAsOf, readProgress } from './read-progress.js';
import { readRowCells, type TableRow } from './table-cells.js';

// Kept exported from here for the modules and tests that import them from this file.
export { cellText, MAX_CELL_LENGTH, readRowCells, type TableRow } from './table-cells.js';
export { headersOf, matchHeaders, normaliseHeader } from './match-headers.js';
export { parseRef, splitBulletedActions, stripBullet } from './plan-cell-words.js';
export { PLAN_HEADER_ALIASES, type PlanField } from './plan-headings.js';

const REQUIRED: readonly PlanField[] = ['plan', 'workstream', 'action'];
const FIELDS = Object.keys(PLAN_HEADER_ALIASES) as PlanField[];

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
  progress?: ActionProgress;
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
  /** The due date came from a Workstream date column. */
  dueStated?: boolean;
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

const NO_PROGRESS: ReturnType<typeof readProgress> = {};

/** Cells that say "no supporting roles" and stop the With above from carrying down. */
const NO_ROLES = /^(?:none|n\/?a|nil|no one|nobody|-|–|—)$/i;

export interface PlanTableOptions {
  file?: string;
  /**
   * The plan's title when the table has no plan column (a workbook holding one plan, its title on a
   * line above the headings or in the sheet's name): every row belongs to it.
   */
  defaultPlan?: string;
}

export function readPlanTable(rows: TableRow[], opts: PlanTableOptions = {}): PlanTable {
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

  const missing = REQUIRED.filter((f) => col[f] === undefined && !(f === 'plan' && opts.defaultPlan !== undefined));
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
  /** The date the progress column's heading names ("Progress update (Nov 23)"). */
  const asOf = progressAsOf(col.progress);
  /** A CSV cannot say which cells were merged; a workbook's rows always say (see TableRow.merged). */
  const knowsMerges = rows.some((r) => r.merged !== undefined);
  let withRoles: string[] | undefined;

  // The columns this file has, found once rather than on every row.
  const present = FIELDS.flatMap((f) => (col[f] === undefined ? [] : [[f, col[f]] as const]));
  for (const { row, cells, merged } of rows) {
    const { vals, given, bad } = readRowCells(cells, present, row, problem);
    if (given === 0) continue; // blank row (or nothing readable, already reported)
    if (vals.plan === undefined && plan === undefined && opts.defaultPlan !== undefined && col.plan === undefined) vals.plan = opts.defaultPlan;

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
          const stated = numberInTitle(vals.workstream);
          if (stated !== undefined && !plan.workstreams.some((o) => o.number === stated)) {
            next.number = stated;
            next.numberRow = row;
          }
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
      if (leadAbove !== undefined && !startedPlan && merged?.has(col.lead) === true) {
        // The lead cell is merged across this workstream and the one above: the value is exactly that block's.
        ws.lead = lead = leadAbove;
        leadRow = leadAboveRow;
      } else if (leadAbove !== undefined && !startedPlan) {
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

    // With: this row's own, or carried down from the row above within the workstream (in a workbook,
    // only under a merged block: a blank cell that is not merged says nobody).
    if (vals.with !== undefined) withRoles = NO_ROLES.test(vals.with.trim()) ? [] : dedupe(splitRoleList(vals.with));
    else if (knowsMerges && col.with !== undefined && merged?.has(col.with) !== true && !bad.has('with')) withRoles = undefined;

    // The workstream's own date, where the sheet has a column for it; else its first action's date.
    if (vals.workstream_due !== undefined && ws.dueStated !== true) {
      ws.due = vals.workstream_due;
      ws.dueStated = true;
    }
    // Due: the row's own cell; the date above only under a merged block (see the top of this file).
    if (vals.due !== undefined) {
      due = vals.due;
      // Only the workstream's first row gives it a date: a later row's date never reaches the rows above.
      // A workbook says which blank cells lie under a merged date (those rows carry it themselves), so
      // there a workstream has a date only from a Workstream date column: an unmerged blank cell is no date.
      if (ws.due === undefined && col.workstream_due === undefined && ws.firstRow === row && !knowsMerges) ws.due = vals.due;
    } else if (startedWorkstream || bad.has('due')) due = undefined;
    else if (col.due !== undefined) {
      // A CSV cannot show merges: a blank row of the same workstream carries a date down, but never a
      // word that is not one ("Complete" would complete the rows below; "TBC", "Ongoing" say nothing of them).
      const underMerge = knowsMerges ? merged?.has(col.due) === true : vals.workstream === undefined && due !== undefined && carriesAsDate(due);
      if (!underMerge) due = undefined;
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
      } else if (ref.workstream !== undefined) {
        applyRef(plan, ws, ref as ParsedRef & { workstream: number }, vals.ref, row, col.ref!);
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
    // Most rows of a large plan state no progress: nothing to build.
    const hasProgress = vals.status !== undefined || vals.percent !== undefined || vals.progress !== undefined;
    const { progress, unreadPercent } = hasProgress ? readProgress({ status: vals.status, percent: vals.percent, note: vals.progress }, asOf) : NO_PROGRESS;
    if (unreadPercent !== undefined) {
      problem(`"${unreadPercent}" is not a percentage; write a whole number from 0 to 100, e.g. 60%`, row, col.percent);
    }
    if (vals.due === undefined && col.due !== undefined && looksDated(vals.action)) {
      // A date in the text is not made the due date behind an officer's back (see the top of this file).
      rowFlags.set(row, [...new Set([...(rowFlags.get(row) ?? []), 'date-in-text'])]);
      const shown = vals.action.length > 60 ? `${vals.action.slice(0, 60)}…` : vals.action;
      notices.push({
        ...fileField,
        line: row,
        column: col.due,
        message:
          `the date cell is blank${due !== undefined ? ` (so the date above, "${due}", applies)` : ''} but the action's text holds a date ("${shown}"); ` +
          `write the due date in the ${col.due} column if the text's date is the one meant`,
      });
    }
    for (const [i, text] of texts.entries()) {
      const action: ActionBuild = { text, row, with: withRoles ?? [] };
      if (ref !== undefined && i === 0) {
        const clash = ws.actions.find((a) => a.number === ref!.action);
        if (clash) {
          problem(`ref "${vals.ref}" repeats action number ${ref.action}, already used on row ${clash.row}`, row, col.ref);
        } else action.number = ref.action;
      }
      if (owner !== undefined) action.owner = owner;
      if (due !== undefined) action.due = due;
      if (vals.status !== undefined) action.status = vals.status;
      if (progress !== undefined) action.progress = progress;
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

  function applyRef(p: PlanBuild, w: WorkstreamBuild, ref: ParsedRef & { workstream: number }, text: string, row: number, column: string): void {
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
    for (const w of p.workstreams) {
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
            if (a.progress !== undefined) action.progress = a.progress;
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

function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/** A date cell a blank CSV row below may take: one that reads as a due date, not a status or a doubt. */
function carriesAsDate(cell: string): boolean {
  const read = readDeadline(cell, {});
  return read.due !== null && !read.completed && !read.ongoing && read.flags.length === 0;
}
