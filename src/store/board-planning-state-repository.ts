// One board's slice of the PlanningState: the board and its meetings, the live actions reporting to
// it (in plan order), the board's KPIs, and the people holding the roles those records and the chair
// name. What a chair's digest for one board reads (`sendbot digest`, `/send digest`), so its cost
// grows with the board, not with the whole plan (at 100k actions the full load takes ~0.5 s).
//
// Records are shaped exactly as loadPlanningState shapes them (tests/store/board-planning-state.test.ts
// holds the two to each other). `people` and `holders` cover only the roles and people the board's
// records name, and people's lastSentAt is not loaded (only the planner reads it).
import type { ActionStatus } from '../../db/schema.js';
import type { ActionState, BoardState, PersonState, PlanningState } from '../domain/planning-state.js';
import { sql } from 'drizzle-orm';
import { type Db, inReadTransaction } from './database.js';
import { inList, insertionOrder, isFalse, jsonArrayAgg } from './dialect.js';
import { personStateColumns, type PersonStateRow, toPersonState, withOwnRoles } from './planning-state-rows.js';
import { values } from './statements.js';
import { listKpiRecords } from './kpis-repository.js';
import { getPartnership } from './partnership-repository.js';
import { storeCall, withConnection } from './unit-of-work.js';

const boardQuery = (boardId: number) => sql`select b.id, b.name, b.chair_role_id, r.name, b.slack_channel, b.teams_channel,
       b.update_window_days, b.reminder_days, b.papers_days
  from boards b left join roles r on r.id = b.chair_role_id where b.id = ${boardId}`;

const meetingsQuery = (boardId: number) =>
  sql`select id, starts_at, is_sample from meetings where board_id = ${boardId} and ${isFalse(sql`cancelled`)} order by starts_at`;

/** The board's live workstreams in listing order (a workstream's own board wins over its plan's). */
const workstreamsQuery = (boardId: number) => sql`select w.id, w.plan_id, p.code, p.title, w.title, w.lead_role_id,
       (select ${jsonArrayAgg(sql`role_id`, sql`position, ${insertionOrder()}`)} from workstream_supporting_roles where workstream_id = w.id)
  from workstreams w join plans p on p.id = w.plan_id
  where w.removed_at is null and coalesce(w.board_id, p.board_id) = ${boardId}
  order by p.position, p.code, w.number`;

/** Live actions of the given workstreams, by workstream then number, with the latest owner report (updates_reported). */
const actionsQuery = (workstreamIds: number[]) => sql`select a.workstream_id, a.id, a.ref, a.text, a.owner_role_id, a.owner_person_id,
       a.start, a.due, a.baseline_due, a.ongoing, nullif(a.flags, '[]'), a.date_source, a.status, a.percent,
       (select max(u.created_at) from updates u where u.action_id = a.id and u.kind <> 'import'),
       (select ${jsonArrayAgg(sql`role_id`, sql`position, ${insertionOrder()}`)} from action_supporting_roles where action_id = a.id),
       a.number
  from actions a
  where ${inList(sql`a.workstream_id`, workstreamIds)} and a.removed_at is null`;

const roleNamesQuery = (roleIds: number[]) => sql`select r.id, r.name from roles r where ${inList(sql`r.id`, roleIds)}`;

/** Current holders of the given roles, longest-serving first within each role. */
const holdersQuery = (roleIds: number[]) => sql`select ra.role_id, ra.person_id from role_assignments ra
  where ${inList(sql`ra.role_id`, roleIds)} and ra.ended_at is null order by ra.started_at, ra.id`;

const peopleQuery = (personIds: number[]) =>
  sql`select ${sql.join(personStateColumns('p'), sql`, `)} from people p where ${inList(sql`p.id`, personIds)} order by p.id`;

type ActionRow = [
  workstreamId: number,
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
  lastReportedAt: string | null,
  supporting: string,
  number: number,
];

/** The board's slice of the plan state, or undefined when there is no such board. One read transaction. */
export function loadBoardPlanningState(db: Db, boardId: number): Promise<PlanningState | undefined> {
  return withConnection(db, async () => {
    return await inReadTransaction(db, async () => await readBoardState(db, boardId));
  });
}

async function readBoardState(db: Db, boardId: number): Promise<PlanningState | undefined> {
  const boardRow = (await values<[number, string, number | null, string | null, string | null, string | null, number, number, number]>(
    db,
    boardQuery(boardId),
  ))[0];
  if (!boardRow) return undefined;
  const [id, name, chairRoleId, chairRole, slackChannel, teamsChannel, updateWindowDays, reminderDays, papersDays] = boardRow;
  const meetings = (await values<[number, string, number]>(db, meetingsQuery(boardId))).map(([mid, startsAt, isSample]) => ({
    id: mid,
    startsAt,
    isSample: Boolean(isSample),
  }));
  const board: BoardState = { id, name, chairRoleId, chairRole, slackChannel, teamsChannel, updateWindowDays, reminderDays, papersDays, meetings };

  type WorkstreamRow = [number, number, string, string, string, number | null, string];
  const workstreams = new Map<number, { planId: number; planCode: string; planTitle: string; title: string; leadRoleId: number | null; supporting: number[] }>();
  for (const [wid, planId, planCode, planTitle, title, leadRoleId, supporting] of await values<WorkstreamRow>(db, workstreamsQuery(boardId))) {
    workstreams.set(wid, { planId, planCode, planTitle, title, leadRoleId, supporting: JSON.parse(supporting) as number[] });
  }

  // In the workstreams' listing order, then by number.
  const order = new Map([...workstreams.keys()].map((wid, i) => [wid, i]));
  const rows = await values<ActionRow>(db, actionsQuery([...workstreams.keys()]));
  rows.sort((x, y) => (order.get(x[0]) ?? 0) - (order.get(y[0]) ?? 0) || x[16] - y[16]);
  const actions: ActionState[] = [];
  for (const row of rows) {
    const w = workstreams.get(row[0]);
    if (!w) continue;
    const own = JSON.parse(row[15]) as number[];
    actions.push({
      id: row[1],
      ref: row[2],
      text: row[3],
      planId: w.planId,
      planCode: w.planCode,
      planTitle: w.planTitle,
      workstreamId: row[0],
      workstreamTitle: w.title,
      boardId,
      ownerRoleId: row[4] ?? w.leadRoleId,
      ownerRole: null, // named below, once the role names are read
      ownerPersonId: row[5],
      start: row[6],
      due: row[7],
      baselineDue: row[8],
      ongoing: Boolean(row[9]),
      flags: row[10] === null ? [] : (JSON.parse(row[10]) as string[]),
      dateSource: row[11],
      status: row[12],
      percent: row[13],
      supportingRoleIds: withOwnRoles(w.supporting, own),
      lastReportedAt: row[14],
    });
  }

  const kpis = (await listKpiRecords(db, { board: boardId })).map((k) => ({ series: k.series, planId: k.planId, boardId: k.boardId, ownerRoleId: k.ownerRoleId }));

  // The roles the board's records name: owners, supporting roles, workstream leads, the chair, KPI owners.
  const roleIds = new Set<number>();
  const addRole = (r: number | null) => {
    if (r !== null) roleIds.add(r);
  };
  addRole(chairRoleId);
  for (const w of workstreams.values()) {
    addRole(w.leadRoleId);
    for (const r of w.supporting) roleIds.add(r);
  }
  for (const a of actions) {
    addRole(a.ownerRoleId);
    for (const r of a.supportingRoleIds) roleIds.add(r);
  }
  for (const k of kpis) addRole(k.ownerRoleId);
  const roleList = [...roleIds];
  const roleNames = new Map(await values<[number, string]>(db, roleNamesQuery(roleList)));
  for (const a of actions) a.ownerRole = a.ownerRoleId === null ? null : (roleNames.get(a.ownerRoleId) ?? null);

  const holders = new Map<number, number[]>();
  const personIds = new Set<number>();
  for (const [roleId, personId] of await values<[number, number]>(db, holdersQuery(roleList))) {
    const list = holders.get(roleId);
    if (list) list.push(personId);
    else holders.set(roleId, [personId]);
    personIds.add(personId);
  }
  for (const a of actions) if (a.ownerPersonId !== null) personIds.add(a.ownerPersonId);

  const people: PersonState[] = (await values<PersonStateRow>(db, peopleQuery([...personIds]))).map((row) => toPersonState(row));

  const partnership = await getPartnership(db);
  return {
    partnershipName: partnership.name,
    officeHours: partnership.officeHours,
    programmeChannel: partnership.programmeChannel,
    boards: [board],
    actions,
    people,
    holders,
    kpis,
  };
}
