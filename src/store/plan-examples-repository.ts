// What the loaded plan offers help and refusals as examples: a few actions, the ones the caller may
// update, a KPI code, a lead role, a board and another person. src/domain/plan-examples.ts chooses.
import type { KpiFrequency, KpiUnit } from '../domain/kpi-types.js';
import { type ActionFacts, canDecideDateChange, type CallerFacts, updateRight } from '../domain/permissions.js';
import { choosePlanExamples, type PlanExampleFacts, type PlanExamples } from '../domain/plan-examples.js';
import { sql } from 'drizzle-orm';
import { accountableForPerson } from './actions-repository.js';
import { loadCallerFacts } from './caller-repository.js';
import type { Db } from './database.js';
import { inList, jsonArrayAgg } from './dialect.js';
import { getPerson } from './people-repository.js';
import { all, get } from './statements.js';
import { storeCall, withConnection } from './unit-of-work.js';

const LIVE_ACTIONS = sql`from actions a join workstreams w on w.id = a.workstream_id join plans p on p.id = w.plan_id
  where a.removed_at is null and w.removed_at is null`;
const PLAN_ORDER = sql`order by p.position, p.code, w.number, a.number`;
/** Actions an update example may name: a couple is enough. */
const UPDATE_EXAMPLES = 2;
/** Candidates read to find them: a lead of thousands of actions need not be read whole. */
const CANDIDATES = 20;
// An update to a completed action is possible but a poor example: open ones first.
const OPEN_FIRST = sql`order by a.status = 'blue', p.position, p.code, w.number, a.number`;

interface PermissionRow {
  ref: string;
  text: string;
  status: string;
  ownerRoleId: number | null;
  ownerPersonId: number | null;
  boardId: number | null;
  supporting: string;
}

// The same facts update and approve check (src/domain/permissions.ts), for the candidate actions.
const PERMISSION_SQL = sql`select a.ref, a.text, a.status, coalesce(a.owner_role_id, w.lead_role_id) as "ownerRoleId", a.owner_person_id as "ownerPersonId",
    coalesce(w.board_id, p.board_id) as "boardId",
    (select ${jsonArrayAgg(sql`role_id`)} from (select role_id from workstream_supporting_roles where workstream_id = w.id
       union all select role_id from action_supporting_roles where action_id = a.id) roles) as supporting
  ${LIVE_ACTIONS}`;

interface KpiRow {
  code: string;
  unit: KpiUnit;
  frequency: KpiFrequency | null;
  ownerRoleId: number | null;
  boardId: number | null;
  supporting: string;
}

// Live KPIs with a code, in the order kpis lists them, with what the permission rules need.
const KPI_SQL = sql`select k.code, k.unit, k.frequency, coalesce(k.owner_role_id, w.lead_role_id) as "ownerRoleId", coalesce(w.board_id, p.board_id) as "boardId",
    (select ${jsonArrayAgg(sql`role_id`)} from workstream_supporting_roles where workstream_id = k.workstream_id) as supporting
  from kpis k join plans p on p.id = k.plan_id left join workstreams w on w.id = k.workstream_id
  where k.removed_at is null and k.code is not null order by p.position, p.code, k.position, k.id`;

function toActionFacts(r: PermissionRow): ActionFacts {
  return { ownerRoleId: r.ownerRoleId, ownerPersonId: r.ownerPersonId, boardId: r.boardId, supportingRoleIds: JSON.parse(r.supporting) as number[] };
}

/**
 * Live actions in plan order the caller might be allowed to touch: for an admin, the first few of
 * the plan; otherwise those owned by, supported by or delegated to roles and people they stand for
 * (narrowed in SQL, then decided by the permission rules themselves).
 */
async function candidateActions(db: Db, facts: CallerFacts): Promise<PermissionRow[]> {
  const limit = sql.raw(String(CANDIDATES));
  if (facts.isAdmin) return await all<PermissionRow>(db, sql`${PERMISSION_SQL} ${OPEN_FIRST} limit ${limit}`);
  const roles = [...facts.roleIds, ...facts.delegatedRoleIds];
  const people = [facts.personId, ...facts.delegatedPersonIds];
  return await all<PermissionRow>(
    db,
    sql`${PERMISSION_SQL} and (${inList(sql`a.owner_person_id`, people)}
       or ${inList(sql`coalesce(a.owner_role_id, w.lead_role_id)`, roles)}
       or exists (select 1 from workstream_supporting_roles s where s.workstream_id = w.id and ${inList(sql`s.role_id`, roles)})
       or exists (select 1 from action_supporting_roles s where s.action_id = a.id and ${inList(sql`s.role_id`, roles)}))
     ${OPEN_FIRST} limit ${limit}`,
  );
}

/** Reads the facts; `personId` is the caller, whose own open action is preferred in update examples. */
export function loadPlanExampleFacts(db: Db, today: string, personId?: number): Promise<PlanExampleFacts> {
  return withConnection(db, async () => {
    const actions = await all<{ ref: string; text: string }>(db, sql`select a.ref, a.text ${LIVE_ACTIONS} ${PLAN_ORDER} limit 5`);
    const caller = personId === undefined ? undefined : await getPerson(db, personId);
    const ownAction =
      caller === undefined
        ? undefined
        : await get<{ ref: string; text: string }>(db, sql`select a.ref, a.text ${LIVE_ACTIONS} and a.status != 'blue' and a.id in (${accountableForPerson(caller.id)}) ${PLAN_ORDER} limit 1`);
    const facts = caller ? await loadCallerFacts(db, caller, today) : undefined;
    const candidates = facts ? await candidateActions(db, facts) : [];
    const updatable = facts ? candidates.filter((r) => updateRight(facts, toActionFacts(r)) !== undefined) : [];
    // Their own action first; it is always one they may update, even beyond the candidates read.
    const mine = ownAction ? [ownAction, ...updatable.filter((r) => r.ref !== ownAction.ref)] : updatable;
    const decidable = facts ? (await candidatesForDecisions(db, facts)).find((r) => canDecideDateChange(facts, toActionFacts(r))) : undefined;

    // Who may record a reading is decided as kpi does: the update rules, with the KPI's owner and supporting roles.
    const kpis = await all<KpiRow>(db, KPI_SQL);
    const recordable = facts
      ? kpis.find((k) => updateRight(facts, { ownerRoleId: k.ownerRoleId, ownerPersonId: null, supportingRoleIds: JSON.parse(k.supporting) as number[], boardId: k.boardId }) !== undefined)
      : undefined;
    const kpiOf = (k: KpiRow | undefined) => (k ? { code: k.code, unit: k.unit, frequency: k.frequency ?? 'monthly' } : null);

    const role = await get<{ name: string }>(
      db,
      sql`select r.name from workstreams w join plans p on p.id = w.plan_id join roles r on r.id = w.lead_role_id where w.removed_at is null order by p.position, p.code, w.number limit 1`,
    );
    const board = await get<{ name: string }>(db, sql`select name from boards order by id limit 1`);
    // Someone else from the plan to delegate or assign to: a role holder first, anyone otherwise.
    const other = await get<{ name: string; email: string }>(
      db,
      sql`select pe.name, pe.email from people pe where pe.id != ${personId ?? -1} and pe.email is not null and pe.email != ''
     order by exists (select 1 from role_assignments ra where ra.person_id = pe.id and ra.ended_at is null) desc, pe.is_admin, pe.id limit 1`,
    );
    return {
      actions,
      ownAction: ownAction ?? null,
      updatable: mine.slice(0, UPDATE_EXAMPLES).map((r) => ({ ref: r.ref, text: r.text })),
      decidableRef: decidable?.ref ?? null,
      kpi: kpiOf(kpis[0]),
      recordableKpi: kpiOf(recordable),
      callerIsAdmin: caller?.isAdmin ?? false,
      roleName: role?.name ?? null,
      boardName: board?.name ?? null,
      otherPerson: other ?? null,
    };
  });
}

/** Actions whose date changes the caller may decide: any for an admin, their boards' for a chair. */
async function candidatesForDecisions(db: Db, facts: CallerFacts): Promise<PermissionRow[]> {
  if (facts.isAdmin) return await all<PermissionRow>(db, sql`${PERMISSION_SQL} ${PLAN_ORDER} limit 1`);
  if (facts.chairedBoardIds.length === 0) return [];
  return await all<PermissionRow>(db, sql`${PERMISSION_SQL} and ${inList(sql`coalesce(w.board_id, p.board_id)`, facts.chairedBoardIds)} ${PLAN_ORDER} limit 1`);
}

/** The examples to quote to this caller today. */
export function loadPlanExamples(db: Db, today: string, personId?: number): Promise<PlanExamples> {
  return withConnection(db, async () => {
    return choosePlanExamples(await loadPlanExampleFacts(db, today, personId), today);
  });
}
