// Loads what a digest needs and builds it: the one place the CLI, `/send digest` and the scheduler
// get a digest from, so all three agree on the window ("since the previous meeting"). Without a
// loaded PlanningState it reads only the board's slice of the plan (board-planning-state-repository).
import { boardActions, buildBoardDigest, buildWeeklyDigest, digestMeetings, weeklyWindowStart } from '../domain/digest.js';
import { emptyDigestHistory } from '../domain/digest-history.js';
import type { BoardDigest, WeeklyDigest } from '../domain/digest-model.js';
import type { PlanningState } from '../domain/planning-state.js';
import type { Db } from './database.js';
import { loadBoardPlanningState } from './board-planning-state-repository.js';
import { loadDateDecisionsSince, loadDigestHistory, loadUpdatesSince } from './digest-history-repository.js';
import { loadPlanningState } from './planning-state-repository.js';
import { storeCall, withConnection } from './unit-of-work.js';

export function loadBoardDigest(
  db: Db,
  boardId: number,
  nowUtcIso: string,
  opts: { meetingId?: number; state?: PlanningState } = {},
): Promise<BoardDigest> {
  return withConnection(db, async () => {
    const state = opts.state ?? await loadBoardPlanningState(db, boardId);
    const board = state?.boards.find((b) => b.id === boardId);
    if (!state || !board) throw new Error(`Board ${boardId} not found.`);
    const { previous } = digestMeetings(board, nowUtcIso, opts.meetingId);
    // The history is read for the actions the digest shows: the board's, as the state has them.
    const actionIds = boardActions(state, boardId).map((a) => a.id);
    const history = await loadDigestHistory(db, { boardId, sinceUtcIso: previous?.startsAt ?? null, nowUtcIso, actionIds });
    return buildBoardDigest(state, boardId, nowUtcIso, history, opts.meetingId === undefined ? {} : { meetingId: opts.meetingId });
  });
}

export function loadWeeklyDigest(db: Db, nowUtcIso: string, opts: { state?: PlanningState } = {}): Promise<WeeklyDigest> {
  return withConnection(db, async () => {
    const state = opts.state ?? await loadPlanningState(db);
    const sinceUtcIso = weeklyWindowStart(nowUtcIso);
    // The weekly digest reads only the week's reports and date decisions from the trail; the rest of
    // the history (statuses at the last meeting, pending requests, moves) is for the chair's digest.
    const history = {
      ...emptyDigestHistory(nowUtcIso, sinceUtcIso),
      updatesSince: await loadUpdatesSince(db, { boardId: null, sinceUtcIso, nowUtcIso }),
      dateDecisions: await loadDateDecisionsSince(db, { boardId: null, sinceUtcIso, nowUtcIso }),
    };
    return buildWeeklyDigest(state, nowUtcIso, history);
  });
}
