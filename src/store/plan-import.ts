// Writes a validated PlanDocument into the database: one transaction, idempotent, and history-keeping.
// sendbot is the record and a file is a proposal of changes to it:
// - Rows are matched by the numbers the file states (its Ref column), else by their words within the
//   workstream, never by position (domain/row-matching.ts). An uncertain match refuses the import.
// - Each field is merged three ways: what the file said last time (actions.file_base, imported_status,
//   imported_owner), what it says now, and what sendbot holds now (domain/plan-merge.ts). A field the
//   file did not change is never written; one both changed is a conflict: sendbot's value stays and is
//   reported with who changed it, unless the officer passes --prefer-file.
// - Rows missing from the file are reported and kept, unless --remove-missing.
// Re-importing the same file changes nothing; updates, date-change history and baselines are never
// rewritten.
import { sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import {
  type ActionFileBase,
  type ActionStatus,
  actions,
  actionSupportingRoles,
  type MilestoneRow,
  plans,
  workstreams,
} from '../../db/schema.js';
import { toStoredInstant } from '../clock.js';
import type { Deadline, DeadlineContext, SchoolTerm } from '../domain/deadline-types.js';
import { DeadlineMemo } from '../domain/deadline-memo.js';
import { findDeadlineInText } from '../domain/deadlines.js';
import { formatRef, type PlanCodeNote, planCodeFor, uniqueCode } from '../domain/plan-codes.js';
import { type FieldMerge, mergeField, sameList, takesFile } from '../domain/plan-merge.js';
import { matchRows, type MatchedBy, type RowMatches } from '../domain/row-matching.js';
import { plural, shortTitle } from '../messages/format.js';
import { readStatusWord } from '../domain/status.js';
import { parseMeetingTime } from '../domain/meeting-time.js';
import { ImportError, type ImportProblem } from '../importers/import-errors.js';
import { describePath } from '../importers/plain-issues.js';
import type { ActionInput, PlanDocument, PlanInput, WorkstreamInput } from '../importers/plan-document.js';
import { recordAudit } from './audit-repository.js';
import { type SearchIndexChange, searchIndexFor } from './search-index.js';
import { addMeeting, upsertBoard } from './boards-repository.js';
import { type Db, inTransaction, isPostgres } from './database.js';
import { boolParam, inList } from './dialect.js';
import { all, exists, get, prepared, run } from './statements.js';
import { tableRows } from './table-rows.js';
import { type BatchColumn, type BatchColumnType, BatchedInsert } from './batched-insert.js';
import { nameKey } from './keys.js';
import { getPartnership, savePartnership } from './partnership-repository.js';
import { upsertPerson } from './people-repository.js';
import { applyImportedHolders, describeHolderOutcome, type FilePerson } from './imported-holders.js';
import { addRoleAlias, ensureRole } from './roles-repository.js';
import { ImportProvenance, type Provenance } from './import-provenance.js';
import { emptyKpiSummary, KpiImporter, type KpiLocator, type KpiReportRow, type KpiSummary } from './kpi-import.js';
import { storeCall, withConnection } from './unit-of-work.js';
import { sameJson } from './same-json.js';

/** 'missing': no longer in the file, kept (an import removes only with --remove-missing). */
export type Change = 'created' | 'updated' | 'unchanged' | 'removed' | 'missing';

/**
 * A field both the file and sendbot changed since the last import (or, for a database from before
 * the file's base was kept, any difference). sendbot's value is kept unless --prefer-file.
 */
export interface ImportConflict {
  ref: string;
  field: 'due date' | 'status' | 'owner' | 'KPI reading';
  /** The file's value and sendbot's, as the report shows them. */
  file: string;
  sendbot: string;
  /** Who changed sendbot's value and when, when that is recorded. */
  changed_by: string | null;
  changed_at: string | null;
  /** Why sendbot's value differs: "approved a date change", "update from slack", "no earlier import recorded the file's value". */
  why: string;
  resolution: 'kept sendbot' | 'took the file';
  line?: number;
}

/** One line of the import report per action (also the `--json` shape). */
export interface ActionReport {
  ref: string;
  plan: string;
  workstream: string;
  action: string;
  lead: string | null;
  owner: string | null;
  with: string[];
  /** The date phrase the dates came from (the action's own, or its workstream's). */
  date_text: string | null;
  date_source: 'action' | 'workstream' | 'none';
  start: string | null;
  due: string | null;
  ongoing: boolean;
  completed: boolean;
  status: ActionStatus;
  flags: string[];
  change: Change;
  /** How the row was matched to a stored action when not by its ref or its exact words: its text before. */
  reworded_from?: string;
  /** What the import changed on an existing action besides its words: "due date 2025-01-31 → 2025-05-31", "status amber → green". */
  changes?: string[];
  /** Who is accountable, before and after this import, when that changed. */
  owner_change: { from: string; to: string } | null;
  line?: number;
}

export interface ImportSummary {
  plans: Record<Exclude<Change, 'missing'>, number>;
  workstreams: Record<Change, number>;
  actions: Record<Change, number>;
  people: Record<Exclude<Change, 'removed' | 'missing'>, number>;
  boards: Record<Exclude<Change, 'removed' | 'missing'>, number>;
  meetings: { created: number; unchanged: number };
  roles: { created: number };
  /** KPIs of the plans in the file, and readings the file added. */
  kpis: KpiSummary['kpis'];
  kpiReadings: KpiSummary['readings'];
}

export interface ImportReport {
  dryRun: boolean;
  summary: ImportSummary;
  actions: ActionReport[];
  /** One row per KPI in the file. */
  kpis: KpiReportRow[];
  /** Things worth an officer's attention that did not stop the import. */
  warnings: string[];
  /**
   * Changes of owner (who holds a role, who leads a workstream, who is accountable for an action)
   * that the file made, and file owners that were not applied because they changed in chat since.
   */
  owners: string[];
  /** Fields both the file and sendbot changed: see ImportConflict. */
  conflicts: ImportConflict[];
  /** Plans whose code this import made from the title, and how (describePlanCode words it). */
  planCodes: PlanCodeNote[];
}

export interface ImportOptions {
  now: DateTime;
  dryRun?: boolean;
  /** File name for messages. */
  file?: string;
  /** Maps a document path (e.g. ['plans', 0, 'workstreams', 1]) to a source line, for error messages. */
  lineOf?: (path: (string | number)[]) => number | undefined;
  actorLabel?: string;
  /** Readings of the file for an officer to check (e.g. a lead carried down), shown with the warnings. */
  notices?: string[];
  /** Report flags by source line (e.g. 'lead-inherited'), added to those actions' flags. */
  rowFlags?: ReadonlyMap<number, readonly string[]>;
  /** Resolve conflicts with the file's value (the history says whose decision it replaced). */
  preferFile?: boolean;
  /** Mark actions and workstreams no longer in the file removed (they are kept and reported otherwise). */
  removeMissing?: boolean;
}

type ActionRow = typeof actions.$inferSelect;
interface PlanRows {
  workstreams: Map<number, typeof workstreams.$inferSelect>;
  actions: Map<number, Map<string, ActionRow>>;
  supporting: Map<number, number[]>;
  /** An action's own supporting roles, by action id. */
  actionSupporting: Map<number, number[]>;
}

/** A new action's row, waiting to be written with the others (PlanImporter.writePending); its id once written. */
interface PendingAction {
  ref: string;
  /** Dropped once written: the search rows keep this object until the end of the import. */
  row?: Record<string, unknown>;
  id?: number;
}

/** An action stored already (its id), or a new one waiting to be written. */
type ActionTarget = number | PendingAction;

function actionIdOf(target: ActionTarget): number {
  if (typeof target === 'number') return target;
  if (target.id === undefined) throw new Error(`Action ${target.ref} was used before it was written`);
  return target.id;
}

class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

const emptyPlanRows = (): PlanRows => ({ workstreams: new Map(), actions: new Map(), supporting: new Map(), actionSupporting: new Map() });

const counts = () => ({ created: 0, updated: 0, unchanged: 0, removed: 0, missing: 0 });

/** Imports a plan document. Throws ImportError (and writes nothing) when the document cannot be applied. */
export function importPlanDocument(db: Db, doc: PlanDocument, options: ImportOptions): Promise<ImportReport> {
  return withConnection(db, async () => {
    try {
      return await inTransaction(db, async () => {
        const report = await new PlanImporter(db, doc, options).run();
        if (options.dryRun) throw new DryRunRollback(report);
        return report;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.report;
      throw error;
    }
  });
}

class PlanImporter {
  private readonly at: string;
  private readonly problems: ImportProblem[] = [];
  private readonly warnings: string[] = [];
  private readonly rows: ActionReport[] = [];
  private readonly summary: ImportSummary = {
    plans: counts(),
    workstreams: counts(),
    actions: counts(),
    people: { created: 0, updated: 0, unchanged: 0 },
    boards: { created: 0, updated: 0, unchanged: 0 },
    meetings: { created: 0, unchanged: 0 },
    roles: { created: 0 },
    kpis: emptyKpiSummary().kpis,
    kpiReadings: emptyKpiSummary().readings,
  };
  private readonly kpiReport: KpiReportRow[] = [];
  private kpiImporter: KpiImporter | undefined;
  private terms: SchoolTerm[] = [];
  /** Date phrases read once each for this import's date and terms (plans repeat them); set with the terms. */
  private deadlines!: DeadlineMemo;
  /** The plan's existing rows, loaded in three queries instead of several per workstream and action. */
  private planRows: PlanRows = emptyPlanRows();
  private readonly owners: string[] = [];
  private readonly conflicts: ImportConflict[] = [];
  /** Actions whose accountable role this import changed (a lead renamed or moved in the file). */
  private readonly ownerMoves: { ref: string; from: number | null; to: number }[] = [];
  private readonly provenance: ImportProvenance;
  /** Role and people names by id, loaded once, for reporting owner changes without a query per action. */
  private names?: { roles: Map<number, string>; people: Map<number, string> };
  /** True while importing a plan that is new or was renamed: its actions' search rows are rewritten. */
  private planTitleChanged = false;
  /** The board of the plan being imported: a workstream naming the same board has none of its own. */
  private planBoardId: number | null = null;

  private readonly today: string;
  /** Whether rows wait to be written in batches (PostgreSQL): see writePending. */
  private readonly batching: boolean;

  constructor(
    private readonly db: Db,
    private readonly doc: PlanDocument,
    private readonly options: ImportOptions,
  ) {
    this.at = toStoredInstant(options.now);
    this.today = options.now.toISODate() as string;
    this.provenance = new ImportProvenance(db);
    this.batching = isPostgres(db);
  }

  async run(): Promise<ImportReport> {
    await this.importPartnership();
    await this.importRoles();
    await this.importPeople();
    await this.importBoards();
    await this.checkPlanKeys();
    if (this.problems.length === 0) {
      for (const [i, plan] of this.doc.plans.entries()) { await this.importPlan(plan, i); }
    }
    if (this.problems.length > 0) throw new ImportError(this.problems);
    await this.writePending();
    await this.writeSearchIndex();
    await this.reportUnheldRoles();
    await recordAudit(this.db, {
      at: this.at,
      actorLabel: this.options.actorLabel ?? 'import',
      event: 'plan.imported',
      entity: this.options.file,
      // Owner changes are part of the evidence trail: who held what, and why it changed.
      detail: {
        ...this.summary,
        ...(this.owners.length > 0 ? { owners: this.owners } : {}),
        ...(this.conflicts.length > 0 ? { conflicts: this.conflicts } : {}),
      },
    });
    return {
      dryRun: Boolean(this.options.dryRun),
      summary: this.summary,
      actions: this.rows,
      kpis: this.kpiReport,
      warnings: [...(this.options.notices ?? []), ...this.warnings],
      owners: this.owners,
      conflicts: this.conflicts,
      planCodes: this.planCodes,
    };
  }

  private problem(path: (string | number)[], message: string, line?: number): void {
    this.problems.push({
      file: this.options.file,
      line: line ?? this.options.lineOf?.(path),
      path: formatPath(path),
      message,
    });
  }

  /** Role lookups repeat for every action of a workstream: cache them for the import. */
  private readonly roleCache = new Map<string, { id: number; name: string }>();

  private async role(name: string): Promise<number> {
    return (await this.roleEntry(name)).id;
  }

  private async roleName(name: string): Promise<string> {
    return (await this.roleEntry(name)).name;
  }

  /** The same cache by the name exactly as written: most lookups repeat a spelling, and need no normalising. */
  private readonly roleBySpelling = new Map<string, { id: number; name: string }>();

  private async roleEntry(name: string): Promise<{ id: number; name: string }> {
    const known = this.roleBySpelling.get(name);
    if (known) return known;
    const key = nameKey(name);
    let entry = this.roleCache.get(key);
    if (!entry) {
      const { role, created } = await ensureRole(this.db, name, this.at);
      if (created) this.summary.roles.created += 1;
      entry = role;
      this.roleCache.set(key, entry);
      // The report names it later: no need to read it back (roleNameById).
      this.names?.roles.set(role.id, role.name);
    }
    this.roleBySpelling.set(name, entry);
    return entry;
  }


  private async importPartnership(): Promise<void> {
    const p = this.doc.partnership;
    if (p) {
      await savePartnership(
        this.db,
        {
          name: p.name,
          timezone: p.timezone,
          officeHours: p.office_hours,
          schoolTerms: p.school_terms,
          programmeChannel: p.programme_channel,
        },
        this.at,
      );
    }
    this.terms = (await getPartnership(this.db)).schoolTerms;
    this.deadlines = new DeadlineMemo({ reference: this.today, terms: this.terms });
  }

  private async importRoles(): Promise<void> {
    for (const [i, r] of this.doc.roles.entries()) {
      const id = await this.role(r.name);
      for (const [j, alias] of r.aliases.entries()) {
        if (!await addRoleAlias(this.db, id, alias)) {
          this.problem(['roles', i, 'aliases', j], `alias "${alias}" already names a different role`);
        }
      }
    }
  }

  private async importPeople(): Promise<void> {
    // Within one file every listed holder of a role holds it.
    const holdersInFile = new Map<number, FilePerson[]>();
    for (const [i, p] of this.doc.people.entries()) {
      const clash = await this.identityClash(p.email, p.slack_user_id, p.teams_user_id);
      if (clash) {
        this.problem(['people', i], clash);
        continue;
      }
      const { person, outcome } = await upsertPerson(
        this.db,
        {
          name: p.name,
          email: p.email,
          slackUserId: p.slack_user_id,
          teamsUserId: p.teams_user_id,
          isAdmin: p.admin,
          weeklyDigest: p.weekly_digest,
        },
        this.at,
      );
      this.summary.people[outcome] += 1;
      for (const roleName of p.roles) {
        const roleId = await this.role(roleName);
        holdersInFile.set(roleId, [...(holdersInFile.get(roleId) ?? []), { id: person.id, name: person.name, email: person.email }]);
      }
    }
    // Holders change only where the file changed them since the last import (imported-holders.ts).
    for (const [roleId, listed] of holdersInFile) {
      const line = describeHolderOutcome(await applyImportedHolders(this.db, roleId, listed, this.at));
      if (line) this.owners.push(line);
    }
  }

  /** A Slack or Teams id already used by someone with a different email would merge two people. */
  private async identityClash(email: string, slackId?: string, teamsId?: string): Promise<string | undefined> {
    const rows = await all<{ email: string; slack: string | null; teams: string | null }>(
      this.db,
      sql`select email, slack_user_id as slack, teams_user_id as teams from people where (slack_user_id = ${slackId ?? null} or teams_user_id = ${teamsId ?? null}) and email <> ${email}`,
    );
    const row = rows[0];
    if (!row) return undefined;
    const which = row.slack && row.slack === slackId ? `Slack user id ${slackId}` : `Teams user id ${teamsId}`;
    return `${which} already belongs to ${row.email}`;
  }

  private async importBoards(): Promise<void> {
    for (const [i, b] of this.doc.boards.entries()) {
      const { board, outcome } = await upsertBoard(
        this.db,
        {
          name: b.name,
          chairRoleId: b.chair_role ? await this.role(b.chair_role) : undefined,
          slackChannel: b.slack_channel,
          teamsChannel: b.teams_channel,
          updateWindowDays: b.lead_times?.update_window,
          reminderDays: b.lead_times?.reminder,
          papersDays: b.lead_times?.papers,
        },
        this.at,
      );
      this.summary.boards[outcome] += 1;
      for (const [j, m] of b.meetings.entries()) {
        const startsAt = parseMeetingTime(m.at);
        if (!startsAt) {
          this.problem(['boards', i, 'meetings', j, 'at'], `"${m.at}" is not a date and time; write e.g. 2024-12-04T14:00`);
          continue;
        }
        const { created } = await addMeeting(
          this.db,
          { boardId: board.id, startsAt, isSample: m.sample, title: m.title ?? null },
          this.at,
        );
        this.summary.meetings[created ? 'created' : 'unchanged'] += 1;
      }
    }
  }

  /** Board ids by name key: every plan and many workstreams name one of a few boards. */
  private readonly boardIds = new Map<string, number>();
  private async boardId(name: string | undefined): Promise<number | null> {
    if (!name) return null;
    const key = nameKey(name);
    const known = this.boardIds.get(key);
    if (known !== undefined) return known;
    let id = (await Q.boardByKey.get(this.db, { key }))?.id;
    if (id === undefined) {
      // Lead times are the schema's defaults (10, 7 and 5 working days), as upsertBoard gives a board named without them.
      id = await Q.insertBoard.insert(this.db, { name, key, at: this.at });
      this.summary.boards.created += 1;
      this.warnings.push(`Board "${name}" was not defined in the file and has been created with default lead times.`);
    }
    this.boardIds.set(key, id);
    return id;
  }

  /** Fixes each plan's code up front, so refs are stable and duplicates are caught before writing. */
  private readonly codes: string[] = [];
  private readonly planCodes: PlanCodeNote[] = [];
  /** Every plan already stored, by code: read once instead of once per plan. */
  private existingPlans = new Map<string, typeof plans.$inferSelect>();
  private async checkPlanKeys(): Promise<void> {
    const existing = (await all<Record<string, unknown>>(this.db, sql`select ${PLAN_ROWS.columns()} from plans`)).map(PLAN_ROWS.toRow);
    this.existingPlans = new Map(existing.map((p) => [p.code, p]));
    const taken = new Set(existing.map((p) => p.code));
    const inFile = new Set<string>();
    this.doc.plans.forEach((plan, i) => {
      let code = plan.code;
      if (!code) {
        const sameTitle = existing.find((p) => nameKey(p.title) === nameKey(plan.title));
        if (sameTitle) code = sameTitle.code;
        else {
          const made = planCodeFor(plan.title);
          code = uniqueCode(made.code, new Set([...taken, ...inFile]));
          this.planCodes.push({
            plan: plan.title,
            code,
            how: code === made.code ? made.how : `${made.how}, then ${code.slice(made.code.length)} added as ${made.code} was taken`,
            // So the hint names the field this kind of file sets a code with.
            fileKind: /\.ya?ml$/i.test(this.options.file ?? '') ? 'yaml' : 'table',
          });
        }
      }
      if (inFile.has(code)) this.problem(['plans', i, 'code'], `plan code ${code} is used twice in this file`);
      inFile.add(code);
      this.codes.push(code);
      // Only numbers the file states can clash: the others are given when rows are matched.
      const numbers = new Set<number>();
      plan.workstreams.forEach((ws, j) => {
        const n = ws.number;
        if (n !== undefined && numbers.has(n)) this.problem(['plans', i, 'workstreams', j, 'number'], `workstream number ${n} is used twice in plan ${code}`);
        if (n !== undefined) numbers.add(n);
        const actionNumbers = new Set<number>();
        ws.actions.forEach((a, k) => {
          const an = a.number;
          if (an === undefined) return;
          if (actionNumbers.has(an)) {
            const where = n !== undefined ? formatRef(code as string, n, an) : `${an} of workstream "${ws.title}"`;
            this.problem(['plans', i, 'workstreams', j, 'actions', k], `action ${where} appears twice`, a.source_line);
          }
          actionNumbers.add(an);
        });
        if (!ws.lead) this.problem(['plans', i, 'workstreams', j, 'lead'], `workstream "${ws.title}" has no accountable lead`);
      });
    });
  }

  private async importPlan(plan: PlanInput, index: number): Promise<void> {
    const code = this.codes[index] as string;
    const existing = this.existingPlans.get(code);
    // A file whose workstreams report to different boards names no plan board: the stored one stays.
    let boardId = plan.board ? await this.boardId(plan.board) : (existing?.boardId ?? null);
    const onlyBoard = this.doc.boards.length === 1 ? this.doc.boards[0] : undefined;
    if (boardId === null && onlyBoard && !plan.workstreams.some((w) => w.board)) {
      // A workbook with one board and no Board column on its plan sheet: that board oversees the plan.
      boardId = await this.boardId(onlyBoard.name);
      this.warnings.push(`Plan "${plan.title}" names no board; it reports to ${onlyBoard.name}, the only board in the file. Add a Board column to say otherwise.`);
    }
    this.planBoardId = boardId;
    // What the file does not carry (a workbook has no column for a plan's outcomes) is left as stored.
    const values = {
      title: plan.title,
      areaForImprovement: plan.area_for_improvement ?? existing?.areaForImprovement ?? null,
      findings: plan.findings ?? existing?.findings ?? null,
      outcomes: plan.outcomes ?? existing?.outcomes ?? [],
      evidence: plan.evidence ?? existing?.evidence ?? [],
      boardId,
      position: index,
    };
    this.planTitleChanged = !existing || existing.title !== plan.title;
    let planId: number;
    if (!existing) {
      planId = await Q.insertPlan.insert(this.db, {
        code, title: values.title, areaForImprovement: values.areaForImprovement, findings: values.findings, outcomes: JSON.stringify(values.outcomes),
        evidence: JSON.stringify(values.evidence), boardId: values.boardId, position: values.position, at: this.at,
      });
      this.summary.plans.created += 1;
    } else {
      planId = existing.id;
      const changed = differs(existing, values);
      if (changed) await run(this.db, sql`update plans set ${PLAN_ROWS.set({ ...values, updatedAt: this.at })} where id = ${planId}`);
      this.summary.plans[changed ? 'updated' : 'unchanged'] += 1;
    }
    // A plan created just now has no rows yet: nothing to read.
    this.planRows = existing ? await this.loadPlanRows(planId) : emptyPlanRows();

    // Workstreams are matched like actions: a stated number, else the title (never the position).
    const storedWorkstreams = [...this.planRows.workstreams.values()];
    const matches = matchRows(
      storedWorkstreams.map((w) => ({ id: w.id, number: w.number, text: w.title, removed: w.removedAt !== null })),
      plan.workstreams.map((w) => ({ number: w.number, text: w.title })),
    );
    this.refuseUncertain(matches, plan.workstreams.map((w) => ({ text: w.title, line: w.actions[0]?.source_line })), code, 'workstream');
    if (this.problems.length > 0) return;
    const numbers = nextNumbers(storedWorkstreams.map((w) => w.number), plan.workstreams.map((w) => w.number));
    const isNew = (j: number) => {
      const match = matches.rows[j];
      return !match || !this.planRows.workstreams.has(match.stored.number);
    };
    // PostgreSQL: the new workstreams' ids in one statement, so their rows can wait with the actions'.
    this.workstreamIds = await INSERT_WORKSTREAMS.reserveIds(this.db, plan.workstreams.filter((_, j) => isNew(j)).length);
    for (const [j, ws] of plan.workstreams.entries()) {
      const match = matches.rows[j];
      const existing = match ? this.planRows.workstreams.get(match.stored.number) : undefined;
      const number = existing?.number ?? ws.number ?? numbers();
      await this.importWorkstream(planId, code, plan, ws, number, existing, ['plans', index, 'workstreams', j]);
    }
    // Workstreams no longer in the file are kept (reported) unless --remove-missing; removed ones are
    // marked, never deleted: their updates are evidence.
    for (const m of matches.missing) {
      const w = this.planRows.workstreams.get(m.number);
      if (!w) continue;
      const wsActions = [...(this.planRows.actions.get(w.id)?.values() ?? [])];
      if (this.options.removeMissing) {
        await run(this.db, sql`update workstreams set removed_at = ${this.at}, updated_at = ${this.at} where id = ${w.id}`);
        this.summary.workstreams.removed += 1;
        await this.removeActions(wsActions, plan.title, w.title);
      } else {
        this.summary.workstreams.missing += 1;
        this.reportMissing(wsActions, plan.title, w.title);
      }
    }
    await this.importKpis(planId, code, plan, index);
  }


  private async loadPlanRows(planId: number): Promise<PlanRows> {
    const rows = emptyPlanRows();
    for (const raw of await Q.planWorkstreams.all(this.db, { planId })) {
      const w = WORKSTREAM_ROWS.toRow(raw);
      rows.workstreams.set(w.number, w);
    }
    if (rows.workstreams.size === 0) return rows;
    for (const raw of await Q.planActions.all(this.db, { planId })) {
      const a = ACTION_ROWS.toRow(raw);
      const map = rows.actions.get(a.workstreamId) ?? new Map<string, ActionRow>();
      map.set(a.ref, a);
      rows.actions.set(a.workstreamId, map);
    }
    for (const r of await Q.planWorkstreamSupporting.all(this.db, { planId })) {
      rows.supporting.set(r.workstreamId, [...(rows.supporting.get(r.workstreamId) ?? []), r.roleId]);
    }
    for (const r of await Q.actionSupporting.all(this.db, { planId })) {
      rows.actionSupporting.set(r.actionId, [...(rows.actionSupporting.get(r.actionId) ?? []), r.roleId]);
    }
    return rows;
  }

  /** KPIs after the workstreams, which they may name. See kpi-import.ts for the rules. */
  private async importKpis(planId: number, code: string, plan: PlanInput, index: number): Promise<void> {
    if (plan.kpis.length === 0) return; // a file without KPIs (a plan table) leaves the plan's KPIs alone
    await this.writePending();
    this.kpiImporter ??= await KpiImporter.create({
      db: this.db,
      at: this.at,
      today: this.today,
      terms: this.terms,
      role: async (name) => await this.roleEntry(name),
      problems: this.problems,
      warnings: this.warnings,
      summary: { kpis: this.summary.kpis, readings: this.summary.kpiReadings },
      report: this.kpiReport,
      preferFile: this.preferFile,
      onConflict: (c) =>
        this.conflict({
          ref: c.code,
          field: 'KPI reading',
          file: `${c.file} for ${c.period}`,
          sendbot: `${c.sendbot} for ${c.period}`,
          provenance: { who: c.by, at: c.at, what: 'reading recorded in chat' },
        }),
    });
    const items = plan.kpis.map((kpi, k) => {
      const locate: KpiLocator = (field, sub = []) => {
        const path = ['plans', index, 'kpis', k, ...(field === 'name' ? [] : [field]), ...sub];
        const line = this.options.lineOf?.(path) ?? this.options.lineOf?.(['plans', index, 'kpis', k]) ?? kpi.source_line;
        return { file: this.options.file, ...(line !== undefined ? { line } : {}), path: formatPath(path) };
      };
      return { kpi, locate };
    });
    await this.kpiImporter.importPlanKpis({ id: planId, code, title: plan.title }, items, true);
  }

  private async importWorkstream(
    planId: number,
    code: string,
    plan: PlanInput,
    ws: WorkstreamInput,
    number: number,
    existing: typeof workstreams.$inferSelect | undefined,
    path: (string | number)[],
  ): Promise<number> {
    const leadRoleId = ws.lead ? await this.role(ws.lead) : null;
    const supporting = unique(await Promise.all(ws.with.map(async (name) => await this.role(name)))).filter((id) => id !== leadRoleId);
    const deadline = ws.due ? this.deadlines.read(ws.due) : undefined;
    const values = {
      title: ws.title,
      leadRoleId,
      boardId: ws.board && await this.boardId(ws.board) !== this.planBoardId ? await this.boardId(ws.board) : null,
      dateText: ws.due ?? null,
      milestones: (deadline?.milestones ?? []).map(
        (m): MilestoneRow => ({ text: m.text, start: m.start, due: m.due, ongoing: m.ongoing, completed: m.completed, flags: m.flags }),
      ),
      start: deadline?.start ?? null,
      due: deadline?.due ?? null,
      ongoing: deadline?.ongoing ?? false,
      flags: deadline ? [...deadline.flags] : ['no-date'],
      removedAt: null,
    };
    let id: number;
    if (!existing) {
      const row = {
        planId, number, title: values.title, leadRoleId: values.leadRoleId, boardId: values.boardId, dateText: values.dateText,
        milestones: JSON.stringify(values.milestones), start: values.start, due: values.due, ongoing: boolParam(values.ongoing),
        flags: JSON.stringify(values.flags), at: this.at,
      };
      const reserved = this.workstreamIds?.shift();
      if (reserved !== undefined) {
        id = reserved;
        this.pending.workstreams.push({ ...row, id });
      } else {
        id = await Q.insertWorkstream.insert(this.db, row);
      }
      this.summary.workstreams.created += 1;
    } else {
      id = existing.id;
      const changed = differs(existing, values);
      if (changed) await run(this.db, sql`update workstreams set ${WORKSTREAM_ROWS.set({ ...values, updatedAt: this.at })} where id = ${id}`);
      this.summary.workstreams[changed ? 'updated' : 'unchanged'] += 1;
      if (existing.leadRoleId !== leadRoleId) {
        this.owners.push(
          `Workstream ${code}-${number} "${ws.title}": accountable lead ${await this.roleNameById(existing.leadRoleId)} → ${await this.roleNameById(leadRoleId)} ` +
            '(the file changed it; its actions without an owner of their own move with it)',
        );
      }
    }
    const currentSupport = this.planRows.supporting.get(id) ?? [];
    if (JSON.stringify(currentSupport) !== JSON.stringify(supporting)) {
      if (existing) await Q.deleteWorkstreamSupporting.run(this.db, { id });
      for (const [position, roleId] of supporting.entries()) this.pending.workstreamSupporting.push({ workstreamId: id, roleId, position });
    }
    await this.writeUnlessBatching();

    const window = { start: values.start, due: values.due };
    const storedActions = existing ? [...(this.planRows.actions.get(id)?.values() ?? [])] : [];
    const matches = matchRows(
      storedActions.map((a) => ({ id: a.id, number: a.number, text: a.text, removed: a.removedAt !== null })),
      ws.actions.map((a) => ({ number: a.number, text: a.text })),
    );
    this.refuseUncertain(matches, ws.actions.map((a) => ({ text: a.text, line: a.source_line })), `${code}-${number}`, 'action');
    if (this.problems.length > 0) return id;
    const byId = new Map(storedActions.map((a) => [a.id, a]));
    const numbers = nextNumbers(storedActions.map((a) => a.number), ws.actions.map((a) => a.number));
    const reindex = !existing || existing.title !== ws.title || this.planTitleChanged;
    for (const [k, action] of ws.actions.entries()) {
      const match = matches.rows[k];
      const stored = match ? byId.get(match.stored.id) : undefined;
      await this.importAction(id, code, number, action, stored?.number ?? action.number ?? numbers(), window, { plan, ws }, [...path, 'actions', k], {
        existing: stored,
        matchedBy: match?.by,
        reindex,
        lead: { before: existing ? existing.leadRoleId : leadRoleId, after: leadRoleId },
        supporting,
      });
    }
    // Bounds what waits in memory on a very large plan.
    if (this.pending.actions.length >= 5000) await this.writePending();
    const missing = matches.missing.map((m) => byId.get(m.id)).filter((a): a is ActionRow => a !== undefined);
    if (this.options.removeMissing) await this.removeActions(missing, plan.title, ws.title);
    else this.reportMissing(missing, plan.title, ws.title);
    return id;
  }

  /** A row whose match cannot be decided stops the import: guessing would move one action's history onto another. */
  private refuseUncertain(matches: RowMatches, rows: { text: string; line?: number }[], where: string, kind: 'action' | 'workstream'): void {
    for (const u of matches.uncertain) {
      const row = rows[u.fileIndex];
      const could = u.candidates.map((c) => `${kind === 'action' ? `${where}.${c.number}` : `${where}-${c.number}`} "${shortTitle(c.text, 60)}"`).join(' or ');
      this.problem(
        [],
        `cannot tell which ${kind} the row "${shortTitle(row?.text ?? '', 60)}" is: it could be ${could}, or a new one. ` +
          'Add a Ref column saying which action each row is (sendbot export writes one), or make the wording match.',
        row?.line,
      );
    }
  }

  private async importAction(
    workstreamId: number,
    code: string,
    wsNumber: number,
    action: ActionInput,
    number: number,
    window: { start: string | null; due: string | null },
    parents: { plan: PlanInput; ws: WorkstreamInput },
    path: (string | number)[],
    known: {
      existing: ActionRow | undefined;
      /** How the row was matched to `existing`. */
      matchedBy: MatchedBy | undefined;
      reindex: boolean;
      /** The workstream's lead role before and after this import. */
      lead: { before: number | null; after: number | null };
      /** The workstream's supporting roles (an action's own With adds to them). */
      supporting: number[];
    },
  ): Promise<void> {
    const ref = formatRef(code, wsNumber, number);
    const ctx: DeadlineContext = { window, reference: this.today, terms: this.terms };
    // A date in the action's text is not taken where the file has a date column and this row's cell
    // is blank (the reader flags it 'date-in-text' and tells the officer): issue 23.
    const textDateFlagged = this.options.rowFlags?.get(action.source_line ?? -1)?.includes('date-in-text') === true;
    const own: { phrase: string; deadline: Deadline } | null = action.due
      ? { phrase: action.due, deadline: this.deadlines.read(action.due, window) }
      : textDateFlagged
        ? null
        : findDeadlineInText(action.text, ctx);
    const statusWord = action.status ?? action.progress?.status;
    const fileStatus = statusWord ? readStatusWord(statusWord, true) : undefined;
    if (statusWord && !fileStatus) {
      this.problem([...path, 'status'], `status "${statusWord}" is not one of green, amber, red, blue/complete, not started`, action.source_line);
    }
    const completed = Boolean(own?.deadline.completed) || fileStatus === 'blue';
    const importedStatus: ActionStatus | null = fileStatus ?? (completed ? 'blue' : null);
    const ownHasDates = Boolean(own && (own.deadline.due || own.deadline.start));
    // A date cell that says something with no date in it ("Ongoing", "TBC", "Summer holidays 2024")
    // is the action's own word: it never takes the workstream's date (issue 23).
    // A date cell that says something with no date in it ("Complete", "Ongoing", "TBC") is the action's
    // own word: it never takes the workstream's date (issue 23). Only a blank cell inherits.
    const ownSaysNoDate = !ownHasDates && Boolean(action.due && own);
    const dateSource: ActionReport['date_source'] = ownHasDates || ownSaysNoDate ? 'action' : window.due || window.start ? 'workstream' : 'none';
    const start = ownHasDates ? (own?.deadline.start ?? null) : ownSaysNoDate ? null : window.start;
    // An action with only a start ("from Sept 24") still finishes by its workstream's due date.
    const due = ownHasDates ? (own?.deadline.due ?? window.due) : ownSaysNoDate ? null : window.due;
    const flags = unique([
      ...(own?.deadline.flags ?? []),
      ...(dateSource === 'none' && !completed ? ['no-date'] : []),
    ]);
    // "March 2024 (revised from Dec 23)": the date it was revised from is the baseline.
    const baseline = (ownHasDates ? own?.deadline.revisedFrom : null) ?? due;
    const existing = known.existing;
    const owner = await this.decideOwner(ref, action, existing, known.lead);
    const ownWith = unique(await Promise.all((action.with ?? []).map(async (name) => await this.role(name)))).filter(
      (id) => id !== known.lead.after && !known.supporting.includes(id),
    );
    const dateText = ownHasDates || ownSaysNoDate || own?.deadline.flags.length ? (own?.phrase ?? null) : null;
    const percent = action.progress?.percent ?? (importedStatus === 'blue' ? 100 : undefined);
    const progress = progressKey(importedStatus, percent, action.progress?.note);
    // What the file says now: the next import's base.
    const fileBase: ActionFileBase = {
      text: action.text,
      dateText,
      start,
      due,
      with: await Promise.all(ownWith.map(async (id) => await this.roleNameById(id))),
      progress,
    };
    const dateValues = { dateText, dateSource, start, due, ongoing: Boolean(own?.deadline.ongoing), flags };

    /** The action's id, or its row waiting to be written (writePending) when it is new. */
    let target: ActionTarget;
    let change: Change;
    let status: ActionStatus;
    /** The dates the record holds after this import: the file's, unless the merge kept sendbot's. */
    let held = { start, due, dateText, dateSource };
    /** What this import changed on an existing action, for the report ("due date 2025-01-31 → 2025-05-31"). */
    const changes: string[] = [];
    if (!existing) {
      status = importedStatus ?? 'not_started';
      // The file's progress (a RAG or progress column) is the action's first update, attributed to the
      // file; what that update sets on the action (setProgress) is written with the row itself.
      const statedStatus = Boolean(action.status || action.progress?.status);
      target = {
        ref,
        row: {
          workstreamId, number, ref, text: action.text, ownerRoleId: owner.roleId, dateText, dateSource, start, due, baseline,
          ongoing: boolParam(dateValues.ongoing), flags: JSON.stringify(flags), status,
          importedStatus: progress !== null && statedStatus ? status : importedStatus, importedOwner: owner.imported,
          percent: percent ?? null, fileBase: JSON.stringify(fileBase), at: this.at,
        },
      };
      this.pending.actions.push(target);
      if (progress !== null) this.queueFileUpdate(target, action, status, percent, undefined, true);
      change = 'created';
    } else {
      const id = existing.id;
      target = id;
      status = existing.status;
      let changed = false;
      const set: Partial<typeof actions.$inferInsert> = {};
      // Fields only a file writes (words, workstream, number): what is stored is what the file said last.
      if (existing.text !== action.text || existing.workstreamId !== workstreamId || existing.number !== number || existing.removedAt !== null) {
        Object.assign(set, { text: action.text, workstreamId, number, ref, removedAt: null });
        changed = true;
      }
      if (owner.apply && (existing.ownerRoleId !== owner.roleId || existing.ownerPersonId !== null)) {
        Object.assign(set, { ownerRoleId: owner.roleId, ownerPersonId: null });
        changed = true;
      }
      // Dates: sendbot moves them by approved date changes, so they merge three ways.
      const base = existing.fileBase ? { dateText: existing.fileBase.dateText, start: existing.fileBase.start, due: existing.fileBase.due } : undefined;
      const current = { dateText: existing.dateText, start: existing.start, due: existing.due };
      let datesMerge: FieldMerge = mergeField(base, { dateText, start, due }, current, sameDates);
      if (datesMerge === 'take-file' && await this.provenance.hasPendingDateChange(id)) datesMerge = 'conflict';
      if (datesMerge === 'conflict') {
        const by = await this.provenance.dateDecision(id);
        this.conflict({
          ref,
          field: 'due date',
          file: describeDates(dateText, due),
          // The phrase the file gave is not sendbot's date once someone moved it.
          sendbot: describeDates(by ? null : existing.dateText, existing.due),
          provenance: by ?? { who: null, at: null, what: base ? 'changed in sendbot' : 'no earlier import recorded the file’s date' },
          line: action.source_line,
        });
      }
      if (!takesFile(datesMerge, this.preferFile)) {
        // The record's dates stand (the file did not change them, agrees, or conflicts): report those.
        held = { start: existing.start, due: existing.due, dateText: existing.dateText, dateSource: existing.dateSource as ActionReport['date_source'] };
      }
      if (takesFile(datesMerge, this.preferFile)) {
        Object.assign(set, dateValues);
        changed = true;
        if (existing.due !== due) changes.push(`due date ${existing.due ?? 'none'} → ${due ?? 'none'}`);
        if (existing.due !== due) await this.recordFileDateChange(id, existing.due, due, dateText ?? parents.ws.due ?? '', datesMerge === 'conflict' ? await this.provenance.dateDecision(id) : undefined);
      }
      if (changed) set.updatedAt = this.at;
      if (!sameBase(existing.fileBase, fileBase) || existing.importedOwner !== owner.imported) {
        Object.assign(set, { fileBase, importedOwner: owner.imported });
      }
      if (Object.keys(set).length > 0) await run(this.db, sql`update actions set ${ACTION_ROWS.set(set)} where id = ${id}`);
      status = await this.mergeProgress(existing, ref, action, importedStatus, percent, progress) ?? status;
      if (status !== existing.status) changes.push(`status ${existing.status} → ${status}`);
      if (set.ownerRoleId !== undefined) changes.push('owner');
      change = changed || status !== existing.status ? 'updated' : 'unchanged';
    }
    // A new action has no supporting roles stored yet.
    const currentWith = existing ? (this.planRows.actionSupporting.get(existing.id) ?? []) : [];
    if (JSON.stringify(currentWith) !== JSON.stringify(ownWith)) {
      if (existing) changes.push('supporting roles');
      if (existing) await Q.deleteActionSupporting.run(this.db, { id: existing.id });
      for (const [position, roleId] of ownWith.entries()) this.pending.actionSupporting.push({ action: target, roleId, position });
      if (change === 'unchanged') change = 'updated';
    }
    await this.writeUnlessBatching();
    this.summary.actions[change] += 1;
    if (!existing || known.reindex || existing.text !== action.text || existing.ref !== ref || existing.removedAt !== null) {
      this.indexForSearch(target, ref, action.text, parents.ws.title, parents.plan.title, !existing);
    }

    const leadName = parents.ws.lead ? await this.roleName(parents.ws.lead) : null;
    const ownerAfter = await this.ownerName(owner.roleId, owner.personId, known.lead.after);
    const ownerBefore = existing ? await this.ownerName(existing.ownerRoleId, existing.ownerPersonId, known.lead.before) : ownerAfter;
    const reportFlags = this.options.rowFlags?.get(action.source_line ?? -1) ?? [];
    if (existing && owner.personId === null) {
      const roleBefore = existing.ownerPersonId !== null ? null : (existing.ownerRoleId ?? known.lead.before);
      const roleAfter = owner.roleId ?? known.lead.after;
      if (roleAfter !== null && roleAfter !== roleBefore) this.ownerMoves.push({ ref, from: roleBefore, to: roleAfter });
    }
    this.rows.push({
      ref,
      plan: parents.plan.title,
      workstream: parents.ws.title,
      action: action.text,
      lead: leadName,
      owner: ownerAfter,
      with: await Promise.all(unique([...known.supporting, ...ownWith]).map(async (roleId) => await this.roleNameById(roleId))),
      date_text: held.dateSource === 'workstream' ? (parents.ws.due ?? null) : held.dateText,
      date_source: held.dateSource,
      start: held.start,
      due: held.due,
      ongoing: dateValues.ongoing || (dateSource === 'workstream' && Boolean(parents.ws.due && /ongoing|beyond/i.test(parents.ws.due))),
      completed,
      status,
      flags: reportFlags.length > 0 ? unique([...flags, ...reportFlags]) : flags,
      change,
      ...(existing && existing.text !== action.text ? { reworded_from: existing.text } : {}),
      ...(changes.length > 0 ? { changes } : {}),
      owner_change: ownerBefore !== ownerAfter ? { from: ownerBefore ?? 'nobody', to: ownerAfter ?? 'nobody' } : null,
      line: action.source_line ?? this.options.lineOf?.(path),
    });
  }

  private get preferFile(): boolean {
    return Boolean(this.options.preferFile);
  }

  private conflict(c: { ref: string; field: ImportConflict['field']; file: string; sendbot: string; provenance: Provenance; line?: number }): void {
    this.conflicts.push({
      ref: c.ref,
      field: c.field,
      file: c.file,
      sendbot: c.sendbot,
      changed_by: c.provenance.who,
      changed_at: c.provenance.at,
      why: c.provenance.what,
      resolution: this.preferFile ? 'took the file' : 'kept sendbot',
      ...(c.line !== undefined ? { line: c.line } : {}),
    });
  }

  /** The file moved the date: keep the trail; the baseline on the action stays as it was. */
  private async recordFileDateChange(actionId: number, fromDue: string | null, toDue: string | null, phrase: string, replaced: Provenance | undefined): Promise<void> {
    const file = this.options.file ?? '';
    const reason = replaced
      ? `Plan file ${file} replaced ${replaced.who ?? 'someone'}'s decision (${replaced.what}${replaced.at ? `, ${replaced.at.slice(0, 10)}` : ''}) with --prefer-file`
      : `Plan file ${file} changed the date`;
    await run(
      this.db,
      sql`insert into due_date_changes (action_id, requested_at, from_due, to_due, phrase, reason, state)
       values (${actionId}, ${this.at}, ${fromDue}, ${toDue}, ${phrase}, ${reason.replace(/\s+/g, ' ').trim()}, 'imported')`,
    );
    await Q.setBaseline.run(this.db, { toDue, actionId });
  }

  /**
   * The file's progress (status, percent, note) against what owners have reported since. A file that
   * repeats what it said last time adds nothing; a change is applied only when the latest word on the
   * action is the file's own (or nobody's); otherwise it is a conflict. Returns the new status, if any.
   */
  private async mergeProgress(
    existing: ActionRow,
    ref: string,
    action: ActionInput,
    importedStatus: ActionStatus | null,
    percent: number | undefined,
    progress: string | null,
  ): Promise<ActionStatus | undefined> {
    if (progress === null) return undefined; // the file says nothing about progress: nothing to propose
    const base = existing.fileBase ? existing.fileBase.progress : progressKey(existing.importedStatus as ActionStatus | null, undefined, undefined);
    if (progress === base) return undefined;
    const agrees = (importedStatus === null || importedStatus === existing.status) && (percent === undefined || percent === existing.percent);
    if (agrees) {
      if (importedStatus !== null && importedStatus !== existing.importedStatus) {
        await Q.setImportedStatus.run(this.db, { importedStatus, id: existing.id });
      }
      return undefined;
    }
    const latest = await this.provenance.latestUpdate(existing.id);
    const sendbotChanged = latest !== undefined && !latest.fromFile;
    if (sendbotChanged) {
      this.conflict({
        ref,
        field: 'status',
        file: describeProgress(importedStatus, percent),
        sendbot: describeProgress(existing.status, existing.percent ?? undefined),
        provenance: latest,
        line: action.source_line,
      });
      if (!this.preferFile) return undefined;
    }
    const status = importedStatus ?? existing.status;
    this.queueFileUpdate(existing.id, action, status, percent, sendbotChanged ? latest : undefined, false);
    await Q.setProgress.run(this.db, { status, percent: percent ?? null, importedStatus: action.status || action.progress?.status ? status : null, at: this.at, actionId: existing.id });
    return status;
  }

  /** An update attributed to the plan file, dated as the file dates it ("Progress update (Nov 23)") or now. */
  /**
   * `first`: the action's first update, dated as the file dates its progress; a later one is dated
   * now, so the history never shows the file's word before a report it came after.
   */
  private queueFileUpdate(target: ActionTarget, action: ActionInput, status: ActionStatus, percent: number | undefined, replaced: Provenance | undefined, first: boolean): void {
    const file = this.options.file ?? '';
    const asOf = action.progress?.as_of;
    const at = first && asOf && `${asOf}T12:00:00.000Z` < this.at ? `${asOf}T12:00:00.000Z` : this.at;
    const said = action.progress?.note?.trim();
    const note = [
      said && said.length > 0 ? said : `Status set by plan file ${file}`.trim(),
      replaced ? `(replaces ${replaced.who ?? 'an update'}${replaced.at ? ` of ${replaced.at.slice(0, 10)}` : ''}: --prefer-file)` : '',
    ]
      .filter((s) => s.length > 0)
      .join(' ');
    this.pending.updates.push({
      action: target,
      at,
      platform: 'import',
      kind: 'import',
      status,
      percent: percent ?? null,
      note,
      rawText: [action.status ?? action.progress?.status, action.progress?.note].filter(Boolean).join(' — ') || action.text,
    });
  }

  /**
   * Who is accountable for an action after this import, merged three ways: the file's owner now, what
   * the file said last time (actions.imported_owner) and the owner now. An unchanged file leaves an
   * `assign` made since in place; a file that changed the owner is applied when nobody assigned it in
   * sendbot since, and is a conflict when somebody did.
   */
  private async decideOwner(
    ref: string,
    action: ActionInput,
    existing: ActionRow | undefined,
    lead: { before: number | null; after: number | null },
  ): Promise<{ apply: boolean; roleId: number | null; personId: number | null; imported: string }> {
    const fileRoleId = action.owner ? await this.role(action.owner) : null;
    const imported = action.owner ? await this.roleName(action.owner) : '';
    if (!existing) return { apply: true, roleId: fileRoleId, personId: null, imported };
    const fileOwner = await this.ownerName(fileRoleId, null, lead.after);
    const now = await this.ownerName(existing.ownerRoleId, existing.ownerPersonId, lead.after);
    const keep = { apply: false, roleId: existing.ownerRoleId, personId: existing.ownerPersonId, imported };
    const take = { apply: true, roleId: fileRoleId, personId: null, imported };
    const conflict = async (why: string) => {
      this.conflict({
        ref,
        field: 'owner',
        file: fileOwner ?? 'nobody',
        sendbot: now ?? 'nobody',
        provenance: await this.provenance.assignment(ref) ?? { who: null, at: null, what: why },
        line: action.source_line,
      });
      return this.preferFile ? take : keep;
    };
    if (existing.importedOwner === null) {
      // Imported before the file's owner was kept: it cannot be told whether the file or chat is newer.
      if (existing.ownerRoleId !== fileRoleId || existing.ownerPersonId !== null) return await conflict('no earlier import recorded the file’s owner');
      return keep;
    }
    if (nameKey(existing.importedOwner) !== nameKey(imported)) {
      const before = await this.ownerName(existing.ownerRoleId, existing.ownerPersonId, lead.before);
      const baseRole = existing.importedOwner === '' ? null : this.roleCache.get(nameKey(existing.importedOwner))?.id ?? await this.findRoleId(existing.importedOwner);
      const changedInSendbot = existing.ownerPersonId !== null || existing.ownerRoleId !== baseRole;
      if (changedInSendbot && now !== fileOwner) return await conflict('assigned in sendbot since the last import');
      if (before !== fileOwner) this.owners.push(`${ref}: ${before} → ${fileOwner} (the file changed the action's owner)`);
      return changedInSendbot ? keep : take;
    }
    if (existing.ownerPersonId !== null || existing.ownerRoleId !== fileRoleId) {
      this.owners.push(`${ref}: kept ${now}, assigned since the last import; the file still gives ${fileOwner}`);
    }
    return keep;
  }

  /**
   * Roles the file made accountable that nobody holds (a lead renamed in the file, say), with the
   * actions now left with nobody accountable, and what became of the roles they moved from: an
   * officer must hear this at import, not when nudges stop.
   */
  private async reportUnheldRoles(): Promise<void> {
    if (this.ownerMoves.length === 0) return;
    const holders = async (roleId: number) =>
      (await all<{ name: string }>(this.db, sql`select p.name from role_assignments ra join people p on p.id = ra.person_id where ra.role_id = ${roleId} and ra.ended_at is null`)).map(
        (r) => r.name,
      );
    const stillAccountable = async (roleId: number) =>
      await exists(
        this.db,
        sql`select 1 from actions a join workstreams w on w.id = a.workstream_id
          where a.removed_at is null and a.owner_person_id is null and coalesce(a.owner_role_id, w.lead_role_id) = ${roleId} limit 1`,
      );
    const byTarget = new Map<number, { refs: string[]; from: Set<number> }>();
    for (const m of this.ownerMoves) {
      const entry = byTarget.get(m.to) ?? { refs: [], from: new Set<number>() };
      entry.refs.push(m.ref);
      if (m.from !== null) entry.from.add(m.from);
      byTarget.set(m.to, entry);
    }
    for (const [roleId, { refs, from }] of byTarget) {
      if ((await holders(roleId)).length > 0) continue;
      const role = await this.roleNameById(roleId);
      const old = await Promise.all([...from].map(async (id) => {
        const held = await holders(id);
        const who = held.length > 0 ? `held by ${held.join(', ')}` : 'held by nobody';
        return `"${await this.roleNameById(id)}" (${who}) ${await stillAccountable(id) ? 'is still accountable for other actions' : 'is now accountable for no action'}`;
      }));
      this.warnings.push(
        `${plural(refs.length, 'action')} now ${refs.length === 1 ? 'has' : 'have'} nobody accountable: ${refs.join(', ')} moved to "${role}", which nobody holds` +
          (old.length > 0 ? `; the role they moved from, ${old.join('; ')}` : '') +
          `. Give the role to someone (sendbot role assign "${role}" <email>), or if it is a new name for the old role, put the old name back and add the new one as an alias.`,
      );
    }
  }

  /** A role's id by name without creating it (the base of an owner merge names a role the file used before). */
  private async findRoleId(name: string): Promise<number | null> {
    const row = await get<{ id: number }>(this.db, sql`select id from roles where key = ${nameKey(name)}`);
    return row?.id ?? null;
  }

  /** The accountable person or role, as the report shows it. */
  private async ownerName(roleId: number | null, personId: number | null, leadRoleId: number | null): Promise<string | null> {
    if (personId !== null) return await this.personNameById(personId);
    const id = roleId ?? leadRoleId;
    return id === null ? null : await this.roleNameById(id);
  }

  private async loadNames(): Promise<{ roles: Map<number, string>; people: Map<number, string> }> {
    this.names ??= {
      roles: new Map((await all<{ id: number; name: string }>(this.db, sql`select id, name from roles`)).map((r) => [r.id, r.name])),
      people: new Map(
        (await all<{ id: number; name: string; email: string }>(this.db, sql`select id, name, email from people`)).map((p) => [
          p.id,
          `${p.name} <${p.email}>`,
        ]),
      ),
    };
    return this.names;
  }

  private async roleNameById(id: number | null): Promise<string> {
    if (id === null) return 'nobody';
    const names = (await this.loadNames()).roles;
    let name = names.get(id);
    if (name === undefined) {
      // A role created by this import after the names were loaded.
      name = (await get<{ name: string }>(this.db, sql`select name from roles where id = ${id}`))?.name ?? `role ${id}`;
      names.set(id, name);
    }
    return name;
  }

  private async personNameById(id: number): Promise<string> {
    return (await this.loadNames()).people.get(id) ?? `person ${id}`;
  }

  private indexForSearch(target: ActionTarget, ref: string, text: string, workstream: string, plan: string, isNew: boolean): void {
    this.searchWrites.push({ action: target, replaces: !isNew, document: { ref, text, workstream, plan } });
  }

  /**
   * Rows waiting to be written, in the order the import made them: new actions (their ids are
   * needed by the rows after them), then the rows that name an action or workstream. Written in
   * batches (batched-insert.ts: on PostgreSQL a statement per few thousand rows instead of one per
   * row) before anything reads them back: a plan's KPIs, and the end of the import. Each table's
   * rows keep their order, so ids are handed out as one insert per row would.
   */
  private readonly pending: {
    /** New workstreams with their reserved ids (PostgreSQL); written first, as the rows after name them. */
    workstreams: Record<string, unknown>[];
    actions: PendingAction[];
    updates: (Record<string, unknown> & { action: ActionTarget })[];
    actionSupporting: { action: ActionTarget; roleId: number; position: number }[];
    workstreamSupporting: { workstreamId: number; roleId: number; position: number }[];
  } = { workstreams: [], actions: [], updates: [], actionSupporting: [], workstreamSupporting: [] };

  /** Ids reserved for the new workstreams of the plan being imported, in file order (PostgreSQL only). */
  private workstreamIds: number[] | undefined;

  /**
   * SQLite: the waiting rows now, as they are made (a statement there costs no round trip, and
   * holding 100k rows until the end cost the import more than it saved: 0.61 s against 0.50 at
   * 10k, measured). PostgreSQL: they wait for the next batch.
   */
  private async writeUnlessBatching(): Promise<void> {
    if (!this.batching) await this.writePending();
  }

  private async writePending(): Promise<void> {
    const { workstreams: newWorkstreams, actions: newActions, updates, actionSupporting, workstreamSupporting } = this.pending;
    if (newWorkstreams.length > 0) await INSERT_WORKSTREAMS.run(this.db, newWorkstreams);
    if (newActions.length > 0) {
      const ids = await INSERT_ACTIONS.insert(this.db, newActions.map((a) => a.row ?? {}));
      newActions.forEach((a, i) => {
        a.id = ids[i];
        a.row = undefined;
      });
    }
    if (updates.length > 0) await INSERT_UPDATES.run(this.db, updates.map((u) => ({ ...u, actionId: actionIdOf(u.action) })));
    if (actionSupporting.length > 0) await INSERT_ACTION_SUPPORTING.run(this.db, actionSupporting.map((s) => ({ ...s, actionId: actionIdOf(s.action) })));
    if (workstreamSupporting.length > 0) await INSERT_WORKSTREAM_SUPPORTING.run(this.db, workstreamSupporting);
    this.pending.workstreams = [];
    this.pending.actions = [];
    this.pending.updates = [];
    this.pending.actionSupporting = [];
    this.pending.workstreamSupporting = [];
  }

  /**
   * Search rows, in the order the import made them, written after everything else. FTS5 writes its
   * pending entries out whenever another statement of the transaction opens a statement savepoint
   * (the inserts of plans, roles and boards do), so interleaving them made each of those inserts
   * cost a flush: 100k actions took seconds longer.
   */
  private readonly searchWrites: (Omit<SearchIndexChange, 'actionId'> & { action: ActionTarget })[] = [];
  private async writeSearchIndex(): Promise<void> {
    await searchIndexFor(this.db).reindex(this.searchWrites.map(({ action, ...change }) => ({ ...change, actionId: actionIdOf(action) })));
  }

  /** Actions no longer in the file, kept and listed: an import removes only with --remove-missing. */
  private reportMissing(existing: ActionRow[], planTitle: string, wsTitle: string): void {
    const live = existing.filter((a) => a.removedAt === null);
    if (live.length === 0) return;
    for (const a of live) {
      this.summary.actions.missing += 1;
      this.rows.push({
        ref: a.ref, plan: planTitle, workstream: wsTitle, action: a.text, lead: null, owner: null, with: [], date_text: a.dateText,
        date_source: a.dateSource as ActionReport['date_source'], start: a.start, due: a.due, ongoing: a.ongoing, completed: a.status === 'blue',
        status: a.status, flags: ['missing-from-file'], change: 'missing', owner_change: null,
      });
    }
    this.warnings.push(
      `${plural(live.length, 'action')} not in the file ${live.length === 1 ? 'was' : 'were'} kept (${live.map((a) => a.ref).join(', ')}). ` +
        'If they were deleted from the plan on purpose, import again with --remove-missing to mark them removed (their history is kept).',
    );
  }

  private async removeActions(existing: ActionRow[], planTitle: string, wsTitle: string): Promise<void> {
    const live = existing.filter((a) => a.removedAt === null);
    if (live.length === 0) return;
    await run(this.db, sql`update actions set removed_at = ${this.at}, updated_at = ${this.at} where ${inList(sql`id`, live.map((a) => a.id))}`);
    for (const a of live) {
      this.searchWrites.push({ action: a.id, replaces: true, document: null });
      this.summary.actions.removed += 1;
      this.rows.push({
        ref: a.ref,
        plan: planTitle,
        workstream: wsTitle,
        action: a.text,
        lead: null,
        owner: null,
        with: [],
        date_text: null,
        date_source: 'none',
        start: null,
        due: a.due,
        ongoing: false,
        completed: a.status === 'blue',
        status: a.status,
        flags: ['removed'],
        change: 'removed',
        owner_change: null,
      });
    }
    this.warnings.push(
      `${plural(live.length, 'action')} no longer in the file ${live.length === 1 ? 'was' : 'were'} marked removed (${live.map((a) => a.ref).join(', ')}); their updates are kept.`,
    );
  }
}

/** Whether any of `values` differs from the stored row, compared as JSON values (runs once per action on a re-import). */
function differs(existing: Record<string, unknown>, values: Record<string, unknown>): boolean {
  for (const k in values) {
    const a = existing[k] ?? null;
    const b = values[k] ?? null;
    // Two strings (most fields), or two nulls, compare as JSON would without writing JSON.
    if (typeof a === 'string' && typeof b === 'string') {
      if (a !== b) return true;
    } else if (a === null && b === null) {
      continue;
    } else if (!sameJson(a, b)) return true;
  }
  return false;
}

/** Numbers for rows the file does not number: after every number stored or stated, in file order. */
function nextNumbers(stored: number[], stated: (number | undefined)[]): () => number {
  let next = Math.max(0, ...stored, ...stated.filter((n): n is number => n !== undefined));
  return () => (next += 1);
}

/** The file's progress as one comparable value; null when the file gives none. */
function progressKey(status: ActionStatus | null, percent: number | undefined, note: string | undefined): string | null {
  const said = note?.trim() || null;
  if (status === null && percent === undefined && said === null) return null;
  return JSON.stringify([status, percent ?? null, said]);
}

/**
 * Dates are the same when the due date is, and the start is where both give one. The phrase is not
 * compared: a workbook exported after a chair moved a date writes the new date out ("31 Jul 2025"),
 * and importing it back agrees with the record rather than changing it.
 */
const sameDates = (a: { dateText: string | null; start: string | null; due: string | null }, b: typeof a): boolean =>
  a.due === b.due && (a.start === b.start || a.start === null || b.start === null);

function sameBase(a: ActionFileBase | null, b: ActionFileBase): boolean {
  return (
    a !== null && a.text === b.text && a.dateText === b.dateText && a.start === b.start && a.due === b.due && a.progress === b.progress && sameList(a.with, b.with)
  );
}

function describeDates(text: string | null, due: string | null): string {
  if (due === null) return text ? `"${text}" (no date)` : 'no date';
  return text ? `${due} ("${text}")` : due;
}

function describeProgress(status: ActionStatus | null, percent: number | undefined): string {
  return [status ?? 'no status', percent !== undefined ? `${percent}%` : ''].filter(Boolean).join(' ');
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function formatPath(path: (string | number)[]): string {
  return describePath(path);
}


// The statements the import runs for every row (up to 100k times), compiled once and prepared once
// per connection (statements.ts); each run only binds its values.
const $ = (name: string) => sql.placeholder(name);

// Whole rows of a plan, its workstreams and actions, in the shape the merge compares (flags as
// booleans, JSON columns parsed).
const PLAN_ROWS = tableRows(plans);
const WORKSTREAM_ROWS = tableRows(workstreams);
const ACTION_ROWS = tableRows(actions);
type Raw = Record<string, unknown>;
const Q = {
  // A stored plan's rows, read once per plan re-imported (compiled once, not once per import).
  planWorkstreams: prepared<Raw>(sql`select ${WORKSTREAM_ROWS.columns()} from workstreams where plan_id = ${$('planId')} order by number`),
  planActions: prepared<Raw>(
    sql`select ${ACTION_ROWS.columns()} from actions where workstream_id in (select id from workstreams where plan_id = ${$('planId')})
        order by workstream_id, number`,
  ),
  planWorkstreamSupporting: prepared<{ workstreamId: number; roleId: number }>(
    sql`select workstream_id as "workstreamId", role_id as "roleId" from workstream_supporting_roles
        where workstream_id in (select id from workstreams where plan_id = ${$('planId')}) order by position`,
  ),
  boardByKey: prepared<{ id: number }>(sql`select id from boards where key = ${$('key')}`),
  insertBoard: prepared(sql`insert into boards (name, key, created_at) values (${$('name')}, ${$('key')}, ${$('at')})`),
  insertPlan: prepared(
    sql`insert into plans (code, title, area_for_improvement, findings, outcomes, evidence, board_id, position, created_at, updated_at)
        values (${$('code')}, ${$('title')}, ${$('areaForImprovement')}, ${$('findings')}, ${$('outcomes')}, ${$('evidence')}, ${$('boardId')},
                ${$('position')}, ${$('at')}, ${$('at')})`,
  ),
  actionSupporting: prepared<{ actionId: number; roleId: number }>(
    sql`select s.action_id as "actionId", s.role_id as "roleId" from action_supporting_roles s join actions a on a.id = s.action_id
        join workstreams w on w.id = a.workstream_id where w.plan_id = ${$('planId')} order by s.action_id, s.position`,
  ),
  insertWorkstream: prepared(
    sql`insert into workstreams (plan_id, number, title, lead_role_id, board_id, date_text, milestones, start, due, ongoing, flags, created_at, updated_at)
        values (${$('planId')}, ${$('number')}, ${$('title')}, ${$('leadRoleId')}, ${$('boardId')}, ${$('dateText')}, ${$('milestones')}, ${$('start')},
                ${$('due')}, ${$('ongoing')}, ${$('flags')}, ${$('at')}, ${$('at')})`,
  ),
  deleteWorkstreamSupporting: prepared(sql`delete from workstream_supporting_roles where workstream_id = ${$('id')}`),
  deleteActionSupporting: prepared(sql`delete from action_supporting_roles where action_id = ${$('id')}`),
  setBaseline: prepared(sql`update actions set baseline_due = coalesce(baseline_due, ${$('toDue')}) where id = ${$('actionId')}`),
  setImportedStatus: prepared(sql`update actions set imported_status = ${$('importedStatus')} where id = ${$('id')}`),
  setProgress: prepared(
    sql`update actions set status = ${$('status')}, percent = coalesce(${$('percent')}, percent), imported_status = coalesce(${$('importedStatus')}, imported_status),
        updated_at = ${$('at')} where id = ${$('actionId')}`,
  ),
};

// The rows an import makes for every action, written in batches (PlanImporter.writePending).
const col = (column: string, key: string, type: BatchColumnType = 'text'): BatchColumn => ({ column, key, type });
const INSERT_ACTIONS = new BatchedInsert('actions', [
  col('workstream_id', 'workstreamId', 'integer'), col('number', 'number', 'integer'), col('ref', 'ref'), col('text', 'text'),
  col('owner_role_id', 'ownerRoleId', 'integer'), col('date_text', 'dateText'), col('date_source', 'dateSource'), col('start', 'start'),
  col('due', 'due'), col('baseline_due', 'baseline'), col('ongoing', 'ongoing', 'boolean'), col('flags', 'flags', 'jsonb'), col('status', 'status'),
  col('imported_status', 'importedStatus'), col('imported_owner', 'importedOwner'), col('percent', 'percent', 'integer'),
  col('file_base', 'fileBase', 'jsonb'), col('created_at', 'at'), col('updated_at', 'at'),
]);
const INSERT_WORKSTREAMS = new BatchedInsert('workstreams', [
  col('id', 'id', 'integer'), col('plan_id', 'planId', 'integer'), col('number', 'number', 'integer'), col('title', 'title'),
  col('lead_role_id', 'leadRoleId', 'integer'), col('board_id', 'boardId', 'integer'), col('date_text', 'dateText'), col('milestones', 'milestones', 'jsonb'),
  col('start', 'start'), col('due', 'due'), col('ongoing', 'ongoing', 'boolean'), col('flags', 'flags', 'jsonb'), col('created_at', 'at'), col('updated_at', 'at'),
]);
const INSERT_UPDATES = new BatchedInsert('updates', [
  col('action_id', 'actionId', 'integer'), col('created_at', 'at'), col('platform', 'platform'), col('kind', 'kind'), col('status', 'status'),
  col('percent', 'percent', 'integer'), col('note', 'note'), col('raw_text', 'rawText'),
]);
const INSERT_ACTION_SUPPORTING = new BatchedInsert('action_supporting_roles', [
  col('action_id', 'actionId', 'integer'), col('role_id', 'roleId', 'integer'), col('position', 'position', 'integer'),
]);
const INSERT_WORKSTREAM_SUPPORTING = new BatchedInsert('workstream_supporting_roles', [
  col('workstream_id', 'workstreamId', 'integer'), col('role_id', 'roleId', 'integer'), col('position', 'position', 'integer'),
]);
