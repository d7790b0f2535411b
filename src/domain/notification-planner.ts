// The notification planner: a pure function of (plan state, now, what the outbox holds) that lists
// everything that should have gone out by now and is still relevant, each under a deterministic key.
// The tick inserts what is missing ("on conflict(key) do nothing"), so missed ticks, restarts and
// clock changes neither lose nor repeat a message.
//
// The planner never reaches into the database: the caller reads the outbox rows under the keys it may
// ask about (outboxKeyScope) and builds the digests it will need (planningNeeds) first, and passes
// them in as data.
//
// Cost is linear in the number of actions: actions are grouped by board once, each board's owners
// once (and only for boards inside a meeting's window), and date arithmetic is memoised by date.
import type { Reply } from '../messages/reply.js';
import { actionsByBoard, type PlanningState } from './planning-state.js';
import { boardSummaryReply } from './notifications/board-summary.js';
import { boardDigestsDue, type DigestDue, type DigestReplies, meetingsInPlay, planBoardMeetings } from './notifications/meeting-notifications.js';
import { planOverdueChasers } from './notifications/overdue-chasers.js';
import { recentOccasionDays } from './notifications/overdue-occasions.js';
import { groupKpisByBoard } from './notifications/kpi-nudges.js';
import { createPlanContext, type QueuedMessages } from './notifications/plan-context.js';
import type { PlannedNotification } from './notifications/planned-notification.js';
import { planWeeklyDigest, weekInPlay, weeklyDigestDue } from './notifications/weekly-notifications.js';

export type { PlannedNotification } from './notifications/planned-notification.js';
export type { QueuedMessage, QueuedMessages } from './notifications/plan-context.js';
export type { DigestDue, DigestReplies } from './notifications/meeting-notifications.js';

export interface PlanInputs {
  /**
   * The outbox rows under the keys this plan may use (outboxKeyScope), whatever their status. A key
   * already queued is left out of the plan, so the tick does not rebuild (for example) a chair's
   * digest every five minutes of the week before a meeting; what a row listed and when it went out
   * lets the planner merge occasions that land together (a window nudge sent late stands in for the
   * reminder; a chaser leaves out what that day's nudge lists). Default: nothing queued.
   */
  queued?: QueuedMessages;
  /** The chair's digest by meeting id, for the meetings planningNeeds listed; a meeting without one gets a summary of counts. */
  digestReplies?: DigestReplies;
  /** This week's digest, when planningNeeds asked for it; absent, a compact summary across all boards. */
  weeklyReply?: Reply;
}

export function planNotifications(state: PlanningState, nowUtcIso: string, inputs: PlanInputs = {}): PlannedNotification[] {
  const ctx = createPlanContext(state, nowUtcIso, inputs.queued);
  const byBoard = actionsByBoard(state);
  const digestReply = (boardId: number, meetingId: number): Reply =>
    inputs.digestReplies?.get(meetingId) ?? boardSummaryReply(state, boardId, meetingId, ctx.now, byBoard.get(boardId) ?? []);
  const planned: PlannedNotification[] = [];
  const kpisByBoard = groupKpisByBoard(state.kpis ?? []);
  for (const board of state.boards) {
    planned.push(...planBoardMeetings(ctx, board, byBoard.get(board.id) ?? [], (meetingId) => digestReply(board.id, meetingId), kpisByBoard.get(board.id) ?? []));
  }
  planned.push(...planOverdueChasers(ctx, state.actions));
  planned.push(...planWeeklyDigest(ctx, inputs.weeklyReply));
  return planned;
}

export interface PlanningNeeds {
  /** Meetings whose chair's digest has a copy still to queue: build these digests and pass them in. */
  digests: DigestDue[];
  /** Whether this week's digest has a copy still to queue. */
  weekly: boolean;
}

/** The digests planNotifications will want, given what the outbox holds: built before planning, and only these. */
export function planningNeeds(state: PlanningState, nowUtcIso: string, queued?: QueuedMessages): PlanningNeeds {
  const ctx = createPlanContext(state, nowUtcIso, queued);
  const byBoard = actionsByBoard(state);
  const kpisByBoard = groupKpisByBoard(state.kpis ?? []);
  const digests: DigestDue[] = [];
  for (const board of state.boards) digests.push(...boardDigestsDue(ctx, board, byBoard.get(board.id) ?? [], kpisByBoard.get(board.id) ?? []));
  return { digests, weekly: weeklyDigestDue(ctx) };
}

/**
 * The outbox keys a plan at `now` may ask about: every key under one of `prefixes` (the meetings in
 * play and this week's digest), and the overdue chasers `overdue:<person>:<day>` for `overdueDays`.
 * The caller reads those rows in one query and passes them to planningNeeds and planNotifications.
 */
export interface OutboxKeyScope {
  prefixes: string[];
  overdueDays: string[];
}

export function outboxKeyScope(state: PlanningState, nowUtcIso: string): OutboxKeyScope {
  const ctx = createPlanContext(state, nowUtcIso);
  const prefixes: string[] = [];
  for (const board of state.boards) {
    for (const { frame } of meetingsInPlay(ctx, board)) prefixes.push(`nudge:${frame.meeting.id}:`, `digest:${frame.meeting.id}:`);
  }
  const week = weekInPlay(ctx);
  if (week) prefixes.push(`weekly:${week.week}:`);
  return { prefixes, overdueDays: [...recentOccasionDays(ctx.today)] };
}
