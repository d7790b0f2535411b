// Where a board is in its meeting cycle: when the update window opens, when the reminder goes,
// when papers are due. Lead times are counted in working days back from the meeting date.
import { DateTime } from 'luxon';
import { LONDON } from '../clock.js';
import { addWorkingDays } from './working-calendar.js';

export interface LeadTimes {
  updateWindowDays: number;
  reminderDays: number;
  papersDays: number;
}

export interface MeetingRef {
  id: number;
  /** UTC ISO instant. */
  startsAt: string;
  isSample?: boolean;
}

export interface MeetingMilestones {
  meeting: MeetingRef;
  /** London calendar date of the meeting. */
  date: string;
  /** The day owners are first asked for updates. */
  updateWindowOpens: string;
  reminderOn: string;
  /** Chair's digest day: the papers deadline. */
  papersDeadline: string;
}

export function meetingDate(startsAt: string): string {
  return DateTime.fromISO(startsAt, { zone: 'utc' }).setZone(LONDON).toISODate() as string;
}

export function milestonesFor(meeting: MeetingRef, lead: LeadTimes): MeetingMilestones {
  const date = meetingDate(meeting.startsAt);
  return {
    meeting,
    date,
    updateWindowOpens: addWorkingDays(date, -lead.updateWindowDays),
    reminderOn: addWorkingDays(date, -lead.reminderDays),
    papersDeadline: addWorkingDays(date, -lead.papersDays),
  };
}

export interface BoardCycle {
  previous: MeetingRef | undefined;
  next: MeetingRef | undefined;
  /** Milestones of the next meeting. */
  milestones: MeetingMilestones | undefined;
  /** The meeting after next: actions due before it are "due before the following meeting". */
  following: MeetingRef | undefined;
}

/**
 * The board's cycle as of `nowUtcIso`: meetings sorted by time, cancelled ones already removed.
 * `milestones` may be a memoised milestonesFor (calendar-memo's meetingMilestones) on hot paths.
 */
export function boardCycle(
  meetings: MeetingRef[],
  lead: LeadTimes,
  nowUtcIso: string,
  milestones: (meeting: MeetingRef, lead: LeadTimes) => MeetingMilestones = milestonesFor,
): BoardCycle {
  const sorted = [...meetings].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const nextIndex = sorted.findIndex((m) => m.startsAt > nowUtcIso);
  const next = nextIndex >= 0 ? sorted[nextIndex] : undefined;
  const previous = nextIndex === -1 ? sorted[sorted.length - 1] : nextIndex > 0 ? sorted[nextIndex - 1] : undefined;
  return {
    previous,
    next,
    milestones: next ? milestones(next, lead) : undefined,
    following: nextIndex >= 0 ? sorted[nextIndex + 1] : undefined,
  };
}

/**
 * An action needs an update for a meeting when it is not complete and nobody has reported on it
 * since the board's previous meeting (a "no change" counts as reporting).
 */
export function needsUpdate(action: { status: string; lastReportedAt: string | null }, previousMeetingAt: string | undefined): boolean {
  if (action.status === 'blue') return false;
  if (!action.lastReportedAt) return true;
  return previousMeetingAt !== undefined && action.lastReportedAt <= previousMeetingAt;
}
