// The notification planner: a pure function of (plan state, now) that lists everything that should
// have gone out by now and is still relevant, each under a deterministic key. The tick inserts what is
// missing ("on conflict(key) do nothing"), so missed ticks, restarts and clock changes neither lose
// nor repeat a message.
//
// Cost is linear in the number of actions: actions are grouped by board once, each board's owners
// once (and only for boards inside a meeting's window), and date arithmetic is memoised by date.
import type { Reply } from '../messages/reply.js';
import { actionsByBoard, type PlanningState } from './planning-state.js';
import { boardSummaryReply } from './notifications/board-summary.js';
import { type DigestReplyBuilder, planBoardMeetings } from './notifications/meeting-notifications.js';
import { planOverdueChasers } from './notifications/overdue-chasers.js';
import { groupKpisByBoard } from './notifications/kpi-nudges.js';
import { createPlanContext, type QueuedMessage } from './notifications/plan-context.js';
import type { PlannedNotification } from './notifications/planned-notification.js';
import { planWeeklyDigest, type WeeklyReplyBuilder } from './notifications/weekly-notifications.js';

export type { PlannedNotification } from './notifications/planned-notification.js';
export type { QueuedMessage } from './notifications/plan-context.js';
export type { DigestReplyBuilder } from './notifications/meeting-notifications.js';
export type { WeeklyReplyBuilder } from './notifications/weekly-notifications.js';

export interface PlanOptions {
  /** The chair's digest for a meeting; defaults to a summary of counts built from the state. */
  buildDigestReply?: DigestReplyBuilder;
  /** The weekly digest; defaults to a compact summary across all boards. */
  buildWeeklyReply?: WeeklyReplyBuilder;
  /**
   * Keys already in the outbox. They are left out of the plan, so the tick does not rebuild (for
   * example) a chair's digest every five minutes of the week before a meeting. Default: none.
   */
  isQueued?: (key: string) => boolean;
  /**
   * What the outbox holds under a key, whatever its status. With it the planner merges occasions
   * that land together (a window nudge sent late stands in for the reminder; a chaser leaves out
   * what that day's nudge lists). Default: nothing known.
   */
  queued?: (key: string) => QueuedMessage | undefined;
}

export function planNotifications(state: PlanningState, nowUtcIso: string, options: PlanOptions = {}): PlannedNotification[] {
  const ctx = createPlanContext(state, nowUtcIso, options.isQueued, options.queued);
  const byBoard = actionsByBoard(state);
  const buildDigest =
    options.buildDigestReply ??
    ((boardId: number, meetingId: number): Reply => boardSummaryReply(state, boardId, meetingId, ctx.now, byBoard.get(boardId) ?? []));
  const planned: PlannedNotification[] = [];
  const kpisByBoard = groupKpisByBoard(state.kpis ?? []);
  for (const board of state.boards) {
    planned.push(...planBoardMeetings(ctx, board, byBoard.get(board.id) ?? [], buildDigest, kpisByBoard.get(board.id) ?? []));
  }
  planned.push(...planOverdueChasers(ctx, state.actions));
  planned.push(...planWeeklyDigest(ctx, options.buildWeeklyReply));
  return planned;
}
