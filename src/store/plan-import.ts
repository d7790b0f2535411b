// Writes a validated PlanDocument into the database: one transaction, idempotent, and history-keeping.
// Matching keys: plans by code (or title when the file gives no code), workstreams by (plan, number),
// actions by ref. Re-importing the same file changes nothing; an edited file updates in place, and
// updates, date-change history and baselines are never touched.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { DateTime } from 'luxon';
import {
  type ActionStatus,
  actions,
  actionSupportingRoles,
  dueDateChanges,
  type MilestoneRow,
  plans,
  updates,
  workstreamSupportingRoles,
  workstreams,
} from '../../db/schema.js';
import { toStoredInstant } from '../clock.js';
import type { Deadline, DeadlineContext, SchoolTerm } from '../domain/deadline-types.js';
import { DeadlineMemo } from '../domain/deadline-memo.js';
import { findDeadlineInText } from '../domain/deadlines.js';
import { derivePlanCode, formatRef, uniqueCode } from '../domain/plan-codes.js';
import { readStatusWord } from '../domain/status.js';
import { parseMeetingTime } from '../domain/meeting-time.js';
import { ImportError, type ImportProblem } from '../importers/import-errors.js';
import { describePath } from '../importers/plain-issues.js';
import type { ActionInput, PlanDocument, PlanInput, WorkstreamInput } from '../importers/plan-document.js';
import { recordAudit } from './audit-repository.js';
import { addMeeting, upsertBoard } from './boards-repository.js';
import { type Db, inTransaction } from './database.js';
import { nameKey } from './keys.js';
import { getPartnership, savePartnership } from './partnership-repository.js';
import { upsertPerson } from './people-repository.js';
import { applyImportedHolders, describeHolderOutcome, type FilePerson } from './imported-holders.js';
import { addRoleAlias, ensureRole } from './roles-repository.js';
import { emptyKpiSummary, KpiImporter, type KpiLocator, type KpiReportRow, type KpiSummary } from './kpi-import.js';

export type Change = 'created' | 'updated' | 'unchanged' | 'removed';

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
  /** Who is accountable, before and after this import, when that changed. */
  owner_change: { from: string; to: string } | null;
  line?: number;
}

export interface ImportSummary {
  plans: Record<Change, number>;
  workstreams: Record<Change, number>;
  actions: Record<Change, number>;
  people: Record<Exclude<Change, 'removed'>, number>;
  boards: Record<Exclude<Change, 'removed'>, number>;
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
}

type ActionRow = typeof actions.$inferSelect;
interface PlanRows {
  workstreams: Map<number, typeof workstreams.$inferSelect>;
  actions: Map<number, Map<string, ActionRow>>;
  supporting: Map<number, number[]>;
  /** An action's own supporting roles, by action id. */
  actionSupporting: Map<number, number[]>;
}

class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

const emptyPlanRows = (): PlanRows => ({ workstreams: new Map(), actions: new Map(), supporting: new Map(), actionSupporting: new Map() });

const counts = () => ({ created: 0, updated: 0, unchanged: 0, removed: 0 });

/** Imports a plan document. Throws ImportError (and writes nothing) when the document cannot be applied. */
export function importPlanDocument(db: Db, doc: PlanDocument, options: ImportOptions): ImportReport {
  try {
    return inTransaction(db, () => {
      const report = new PlanImporter(db, doc, options).run();
      if (options.dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
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
  /** Role and people names by id, loaded once, for reporting owner changes without a query per action. */
  private names?: { roles: Map<number, string>; people: Map<number, string> };
  /** True while importing a plan that is new or was renamed: its actions' search rows are rewritten. */
  private planTitleChanged = false;

  private readonly today: string;

  constructor(
    private readonly db: Db,
    private readonly doc: PlanDocument,
    private readonly options: ImportOptions,
  ) {
    this.at = toStoredInstant(options.now);
    this.today = options.now.toISODate() as string;
  }

  run(): ImportReport {
    this.importPartnership();
    this.importRoles();
    this.importPeople();
    this.importBoards();
    this.checkPlanKeys();
    if (this.problems.length === 0) {
      this.doc.plans.forEach((plan, i) => this.importPlan(plan, i));
    }
    if (this.problems.length > 0) throw new ImportError(this.problems);
    this.writeSearchIndex();
    recordAudit(this.db, {
      at: this.at,
      actorLabel: this.options.actorLabel ?? 'import',
      event: 'plan.imported',
      entity: this.options.file,
      // Owner changes are part of the evidence trail: who held what, and why it changed.
      detail: this.owners.length > 0 ? { ...this.summary, owners: this.owners } : this.summary,
    });
    return {
      dryRun: Boolean(this.options.dryRun),
      summary: this.summary,
      actions: this.rows,
      kpis: this.kpiReport,
      warnings: [...(this.options.notices ?? []), ...this.warnings],
      owners: this.owners,
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

  private role(name: string): number {
    return this.roleEntry(name).id;
  }

  private roleName(name: string): string {
    return this.roleEntry(name).name;
  }

  /** The same cache by the name exactly as written: most lookups repeat a spelling, and need no normalising. */
  private readonly roleBySpelling = new Map<string, { id: number; name: string }>();

  private roleEntry(name: string): { id: number; name: string } {
    const known = this.roleBySpelling.get(name);
    if (known) return known;
    const key = nameKey(name);
    let entry = this.roleCache.get(key);
    if (!entry) {
      const { role, created } = ensureRole(this.db, name, this.at);
      if (created) this.summary.roles.created += 1;
      entry = role;
      this.roleCache.set(key, entry);
    }
    this.roleBySpelling.set(name, entry);
    return entry;
  }

  /** Prepared once per import: the per-action statements run up to 100k times. */
  private readonly statements = new Map<string, Statement>();
  private stmt(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.$client.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  private importPartnership(): void {
    const p = this.doc.partnership;
    if (p) {
      savePartnership(
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
    this.terms = getPartnership(this.db).schoolTerms;
    this.deadlines = new DeadlineMemo({ reference: this.today, terms: this.terms });
  }

  private importRoles(): void {
    this.doc.roles.forEach((r, i) => {
      const id = this.role(r.name);
      r.aliases.forEach((alias, j) => {
        if (!addRoleAlias(this.db, id, alias)) {
          this.problem(['roles', i, 'aliases', j], `alias "${alias}" already names a different role`);
        }
      });
    });
  }

  private importPeople(): void {
    // Within one file every listed holder of a role holds it.
    const holdersInFile = new Map<number, FilePerson[]>();
    this.doc.people.forEach((p, i) => {
      const clash = this.identityClash(p.email, p.slack_user_id, p.teams_user_id);
      if (clash) {
        this.problem(['people', i], clash);
        return;
      }
      const { person, outcome } = upsertPerson(
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
        const roleId = this.role(roleName);
        holdersInFile.set(roleId, [...(holdersInFile.get(roleId) ?? []), { id: person.id, name: person.name, email: person.email }]);
      }
    });
    // Holders change only where the file changed them since the last import (imported-holders.ts).
    for (const [roleId, listed] of holdersInFile) {
      const line = describeHolderOutcome(applyImportedHolders(this.db, roleId, listed, this.at));
      if (line) this.owners.push(line);
    }
  }

  /** A Slack or Teams id already used by someone with a different email would merge two people. */
  private identityClash(email: string, slackId?: string, teamsId?: string): string | undefined {
    const rows = this.db.$client
      .prepare('select email, slack_user_id as slack, teams_user_id as teams from people where (slack_user_id = ? or teams_user_id = ?) and email <> ?')
      .all(slackId ?? null, teamsId ?? null, email) as { email: string; slack: string | null; teams: string | null }[];
    const row = rows[0];
    if (!row) return undefined;
    const which = row.slack && row.slack === slackId ? `Slack user id ${slackId}` : `Teams user id ${teamsId}`;
    return `${which} already belongs to ${row.email}`;
  }

  private importBoards(): void {
    this.doc.boards.forEach((b, i) => {
      const { board, outcome } = upsertBoard(
        this.db,
        {
          name: b.name,
          chairRoleId: b.chair_role ? this.role(b.chair_role) : undefined,
          slackChannel: b.slack_channel,
          teamsChannel: b.teams_channel,
          updateWindowDays: b.lead_times?.update_window,
          reminderDays: b.lead_times?.reminder,
          papersDays: b.lead_times?.papers,
        },
        this.at,
      );
      this.summary.boards[outcome] += 1;
      b.meetings.forEach((m, j) => {
        const startsAt = parseMeetingTime(m.at);
        if (!startsAt) {
          this.problem(['boards', i, 'meetings', j, 'at'], `"${m.at}" is not a date and time; write e.g. 2024-12-04T14:00`);
          return;
        }
        const { created } = addMeeting(
          this.db,
          { boardId: board.id, startsAt, isSample: m.sample, title: m.title ?? null },
          this.at,
        );
        this.summary.meetings[created ? 'created' : 'unchanged'] += 1;
      });
    });
  }

  /** Board ids by name key: every plan and many workstreams name one of a few boards. */
  private readonly boardIds = new Map<string, number>();
  private boardId(name: string | undefined): number | null {
    if (!name) return null;
    const key = nameKey(name);
    const known = this.boardIds.get(key);
    if (known !== undefined) return known;
    let id = (this.stmt('select id from boards where key = ?').get(key) as { id: number } | undefined)?.id;
    if (id === undefined) {
      // Lead times are the schema's defaults (10, 7 and 5 working days), as upsertBoard gives a board named without them.
      id = Number(this.stmt('insert into boards (name, key, created_at) values (?, ?, ?)').run(name, key, this.at).lastInsertRowid);
      this.summary.boards.created += 1;
      this.warnings.push(`Board "${name}" was not defined in the file and has been created with default lead times.`);
    }
    this.boardIds.set(key, id);
    return id;
  }

  /** Fixes each plan's code up front, so refs are stable and duplicates are caught before writing. */
  private readonly codes: string[] = [];
  /** Every plan already stored, by code: read once instead of once per plan. */
  private existingPlans = new Map<string, typeof plans.$inferSelect>();
  private checkPlanKeys(): void {
    const existing = this.db.select().from(plans).all();
    this.existingPlans = new Map(existing.map((p) => [p.code, p]));
    const taken = new Set(existing.map((p) => p.code));
    const inFile = new Set<string>();
    this.doc.plans.forEach((plan, i) => {
      let code = plan.code;
      if (!code) {
        const sameTitle = existing.find((p) => nameKey(p.title) === nameKey(plan.title));
        code = sameTitle ? sameTitle.code : uniqueCode(derivePlanCode(plan.title), new Set([...taken, ...inFile]));
      }
      if (inFile.has(code)) this.problem(['plans', i, 'code'], `plan code ${code} is used twice in this file`);
      inFile.add(code);
      this.codes.push(code);
      const numbers = new Set<number>();
      plan.workstreams.forEach((ws, j) => {
        const n = ws.number ?? j + 1;
        if (numbers.has(n)) this.problem(['plans', i, 'workstreams', j, 'number'], `workstream number ${n} is used twice in plan ${code}`);
        numbers.add(n);
        const actionNumbers = new Set<number>();
        ws.actions.forEach((a, k) => {
          const an = a.number ?? k + 1;
          if (actionNumbers.has(an)) {
            this.problem(['plans', i, 'workstreams', j, 'actions', k], `action ${formatRef(code as string, n, an)} appears twice`, a.source_line);
          }
          actionNumbers.add(an);
        });
        if (!ws.lead) this.problem(['plans', i, 'workstreams', j, 'lead'], `workstream "${ws.title}" has no accountable lead`);
      });
    });
  }

  private importPlan(plan: PlanInput, index: number): void {
    const code = this.codes[index] as string;
    const boardId = this.boardId(plan.board);
    const values = {
      title: plan.title,
      areaForImprovement: plan.area_for_improvement ?? null,
      findings: plan.findings ?? null,
      outcomes: plan.outcomes,
      evidence: plan.evidence,
      boardId,
      position: index,
    };
    const existing = this.existingPlans.get(code);
    this.planTitleChanged = !existing || existing.title !== plan.title;
    let planId: number;
    if (!existing) {
      planId = Number(
        this.stmt(
          `insert into plans (code, title, area_for_improvement, findings, outcomes, evidence, board_id, position, created_at, updated_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          code, values.title, values.areaForImprovement, values.findings, JSON.stringify(values.outcomes), JSON.stringify(values.evidence),
          values.boardId, values.position, this.at, this.at,
        ).lastInsertRowid,
      );
      this.summary.plans.created += 1;
    } else {
      planId = existing.id;
      const changed = differs(existing, values);
      if (changed) this.db.update(plans).set({ ...values, updatedAt: this.at }).where(eq(plans.id, planId)).run();
      this.summary.plans[changed ? 'updated' : 'unchanged'] += 1;
    }
    // A plan created just now has no rows yet: nothing to read.
    this.planRows = existing ? this.loadPlanRows(planId) : emptyPlanRows();

    const seen = new Set<number>();
    plan.workstreams.forEach((ws, j) => {
      seen.add(this.importWorkstream(planId, code, plan, ws, ws.number ?? j + 1, ['plans', index, 'workstreams', j]));
    });
    // Workstreams dropped from the file are marked removed, never deleted: their updates are evidence.
    // planRows holds every workstream the plan had before this import.
    const stale = [...this.planRows.workstreams.values()].filter((w) => w.removedAt === null && !seen.has(w.id));
    for (const w of stale) {
      this.db.update(workstreams).set({ removedAt: this.at, updatedAt: this.at }).where(eq(workstreams.id, w.id)).run();
      this.summary.workstreams.removed += 1;
      this.removeActions([...(this.planRows.actions.get(w.id)?.values() ?? [])], [], plan.title, '(removed workstream)');
    }
    this.importKpis(planId, code, plan, index);
  }

  /** The queries that read a stored plan's rows, prepared once per import (re-importing 2,000 plans ran 8,000). */
  private planRowQueries?: ReturnType<PlanImporter['preparePlanRowQueries']>;
  private preparePlanRowQueries() {
    const planId = sql.placeholder('planId');
    const planWorkstreams = this.db.select({ id: workstreams.id }).from(workstreams).where(eq(workstreams.planId, planId));
    return {
      workstreams: this.db.select().from(workstreams).where(eq(workstreams.planId, planId)).orderBy(workstreams.number).prepare(),
      actions: this.db
        .select()
        .from(actions)
        .where(inArray(actions.workstreamId, planWorkstreams))
        .orderBy(actions.workstreamId, actions.number)
        .prepare(),
      supporting: this.db
        .select()
        .from(workstreamSupportingRoles)
        .where(inArray(workstreamSupportingRoles.workstreamId, planWorkstreams))
        .orderBy(workstreamSupportingRoles.position)
        .prepare(),
      actionSupporting: this.db.$client.prepare(
        `select s.action_id as actionId, s.role_id as roleId from action_supporting_roles s join actions a on a.id = s.action_id
         join workstreams w on w.id = a.workstream_id where w.plan_id = ? order by s.action_id, s.position`,
      ),
    };
  }

  private loadPlanRows(planId: number): PlanRows {
    const rows = emptyPlanRows();
    const queries = (this.planRowQueries ??= this.preparePlanRowQueries());
    for (const w of queries.workstreams.all({ planId })) rows.workstreams.set(w.number, w);
    if (rows.workstreams.size === 0) return rows;
    for (const a of queries.actions.all({ planId })) {
      const map = rows.actions.get(a.workstreamId) ?? new Map<string, ActionRow>();
      map.set(a.ref, a);
      rows.actions.set(a.workstreamId, map);
    }
    for (const r of queries.supporting.all({ planId })) {
      rows.supporting.set(r.workstreamId, [...(rows.supporting.get(r.workstreamId) ?? []), r.roleId]);
    }
    for (const r of queries.actionSupporting.all(planId) as { actionId: number; roleId: number }[]) {
      rows.actionSupporting.set(r.actionId, [...(rows.actionSupporting.get(r.actionId) ?? []), r.roleId]);
    }
    return rows;
  }

  /** KPIs after the workstreams, which they may name. See kpi-import.ts for the rules. */
  private importKpis(planId: number, code: string, plan: PlanInput, index: number): void {
    if (plan.kpis.length === 0) return; // a file without KPIs (a plan table) leaves the plan's KPIs alone
    this.kpiImporter ??= new KpiImporter({
      db: this.db,
      at: this.at,
      today: this.today,
      terms: this.terms,
      role: (name) => this.roleEntry(name),
      problems: this.problems,
      warnings: this.warnings,
      summary: { kpis: this.summary.kpis, readings: this.summary.kpiReadings },
      report: this.kpiReport,
    });
    const items = plan.kpis.map((kpi, k) => {
      const locate: KpiLocator = (field, sub = []) => {
        const path = ['plans', index, 'kpis', k, ...(field === 'name' ? [] : [field]), ...sub];
        const line = this.options.lineOf?.(path) ?? this.options.lineOf?.(['plans', index, 'kpis', k]) ?? kpi.source_line;
        return { file: this.options.file, ...(line !== undefined ? { line } : {}), path: formatPath(path) };
      };
      return { kpi, locate };
    });
    this.kpiImporter.importPlanKpis({ id: planId, code, title: plan.title }, items, true);
  }

  private importWorkstream(
    planId: number,
    code: string,
    plan: PlanInput,
    ws: WorkstreamInput,
    number: number,
    path: (string | number)[],
  ): number {
    const leadRoleId = ws.lead ? this.role(ws.lead) : null;
    const supporting = unique(ws.with.map((name) => this.role(name))).filter((id) => id !== leadRoleId);
    const deadline = ws.due ? this.deadlines.read(ws.due) : undefined;
    const values = {
      title: ws.title,
      leadRoleId,
      boardId: ws.board ? this.boardId(ws.board) : null,
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
    const existing = this.planRows.workstreams.get(number);
    let id: number;
    if (!existing) {
      id = Number(
        this.stmt(
          `insert into workstreams (plan_id, number, title, lead_role_id, board_id, date_text, milestones, start, due, ongoing, flags,
             created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          planId, number, values.title, values.leadRoleId, values.boardId, values.dateText, JSON.stringify(values.milestones),
          values.start, values.due, values.ongoing ? 1 : 0, JSON.stringify(values.flags), this.at, this.at,
        ).lastInsertRowid,
      );
      this.summary.workstreams.created += 1;
    } else {
      id = existing.id;
      const changed = differs(existing, values);
      if (changed) this.db.update(workstreams).set({ ...values, updatedAt: this.at }).where(eq(workstreams.id, id)).run();
      this.summary.workstreams[changed ? 'updated' : 'unchanged'] += 1;
      if (existing.leadRoleId !== leadRoleId) {
        this.owners.push(
          `Workstream ${code}-${number} "${ws.title}": accountable lead ${this.roleNameById(existing.leadRoleId)} → ${this.roleNameById(leadRoleId)} ` +
            '(the file changed it; its actions without an owner of their own move with it)',
        );
      }
    }
    const currentSupport = this.planRows.supporting.get(id) ?? [];
    if (JSON.stringify(currentSupport) !== JSON.stringify(supporting)) {
      if (existing) this.stmt('delete from workstream_supporting_roles where workstream_id = ?').run(id);
      supporting.forEach((roleId, position) => {
        this.stmt('insert into workstream_supporting_roles (workstream_id, role_id, position) values (?, ?, ?)').run(id, roleId, position);
      });
    }

    const window = { start: values.start, due: values.due };
    const seenActions: number[] = [];
    const existingActions = this.planRows.actions.get(id) ?? new Map<string, ActionRow>();
    const reindex = !existing || existing.title !== ws.title || this.planTitleChanged;
    ws.actions.forEach((action, k) => {
      seenActions.push(
        this.importAction(id, code, number, action, action.number ?? k + 1, window, { plan, ws }, [...path, 'actions', k], {
          existing: existingActions.get(formatRef(code, number, action.number ?? k + 1)),
          reindex,
          lead: { before: existing ? existing.leadRoleId : leadRoleId, after: leadRoleId },
          supporting,
        }),
      );
    });
    this.removeActions([...existingActions.values()], seenActions, plan.title, ws.title);
    return id;
  }

  private importAction(
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
      reindex: boolean;
      /** The workstream's lead role before and after this import. */
      lead: { before: number | null; after: number | null };
      /** The workstream's supporting roles (an action's own With adds to them). */
      supporting: number[];
    },
  ): number {
    const ref = formatRef(code, wsNumber, number);
    const ctx: DeadlineContext = { window, reference: this.today, terms: this.terms };
    const own: { phrase: string; deadline: Deadline } | null = action.due
      ? { phrase: action.due, deadline: this.deadlines.read(action.due, window) }
      : findDeadlineInText(action.text, ctx);
    const fileStatus = action.status ? readStatusWord(action.status, true) : undefined;
    if (action.status && !fileStatus) {
      this.problem([...path, 'status'], `status "${action.status}" is not one of green, amber, red, blue/complete, not started`, action.source_line);
    }
    const completed = Boolean(own?.deadline.completed) || fileStatus === 'blue';
    const importedStatus: ActionStatus | null = fileStatus ?? (completed ? 'blue' : null);
    const ownHasDates = Boolean(own && (own.deadline.due || own.deadline.start));
    const dateSource: ActionReport['date_source'] = ownHasDates ? 'action' : window.due || window.start ? 'workstream' : 'none';
    const start = ownHasDates ? (own?.deadline.start ?? null) : window.start;
    // An action with only a start ("from Sept 24") still finishes by its workstream's due date.
    const due = ownHasDates ? (own?.deadline.due ?? window.due) : window.due;
    const flags = unique([
      ...(own?.deadline.flags ?? []),
      ...(dateSource === 'none' && !completed ? ['no-date'] : []),
    ]);
    // "March 2024 (revised from Dec 23)": the date it was revised from is the baseline.
    const baseline = (ownHasDates ? own?.deadline.revisedFrom : null) ?? due;
    const existing = known.existing;
    const owner = this.decideOwner(ref, action, existing, known.lead);
    const ownWith = unique((action.with ?? []).map((name) => this.role(name))).filter(
      (id) => id !== known.lead.after && !known.supporting.includes(id),
    );
    const values = {
      workstreamId,
      number,
      text: action.text,
      ...(owner.apply ? { ownerRoleId: owner.roleId, ownerPersonId: null } : {}),
      dateText: ownHasDates || own?.deadline.flags.length ? (own?.phrase ?? null) : null,
      dateSource,
      start,
      due,
      ongoing: Boolean(own?.deadline.ongoing),
      flags,
      removedAt: null,
    };

    // The plan's rows were preloaded: a ref is unique to its (plan, workstream number, action
    // number), so an action not in the workstream's map does not exist yet.
    let id: number;
    let change: Change;
    let status: ActionStatus;
    if (!existing) {
      status = importedStatus ?? 'not_started';
      id = Number(
        this.stmt(
          `insert into actions (workstream_id, number, ref, text, owner_role_id, date_text, date_source, start, due, baseline_due,
             ongoing, flags, status, imported_status, imported_owner, percent, created_at, updated_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          workstreamId, number, ref, values.text, owner.roleId, values.dateText, dateSource, start, due, baseline,
          values.ongoing ? 1 : 0, JSON.stringify(flags), status, importedStatus, owner.imported, status === 'blue' ? 100 : null, this.at, this.at,
        ).lastInsertRowid,
      );
      change = 'created';
    } else {
      id = existing.id;
      status = existing.status;
      const changed = differs(existing, values);
      // Recording what the file says about the owner is bookkeeping, not a change to the action.
      if (changed || existing.importedOwner !== owner.imported) {
        this.db.update(actions).set({ ...values, importedOwner: owner.imported, ...(changed ? { updatedAt: this.at } : {}) }).where(eq(actions.id, id)).run();
      }
      if (changed) {
        if (existing.due !== due) {
          // The plan file moved the date: keep the trail; the baseline on the action stays as it was.
          this.db
            .insert(dueDateChanges)
            .values({
              actionId: id,
              requestedAt: this.at,
              fromDue: existing.due,
              toDue: due,
              phrase: values.dateText ?? parents.ws.due ?? '',
              reason: `Plan file ${this.options.file ?? ''} changed the date`.replace(/\s+/g, ' ').trim(),
              state: 'imported',
            })
            .run();
          if (existing.baselineDue === null && due) {
            this.db.update(actions).set({ baselineDue: baseline }).where(eq(actions.id, id)).run();
          }
        }
      }
      // A status written in the file is applied only when the file's status itself changed, so a
      // re-import never overrides what owners have reported in chat since.
      if (importedStatus && importedStatus !== existing.importedStatus) {
        this.db
          .insert(updates)
          .values({
            actionId: id,
            createdAt: this.at,
            platform: 'import',
            kind: 'import',
            status: importedStatus,
            percent: importedStatus === 'blue' ? 100 : null,
            note: `Status set by plan file ${this.options.file ?? ''}`.trim(),
            rawText: action.status ?? action.text,
          })
          .run();
        this.db
          .update(actions)
          .set({ status: importedStatus, importedStatus, updatedAt: this.at })
          .where(eq(actions.id, id))
          .run();
        status = importedStatus;
      }
      change = changed || status !== existing.status ? 'updated' : 'unchanged';
    }
    const currentWith = this.planRows.actionSupporting.get(id) ?? [];
    if (JSON.stringify(currentWith) !== JSON.stringify(ownWith)) {
      if (existing) this.stmt('delete from action_supporting_roles where action_id = ?').run(id);
      ownWith.forEach((roleId, position) => {
        this.stmt('insert into action_supporting_roles (action_id, role_id, position) values (?, ?, ?)').run(id, roleId, position);
      });
      if (change === 'unchanged') change = 'updated';
    }
    this.summary.actions[change] += 1;
    if (!existing || known.reindex || existing.text !== action.text || existing.removedAt !== null) {
      this.indexForSearch(id, ref, action.text, parents.ws.title, parents.plan.title, !existing);
    }

    const leadName = parents.ws.lead ? this.roleName(parents.ws.lead) : null;
    const ownerAfter = this.ownerName(owner.roleId, owner.personId, known.lead.after);
    const ownerBefore = existing ? this.ownerName(existing.ownerRoleId, existing.ownerPersonId, known.lead.before) : ownerAfter;
    const reportFlags = this.options.rowFlags?.get(action.source_line ?? -1) ?? [];
    this.rows.push({
      ref,
      plan: parents.plan.title,
      workstream: parents.ws.title,
      action: action.text,
      lead: leadName,
      owner: ownerAfter,
      with: unique([...known.supporting, ...ownWith]).map((roleId) => this.roleNameById(roleId)),
      date_text: values.dateSource === 'workstream' ? (parents.ws.due ?? null) : values.dateText,
      date_source: dateSource,
      start,
      due,
      ongoing: values.ongoing || (dateSource === 'workstream' && Boolean(parents.ws.due && /ongoing|beyond/i.test(parents.ws.due))),
      completed,
      status,
      flags: reportFlags.length > 0 ? unique([...flags, ...reportFlags]) : flags,
      change,
      owner_change: ownerBefore !== ownerAfter ? { from: ownerBefore ?? 'nobody', to: ownerAfter ?? 'nobody' } : null,
      line: action.source_line ?? this.options.lineOf?.(path),
    });
    return id;
  }

  /**
   * Who is accountable for an action after this import. The file's owner is compared with what the
   * file said last time (actions.imported_owner), never with the owner now: an unchanged file leaves
   * an `assign` made since in place; a file that changed the action's owner is applied and reported.
   */
  private decideOwner(
    ref: string,
    action: ActionInput,
    existing: ActionRow | undefined,
    lead: { before: number | null; after: number | null },
  ): { apply: boolean; roleId: number | null; personId: number | null; imported: string } {
    const fileRoleId = action.owner ? this.role(action.owner) : null;
    const imported = action.owner ? this.roleName(action.owner) : '';
    if (!existing) return { apply: true, roleId: fileRoleId, personId: null, imported };
    const fileOwner = this.ownerName(fileRoleId, null, lead.after);
    const now = this.ownerName(existing.ownerRoleId, existing.ownerPersonId, lead.after);
    const keep = { apply: false, roleId: existing.ownerRoleId, personId: existing.ownerPersonId, imported };
    if (existing.importedOwner === null) {
      // Imported before the file's owner was kept: it cannot be told whether the file or chat is newer.
      if (existing.ownerRoleId !== fileRoleId) {
        this.owners.push(
          `${ref}: kept ${now}; the file gives ${fileOwner}, but no earlier import recorded this action's owner, so it cannot tell which is newer. ` +
            `If the file is right: /send assign ${ref} role ${fileOwner}`,
        );
      }
      return keep;
    }
    if (nameKey(existing.importedOwner) !== nameKey(imported)) {
      const before = this.ownerName(existing.ownerRoleId, existing.ownerPersonId, lead.before);
      if (before !== fileOwner) this.owners.push(`${ref}: ${before} → ${fileOwner} (the file changed the action's owner)`);
      return { apply: true, roleId: fileRoleId, personId: null, imported };
    }
    if (existing.ownerPersonId !== null || existing.ownerRoleId !== fileRoleId) {
      this.owners.push(`${ref}: kept ${now}, assigned since the last import; the file still gives ${fileOwner}`);
    }
    return keep;
  }

  /** The accountable person or role, as the report shows it. */
  private ownerName(roleId: number | null, personId: number | null, leadRoleId: number | null): string | null {
    if (personId !== null) return this.personNameById(personId);
    const id = roleId ?? leadRoleId;
    return id === null ? null : this.roleNameById(id);
  }

  private loadNames(): { roles: Map<number, string>; people: Map<number, string> } {
    this.names ??= {
      roles: new Map((this.db.$client.prepare('select id, name from roles').all() as { id: number; name: string }[]).map((r) => [r.id, r.name])),
      people: new Map(
        (this.db.$client.prepare('select id, name, email from people').all() as { id: number; name: string; email: string }[]).map((p) => [
          p.id,
          `${p.name} <${p.email}>`,
        ]),
      ),
    };
    return this.names;
  }

  private roleNameById(id: number | null): string {
    if (id === null) return 'nobody';
    const names = this.loadNames().roles;
    let name = names.get(id);
    if (name === undefined) {
      // A role created by this import after the names were loaded.
      name = (this.db.$client.prepare('select name from roles where id = ?').get(id) as { name: string } | undefined)?.name ?? `role ${id}`;
      names.set(id, name);
    }
    return name;
  }

  private personNameById(id: number): string {
    return this.loadNames().people.get(id) ?? `person ${id}`;
  }

  private indexForSearch(id: number, ref: string, text: string, workstream: string, plan: string, isNew: boolean): void {
    this.searchWrites.push({ id, replaces: !isNew, row: [ref, text, workstream, plan] });
  }

  /**
   * Search rows, in the order the import made them, written after everything else. FTS5 writes its
   * pending entries out whenever another statement of the transaction opens a statement savepoint
   * (the inserts of plans, roles and boards do), so interleaving them made each of those inserts
   * cost a flush: 100k actions took seconds longer.
   */
  private readonly searchWrites: { id: number; replaces: boolean; row: [string, string, string, string] | null }[] = [];
  private writeSearchIndex(): void {
    const remove = this.stmt('delete from action_search where rowid = ?');
    const insert = this.stmt('insert into action_search (rowid, ref, text, workstream, plan) values (?, ?, ?, ?, ?)');
    for (const { id, replaces, row } of this.searchWrites) {
      if (replaces) remove.run(id);
      if (row) insert.run(id, ...row);
    }
  }

  private removeActions(existing: ActionRow[], keep: number[], planTitle: string, wsTitle: string): void {
    const kept = new Set(keep);
    const live = existing.filter((a) => a.removedAt === null && !kept.has(a.id));
    if (live.length === 0) return;
    this.db
      .update(actions)
      .set({ removedAt: this.at, updatedAt: this.at })
      .where(inArray(actions.id, live.map((a) => a.id)))
      .run();
    for (const a of live) {
      this.searchWrites.push({ id: a.id, replaces: true, row: null });
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
      `${live.length} action(s) no longer in the file were marked removed (${live.map((a) => a.ref).join(', ')}); their updates are kept.`,
    );
  }
}

/** Whether any of `values` differs from the stored row, compared as JSON (runs once per action on a re-import). */
function differs(existing: Record<string, unknown>, values: Record<string, unknown>): boolean {
  for (const k in values) {
    const a = existing[k] ?? null;
    const b = values[k] ?? null;
    // Two strings (most fields), or two nulls, compare as JSON would without writing JSON.
    if (typeof a === 'string' && typeof b === 'string') {
      if (a !== b) return true;
    } else if (a === null && b === null) {
      continue;
    } else if (JSON.stringify(a) !== JSON.stringify(b)) return true;
  }
  return false;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function formatPath(path: (string | number)[]): string {
  return describePath(path);
}

