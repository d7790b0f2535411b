// The digest model. It is also the JSON export (`sendbot digest --format json`), so field names are
// a stable, documented interface: add fields, never rename them, and bump `schemaVersion` if a
// meaning changes. Instants are UTC ISO-8601 (`2024-12-04T14:00:00.000Z`); dates are ISO calendar
// dates in Europe/London (`2024-12-04`). Lists are always complete here: shortening for a chair is
// the renderer's job (see src/render/digest-reply.ts).
import type { DateRequestOutcome } from './digest-history.js';
import type { ActionStatus } from '../../db/types.js';
import type { KpiAssessment, KpiDirection, KpiFrequency, KpiPosition, KpiTrajectoryPoint, KpiUnit } from './kpi-types.js';

export const DIGEST_SCHEMA_VERSION = 1;

/** Counts by RAG status. `complete` is blue; `total` is every action counted. */
export interface RagCounts {
  green: number;
  amber: number;
  red: number;
  complete: number;
  notStarted: number;
  total: number;
}

export interface DigestMeeting {
  id: number;
  startsAt: string;
  /** London calendar date of the meeting. */
  date: string;
  /** True for the demo's illustrative calendar. */
  isSample: boolean;
  updateWindowOpens: string;
  reminderOn: string;
  /** The chair's digest day. */
  papersDeadline: string;
}

export interface DigestPastMeeting {
  id: number;
  startsAt: string;
  date: string;
}

/** One action as the digest shows it. */
export interface DigestAction {
  ref: string;
  /** The action's full text. */
  text: string;
  planCode: string;
  workstream: string;
  /** The accountable role, or the person's name when an admin assigned the action by name. */
  owner: string | null;
  ownerAssignedByName: boolean;
  /** People holding the owner role now (empty when assigned by name or nobody holds it). */
  ownerHolders: string[];
  status: ActionStatus;
  percent: number | null;
  due: string | null;
  /** The first due date ever recorded. */
  baselineDue: string | null;
  /** Working days past due (today counted), when overdue; else null. */
  daysOverdue: number | null;
  /** Latest owner report, UTC ISO, or null if nobody has reported. */
  lastReportedAt: string | null;
}

/** An owner report received in the digest's window. */
export interface DigestUpdate {
  /** The action as it stands now. */
  action: DigestAction;
  /** Who reported (null if the person record is gone). */
  person: string | null;
  at: string;
  platform: string;
  /** 'update' | 'no_change' | 'correction' */
  kind: string;
  /** What the report said (null when it gave no status, e.g. "no change"). */
  status: ActionStatus | null;
  percent: number | null;
  note: string | null;
  /** The new due date the report asked for, if it carried a date-change request. */
  requestedDue: string | null;
  /** What became of that request by the digest's time (absent: no request, or a digest from before this field). */
  requestOutcome?: DateRequestOutcome | null;
  /** The chair's or officer's note when deciding (a rejection's reason). */
  requestDecisionNote?: string | null;
}

export interface DigestDateRequest {
  action: DigestAction;
  requestedBy: string | null;
  requestedAt: string;
  fromDue: string | null;
  toDue: string | null;
  /** The date as the requester wrote it. */
  phrase: string;
  reason: string | null;
}

/** A decision on a requested date, as the weekly digest lists it. */
export interface DigestDateDecision {
  action: DigestAction;
  decision: 'approved' | 'rejected';
  decidedBy: string | null;
  decidedAt: string;
  requestedBy: string | null;
  fromDue: string | null;
  toDue: string | null;
  note: string | null;
}

export interface DigestDateMove {
  at: string;
  fromDue: string;
  toDue: string;
  /** 'self-approved': the person who asked decided it (only where ALLOW_SELF_APPROVAL is set). */
  how: 'approved' | 'self-approved' | 'imported';
}

export interface DigestMovedDate {
  action: DigestAction;
  /** Calendar days between the baseline and the current due date (negative: brought forward). */
  slipDays: number | null;
  moves: DigestDateMove[];
}

export type DigestExceptionCode = 'overdue_over_20_working_days' | 'red_in_consecutive_updates' | 'due_date_moved_more_than_once';

/** An action breaking one or more exception rules (renderers word them; the data is here). */
export interface DigestException {
  action: DigestAction;
  /** Every rule the action breaks, in the order of DigestExceptionCode. */
  codes: DigestExceptionCode[];
  /** With 'red_in_consecutive_updates': when the two red reports were made, newest first; else []. */
  redReportedAt: string[];
  /** How many times the due date has moved (with 'due_date_moved_more_than_once', 2 or more). */
  moveCount: number;
}

export interface DigestNoDate {
  action: DigestAction;
  /** Why the date is not usable: the deadline reader's flags, or 'no-date'. */
  reasons: string[];
}

/** A KPI as the digest shows it: where it stands against its trajectory on the digest's day. */
export interface DigestKpi {
  code: string;
  name: string;
  unit: KpiUnit;
  direction: KpiDirection;
  frequency: KpiFrequency;
  workstreamNumber: number | null;
  /** The owner role and who holds it now (empty: nobody does). */
  owner: string | null;
  ownerHolders: string[];
  /** on_track, off_track, or no_reading (no figure for the period due); see src/domain/kpi-assessment.ts. */
  position: KpiPosition;
  latest: { value: number; periodLabel: string; periodEnd: string; recordedAt: string; recordedBy: string | null; isSample: boolean } | null;
  /** What the trajectory expects at the latest reading's period end (rounded as shown). */
  expected: number | null;
  /** The period whose figure is due by the digest's day. */
  duePeriod: KpiAssessment['duePeriod'];
  basis: KpiAssessment['basis'];
  nextTarget: KpiTrajectoryPoint | null;
  baseline: { value: number | null; text: string | null; asOf: string | null };
  trajectory: KpiTrajectoryPoint[];
  /** The latest reading of each period, oldest first: the chart. */
  readings: { periodLabel: string; periodEnd: string; value: number; isSample: boolean }[];
}

export interface DigestKpiCounts {
  total: number;
  onTrack: number;
  offTrack: number;
  noReading: number;
}

export interface PlanDigest {
  id: number;
  code: string;
  title: string;
  rag: RagCounts;
  /** Now minus at the previous meeting; null when the board has not met before. */
  ragChange: RagCounts | null;
  /** Newest first. */
  updates: DigestUpdate[];
  /** Most overdue first. */
  overdue: DigestAction[];
  /** Not complete and no report since the previous meeting, in plan order. */
  missingUpdates: DigestAction[];
  /** Pending requests, oldest first. */
  dateChangeRequests: DigestDateRequest[];
  /** Actions whose due date differs from the baseline or has moved, most moves first. */
  movedDates: DigestMovedDate[];
  exceptions: DigestException[];
  noDate: DigestNoDate[];
  /** The plan's KPIs reporting to the board, in plan order. */
  kpis: DigestKpi[];
}

export interface DigestTotals {
  actions: number;
  rag: RagCounts;
  ragChange: RagCounts | null;
  updates: number;
  overdue: number;
  missingUpdates: number;
  dateChangeRequests: number;
  movedDates: number;
  exceptions: number;
  noDate: number;
  kpis: DigestKpiCounts;
}

export interface BoardDigest {
  kind: 'board-digest';
  schemaVersion: typeof DIGEST_SCHEMA_VERSION;
  /** The instant the digest describes ("now"). */
  generatedAt: string;
  /** London date of generatedAt: overdue is counted against it. */
  today: string;
  partnership: string;
  board: { id: number; name: string };
  chair: { role: string | null; people: string[] };
  /** The meeting this digest prepares for; null when none is scheduled. */
  meeting: DigestMeeting | null;
  previousMeeting: DigestPastMeeting | null;
  totals: DigestTotals;
  /** Plans with at least one action reporting to the board, in plan order. */
  plans: PlanDigest[];
}

export interface WeeklyPlanLine {
  id: number;
  code: string;
  title: string;
  /** Board of the plan's actions (the most common one when workstreams differ). */
  board: string | null;
  rag: RagCounts;
  overdue: number;
  updates: number;
}

export interface WeeklyMeeting {
  board: { id: number; name: string };
  meeting: DigestMeeting;
}

export interface WeeklyDigest {
  kind: 'weekly-digest';
  schemaVersion: typeof DIGEST_SCHEMA_VERSION;
  generatedAt: string;
  today: string;
  partnership: string;
  /** Start of the week covered (exclusive): generatedAt − 7 days. */
  since: string;
  /** Newest first. */
  updates: DigestUpdate[];
  /** Date-change requests approved or rejected in the week, newest first. */
  dateDecisions: DigestDateDecision[];
  plans: WeeklyPlanLine[];
  /** Next meeting of each board, soonest first. */
  meetings: WeeklyMeeting[];
}
