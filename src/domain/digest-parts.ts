// Pieces both digests share: RAG counting, one action as the digest shows it, one update line.
// Pure: everything comes from the PlanningState and the DigestHistory.
import type { ActionStatus } from '../../db/types.js';
import type { LeadTimes, MeetingRef } from './board-cycle.js';
import type { HistoryUpdate } from './digest-history.js';
import type { DigestAction, DigestMeeting, DigestUpdate, PlanDigest, RagCounts } from './digest-model.js';
import { londonDateOf, meetingMilestones } from './notifications/calendar-memo.js';
import { isOverdue } from './overdue.js';
import type { ActionState, PersonState, PlanningState } from './planning-state.js';
import { workingDaysBetween } from './working-calendar.js';

export function emptyRag(): RagCounts {
  return { green: 0, amber: 0, red: 0, complete: 0, notStarted: 0, total: 0 };
}

/** A plan's section before anything is added to it; `ragChange` only when there was a last meeting. */
export function emptyPlanDigest(plan: { id: number; code: string; title: string }, tracksChange: boolean): PlanDigest {
  return {
    ...plan,
    rag: emptyRag(),
    ragChange: tracksChange ? emptyRag() : null,
    updates: [],
    overdue: [],
    missingUpdates: [],
    dateChangeRequests: [],
    movedDates: [],
    exceptions: [],
    noDate: [],
    kpis: [],
  };
}

const RAG_KEY: Record<ActionStatus, keyof Omit<RagCounts, 'total'>> = {
  green: 'green',
  amber: 'amber',
  red: 'red',
  blue: 'complete',
  not_started: 'notStarted',
};

export function countStatus(counts: RagCounts, status: ActionStatus): void {
  counts[RAG_KEY[status]] += 1;
  counts.total += 1;
}

/**
 * Whether any of these changes would show a figure in brackets (a non-zero count): the note that
 * explains the brackets is said only then. The total is not one of the figures shown.
 */
export function showsRagChange(...changes: (RagCounts | null)[]): boolean {
  return changes.some((c) => c !== null && (c.green !== 0 || c.amber !== 0 || c.red !== 0 || c.complete !== 0 || c.notStarted !== 0));
}

export function ragDifference(now: RagCounts, before: RagCounts): RagCounts {
  return {
    green: now.green - before.green,
    amber: now.amber - before.amber,
    red: now.red - before.red,
    complete: now.complete - before.complete,
    notStarted: now.notStarted - before.notStarted,
    total: now.total - before.total,
  };
}

export function addRag(into: RagCounts, more: RagCounts): void {
  into.green += more.green;
  into.amber += more.amber;
  into.red += more.red;
  into.complete += more.complete;
  into.notStarted += more.notStarted;
  into.total += more.total;
}

/** London calendar date of a UTC instant (as meetingDate, memoised). */
export function londonDate(utcIso: string): string {
  return londonDateOf(utcIso);
}

export function digestMeeting(meeting: MeetingRef, lead: LeadTimes): DigestMeeting {
  const ms = meetingMilestones(meeting, lead);
  return {
    id: meeting.id,
    startsAt: meeting.startsAt,
    date: ms.date,
    isSample: meeting.isSample ?? false,
    updateWindowOpens: ms.updateWindowOpens,
    reminderOn: ms.reminderOn,
    papersDeadline: ms.papersDeadline,
  };
}

/**
 * Turns ActionStates into DigestActions with owners resolved to names. Working days overdue are
 * memoised by due date: a 100k-action board has only a few hundred distinct dates.
 */
const namesCache = new WeakMap<readonly PersonState[], ReadonlyMap<number, string>>();

/** Names by person id, built once per loaded state: a tick describes actions for many digests. */
function namesOf(people: readonly PersonState[]): ReadonlyMap<number, string> {
  let names = namesCache.get(people);
  if (!names) {
    names = new Map(people.map((p) => [p.id, p.name]));
    namesCache.set(people, names);
  }
  return names;
}

export class ActionDescriber {
  private readonly names: ReadonlyMap<number, string>;
  private readonly overdueDays = new Map<string, number>();

  constructor(
    private readonly state: PlanningState,
    readonly today: string,
  ) {
    this.names = namesOf(state.people);
  }

  holderNames(roleId: number | null): string[] {
    if (roleId === null) return [];
    return (this.state.holders.get(roleId) ?? []).map((id) => this.names.get(id)).filter((n): n is string => n !== undefined);
  }

  personName(id: number | null): string | null {
    return id === null ? null : (this.names.get(id) ?? null);
  }

  daysOverdue(action: ActionState): number | null {
    if (!isOverdue(action, this.today) || action.due === null) return null;
    let days = this.overdueDays.get(action.due);
    if (days === undefined) {
      days = workingDaysBetween(action.due, this.today);
      this.overdueDays.set(action.due, days);
    }
    return days;
  }

  describe(action: ActionState): DigestAction {
    const byName = action.ownerPersonId !== null;
    return {
      ref: action.ref,
      text: action.text,
      planCode: action.planCode,
      workstream: action.workstreamTitle,
      owner: byName ? this.personName(action.ownerPersonId) : action.ownerRole,
      ownerAssignedByName: byName,
      ownerHolders: byName ? [] : this.holderNames(action.ownerRoleId),
      status: action.status,
      percent: action.percent,
      due: action.due,
      baselineDue: action.baselineDue,
      daysOverdue: this.daysOverdue(action),
      lastReportedAt: action.lastReportedAt,
    };
  }
}

export function digestUpdate(update: HistoryUpdate, action: DigestAction): DigestUpdate {
  return {
    action,
    person: update.personName,
    at: update.at,
    platform: update.platform,
    kind: update.kind,
    status: update.status,
    percent: update.percent,
    note: update.note,
    requestedDue: update.requestedDue,
    ...(update.requestOutcome ? { requestOutcome: update.requestOutcome, requestDecisionNote: update.requestDecisionNote } : {}),
  };
}
