// Read model for actions: one row per action with its plan, workstream, roles and latest update.
// Supporting roles are the workstream's, then the action's own (a plan table row's "With").
// Raw SQL here because it joins six tables and runs on every command; drizzle's builder would
// produce the same statement less readably. The latest update's join also says `u.action_id = a.id`
// (true of the row anyway): without it, statistics taken while `updates` was small (at startup, after
// an import) let SQLite scan every update for each action, which cost 31 ms a lookup at 6,000 updates
// instead of 0.2 ms, and slowed every /send as updates came in.
import type { ActionStatus } from '../../db/schema.js';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { fixedText, indexHint, inList, jsonArray, jsonArrayAgg, noIndex, spelled } from './dialect.js';
import { all, get } from './statements.js';
import { storeCall, withConnection } from './unit-of-work.js';

export interface ActionView {
  id: number;
  ref: string;
  text: string;
  planId: number;
  planCode: string;
  planTitle: string;
  workstreamId: number;
  workstreamNumber: number;
  workstreamTitle: string;
  /** The board the action reports to: the workstream's own board, else its plan's. */
  boardId: number | null;
  boardName: string | null;
  /** Accountable role: the action's owner override, else the workstream lead. */
  ownerRoleId: number | null;
  ownerRole: string | null;
  /** A named person an admin made accountable (`assign`); wins over the role. */
  ownerPersonId: number | null;
  ownerPersonName: string | null;
  leadRole: string | null;
  supportingRoleIds: number[];
  supportingRoles: string[];
  dateText: string | null;
  dateSource: 'action' | 'workstream' | 'none';
  start: string | null;
  due: string | null;
  baselineDue: string | null;
  ongoing: boolean;
  flags: string[];
  status: ActionStatus;
  percent: number | null;
  lastUpdate: LastUpdate | null;
  /** When an owner last reported (any update except one written by a plan import). */
  lastReportedAt: string | null;
}

export interface LastUpdate {
  id: number;
  at: string;
  personId: number | null;
  personName: string | null;
  status: ActionStatus | null;
  percent: number | null;
  note: string | null;
  kind: string;
  platform: string;
}

export interface ActionFilter {
  planCode?: string;
  boardId?: number;
  ownerRoleIds?: number[];
  /** With ownerRoleIds: also actions assigned to this person by name. */
  ownerPersonId?: number;
  /**
   * Actions this person is accountable for now: through the roles they hold, or assigned by name.
   * Found inside the one statement (no separate lookups of their roles and candidate actions).
   */
  accountablePersonId?: number;
  refs?: string[];
  ids?: number[];
  includeRemoved?: boolean;
}

const BASE_SQL = fixedText(sql`
select a.id, a.ref, a.text, a.workstream_id as "workstreamId", w.number as "workstreamNumber", w.title as "workstreamTitle",
       p.id as "planId", p.code as "planCode", p.title as "planTitle",
       coalesce(w.board_id, p.board_id) as "boardId", (select name from boards where id = coalesce(w.board_id, p.board_id)) as "boardName",
       coalesce(a.owner_role_id, w.lead_role_id) as "ownerRoleId", (select name from roles where id = coalesce(a.owner_role_id, w.lead_role_id)) as "ownerRole",
       (select name from roles where id = w.lead_role_id) as "leadRole",
       a.owner_person_id as "ownerPersonId", (select name from people where id = a.owner_person_id) as "ownerPersonName",
       (select ${jsonArrayAgg(jsonArray(sql`role_id`, sql`name`), sql`own, position`)} from (
          select s.role_id, sr.name, 0 as own, s.position from workstream_supporting_roles s join roles sr on sr.id = s.role_id
          where s.workstream_id = w.id
          union all
          select s.role_id, sr.name, 1, s.position from action_supporting_roles s join roles sr on sr.id = s.role_id
          where s.action_id = a.id) roles) as supporting,
       a.date_text as "dateText", a.date_source as "dateSource", a.start, a.due, a.baseline_due as "baselineDue",
       a.ongoing, a.flags, a.status, a.percent,
       u.id as "uId", u.created_at as "uAt", u.person_id as "uPersonId", (select name from people where id = u.person_id) as "uPersonName", u.status as "uStatus",
       u.percent as "uPercent", u.note as "uNote", u.kind as "uKind", u.platform as "uPlatform",
       (select max(created_at) from updates where action_id = a.id and kind <> 'import') as "lastReportedAt"
from actions a
join workstreams w on w.id = a.workstream_id
join plans p on p.id = w.plan_id
left join updates u on u.action_id = a.id and u.id = (select max(id) from updates where action_id = a.id)
`);

interface Row {
  id: number;
  ref: string;
  text: string;
  workstreamId: number;
  workstreamNumber: number;
  workstreamTitle: string;
  planId: number;
  planCode: string;
  planTitle: string;
  boardId: number | null;
  boardName: string | null;
  ownerRoleId: number | null;
  ownerRole: string | null;
  ownerPersonId: number | null;
  ownerPersonName: string | null;
  leadRole: string | null;
  supporting: string | null;
  dateText: string | null;
  dateSource: ActionView['dateSource'];
  start: string | null;
  due: string | null;
  baselineDue: string | null;
  ongoing: number;
  flags: string;
  status: ActionStatus;
  percent: number | null;
  uId: number | null;
  uAt: string | null;
  uPersonId: number | null;
  uPersonName: string | null;
  uStatus: ActionStatus | null;
  uPercent: number | null;
  uNote: string | null;
  uKind: string | null;
  uPlatform: string | null;
  lastReportedAt: string | null;
}

function toView(r: Row): ActionView {
  const supporting = (r.supporting ? (JSON.parse(r.supporting) as [number, string][]) : []).filter(([id]) => id !== null);
  return {
    id: r.id,
    ref: r.ref,
    text: r.text,
    planId: r.planId,
    planCode: r.planCode,
    planTitle: r.planTitle,
    workstreamId: r.workstreamId,
    workstreamNumber: r.workstreamNumber,
    workstreamTitle: r.workstreamTitle,
    boardId: r.boardId,
    boardName: r.boardName,
    ownerRoleId: r.ownerRoleId,
    ownerRole: r.ownerRole,
    ownerPersonId: r.ownerPersonId,
    ownerPersonName: r.ownerPersonName,
    leadRole: r.leadRole,
    supportingRoleIds: supporting.map(([id]) => id),
    supportingRoles: supporting.map(([, name]) => name),
    dateText: r.dateText,
    dateSource: r.dateSource,
    start: r.start,
    due: r.due,
    baselineDue: r.baselineDue,
    ongoing: r.ongoing === 1,
    flags: JSON.parse(r.flags) as string[],
    status: r.status,
    percent: r.percent,
    lastUpdate:
      r.uId === null
        ? null
        : {
            id: r.uId,
            at: r.uAt as string,
            personId: r.uPersonId,
            personName: r.uPersonName,
            status: r.uStatus,
            percent: r.uPercent,
            note: r.uNote,
            kind: r.uKind as string,
            platform: r.uPlatform as string,
          },
    lastReportedAt: r.lastReportedAt,
  };
}

export function listActionViews(db: Db, filter: ActionFilter = {}): Promise<ActionView[]> {
  return withConnection(db, async () => {
    const where: SQL[] = [];
    if (!filter.includeRemoved) where.push(sql`a.removed_at is null and w.removed_at is null`);
    if (filter.planCode) where.push(sql`p.code = ${filter.planCode.toUpperCase()}`);
    if (filter.boardId !== undefined) where.push(sql`coalesce(w.board_id, p.board_id) = ${filter.boardId}`);
    if (filter.ownerRoleIds || filter.ownerPersonId !== undefined) {
      // "Accountable" is coalesce(person override, role override, workstream lead): not indexable as
      // one expression, so find candidates through three indexed lookups first.
      const ids = await accountableActionIds(db, filter.ownerRoleIds ?? [], filter.ownerPersonId);
      if (ids.length === 0) return [];
      // One bound list keeps any number of ids within the bound-parameter limit.
      where.push(inList(sql`a.id`, ids));
    }
    if (filter.accountablePersonId !== undefined) where.push(sql`a.id in (${accountableForPerson(filter.accountablePersonId)})`);
    if (filter.refs) {
      if (filter.refs.length === 0) return [];
      where.push(oneOrList(sql`a.ref`, filter.refs));
    }
    if (filter.ids) {
      if (filter.ids.length === 0) return [];
      where.push(oneOrList(sql`a.id`, filter.ids));
    }
    const query = sql`${BASE_SQL} ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``} order by p.position, p.code, w.number, a.number`;
    return (await all<Row>(db, query)).map(toView);
  });
}

/**
 * On PostgreSQL, `expr = value` for one value (the commands that name one action), else
 * {@link inList}. A prepared `= any($1)` never gets a generic plan there (its array could hold any
 * number of values, so the planner costs it above the one-value custom plan), and this view's
 * statement was planned again on every run: about two thirds of a one-action lookup (EXPLAIN ANALYZE
 * at 100k: planning 0.6-0.7 ms, execution 0.15 ms). `= $1` gets the generic plan after five runs.
 * SQLite keeps the list: its `ref = ?` ran four times slower than `in (json_each(?))` here (measured
 * at 100k, 19 µs against 4.4), for all its same-looking plan.
 */
function oneOrList(expr: SQL, values: readonly (string | number)[]): SQL {
  return values.length === 1 ? spelled(inList(expr, values), sql`${expr} = ${values[0]}`) : inList(expr, values);
}

// The same three indexed lookups as accountableActionIds, with the person's current roles found in
// the statement itself: the ids of the actions `personId` is accountable for, as a subquery.
export function accountableForPerson(personId: number): SQL {
  return sql`
  with held(role_id) as (select role_id from role_assignments where person_id = ${personId} and ended_at is null)
  select id from actions ${indexHint('actions_owner_role')} where ${noIndex(sql`owner_person_id`)} is null and owner_role_id in (select role_id from held)
  union
  select id from actions
  where workstream_id in (select id from workstreams where lead_role_id in (select role_id from held))
    and ${noIndex(sql`owner_role_id`)} is null and ${noIndex(sql`owner_person_id`)} is null
  union
  select id from actions ${indexHint('actions_owner_person')} where owner_person_id = ${personId}`;
}

/**
 * The actions `personId` is accountable for, as a subquery of their owner role (role_id), their
 * person assigned by name (owner_person_id) and their board (board_id): what a list of them shows
 * beside each (the roles' holders, the boards' cycles) found from the person alone, so those reads
 * need not wait for the list (accountable-actions.ts).
 */
export function accountableRolesAndBoards(personId: number): SQL {
  return sql`select coalesce(a.owner_role_id, w.lead_role_id) as role_id, a.owner_person_id, coalesce(w.board_id, p.board_id) as board_id
    from actions a join workstreams w on w.id = a.workstream_id join plans p on p.id = w.plan_id
    where a.id in (${accountableForPerson(personId)})`;
}

export function accountableActionIds(db: Db, roleIds: number[], personId: number | undefined): Promise<number[]> {
  return storeCall(db, async () => {
    const ids: number[] = [];
    if (roleIds.length > 0) {
      // Role overrides are rare, so SQLite's statistics say the owner_role_id index is useless and,
      // with bound parameters, it scans the table; INDEXED BY and the unary + steer it to the
      // selective indexes (role, then workstream).
      for (const r of await all<{ id: number }>(
        db,
        sql`select id from actions ${indexHint('actions_owner_role')} where ${noIndex(sql`owner_person_id`)} is null and ${inList(sql`owner_role_id`, roleIds)}
         union
         select id from actions
         where workstream_id in (select id from workstreams where ${inList(sql`lead_role_id`, roleIds)})
           and ${noIndex(sql`owner_role_id`)} is null and ${noIndex(sql`owner_person_id`)} is null`,
      )) {
        ids.push(r.id);
      }
    }
    if (personId !== undefined) {
      // Nearly every owner_person_id is null, so SQLite's statistics make the index look useless and
      // it would scan the table; the index is exactly right for one person.
      for (const r of await all<{ id: number }>(db, sql`select id from actions ${indexHint('actions_owner_person')} where owner_person_id = ${personId}`)) ids.push(r.id);
    }
    return ids;
  });
}

export function getActionView(db: Db, ref: string): Promise<ActionView | undefined> {
  return withConnection(db, async () => {
    return (await listActionViews(db, { refs: [ref] }))[0];
  });
}

/** Every live ref, for "did you mean" suggestions. */
export function listRefs(db: Db): Promise<string[]> {
  return storeCall(db, async () => {
    return (
      await all<{ ref: string }>(db, sql`select a.ref from actions a join workstreams w on w.id = a.workstream_id where a.removed_at is null and w.removed_at is null`)
    ).map((r) => r.ref);
  });
}

export function countActions(db: Db): Promise<number> {
  return storeCall(db, async () => {
    return (await get<{ n: number }>(db, sql`select count(*) as n from actions where removed_at is null`))!.n;
  });
}

/** Every plan's code, for saying which exist when a filter names none of them. */
export function listPlanCodes(db: Db): Promise<string[]> {
  return storeCall(db, async () => {
    return (await all<{ code: string }>(db, sql`select code from plans order by position, code`)).map((r) => r.code);
  });
}
