// The update trail the digest reads, for one board's actions (or all boards): one query per kind of
// data, each starting from the board's actions (their ids, as the caller's PlanningState has them, or
// looked up once) and walking the per-action indexes (updates_action_time, updates_reported,
// due_date_changes_action), never a query per action and never a scan of the whole trail per board,
// so a tick that builds dozens of chair's digests reads only those boards' rows. Everything is
// bounded by `now`, so a digest built "as of" a past instant (--now) does not see later reports.
import type { ActionStatus } from '../../db/schema.js';
import type { ActionAsOf, DateRequestOutcome, DigestHistory, HistoryDateDecision, HistoryDateMove, HistoryDateRequest, HistoryUpdate, RecentStatus } from '../domain/digest-history.js';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, inReadTransaction } from './database.js';
import { jsonArrayAgg, jsonValues } from './dialect.js';
import { all, get, values } from './statements.js';
import { storeCall, withConnection } from './unit-of-work.js';

export interface DigestHistoryOptions {
  /** Board whose actions are read; null for every board (the weekly digest). */
  boardId: number | null;
  /** Exclusive start of the window (the previous meeting); null reads the whole trail. */
  sinceUtcIso: string | null;
  nowUtcIso: string;
  /**
   * The live actions reporting to the board (every live action when boardId is null), when the caller
   * already has them from a PlanningState (the tick and the digest commands do): the queries then
   * start from these ids instead of working the board's actions out again.
   */
  actionIds?: readonly number[];
}

/** How the queries find the actions in scope: a list of ids, or every live action. */
type Scope = { kind: 'ids'; ids: readonly number[] } | { kind: 'all' };

/** `scope(id)`: the actions in scope, for the queries to start from. */
function scopeCte(scope: Scope): SQL {
  return scope.kind === 'ids'
    ? sql`with scope(id) as materialized ${jsonValues(scope.ids)}`
    : sql`with scope(id) as materialized (
        select a.id from actions a join workstreams w on w.id = a.workstream_id where a.removed_at is null and w.removed_at is null)`;
}

/** A board's live actions (a workstream's own board wins over its plan's), as a JSON list of ids. */
const boardActions = (boardId: number) => sql`select ${jsonArrayAgg(sql`a.id`)} as ids
  from workstreams w join plans p on p.id = w.plan_id join actions a on a.workstream_id = w.id
  where a.removed_at is null and w.removed_at is null and coalesce(w.board_id, p.board_id) = ${boardId}`;

async function scopeOf(db: Db, opts: DigestHistoryOptions): Promise<Scope> {
  if (opts.actionIds) return { kind: 'ids', ids: opts.actionIds };
  if (opts.boardId === null) return { kind: 'all' };
  return { kind: 'ids', ids: JSON.parse((await get<{ ids: string }>(db, boardActions(opts.boardId)))!.ids) as number[] };
}

export function loadDigestHistory(db: Db, opts: DigestHistoryOptions): Promise<DigestHistory> {
  return withConnection(db, async () => {
    const since = opts.sinceUtcIso;
    const now = opts.nowUtcIso;
    // One read transaction: the queries see the same trail.
    return await inReadTransaction(db, async (): Promise<DigestHistory> => {
      const scope = await scopeOf(db, opts);
      const dateMoves = await loadDateMoves(db, scope, now);
      const moveCounts = new Map<number, number>();
      for (const m of dateMoves) moveCounts.set(m.actionId, (moveCounts.get(m.actionId) ?? 0) + 1);
      return {
        sinceUtcIso: since,
        nowUtcIso: now,
        updatesSince: await updatesSince(db, scope, since, now),
        lastStatuses: await loadRedTrail(db, scope, now),
        statusAtSince: since === null ? new Map() : await loadStatusAtSince(db, scope, since),
        pendingDateRequests: await loadPendingRequests(db, scope, now),
        dateMoves,
        // The chair's digest lists pending requests and moves; decisions are the weekly digest's.
        dateDecisions: [],
        moveCounts,
        asOfNow: await loadAsOfNow(db, scope, now),
      };
    });
  });
}

/**
 * Status, percent and last report at `now` for the actions with anything recorded after it. A digest
 * for today has none (one index seek says so); one built "as of" a past instant must not count what
 * was reported later.
 */
async function loadAsOfNow(db: Db, scope: Scope, now: string): Promise<Map<number, ActionAsOf | null>> {
  const out = new Map<number, ActionAsOf | null>();
  // Actions have no index on created_at: for one board the check walks the board's actions (primary
  // key seeks), not the whole actions table, which cost ~11 ms per board at 100k actions.
  const actionsLater =
    scope.kind === 'ids'
      ? sql`exists(select 1 from ${jsonValues(scope.ids)} s join actions a on a.id = s.value where a.created_at > ${now})`
      : sql`exists(select 1 from actions where created_at > ${now})`;
  const later = (await get<{ later: number }>(
    db,
    sql`select exists(select 1 from updates where created_at > ${now}) or ${actionsLater} as later`,
  ))!.later;
  if (!later) return out;
  const rows = await values<[number, string, ActionStatus | null, ActionStatus | null, number | null, string | null]>(
    db,
    sql`${scopeCte(scope)}
     select a.id, a.created_at, a.imported_status,
            (select u.status from updates u where u.action_id = a.id and u.created_at <= ${now} and u.status is not null
              order by u.created_at desc, u.id desc limit 1),
            (select u.percent from updates u where u.action_id = a.id and u.created_at <= ${now} and u.percent is not null
              order by u.created_at desc, u.id desc limit 1),
            (select max(u.created_at) from updates u where u.action_id = a.id and u.created_at <= ${now} and u.kind <> 'import')
     from scope s join actions a on a.id = s.id
     where a.created_at > ${now} or exists (select 1 from updates c where c.action_id = a.id and c.created_at > ${now})`,
  );
  for (const [id, createdAt, importedStatus, status, percent, reported] of rows) {
    out.set(id, createdAt > now ? null : { status: status ?? importedStatus ?? 'not_started', percent, lastReportedAt: reported });
  }
  return out;
}

/**
 * Owner reports in (since, now] on the actions in scope, oldest first: all the weekly digest reads
 * of the trail.
 */
export function loadUpdatesSince(db: Db, opts: DigestHistoryOptions): Promise<HistoryUpdate[]> {
  return storeCall(db, async () => {
    return await updatesSince(db, await scopeOf(db, opts), opts.sinceUtcIso, opts.nowUtcIso);
  });
}

type UpdateRow = [
  number, number, number | null, string | null, string, string, string, ActionStatus | null, number | null, string | null, string | null,
  DateRequestOutcome | null, string | null,
];

/**
 * Owner reports in (since, now], oldest first. The biggest result (one row per report), so rows are
 * read raw and mapped by hand, and rows by the same person share one copy of the name. For every
 * board at once the window is read through updates_created_at; for one board, through each action's
 * reports.
 */
async function updatesSince(db: Db, scope: Scope, since: string | null, now: string): Promise<HistoryUpdate[]> {
  const window = since === null ? sql`x.created_at <= ${now}` : sql`x.created_at <= ${now} and x.created_at > ${since}`;
  // A delegate's report names whom they covered for: "Jamie Example as delegate for Morgan Demo".
  const columns = sql`x.id, x.action_id, x.person_id,
         case when x.on_behalf_of_person_id is null then pe.name
              else pe.name || ' as delegate for ' || (select ob.name from people ob where ob.id = x.on_behalf_of_person_id) end,
         x.created_at, x.platform, x.kind, x.status, x.percent, x.note,
         (select max(c.to_due) from due_date_changes c where c.update_id = x.id),
         -- The request as it stood at now: a decision taken later is not known yet.
         (select case when c.decided_at is not null and c.decided_at <= ${now} then c.state else 'pending' end
            from due_date_changes c where c.update_id = x.id order by c.id desc limit 1),
         (select case when c.decided_at is not null and c.decided_at <= ${now} then c.decision_note end
            from due_date_changes c where c.update_id = x.id order by c.id desc limit 1)`;
  const query =
    scope.kind === 'all'
      ? sql`select ${columns}
         from updates x join actions a on a.id = x.action_id join workstreams w on w.id = a.workstream_id
         left join people pe on pe.id = x.person_id
         where ${window} and x.kind <> 'import' and a.removed_at is null and w.removed_at is null
         order by x.created_at, x.id`
      : sql`${scopeCte(scope)}
         select ${columns}
         from scope s join updates x on x.action_id = s.id left join people pe on pe.id = x.person_id
         where ${window} and x.kind <> 'import'
         order by x.created_at, x.id`;
  const rows = await values<UpdateRow>(db, query);
  const names = new Map<number, string | null>();
  const out: HistoryUpdate[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const [id, actionId, personId, name, at, platform, kind, status, percent, note, requestedDue, outcome, decisionNote] = rows[i] as UpdateRow;
    let personName: string | null = null;
    if (personId !== null) {
      // Memoised per person, but a delegate's report carries its own name ("… as delegate for …").
      const known = names.get(personId);
      if (known === undefined || (name !== null && name !== known)) personName = name;
      else personName = known;
      if (known === undefined) names.set(personId, name);
    }
    const requestOutcome = requestedDue === null ? null : (outcome ?? 'pending');
    out[i] = { id, actionId, personId, personName, at, platform, kind, status, percent, note, requestedDue, requestOutcome, requestDecisionNote: decisionNote };
  }
  return out;
}

/**
 * The last two status-bearing owner reports, newest first, for actions red now: only they can be
 * "red in two consecutive updates". Plan imports are left out: the rule is about what owners said.
 */
async function loadRedTrail(db: Db, scope: Scope, now: string): Promise<Map<number, RecentStatus[]>> {
  const rows = await values<[number, ActionStatus, string]>(
    db,
    sql`${scopeCte(scope)}
     select action_id, status, at from (
       select u.action_id, u.status, u.created_at as at,
              row_number() over (partition by u.action_id order by u.created_at desc, u.id desc) as rn
       from scope s join actions a on a.id = s.id join updates u on u.action_id = a.id
       where a.status = 'red' and u.status is not null and u.kind <> 'import' and u.created_at <= ${now}) recent
     where rn <= 2 order by action_id, rn`,
  );
  const trail = new Map<number, RecentStatus[]>();
  for (const [actionId, status, at] of rows) {
    const list = trail.get(actionId);
    if (list) list.push({ status, at });
    else trail.set(actionId, [{ status, at }]);
  }
  return trail;
}

/**
 * Status at `since`, only for actions whose status may have changed since then (a status-bearing
 * update after it, or created after it): every other action still has the status it had, so a
 * 100k-action board needs index seeks for the changed ones only. The status at `since` is the latest
 * status-bearing update at or before it (plan imports included), else the plan file's status at
 * creation; when a later import changed the file's status, that earlier status is not stored, so
 * 'not_started' is the honest fallback. null: the action did not exist yet.
 */
async function loadStatusAtSince(db: Db, scope: Scope, since: string): Promise<Map<number, ActionStatus | null>> {
  const rows = await values<[number, string, ActionStatus | null, ActionStatus | null, number]>(
    db,
    sql`${scopeCte(scope)}
     select t.id, t.created_at, t.imported_status, t.last_status,
            -- Only asked when nothing was reported by then (CASE is lazy): one index seek saved per action.
            -- (t.id, qualified: a bare "id" in here would be the update's own id, not the action's.)
            -- 1/0 from a CASE, not exists() itself: PostgreSQL's exists() is a boolean, which cannot share a CASE with 0.
            case when t.last_status is null then case when exists(select 1 from updates i where i.action_id = t.id and i.kind = 'import') then 1 else 0 end else 0 end
     from (select a.id, a.created_at, a.imported_status,
            (select u.status from updates u
              where u.action_id = a.id and u.created_at <= ${since} and u.status is not null
              order by u.created_at desc, u.id desc limit 1) as last_status
           from scope s join actions a on a.id = s.id
           where a.created_at > ${since}
              or exists (select 1 from updates c where c.action_id = a.id and c.created_at > ${since} and c.status is not null)) t`,
  );
  const result = new Map<number, ActionStatus | null>();
  for (const [id, createdAt, importedStatus, lastStatus, hasImport] of rows) {
    // Imported after `since`: the import is the starting point, not a change, so the action counts
    // as it stood when imported (the file's status) and only what owners reported since shows.
    if (createdAt > since) result.set(id, importedStatus ?? 'not_started');
    // The fallback is reached only when nothing was reported by `since`, so any import came later.
    else result.set(id, lastStatus ?? (hasImport ? 'not_started' : (importedStatus ?? 'not_started')));
  }
  return result;
}

/** Requests made by `now` and not decided (or superseded) by then, oldest first. */
async function loadPendingRequests(db: Db, scope: Scope, now: string): Promise<HistoryDateRequest[]> {
  return await all<HistoryDateRequest>(
    db,
    sql`${scopeCte(scope)}
     select x.id, x.action_id as "actionId", x.requested_by as "requestedById", pe.name as "requestedByName",
            x.requested_at as "requestedAt", x.from_due as "fromDue", x.to_due as "toDue", x.phrase, x.reason
     from scope s join due_date_changes x on x.action_id = s.id left join people pe on pe.id = x.requested_by
     where x.state <> 'imported' and x.requested_at <= ${now}
       and (x.state = 'pending' or (x.decided_at is not null and x.decided_at > ${now}))
     order by x.requested_at, x.id`,
  );
}

/** Moves that took effect by `now`; a first date (from null) or a dropped one (to null) is not a move. */
async function loadDateMoves(db: Db, scope: Scope, now: string): Promise<HistoryDateMove[]> {
  return await all<HistoryDateMove>(
    db,
    sql`${scopeCte(scope)}
     select x.id, x.action_id as "actionId", coalesce(x.decided_at, x.requested_at) as at, x.from_due as "fromDue",
            x.to_due as "toDue", case when x.state = 'approved' and x.decided_by = x.requested_by then 'self-approved' when x.state = 'approved' then 'approved' else 'imported' end as how
     from scope s join due_date_changes x on x.action_id = s.id
     where ((x.state = 'approved' and x.decided_at <= ${now}) or (x.state = 'imported' and x.requested_at <= ${now}))
       and x.from_due is not null and x.to_due is not null and x.from_due <> x.to_due
     order by at, x.id`,
  );
}

/** Requests approved or rejected in (since, now], oldest first, with who asked and who decided. */
async function loadDateDecisions(db: Db, scope: Scope, since: string, now: string): Promise<HistoryDateDecision[]> {
  // Every board (the weekly digest): from the requests themselves, not from a list of every live action.
  const decided =
    scope.kind === 'all'
      ? sql`select x.* from due_date_changes x join actions a on a.id = x.action_id join workstreams w on w.id = a.workstream_id
         where a.removed_at is null and w.removed_at is null`
      : sql`${scopeCte(scope)} select x.* from scope s join due_date_changes x on x.action_id = s.id`;
  return await all<HistoryDateDecision>(
    db,
    sql`with decided as (${decided})
     select x.id, x.action_id as "actionId", x.state as decision, x.decided_at as "decidedAt", dp.name as "decidedByName",
            rp.name as "requestedByName", x.from_due as "fromDue", x.to_due as "toDue", x.decision_note as note
     from decided x
     left join people dp on dp.id = x.decided_by left join people rp on rp.id = x.requested_by
     where x.state in ('approved', 'rejected') and x.decided_at > ${since} and x.decided_at <= ${now}
     order by x.decided_at, x.id`,
  );
}

/** The weekly digest's decisions on requested dates, across every board. */
export function loadDateDecisionsSince(db: Db, opts: DigestHistoryOptions & { sinceUtcIso: string }): Promise<HistoryDateDecision[]> {
  return storeCall(db, async () => {
    return await loadDateDecisions(db, await scopeOf(db, opts), opts.sinceUtcIso, opts.nowUtcIso);
  });
}
