// The chair's pre-board digest: per plan reporting to the board, the RAG position and how it moved
// since the last meeting, what owners reported, what is overdue or missing, date changes and the
// exceptions a chair should challenge. A pure function of (state, now, history).
import { type MeetingRef, needsUpdate } from './board-cycle.js';
import type { DigestHistory, HistoryDateMove } from './digest-history.js';
import {
  type BoardDigest,
  DIGEST_SCHEMA_VERSION,
  type DigestAction,
  type DigestExceptionCode,
  type DigestTotals,
  type PlanDigest,
  type RagCounts,
} from './digest-model.js';
import { ActionDescriber, addRag, countStatus, digestMeeting, digestUpdate, emptyPlanDigest, emptyRag, londonDate, ragDifference } from './digest-parts.js';
import { addBoardKpis, countKpis } from './digest-kpis.js';
import { type ActionState, type BoardState, boardActions, type PlanningState } from './planning-state.js';

export { buildWeeklyDigest, weeklyWindowStart } from './weekly-digest.js';
export { boardActions } from './planning-state.js';

/** Exceptions policy (issue 4): overdue by more than this many working days. */
export const EXCEPTION_OVERDUE_WORKING_DAYS = 20;

/** Deadline-reader flags that mean the due date cannot be relied on ('no-date' from older imports). */
export const UNUSABLE_DATE_FLAGS = ['no-date', 'unreadable', 'vague', 'partly-read'] as const;

export interface BoardDigestOptions {
  /** Build for this meeting instead of the board's next one after now. */
  meetingId?: number;
}

export interface DigestMeetings {
  meeting: MeetingRef | undefined;
  /** The meeting before it: "since the last meeting" starts here. */
  previous: MeetingRef | undefined;
}

/**
 * The meeting a digest is for (the next after now, or the one asked for) and the one before it.
 * Callers load the history from `previous.startsAt` so the builder and the store agree on "since".
 */
export function digestMeetings(board: BoardState, nowUtcIso: string, meetingId?: number): DigestMeetings {
  const sorted = [...board.meetings].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const index = meetingId === undefined ? sorted.findIndex((m) => m.startsAt > nowUtcIso) : sorted.findIndex((m) => m.id === meetingId);
  if (meetingId !== undefined && index === -1) throw new Error(`Meeting ${meetingId} is not a (non-cancelled) meeting of ${board.name}.`);
  if (index === -1) return { meeting: undefined, previous: sorted[sorted.length - 1] };
  return { meeting: sorted[index], previous: index > 0 ? sorted[index - 1] : undefined };
}

interface PlanWork {
  digest: PlanDigest;
  before: RagCounts;
}

export function buildBoardDigest(
  state: PlanningState,
  boardId: number,
  nowUtcIso: string,
  history: DigestHistory,
  opts: BoardDigestOptions = {},
): BoardDigest {
  const board = state.boards.find((b) => b.id === boardId);
  if (!board) throw new Error(`Board ${boardId} not found.`);
  const today = londonDate(nowUtcIso);
  const { meeting, previous } = digestMeetings(board, nowUtcIso, opts.meetingId);
  const since = previous?.startsAt;
  // RAG change needs the position at the previous meeting, which only exists if the board has met.
  const tracksChange = since !== undefined && history.sinceUtcIso !== null;
  const describer = new ActionDescriber(state, today);

  // As the actions stood at `now`: a digest built for a past instant counts nothing reported later.
  const scoped = asOf(boardActions(state, boardId), history);
  const byId = new Map<number, ActionState>(scoped.map((a) => [a.id, a]));
  const described = new Map<number, DigestAction>();
  const describe = (a: ActionState): DigestAction => {
    let d = described.get(a.id);
    if (!d) {
      d = describer.describe(a);
      described.set(a.id, d);
    }
    return d;
  };
  const movesByAction = groupMoves(history.dateMoves);

  // Plans in plan order: PlanningState lists actions by plan position, then workstream and number.
  const plans = new Map<number, PlanWork>();
  const planOf = (a: ActionState): PlanWork => {
    let work = plans.get(a.planId);
    if (!work) {
      work = { digest: emptyPlanDigest({ id: a.planId, code: a.planCode, title: a.planTitle }, tracksChange), before: emptyRag() };
      plans.set(a.planId, work);
    }
    return work;
  };

  for (const a of scoped) {
    const work = planOf(a);
    const plan = work.digest;
    countStatus(plan.rag, a.status);
    if (tracksChange) {
      // Absent from the map: nothing changed its status since the previous meeting.
      const then = history.statusAtSince.has(a.id) ? history.statusAtSince.get(a.id) : a.status;
      if (then) countStatus(work.before, then);
    }
    const daysOverdue = describer.daysOverdue(a);
    if (daysOverdue !== null) plan.overdue.push(describe(a));
    if (needsUpdate(a, since)) plan.missingUpdates.push(describe(a));

    const moves = movesByAction.get(a.id) ?? [];
    if (moves.length > 0 || (a.due !== null && a.baselineDue !== null && a.due !== a.baselineDue)) {
      plan.movedDates.push({ action: describe(a), slipDays: calendarDaysBetween(a.baselineDue, a.due), moves });
    }

    const lastTwo = history.lastStatuses.get(a.id) ?? [];
    const redTwice = a.status === 'red' && lastTwo.length === 2 && lastTwo.every((s) => s.status === 'red');
    const moveCount = history.moveCounts.get(a.id) ?? 0;
    const codes: DigestExceptionCode[] = [];
    if (daysOverdue !== null && daysOverdue > EXCEPTION_OVERDUE_WORKING_DAYS) codes.push('overdue_over_20_working_days');
    if (redTwice) codes.push('red_in_consecutive_updates');
    if (moveCount > 1) codes.push('due_date_moved_more_than_once');
    if (codes.length > 0) plan.exceptions.push({ action: describe(a), codes, redReportedAt: redTwice ? lastTwo.map((s) => s.at) : [], moveCount });

    const reasons = unusableDateReasons(a);
    if (reasons.length > 0) plan.noDate.push({ action: describe(a), reasons });
  }

  // History rows come oldest first; the digest lists the newest report first.
  for (let i = history.updatesSince.length - 1; i >= 0; i -= 1) {
    const u = history.updatesSince[i];
    const a = u ? byId.get(u.actionId) : undefined;
    if (u && a) planOf(a).digest.updates.push(digestUpdate(u, describe(a)));
  }
  for (const r of history.pendingDateRequests) {
    const a = byId.get(r.actionId);
    if (!a) continue;
    planOf(a).digest.dateChangeRequests.push({
      action: describe(a),
      requestedBy: r.requestedByName,
      requestedAt: r.requestedAt,
      fromDue: r.fromDue,
      toDue: r.toDue,
      phrase: r.phrase,
      reason: r.reason,
    });
  }

  const actionPlans = [...plans.values()].map(({ digest, before }) => {
    if (digest.ragChange) digest.ragChange = ragDifference(digest.rag, before);
    // Stable sorts: ties keep plan order.
    digest.overdue.sort((x, y) => (y.daysOverdue ?? 0) - (x.daysOverdue ?? 0));
    digest.movedDates.sort((x, y) => y.moves.length - x.moves.length);
    return digest;
  });
  const planList = addBoardKpis(actionPlans, state, boardId, today, (roleId) => describer.holderNames(roleId), tracksChange);

  const chairPeople = describer.holderNames(board.chairRoleId);
  return {
    kind: 'board-digest',
    schemaVersion: DIGEST_SCHEMA_VERSION,
    generatedAt: nowUtcIso,
    today,
    partnership: state.partnershipName,
    board: { id: board.id, name: board.name },
    chair: { role: board.chairRole, people: chairPeople },
    meeting: meeting ? digestMeeting(meeting, board) : null,
    previousMeeting: previous ? { id: previous.id, startsAt: previous.startsAt, date: londonDate(previous.startsAt) } : null,
    totals: totalsOf(planList, tracksChange),
    plans: planList,
  };
}

function asOf(actions: readonly ActionState[], history: DigestHistory): readonly ActionState[] {
  if (history.asOfNow.size === 0) return actions;
  const out: ActionState[] = [];
  for (const a of actions) {
    const then = history.asOfNow.get(a.id);
    if (then === undefined) out.push(a);
    else if (then !== null) out.push({ ...a, ...then });
  }
  return out;
}

function groupMoves(moves: HistoryDateMove[]) {
  const byAction = new Map<number, { at: string; fromDue: string; toDue: string; how: HistoryDateMove['how'] }[]>();
  for (const m of moves) {
    const list = byAction.get(m.actionId) ?? [];
    list.push({ at: m.at, fromDue: m.fromDue, toDue: m.toDue, how: m.how });
    byAction.set(m.actionId, list);
  }
  return byAction;
}

/** Why an action's date cannot be used; empty when it can (complete actions need no date). */
export function unusableDateReasons(a: Pick<ActionState, 'status' | 'due' | 'flags'>): string[] {
  if (a.status === 'blue') return [];
  const flagged = a.flags.filter((f) => (UNUSABLE_DATE_FLAGS as readonly string[]).includes(f));
  if (flagged.length > 0) return flagged;
  return a.due === null ? ['no-date'] : [];
}

function calendarDaysBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  // Plain calendar arithmetic on ISO dates (no clock, no zone): cheap enough for every action.
  return Math.round((isoDay(to) - isoDay(from)) / 86_400_000);
}

function isoDay(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
}

function totalsOf(plans: PlanDigest[], tracksChange: boolean): DigestTotals {
  const rag = emptyRag();
  const change = tracksChange ? emptyRag() : null;
  const totals: DigestTotals = {
    actions: 0,
    rag,
    ragChange: change,
    updates: 0,
    overdue: 0,
    missingUpdates: 0,
    dateChangeRequests: 0,
    movedDates: 0,
    exceptions: 0,
    noDate: 0,
    kpis: countKpis(plans),
  };
  for (const p of plans) {
    addRag(rag, p.rag);
    if (change && p.ragChange) addRag(change, p.ragChange);
    totals.updates += p.updates.length;
    totals.overdue += p.overdue.length;
    totals.missingUpdates += p.missingUpdates.length;
    totals.dateChangeRequests += p.dateChangeRequests.length;
    totals.movedDates += p.movedDates.length;
    totals.exceptions += p.exceptions.length;
    totals.noDate += p.noDate.length;
  }
  totals.actions = rag.total;
  return totals;
}
