// Everything the notification planner and the digest builder need, loaded once per tick by
// src/store/planning-state-repository.ts. Pure data: the planner is a function of (state, now).
import type { ActionStatus } from '../../db/types.js';
import type { MeetingRef } from './board-cycle.js';
import type { KpiSeries } from './kpi-types.js';
import type { OfficeHours } from './working-calendar.js';

export interface BoardState {
  id: number;
  name: string;
  chairRoleId: number | null;
  chairRole: string | null;
  slackChannel: string | null;
  teamsChannel: string | null;
  updateWindowDays: number;
  reminderDays: number;
  papersDays: number;
  /** Not cancelled, oldest first. */
  meetings: MeetingRef[];
}

export interface ActionState {
  id: number;
  ref: string;
  text: string;
  planId: number;
  planCode: string;
  planTitle: string;
  workstreamId: number;
  workstreamTitle: string;
  /** Board the action reports to (workstream's board, else its plan's). */
  boardId: number | null;
  ownerRoleId: number | null;
  ownerRole: string | null;
  /** Set when an admin assigned the action to a named person; wins over the role. */
  ownerPersonId: number | null;
  supportingRoleIds: number[];
  start: string | null;
  due: string | null;
  baselineDue: string | null;
  ongoing: boolean;
  flags: string[];
  dateSource: 'action' | 'workstream' | 'none';
  status: ActionStatus;
  percent: number | null;
  /** Latest owner report (any update but a plan import), UTC ISO. */
  lastReportedAt: string | null;
}

export interface PersonState {
  id: number;
  name: string;
  email: string;
  isAdmin: boolean;
  /** Inclusive last day away (ISO date), or null. */
  awayUntil: string | null;
  delegateId: number | null;
  weeklyDigest: boolean;
  slackUserId: string | null;
  teamsUserId: string | null;
  lastPlatform: string | null;
  /** When sendbot last sent this person a message (stored UTC instant); absent or null: never, or not loaded. */
  lastSentAt?: string | null;
}

/** A KPI as the planner and the digest need it: its series, the board it reports to and its owner role. */
export interface KpiState {
  series: KpiSeries;
  planId: number;
  /** The workstream's board, else the plan's. */
  boardId: number | null;
  /** The KPI's owner role, else its workstream's accountable lead: its holders are nudged for readings. */
  ownerRoleId: number | null;
}

export interface PlanningState {
  partnershipName: string;
  officeHours: OfficeHours;
  /** Channel for the weekly digest ('C…' Slack id or a Teams conversation id), if any. */
  programmeChannel: string | null;
  boards: BoardState[];
  actions: ActionState[];
  people: PersonState[];
  /** Current holders of each role (role id → person ids, longest-serving first). */
  holders: Map<number, number[]>;
  /** Live KPIs in plan order (absent: none). */
  kpis?: KpiState[];
}

const byBoardCache = new WeakMap<readonly ActionState[], ReadonlyMap<number, readonly ActionState[]>>();

/**
 * The actions reporting to each board, in the state's order (plan, workstream, number). Worked out
 * once per loaded state and shared: a tick plans every board and may build dozens of digests from
 * the same state, and the state is never changed once loaded.
 */
export function actionsByBoard(state: Pick<PlanningState, 'actions'>): ReadonlyMap<number, readonly ActionState[]> {
  let byBoard = byBoardCache.get(state.actions);
  if (!byBoard) {
    const groups = new Map<number, ActionState[]>();
    for (const action of state.actions) {
      if (action.boardId === null) continue;
      const list = groups.get(action.boardId);
      if (list) list.push(action);
      else groups.set(action.boardId, [action]);
    }
    byBoard = groups;
    byBoardCache.set(state.actions, byBoard);
  }
  return byBoard;
}

const NO_ACTIONS: readonly ActionState[] = Object.freeze([]);

/** The actions reporting to one board (see actionsByBoard). */
export function boardActions(state: Pick<PlanningState, 'actions'>, boardId: number): readonly ActionState[] {
  return actionsByBoard(state).get(boardId) ?? NO_ACTIONS;
}
