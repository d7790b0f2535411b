// The Monday digest for the programme channel and subscribers: what was reported in the last seven
// days across every board, where each plan stands on overdue actions, and the boards' next meetings
// with their papers deadlines. Pure: a function of (state, now, history).
import { DateTime } from 'luxon';
import { boardCycle } from './board-cycle.js';
import type { DigestHistory } from './digest-history.js';
import { DIGEST_SCHEMA_VERSION, type DigestDateDecision, type DigestUpdate, type WeeklyDigest, type WeeklyMeeting, type WeeklyPlanLine } from './digest-model.js';
import { ActionDescriber, countStatus, digestMeeting, digestUpdate, emptyRag, londonDate } from './digest-parts.js';
import type { ActionState, PlanningState } from './planning-state.js';

/** Start of the weekly window: exactly seven days before now (a UTC instant, as stored). */
export function weeklyWindowStart(nowUtcIso: string): string {
  return DateTime.fromISO(nowUtcIso, { zone: 'utc' }).minus({ days: 7 }).toUTC().toISO() as string;
}

export function buildWeeklyDigest(state: PlanningState, nowUtcIso: string, history: DigestHistory): WeeklyDigest {
  const today = londonDate(nowUtcIso);
  const since = history.sinceUtcIso ?? weeklyWindowStart(nowUtcIso);
  const describer = new ActionDescriber(state, today);
  const byId = new Map<number, ActionState>(state.actions.map((a) => [a.id, a]));
  const boardNames = new Map(state.boards.map((b) => [b.id, b.name]));

  const updates: DigestUpdate[] = [];
  const updatesPerPlan = new Map<number, number>();
  for (let i = history.updatesSince.length - 1; i >= 0; i -= 1) {
    const u = history.updatesSince[i];
    const a = u && u.at > since && u.at <= nowUtcIso ? byId.get(u.actionId) : undefined;
    if (!u || !a) continue;
    updates.push(digestUpdate(u, describer.describe(a)));
    updatesPerPlan.set(a.planId, (updatesPerPlan.get(a.planId) ?? 0) + 1);
  }

  const dateDecisions: DigestDateDecision[] = [];
  for (let i = history.dateDecisions.length - 1; i >= 0; i -= 1) {
    const d = history.dateDecisions[i];
    const a = d && d.decidedAt > since && d.decidedAt <= nowUtcIso ? byId.get(d.actionId) : undefined;
    if (!d || !a) continue;
    dateDecisions.push({
      action: describer.describe(a),
      decision: d.decision,
      decidedBy: d.decidedByName,
      decidedAt: d.decidedAt,
      requestedBy: d.requestedByName,
      fromDue: d.fromDue,
      toDue: d.toDue,
      note: d.note,
    });
  }

  const plans = new Map<number, WeeklyPlanLine & { boardVotes: Map<number, number> }>();
  for (const a of state.actions) {
    let line = plans.get(a.planId);
    if (!line) {
      line = { id: a.planId, code: a.planCode, title: a.planTitle, board: null, rag: emptyRag(), overdue: 0, updates: updatesPerPlan.get(a.planId) ?? 0, boardVotes: new Map() };
      plans.set(a.planId, line);
    }
    countStatus(line.rag, a.status);
    if (describer.daysOverdue(a) !== null) line.overdue += 1;
    if (a.boardId !== null) line.boardVotes.set(a.boardId, (line.boardVotes.get(a.boardId) ?? 0) + 1);
  }

  const meetings: WeeklyMeeting[] = [];
  for (const b of state.boards) {
    const next = boardCycle(b.meetings, b, nowUtcIso).next;
    if (next) meetings.push({ board: { id: b.id, name: b.name }, meeting: digestMeeting(next, b) });
  }
  meetings.sort((x, y) => x.meeting.startsAt.localeCompare(y.meeting.startsAt) || x.board.name.localeCompare(y.board.name));

  return {
    kind: 'weekly-digest',
    schemaVersion: DIGEST_SCHEMA_VERSION,
    generatedAt: nowUtcIso,
    today,
    partnership: state.partnershipName,
    since,
    updates,
    dateDecisions,
    plans: [...plans.values()].map(({ boardVotes, ...line }) => ({ ...line, board: mostCommonBoard(boardVotes, boardNames) })),
    meetings,
  };
}

/** A plan's board is where most of its actions report (a workstream can report elsewhere). */
function mostCommonBoard(votes: Map<number, number>, names: Map<number, string>): string | null {
  let best: { id: number; n: number } | undefined;
  for (const [id, n] of votes) if (!best || n > best.n || (n === best.n && id < best.id)) best = { id, n };
  return best ? (names.get(best.id) ?? null) : null;
}
