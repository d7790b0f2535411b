// What the digest needs from the update trail beyond the current PlanningState: who reported what
// since the last meeting, recent statuses, date-change requests and moves, and the RAG position at
// the last meeting. Loaded by src/store/digest-history-repository.ts; pure data.
import type { ActionStatus } from '../../db/types.js';

export interface HistoryUpdate {
  id: number;
  actionId: number;
  personId: number | null;
  personName: string | null;
  /** UTC ISO instant. */
  at: string;
  /** 'slack' | 'teams' | 'console' | 'cli' */
  platform: string;
  /** 'update' | 'no_change' | 'correction' (plan imports are not owner reports and are left out). */
  kind: string;
  status: ActionStatus | null;
  percent: number | null;
  note: string | null;
  /** The new due date this report asked for, if it carried a date-change request. */
  requestedDue: string | null;
  /** What became of that request by `now` (null: the report asked for no date), and a decision's note. */
  requestOutcome: DateRequestOutcome | null;
  requestDecisionNote: string | null;
}

/** A date-change request as it stood at a given instant. */
export type DateRequestOutcome = 'pending' | 'approved' | 'rejected' | 'superseded';

/** A request for a new due date still waiting for a decision at `now`. */
export interface HistoryDateRequest {
  id: number;
  actionId: number;
  requestedById: number | null;
  requestedByName: string | null;
  requestedAt: string;
  fromDue: string | null;
  toDue: string | null;
  /** The date as the requester wrote it, e.g. "30 June 25". */
  phrase: string;
  reason: string | null;
}

/** A chair's or officer's decision on a requested date, taken in the window (the weekly digest's). */
export interface HistoryDateDecision {
  id: number;
  actionId: number;
  decision: 'approved' | 'rejected';
  decidedAt: string;
  decidedByName: string | null;
  requestedByName: string | null;
  fromDue: string | null;
  toDue: string | null;
  /** What the decider said (a rejection's reason). */
  note: string | null;
}

/** A due date that actually moved: an approved request or a plan file that changed the date. */
export interface HistoryDateMove {
  id: number;
  actionId: number;
  /** When the move took effect (decision time, or import time), UTC ISO. */
  at: string;
  fromDue: string;
  toDue: string;
  /** 'self-approved': the person who asked decided it (only where ALLOW_SELF_APPROVAL is set). */
  how: 'approved' | 'self-approved' | 'imported';
}

export interface RecentStatus {
  status: ActionStatus;
  at: string;
}

export interface DigestHistory {
  /** Start of the window (exclusive): the previous meeting, or now − 7 days for the weekly digest. */
  sinceUtcIso: string | null;
  /** End of the window (inclusive): nothing recorded after it is seen. */
  nowUtcIso: string;
  /** Owner reports in (since, now], oldest first. */
  updatesSince: HistoryUpdate[];
  /** Per action: its last two status-bearing owner reports up to now, newest first. */
  lastStatuses: Map<number, RecentStatus[]>;
  /**
   * Status at `since` for the actions whose status may have changed since then (latest
   * status-bearing update at or before it, plan imports included, else the plan file's status);
   * for an action imported after `since`, the status it was imported with (an import is the
   * starting point, not a change). An action that is absent had its current status then.
   * Empty when `since` is null.
   */
  statusAtSince: Map<number, ActionStatus | null>;
  /** Pending at `now`, oldest first. */
  pendingDateRequests: HistoryDateRequest[];
  /** Moves that took effect by `now`, oldest first. */
  dateMoves: HistoryDateMove[];
  /** Decisions on requested dates in (since, now], oldest first; read for the weekly digest only. */
  dateDecisions: HistoryDateDecision[];
  /** Number of moves per action (actions never moved are absent). */
  moveCounts: Map<number, number>;
  /**
   * Where the actions stood at `now`, for those something was recorded about after it (a digest
   * built "as of" a past instant): their status, percent and last owner report then; null when the
   * action did not exist yet. Absent: as the PlanningState has them.
   */
  asOfNow: Map<number, ActionAsOf | null>;
}

export interface ActionAsOf {
  status: ActionStatus;
  percent: number | null;
  lastReportedAt: string | null;
}

export function emptyDigestHistory(nowUtcIso: string, sinceUtcIso: string | null = null): DigestHistory {
  return {
    sinceUtcIso,
    nowUtcIso,
    updatesSince: [],
    lastStatuses: new Map(),
    statusAtSince: new Map(),
    pendingDateRequests: [],
    dateMoves: [],
    dateDecisions: [],
    moveCounts: new Map(),
    asOfNow: new Map(),
  };
}
