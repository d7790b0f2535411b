// What `sendbot export` reads: every live action (with owner holders and latest update), the whole
// append-only update trail, every due-date change, and the KPIs with every reading, optionally for
// one board only.
// Rows come back oldest first where they are a history, in plan order for actions.
import type { ActionStatus } from '../../db/schema.js';
import type { KpiSeries } from '../domain/kpi-types.js';
import { type ActionView, listActionViews } from './actions-repository.js';
import { cachedStatement, type Db } from './database.js';
import { type KpiReadingRow, kpiReadingHistory, listKpiSeries } from './kpis-repository.js';
import { currentHolders } from './roles-repository.js';

export interface ExportAction extends ActionView {
  /** Names of the people holding the owner role now (empty when assigned by name, or nobody holds it). */
  ownerHolders: string[];
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
  /** Every reading ever recorded for those KPIs, corrections and imports included. */
  kpiReadings: (KpiReadingRow & { kpiCode: string })[];
}

/** Actions reporting to `boardId` (all when undefined), their updates and date changes. */
export function loadExportData(db: Db, opts: { boardId?: number } = {}): ExportData {
  const views = listActionViews(db, opts.boardId === undefined ? {} : { boardId: opts.boardId });
  const holders = new Map<number, string[]>();
  const holdersOf = (roleId: number | null): string[] => {
    if (roleId === null) return [];
    let names = holders.get(roleId);
    if (!names) {
      names = currentHolders(db, roleId).map((h) => h.name);
      holders.set(roleId, names);
    }
    return names;
  };
  const actions = views.map((a) => ({ ...a, ownerHolders: a.ownerPersonId !== null ? [] : holdersOf(a.ownerRoleId) }));
  // The trail of removed actions stays in a whole-partnership export (it is evidence); a board's
  // export keeps to the actions it lists.
  const scope = opts.boardId === undefined ? null : JSON.stringify(views.map((a) => a.id));
  const inScope = scope === null ? '' : 'where u.action_id in (select value from json_each(?))';
  const updates = cachedStatement(
    db,
    `select u.id, u.created_at as at, a.ref, p.name as personName, p.email as personEmail, u.platform, u.kind, u.status, u.percent,
            u.note, u.evidence_url as evidenceUrl, u.raw_text as rawText, ob.name as onBehalfOf
       from updates u join actions a on a.id = u.action_id left join people p on p.id = u.person_id
       left join people ob on ob.id = u.on_behalf_of_person_id
       ${inScope}
      order by u.created_at, u.id`,
  ).all(...(scope === null ? [] : [scope])) as ExportUpdate[];
  const changesScope = scope === null ? '' : 'where c.action_id in (select value from json_each(?))';
  const dateChanges = cachedStatement(
    db,
    `select c.id, a.ref, c.requested_at as requestedAt, rp.name as requestedBy, c.from_due as fromDue, c.to_due as toDue, c.phrase,
            c.reason, c.state, c.decided_at as decidedAt, dp.name as decidedBy
       from due_date_changes c join actions a on a.id = c.action_id
       left join people rp on rp.id = c.requested_by left join people dp on dp.id = c.decided_by
       ${changesScope}
      order by c.requested_at, c.id`,
  ).all(...(scope === null ? [] : [scope])) as ExportDateChange[];
  const kpis = listKpiSeries(db, opts.boardId === undefined ? {} : { board: opts.boardId });
  const kpiReadings = kpis.flatMap((k) => kpiReadingHistory(db, k.id).map((r) => ({ ...r, kpiCode: k.code })));
  return { actions, updates, dateChanges, kpis, kpiReadings };
}
