// Loads the PlanningState in a handful of flat queries: it runs on every scheduler tick, over up
// to 100k actions, so no per-action queries here, and as little copying as possible.
//
// The big tables come back as one JSON array per group (a workstream's actions, a board's meetings)
// rather than one row per record: better-sqlite3 pays a fixed cost per row, which at 100k actions is
// most of the load, while JSON.parse of a few kilobytes is cheap. Each record is turned straight
// into its final object (no intermediate keyed rows), and the strings that repeat across actions
// (plan and workstream titles, role names, dates, statuses) are shared instead of copied per action.
import type { ActionStatus } from '../../db/schema.js';
import type { MeetingRef } from '../domain/board-cycle.js';
import type { ActionState, BoardState, PersonState, PlanningState } from '../domain/planning-state.js';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, inReadTransaction } from './database.js';
import { insertionOrder, isFalse, jsonArray, jsonArrayAgg } from './dialect.js';
import { listKpiRecords } from './kpis-repository.js';
import { getPartnership } from './partnership-repository.js';
import { personStateColumns, type PersonStateRow, toPersonState, withOwnRoles } from './planning-state-rows.js';
import { eachValues, values } from './statements.js';
import { storeCall, withConnection } from './unit-of-work.js';

/** Shared by every action without flags or supporting roles (most of them); frozen, so nobody can change them for all. */
const NO_FLAGS: string[] = Object.freeze([]) as unknown as string[];
const NO_ROLES: number[] = Object.freeze([]) as unknown as number[];

const MEETINGS_SQL = sql`select board_id, ${jsonArrayAgg(jsonArray(sql`id`, sql`starts_at`, sql`is_sample`), sql`starts_at`)}
  from meetings where ${isFalse(sql`cancelled`)} group by board_id`;

const BOARDS_SQL = sql`select b.id, b.name, b.chair_role_id, r.name, b.slack_channel, b.teams_channel, b.update_window_days,
       b.reminder_days, b.papers_days
  from boards b left join roles r on r.id = b.chair_role_id order by b.name`;

const ROLES_SQL = sql`select ${jsonArrayAgg(jsonArray(sql`id`, sql`name`))} from roles`;

/** Live workstreams in plan order (plan position, plan code, workstream number): the order actions are listed in. */
const WORKSTREAMS_SQL = sql`select ${jsonArrayAgg(
  jsonArray(sql`w.id`, sql`w.plan_id`, sql`p.code`, sql`p.title`, sql`coalesce(w.board_id, p.board_id)`, sql`w.title`, sql`w.lead_role_id`),
  sql`p.position, p.code, w.number`,
)}
  from workstreams w join plans p on p.id = w.plan_id where w.removed_at is null`;

const SUPPORTING_SQL = sql`select workstream_id, ${jsonArrayAgg(sql`role_id`, sql`position, ${insertionOrder()}`)}
  from workstream_supporting_roles group by workstream_id`;

/** An action's own supporting roles (a plan table row's "With"), added to its workstream's. */
const ACTION_SUPPORTING_SQL = sql`select action_id, ${jsonArrayAgg(sql`role_id`, sql`position, ${insertionOrder()}`)}
  from action_supporting_roles group by action_id`;

/**
 * Live actions, one JSON array per workstream (the index on (workstream_id, number) hands them over
 * in number order; checked, and sorted if ever not). Flags are sent only when there are any, as JSON
 * text on both databases (PostgreSQL would embed its jsonb column as an array, not as text).
 */
const ACTIONS_SQL = sql`select workstream_id, ${jsonArrayAgg(
  jsonArray(
    ...['number', 'id', 'ref', 'text', 'owner_role_id', 'owner_person_id', 'start', 'due', 'baseline_due', 'ongoing'].map((c) => sql.identifier(c)),
    sql`nullif(cast(flags as text), '[]')`,
    ...['date_source', 'status', 'percent'].map((c) => sql.identifier(c)),
  ),
)}
  from actions where removed_at is null group by workstream_id`;

/** Latest owner report per action (plan imports are not reports), from the updates_reported partial index. */
const LAST_REPORTED_SQL = sql`select ${jsonArrayAgg(jsonArray(sql`action_id`, sql`at`))}
  from (select action_id, max(created_at) as at from updates where kind <> 'import' group by action_id) reported`;

const PEOPLE_SQL = sql`select ${jsonArrayAgg(jsonArray(...personStateColumns()), sql`id`)}
  from people`;

/** When each person was last sent a message (chasers are never sent for occasions before it). */
const LAST_SENT_SQL = sql`select ${jsonArrayAgg(jsonArray(sql`recipient_person_id`, sql`at`))}
  from (select recipient_person_id, max(sent_at) as at from outbox
        where status = 'sent' and recipient_person_id is not null group by recipient_person_id) sent`;

/** Current holders, longest-serving first within each role. */
const HOLDERS_SQL = sql`select ${jsonArrayAgg(jsonArray(sql`role_id`, sql`person_id`), sql`started_at, id`)}
  from role_assignments where ended_at is null`;

type ActionRow = [
  number: number,
  id: number,
  ref: string,
  text: string,
  ownerRoleId: number | null,
  ownerPersonId: number | null,
  start: string | null,
  due: string | null,
  baselineDue: string | null,
  ongoing: number,
  flags: string | null,
  dateSource: ActionState['dateSource'],
  status: ActionStatus,
  percent: number | null,
];

interface Workstream {
  id: number;
  planId: number;
  planCode: string;
  planTitle: string;
  boardId: number | null;
  title: string;
  leadRoleId: number | null;
  supportingRoleIds: number[];
  actions: ActionState[] | undefined;
}

/** One copy of each distinct string (plan codes and titles, statuses): they repeat across thousands of records. */
class Interner {
  private readonly seen = new Map<string, string>();

  get<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.seen.get(value);
    if (known !== undefined) return known as T;
    this.seen.set(value, value);
    return value;
  }
}

/** The one JSON array a query aggregates (its first column), parsed. */
async function json<T>(db: Db, query: SQL): Promise<T[]> {
  const text = (await values<[string | null]>(db, query))[0]?.[0];
  return text ? (JSON.parse(text) as T[]) : [];
}

/** Key → parsed JSON array, from a query grouping one array per key. */
async function groups<T>(db: Db, query: SQL): Promise<Map<number, T[]>> {
  const out = new Map<number, T[]>();
  for (const [key, list] of await eachValues<[number, string]>(db, query)) {
    out.set(key, JSON.parse(list) as T[]);
  }
  return out;
}

/** One read transaction, so every query sees the same snapshot of the plan. */
export function loadPlanningState(db: Db): Promise<PlanningState> {
  return withConnection(db, async () => {
    return await inReadTransaction(db, async () => await readPlanningState(db));
  });
}

async function readPlanningState(db: Db): Promise<PlanningState> {
  const partnership = await getPartnership(db);
  const strings = new Interner();

  const meetingsByBoard = await groups<[number, string, number]>(db, MEETINGS_SQL);
  const boards: BoardState[] = [];
  for (const [id, name, chairRoleId, chairRole, slackChannel, teamsChannel, updateWindowDays, reminderDays, papersDays] of await eachValues<
    [number, string, number | null, string | null, string | null, string | null, number, number, number]
  >(db, BOARDS_SQL)) {
    const meetings: MeetingRef[] = (meetingsByBoard.get(id) ?? []).map(([mid, startsAt, isSample]) => ({ id: mid, startsAt, isSample: isSample === 1 }));
    boards.push({ id, name, chairRoleId, chairRole, slackChannel, teamsChannel, updateWindowDays, reminderDays, papersDays, meetings });
  }

  const roleNames = new Map(await json<[number, string]>(db, ROLES_SQL));
  const supporting = await groups<number>(db, SUPPORTING_SQL);
  const actionSupporting = await groups<number>(db, ACTION_SUPPORTING_SQL);

  // Workstreams in listing order; each collects its actions, and the list is flattened at the end.
  const workstreams = new Map<number, Workstream>();
  const ordered: Workstream[] = [];
  type WorkstreamRow = [number, number, string, string, number | null, string, number | null];
  for (const [id, planId, planCode, planTitle, boardId, title, leadRoleId] of await json<WorkstreamRow>(db, WORKSTREAMS_SQL)) {
    const w: Workstream = {
      id,
      planId,
      planCode: strings.get(planCode),
      planTitle: strings.get(planTitle),
      boardId,
      title,
      leadRoleId,
      supportingRoleIds: supporting.get(id) ?? NO_ROLES,
      actions: undefined,
    };
    workstreams.set(id, w);
    ordered.push(w);
  }

  const lastReported = new Map(await json<[number, string]>(db, LAST_REPORTED_SQL));

  let count = 0;
  for (const [workstreamId, list] of await eachValues<[number, string]>(db, ACTIONS_SQL)) {
    const w = workstreams.get(workstreamId);
    if (!w) continue; // a removed workstream: its actions are not in play
    const rows = JSON.parse(list) as ActionRow[];
    let sorted = true;
    for (let i = 1; i < rows.length; i += 1) if ((rows[i] as ActionRow)[0] < (rows[i - 1] as ActionRow)[0]) sorted = false;
    if (!sorted) rows.sort((x, y) => x[0] - y[0]);
    const actions: ActionState[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i += 1) {
      // Indexed, not destructured: destructuring an array is slow until the loop is optimised.
      const row = rows[i] as ActionRow;
      const id = row[1];
      const flags = row[10];
      const ownerRoleId = row[4] ?? w.leadRoleId;
      actions[i] = {
        id,
        ref: row[2],
        text: row[3],
        planId: w.planId,
        planCode: w.planCode,
        planTitle: w.planTitle,
        workstreamId,
        workstreamTitle: w.title,
        boardId: w.boardId,
        ownerRoleId,
        ownerRole: ownerRoleId === null ? null : (roleNames.get(ownerRoleId) ?? null),
        ownerPersonId: row[5],
        // Dates and other strings of up to 10 characters come out of JSON.parse already shared
        // (V8 internalises them); longer repeated ones are shared here.
        start: row[6],
        due: row[7],
        baselineDue: row[8],
        ongoing: row[9] === 1,
        flags: flags === null ? NO_FLAGS : (JSON.parse(flags) as string[]),
        dateSource: row[11],
        status: strings.get(row[12]),
        percent: row[13],
        supportingRoleIds: actionSupporting.size === 0 ? w.supportingRoleIds : withOwnRoles(w.supportingRoleIds, actionSupporting.get(id)),
        lastReportedAt: lastReported.get(id) ?? null,
      };
    }
    w.actions = actions;
    count += actions.length;
  }
  const actions: ActionState[] = new Array(count);
  let next = 0;
  for (const w of ordered) {
    if (!w.actions) continue;
    for (const a of w.actions) actions[next++] = a;
  }

  const people: PersonState[] = (await json<PersonStateRow>(db, PEOPLE_SQL)).map((row) => toPersonState(row, (v) => strings.get(v)));
  const lastSent = new Map(await json<[number, string]>(db, LAST_SENT_SQL));
  for (const person of people) person.lastSentAt = lastSent.get(person.id) ?? null;

  const holders = new Map<number, number[]>();
  for (const [roleId, personId] of await json<[number, number]>(db, HOLDERS_SQL)) {
    const list = holders.get(roleId);
    if (list) list.push(personId);
    else holders.set(roleId, [personId]);
  }

  return {
    partnershipName: partnership.name,
    officeHours: partnership.officeHours,
    programmeChannel: partnership.programmeChannel,
    boards,
    actions,
    people,
    holders,
    kpis: (await listKpiRecords(db)).map((k) => ({ series: k.series, planId: k.planId, boardId: k.boardId, ownerRoleId: k.ownerRoleId })),
  };
}
