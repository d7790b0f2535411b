// Updates are append-only and date changes keep the baseline: the trail a partnership shows inspectors.
import { sql } from 'drizzle-orm';
import { type ActionStatus, actions, dueDateChanges } from '../../db/schema.js';
import { type AuditEntry, auditInsert, recordAudit } from './audit-repository.js';
import { type Db, isPostgres } from './database.js';
import { all, get, run } from './statements.js';
import { tableRows } from './table-rows.js';
import { storeCall } from './unit-of-work.js';

const actionRows = tableRows(actions);
const dateChangeRows = tableRows(dueDateChanges);
type Raw = Record<string, unknown>;

export interface NewUpdate {
  actionId: number;
  personId: number | null;
  at: string;
  platform: string;
  kind: 'update' | 'no_change' | 'correction' | 'import';
  status?: ActionStatus | null;
  percent?: number | null;
  note?: string | null;
  evidenceUrl?: string | null;
  rawText: string;
  /** The away owner a delegate was covering for. */
  onBehalfOfPersonId?: number | null;
}

/** A recorded update's id, and where its action stands after it (for the reply: no second read). */
export interface RecordedUpdate {
  id: number;
  status: ActionStatus;
  percent: number | null;
  due: string | null;
}

/**
 * Appends an update and moves the action's current status/percent when the update gives them.
 * `audit`: the audit entry that goes with it (an update by an admin or a delegate), written in the
 * same unit with the update's id as its detail (`{"updateId":…}`).
 */
export function recordUpdate(db: Db, update: NewUpdate, audit?: Omit<AuditEntry, 'detail'>): Promise<RecordedUpdate> {
  return storeCall(db, async () => {
    const insert = sql`insert into updates (action_id, person_id, created_at, platform, kind, status, percent, note, evidence_url, raw_text, on_behalf_of_person_id)
       values (${update.actionId}, ${update.personId}, ${update.at}, ${update.platform}, ${update.kind}, ${update.status ?? null}, ${update.percent ?? null},
         ${update.note ?? null}, ${update.evidenceUrl ?? null}, ${update.rawText}, ${update.onBehalfOfPersonId ?? null})`;
    const set: { status?: ActionStatus; percent?: number | null; updatedAt: string } = { updatedAt: update.at };
    if (update.status) set.status = update.status;
    if (update.percent !== undefined && update.percent !== null) set.percent = update.percent;
    else if (update.status === 'blue') set.percent = 100;
    // Not started means nothing done: an earlier percent would be stale, so it is cleared.
    else if (update.status === 'not_started') set.percent = null;
    const moves = set.status !== undefined || set.percent !== undefined;
    if (isPostgres(db)) {
      // One statement, one round trip (the command's writes were two or three): the insert, the
      // action's move and the audit row as data-modifying CTEs, the action's state after them as the result.
      const audited = audit
        ? sql`, audited as (${auditInsert(audit, sql`jsonb_build_object('updateId', (select id from recorded))`)})`
        : sql``;
      const row = moves
        ? await get<RecordedUpdate>(
            db,
            sql`with recorded as (${insert} returning id),
                 moved as (update actions set ${actionRows.set(set)} where id = ${update.actionId} returning status, percent, due)${audited}
                select recorded.id, moved.status, moved.percent, moved.due from recorded left join moved on true`,
          )
        : await get<RecordedUpdate>(
            db,
            sql`with recorded as (${insert} returning id)${audited}
                select recorded.id, a.status, a.percent, a.due from recorded left join actions a on a.id = ${update.actionId}`,
          );
      return row!;
    }
    const id = (await get<{ id: number }>(db, sql`${insert} returning id as "id"`))!.id;
    const after = moves
      ? await get<Omit<RecordedUpdate, 'id'>>(db, sql`update actions set ${actionRows.set(set)} where id = ${update.actionId} returning status, percent, due`)
      : await get<Omit<RecordedUpdate, 'id'>>(db, sql`select status, percent, due from actions where id = ${update.actionId}`);
    if (audit) await recordAudit(db, { ...audit, detail: { updateId: id } });
    return { id, ...after! };
  });
}

export interface UpdateRow {
  id: number;
  at: string;
  personId: number | null;
  personName: string | null;
  platform: string;
  kind: string;
  status: ActionStatus | null;
  percent: number | null;
  note: string | null;
  evidenceUrl: string | null;
  rawText: string;
  /** The away owner a delegate was covering for, by name. */
  onBehalfOfName: string | null;
}

export function listUpdates(db: Db, actionId: number): Promise<UpdateRow[]> {
  return storeCall(db, async () => {
    return await all<UpdateRow>(
      db,
      sql`select u.id as "id", u.created_at as "at", u.person_id as "personId", p.name as "personName", u.platform as "platform", u.kind as "kind",
         u.status as "status", u.percent as "percent", u.note as "note", u.evidence_url as "evidenceUrl", u.raw_text as "rawText",
         on_behalf.name as "onBehalfOfName"
       from updates u left join people p on p.id = u.person_id left join people on_behalf on on_behalf.id = u.on_behalf_of_person_id
       where u.action_id = ${actionId} order by u.created_at, u.id`,
    );
  });
}

export type DateChange = typeof dueDateChanges.$inferSelect & { requestedByName: string | null; decidedByName: string | null };

export function listDateChanges(db: Db, actionId: number): Promise<DateChange[]> {
  return storeCall(db, async () => {
    return (await all<Raw>(
      db,
      sql`select ${dateChangeRows.columns('c')}, p.name as "requestedByName", decider.name as "decidedByName"
       from due_date_changes c left join people p on p.id = c.requested_by left join people decider on decider.id = c.decided_by
       where c.action_id = ${actionId} order by c.requested_at, c.id`,
    )).map((r) => ({ ...dateChangeRows.toRow(r), requestedByName: r.requestedByName as string | null, decidedByName: r.decidedByName as string | null }));
  });
}

export function pendingDateChange(db: Db, actionId: number): Promise<DateChange | undefined> {
  return storeCall(db, async () => {
    const row = await get<Raw>(
      db,
      sql`select ${dateChangeRows.columns('c')}, p.name as "requestedByName"
       from due_date_changes c left join people p on p.id = c.requested_by
       where c.action_id = ${actionId} and c.state = 'pending' order by c.id desc limit 1`,
    );
    return row ? { ...dateChangeRows.toRow(row), requestedByName: row.requestedByName as string | null, decidedByName: null } : undefined;
  });
}

export interface NewDateChangeRequest {
  actionId: number;
  requestedBy: number;
  at: string;
  fromDue: string | null;
  toDue: string;
  phrase: string;
  reason: string | null;
  updateId: number | null;
}

/** A new request supersedes an older pending one for the same action (the chair sees the latest ask). */
export function requestDateChange(db: Db, request: NewDateChangeRequest): Promise<number> {
  return storeCall(db, async () => {
    await run(db, sql`update due_date_changes set state = 'superseded', decided_at = ${request.at} where action_id = ${request.actionId} and state = 'pending'`);
    return (await get<{ id: number }>(
      db,
      sql`insert into due_date_changes (action_id, requested_by, requested_at, from_due, to_due, phrase, reason, state, update_id)
       values (${request.actionId}, ${request.requestedBy}, ${request.at}, ${request.fromDue}, ${request.toDue}, ${request.phrase}, ${request.reason}, 'pending', ${request.updateId})
       returning id as "id"`,
    ))!.id;
  });
}

/**
 * Records who decided, when and what they said; approving moves the action's due date. The baseline
 * on the action is never touched. False when the change was no longer pending (decided already).
 */
export function decideDateChange(db: Db, changeId: number, decision: 'approved' | 'rejected', deciderId: number, at: string, note: string | null = null): Promise<boolean> {
  return storeCall(db, async () => {
    const change = await get<{ actionId: number; toDue: string | null }>(db, sql`select action_id as "actionId", to_due as "toDue" from due_date_changes where id = ${changeId}`);
    if (!change) throw new Error(`date change ${changeId} not found`);
    // Guarded: of two deciders at once (two chairs, two instances, a double click), one decides and
    // the other is told it was already decided; a decided change is never decided again.
    const decided = await run(
      db,
      sql`update due_date_changes set state = ${decision}, decided_by = ${deciderId}, decided_at = ${at}, decision_note = ${note} where id = ${changeId} and state = 'pending'`,
    );
    if (decided.changes !== 1) return false;
    if (decision === 'approved') {
      await run(db, sql`update actions set due = ${change.toDue}, updated_at = ${at} where id = ${change.actionId}`);
    }
    return true;
  });
}
