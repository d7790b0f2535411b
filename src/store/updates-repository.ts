// Updates are append-only and date changes keep the baseline: the trail a partnership shows inspectors.
import { and, asc, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { type ActionStatus, actions, dueDateChanges, people, updates } from '../../db/schema.js';
import type { Db } from './database.js';
import { storeCall } from './unit-of-work.js';

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

/** Appends an update and moves the action's current status/percent when the update gives them. */
export function recordUpdate(db: Db, update: NewUpdate): Promise<number> {
  return storeCall(db, () => {
    const id = db
      .insert(updates)
      .values({
        actionId: update.actionId,
        personId: update.personId,
        createdAt: update.at,
        platform: update.platform,
        kind: update.kind,
        status: update.status ?? null,
        percent: update.percent ?? null,
        note: update.note ?? null,
        evidenceUrl: update.evidenceUrl ?? null,
        rawText: update.rawText,
        onBehalfOfPersonId: update.onBehalfOfPersonId ?? null,
      })
      .returning({ id: updates.id })
      .get().id;
    const set: { status?: ActionStatus; percent?: number | null; updatedAt: string } = { updatedAt: update.at };
    if (update.status) set.status = update.status;
    if (update.percent !== undefined && update.percent !== null) set.percent = update.percent;
    else if (update.status === 'blue') set.percent = 100;
    // Not started means nothing done: an earlier percent would be stale, so it is cleared.
    else if (update.status === 'not_started') set.percent = null;
    if (set.status || set.percent !== undefined) db.update(actions).set(set).where(eq(actions.id, update.actionId)).run();
    return id;
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

const onBehalf = alias(people, 'on_behalf');

export function listUpdates(db: Db, actionId: number): Promise<UpdateRow[]> {
  return storeCall(db, () => {
    return db
      .select({
        id: updates.id,
        at: updates.createdAt,
        personId: updates.personId,
        personName: people.name,
        platform: updates.platform,
        kind: updates.kind,
        status: updates.status,
        percent: updates.percent,
        note: updates.note,
        evidenceUrl: updates.evidenceUrl,
        rawText: updates.rawText,
        onBehalfOfName: onBehalf.name,
      })
      .from(updates)
      .leftJoin(people, eq(people.id, updates.personId))
      .leftJoin(onBehalf, eq(onBehalf.id, updates.onBehalfOfPersonId))
      .where(eq(updates.actionId, actionId))
      .orderBy(asc(updates.createdAt), asc(updates.id))
      .all();
  });
}

export type DateChange = typeof dueDateChanges.$inferSelect & { requestedByName: string | null; decidedByName: string | null };

const decider = alias(people, 'decider');

export function listDateChanges(db: Db, actionId: number): Promise<DateChange[]> {
  return storeCall(db, () => {
    return db
      .select({ change: dueDateChanges, requestedByName: people.name, decidedByName: decider.name })
      .from(dueDateChanges)
      .leftJoin(people, eq(people.id, dueDateChanges.requestedBy))
      .leftJoin(decider, eq(decider.id, dueDateChanges.decidedBy))
      .where(eq(dueDateChanges.actionId, actionId))
      .orderBy(asc(dueDateChanges.requestedAt), asc(dueDateChanges.id))
      .all()
      .map((r) => ({ ...r.change, requestedByName: r.requestedByName, decidedByName: r.decidedByName }));
  });
}

export function pendingDateChange(db: Db, actionId: number): Promise<DateChange | undefined> {
  return storeCall(db, () => {
    const row = db
      .select({ change: dueDateChanges, requestedByName: people.name })
      .from(dueDateChanges)
      .leftJoin(people, eq(people.id, dueDateChanges.requestedBy))
      .where(and(eq(dueDateChanges.actionId, actionId), eq(dueDateChanges.state, 'pending')))
      .orderBy(desc(dueDateChanges.id))
      .get();
    return row ? { ...row.change, requestedByName: row.requestedByName, decidedByName: null } : undefined;
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
  return storeCall(db, () => {
    db.update(dueDateChanges)
      .set({ state: 'superseded', decidedAt: request.at })
      .where(and(eq(dueDateChanges.actionId, request.actionId), eq(dueDateChanges.state, 'pending')))
      .run();
    return db
      .insert(dueDateChanges)
      .values({
        actionId: request.actionId,
        requestedBy: request.requestedBy,
        requestedAt: request.at,
        fromDue: request.fromDue,
        toDue: request.toDue,
        phrase: request.phrase,
        reason: request.reason,
        state: 'pending',
        updateId: request.updateId,
      })
      .returning({ id: dueDateChanges.id })
      .get().id;
  });
}

/**
 * Records who decided, when and what they said; approving moves the action's due date. The baseline
 * on the action is never touched.
 */
export function decideDateChange(db: Db, changeId: number, decision: 'approved' | 'rejected', deciderId: number, at: string, note: string | null = null): Promise<void> {
  return storeCall(db, () => {
    const change = db.select().from(dueDateChanges).where(eq(dueDateChanges.id, changeId)).get();
    if (!change) throw new Error(`date change ${changeId} not found`);
    db.update(dueDateChanges)
      .set({ state: decision, decidedBy: deciderId, decidedAt: at, decisionNote: note })
      .where(eq(dueDateChanges.id, changeId))
      .run();
    if (decision === 'approved') {
      db.update(actions).set({ due: change.toDue, updatedAt: at }).where(eq(actions.id, change.actionId)).run();
    }
  });
}
