// One scheduler tick: load the plan state, plan everything that should have gone out by now, insert
// what the outbox does not have yet, and skip undelivered rows that are no longer relevant. Safe to
// run twice, or from two processes: every row has a unique key and inserts ignore existing keys.
import type { Clock } from '../clock.js';
import { toStoredInstant } from '../clock.js';
import { outboxKeyScope, type PlannedNotification, planNotifications, planningNeeds } from '../domain/notification-planner.js';
import { boardSummaryReply } from '../domain/notifications/board-summary.js';
import { staleReason } from '../domain/notifications/staleness.js';
import type { PlanningState } from '../domain/planning-state.js';
import { digestToReply, weeklyDigestToReply } from '../render/digest-reply.js';
import type { Reply } from '../render/reply.js';
import { type Db, inTransaction } from '../store/database.js';
import { loadBoardDigest, loadWeeklyDigest } from '../store/digest-loader.js';
import { enqueueNotification, findOutboxKeyStates, listOpenUnleased, loadQueuedMessages, markSkipped, releaseHeld } from '../store/outbox-repository.js';
import { loadPlanningState } from '../store/planning-state-repository.js';
import { toOutboxRow } from './outbox-rows.js';

export interface TickOptions {
  db: Db;
  clock: Clock;
  /** Plan and report, write nothing. */
  dryRun?: boolean;
}

export interface SkippedRow {
  id: number;
  key: string;
  kind: string;
  reason: string;
}

export interface TickResult {
  now: string;
  /** What the planner listed; keys already queued are left out (their payloads are not rebuilt). */
  planned: PlannedNotification[];
  /** New rows (with dryRun: the rows that would be inserted). */
  enqueued: PlannedNotification[];
  /** Held rows brought forward because the person is back (or has a delegate) sooner. */
  released: PlannedNotification[];
  /** Undelivered rows marked skipped (with dryRun: that would be). */
  skipped: SkippedRow[];
  /** Problems that did not stop the tick, e.g. a digest that fell back to the summary. */
  warnings: string[];
}

export async function runTick({ db, clock, dryRun = false }: TickOptions): Promise<TickResult> {
  const now = toStoredInstant(clock.now());
  const state = await loadPlanningState(db);
  const warnings: string[] = [];
  // Everything the planner reads is loaded first and passed in: the outbox rows under the keys it
  // may use (one query), then the digests it will need, only for copies not queued yet.
  const queued = await loadQueuedMessages(db, outboxKeyScope(state, now));
  const needs = planningNeeds(state, now, queued);
  const digestReplies = new Map<number, Reply>();
  for (const { boardId, meetingId } of needs.digests) digestReplies.set(meetingId, await boardDigestReply(db, state, boardId, meetingId, now, warnings));
  const planned = planNotifications(state, now, {
    queued,
    digestReplies,
    ...(needs.weekly ? { weeklyReply: await weeklyReply(db, state, now, warnings) } : {}),
  });
  const stale = await staleRows(db, state, now);

  const result: TickResult = { now, planned, enqueued: [], released: [], skipped: [], warnings };
  const apply = async () => {
    for (const row of stale) {
      if (dryRun || await markSkipped(db, row.id, row.reason, now)) result.skipped.push(row);
    }
    // Read inside the transaction (when there is one): another process may have queued a key since.
    const existingByKey = await findOutboxKeyStates(db, planned.map((p) => p.key));
    for (const p of planned) {
      const existing = existingByKey.get(p.key);
      if (!existing) {
        if (dryRun || await enqueueNotification(db, toOutboxRow(p, now))) result.enqueued.push(p);
      } else if (existing.status === 'pending' && existing.attempts === 0 && p.notBefore < existing.notBefore) {
        const row = toOutboxRow(p, now);
        if (dryRun || await releaseHeld(db, p.key, row, now)) result.released.push(p);
      }
    }
  };
  if (dryRun) await apply();
  else await inTransaction(db, apply);
  return result;
}

async function staleRows(db: Db, state: PlanningState, now: string): Promise<SkippedRow[]> {
  const meetingStarts = new Map<number, string>();
  for (const board of state.boards) for (const m of board.meetings) meetingStarts.set(m.id, m.startsAt);
  const out: SkippedRow[] = [];
  for (const row of await listOpenUnleased(db, now)) {
    const reason = staleReason(row, meetingStarts, now);
    if (reason) out.push({ id: row.id, key: row.key, kind: row.kind, reason });
  }
  return out;
}

/** The full chair's digest; if building it fails the chair still gets the counts, and the tick goes on. */
async function boardDigestReply(db: Db, state: PlanningState, boardId: number, meetingId: number, now: string, warnings: string[]): Promise<Reply> {
  try {
    return digestToReply(await loadBoardDigest(db, boardId, now, { meetingId, state }));
  } catch (error) {
    warnings.push(`digest for board ${boardId}, meeting ${meetingId} fell back to the summary: ${(error as Error).message}`);
    return boardSummaryReply(state, boardId, meetingId, now);
  }
}

async function weeklyReply(db: Db, state: PlanningState, now: string, warnings: string[]): Promise<Reply> {
  try {
    return weeklyDigestToReply(await loadWeeklyDigest(db, now, { state }));
  } catch (error) {
    warnings.push(`weekly digest failed: ${(error as Error).message}`);
    return { tone: 'info', summary: `Weekly digest, ${state.partnershipName}: not available this week (${(error as Error).message})`, blocks: [] };
  }
}
