// Counts for the stand-in chair's digest (until src/domain/digest.ts is wired into the tick).
import type { Reply } from '../../messages/reply.js';
import { needsUpdate } from '../board-cycle.js';
import type { ActionState, PlanningState } from '../planning-state.js';
import { londonDateOf } from './calendar-memo.js';
import { boardDigestPlaceholderReply, emptyCounts, type StatusCounts } from './messages.js';

function add(c: StatusCounts, a: ActionState, today: string, previousAt: string | undefined): void {
  c.total += 1;
  if (a.status === 'blue') c.complete += 1;
  else if (a.status === 'red') c.red += 1;
  else if (a.status === 'amber') c.amber += 1;
  else if (a.status === 'green') c.green += 1;
  else c.notStarted += 1;
  if (a.status !== 'blue' && a.due !== null && a.due < today) c.overdue += 1;
  if (needsUpdate(a, previousAt)) c.missingUpdate += 1;
}

/**
 * The board's RAG, overdue and missing-update counts for one meeting, overall and per plan. Pass the
 * board's actions when the caller has them grouped already (the planner does): no scan of every action.
 */
export function boardSummaryReply(
  state: PlanningState,
  boardId: number,
  meetingId: number,
  nowUtc: string,
  boardActions: readonly ActionState[] = state.actions.filter((a) => a.boardId === boardId),
): Reply {
  const board = state.boards.find((b) => b.id === boardId);
  const index = board ? board.meetings.findIndex((m) => m.id === meetingId) : -1;
  const meeting = board?.meetings[index];
  if (!board || !meeting) throw new Error(`board ${boardId} has no meeting ${meetingId}`);
  const previousAt = board.meetings[index - 1]?.startsAt;
  const today = londonDateOf(nowUtc);
  const all = emptyCounts();
  const perPlan = new Map<string, StatusCounts>();
  for (const a of boardActions) {
    const name = `${a.planCode} ${a.planTitle}`;
    let c = perPlan.get(name);
    if (!c) perPlan.set(name, (c = emptyCounts()));
    add(c, a, today, previousAt);
    add(all, a, today, previousAt);
  }
  return boardDigestPlaceholderReply(board.name, meeting.startsAt, [...perPlan], all);
}
