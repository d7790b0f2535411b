// What `sendbot export` reads: every live action (with owner holders and latest update), the whole
// append-only update trail, every due-date change, and the KPIs with every reading, optionally for
// one board only.
// Rows come back oldest first where they are a history, in plan order for actions.
import type { ActionStatus } from '../../db/schema.js';
import type { KpiSeries } from '../domain/kpi-types.js';
import { type ActionView, listActionViews } from './actions-repository.js';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { inList, jsonArrayAgg } from './dialect.js';
import { all } from './statements.js';
import { type KpiReadingRow, kpiReadingHistory, listKpiSeries } from './kpis-repository.js';
import { currentHolders } from './roles-repository.js';
import { storeCall, withConnection } from './unit-of-work.js';

export interface ExportAction extends ActionView {
  /** Names of the people holding the owner role now (empty when assigned by name, or nobody holds it). */
  ownerHolders: string[];
  /** The plan as its file gives it, so the Actions sheet imports back with no change. */
  planFile: {
    /** The plan's board (the action's boardName may be its workstream's own). */
    planBoard: string | null;
    /** The workstream's accountable lead, date of completion as written, and supporting roles. */
    lead: string | null;
    workstreamDate: string | null;
    workstreamWith: string[];
    /** The action's own owner role (null: the workstream's lead) and its own supporting roles. */
    ownOwner: string | null;
    ownWith: string[];
    /** What the plan file last said for the action's dates: its due date read then (see actions.file_base). */
    fileDue: string | null | undefined;
  };
}

export interface ExportUpdate {
  id: number;
  at: string;
  ref: string;
  personName: string | null;
  personEmail: string | null;
  platform: string;
  kind: string;
  status: ActionStatus | null;
  percent: number | null;
  note: string | null;
  evidenceUrl: string | null;
  rawText: string;
  /** The away owner a delegate was covering for, by name. */
  onBehalfOf: string | null;
}

export interface ExportDateChange {
  id: number;
  ref: string;
  requestedAt: string;
  requestedBy: string | null;
  fromDue: string | null;
  toDue: string | null;
  phrase: string;
  reason: string | null;
  state: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

export interface ExportData {
  actions: ExportAction[];
  updates: ExportUpdate[];
  dateChanges: ExportDateChange[];
  /** KPIs of the plans in scope (a board's KPIs for a board export), in plan order. */
  kpis: KpiSeries[];
  /** Each KPI's own owner role, by KPI id (none: its workstream's lead). */
  kpiOwners: Map<number, string>;
  /** Every reading ever recorded for those KPIs, corrections and imports included. */
  kpiReadings: (KpiReadingRow & { kpiCode: string })[];
  /** Everyone sendbot knows, with the roles they hold now: the People sheet. */
  people: ExportPerson[];
}

export interface ExportPerson {
  name: string;
  email: string;
  roles: string[];
  slackUserId: string | null;
  teamsUserId: string | null;
  isAdmin: boolean;
  weeklyDigest: boolean;
}

/** The plan's own fields for an action, as its file gives them, read once for the whole export. */
async function planFileFields(db: Db): Promise<(actionId: number, workstreamId: number) => ExportAction['planFile']> {
  const rows = await all<{ id: number; workstreamId: number; ownOwner: string | null; fileBase: string | null; lead: string | null; workstreamDate: string | null; planBoard: string | null }>(
    db,
    sql`select a.id, a.workstream_id as "workstreamId", ro.name as "ownOwner", a.file_base as "fileBase", rl.name as lead, w.date_text as "workstreamDate",
            pb.name as "planBoard"
       from actions a join workstreams w on w.id = a.workstream_id join plans p on p.id = w.plan_id
       left join roles ro on ro.id = a.owner_role_id left join roles rl on rl.id = w.lead_role_id left join boards pb on pb.id = p.board_id
      where a.removed_at is null`,
  );
  const byAction = new Map(rows.map((r) => [r.id, r]));
  const namesBy = async (query: SQL): Promise<Map<number, string[]>> => {
    const map = new Map<number, string[]>();
    for (const r of await all<{ owner: number; name: string }>(db, query)) map.set(r.owner, [...(map.get(r.owner) ?? []), r.name]);
    return map;
  };
  const wsWith = await namesBy(sql`select s.workstream_id as owner, r.name from workstream_supporting_roles s join roles r on r.id = s.role_id order by s.workstream_id, s.position`);
  const ownWith = await namesBy(sql`select s.action_id as owner, r.name from action_supporting_roles s join roles r on r.id = s.role_id order by s.action_id, s.position`);
  return (actionId, workstreamId) => {
    const r = byAction.get(actionId);
    const base = r?.fileBase ? (JSON.parse(r.fileBase) as { due: string | null }) : undefined;
    return {
      planBoard: r?.planBoard ?? null,
      lead: r?.lead ?? null,
      workstreamDate: r?.workstreamDate ?? null,
      workstreamWith: wsWith.get(workstreamId) ?? [],
      ownOwner: r?.ownOwner ?? null,
      ownWith: ownWith.get(actionId) ?? [],
      fileDue: base ? base.due : undefined,
    };
  };
}

/** Actions reporting to `boardId` (all when undefined), their updates and date changes. */
export function loadExportData(db: Db, opts: { boardId?: number } = {}): Promise<ExportData> {
  return withConnection(db, async () => {
    const views = await listActionViews(db, opts.boardId === undefined ? {} : { boardId: opts.boardId });
    const holders = new Map<number, string[]>();
    const holdersOf = async (roleId: number | null): Promise<string[]> => {
      if (roleId === null) return [];
      let names = holders.get(roleId);
      if (!names) {
        names = (await currentHolders(db, roleId)).map((h) => h.name);
        holders.set(roleId, names);
      }
      return names;
    };
    const planFile = await planFileFields(db);
    const actions = await Promise.all(views.map(async (a) => ({
      ...a,
      ownerHolders: a.ownerPersonId !== null ? [] : await holdersOf(a.ownerRoleId),
      planFile: planFile(a.id, a.workstreamId),
    })));
    // The trail of removed actions stays in a whole-partnership export (it is evidence); a board's
    // export keeps to the actions it lists.
    const scope = opts.boardId === undefined ? null : views.map((a) => a.id);
    const inScope = scope === null ? sql`` : sql`where ${inList(sql`u.action_id`, scope)}`;
    const updates = await all<ExportUpdate>(
      db,
      sql`select u.id, u.created_at as at, a.ref, p.name as "personName", p.email as "personEmail", u.platform, u.kind, u.status, u.percent,
            u.note, u.evidence_url as "evidenceUrl", u.raw_text as "rawText", ob.name as "onBehalfOf"
       from updates u join actions a on a.id = u.action_id left join people p on p.id = u.person_id
       left join people ob on ob.id = u.on_behalf_of_person_id
       ${inScope}
      order by u.created_at, u.id`,
    );
    const changesScope = scope === null ? sql`` : sql`where ${inList(sql`c.action_id`, scope)}`;
    const dateChanges = await all<ExportDateChange>(
      db,
      sql`select c.id, a.ref, c.requested_at as "requestedAt", rp.name as "requestedBy", c.from_due as "fromDue", c.to_due as "toDue", c.phrase,
            c.reason, c.state, c.decided_at as "decidedAt", dp.name as "decidedBy"
       from due_date_changes c join actions a on a.id = c.action_id
       left join people rp on rp.id = c.requested_by left join people dp on dp.id = c.decided_by
       ${changesScope}
      order by c.requested_at, c.id`,
    );
    const kpis = await listKpiSeries(db, opts.boardId === undefined ? {} : { board: opts.boardId });
    const kpiReadings = (await Promise.all(kpis.map(async (k) => (await kpiReadingHistory(db, k.id)).map((r) => ({ ...r, kpiCode: k.code }))))).flat();
    const kpiOwners = new Map(
      (await all<{ id: number; name: string }>(db, sql`select k.id, r.name from kpis k join roles r on r.id = k.owner_role_id`)).map((r) => [r.id, r.name]),
    );
    return { actions, updates, dateChanges, kpis, kpiReadings, kpiOwners, people: await loadPeople(db) };
  });
}

async function loadPeople(db: Db): Promise<ExportPerson[]> {
  const rows = await all<{ name: string; email: string; slackUserId: string | null; teamsUserId: string | null; isAdmin: unknown; weeklyDigest: unknown; roles: string }>(
    db,
    sql`select p.id, p.name, p.email, p.slack_user_id as "slackUserId", p.teams_user_id as "teamsUserId", p.is_admin as "isAdmin",
            p.weekly_digest as "weeklyDigest",
            (select ${jsonArrayAgg(sql`r.name`)} from (select r.name from role_assignments ra join roles r on r.id = ra.role_id
               where ra.person_id = p.id and ra.ended_at is null order by ra.started_at, ra.id) r) as roles
       from people p order by p.name, p.id`,
  );
  return rows.map((r) => ({ ...r, roles: JSON.parse(r.roles) as string[], isAdmin: Boolean(r.isAdmin), weeklyDigest: Boolean(r.weeklyDigest) }));
}
