// The update trail the digest reads, for one board's actions (or all boards): five flat queries on
// the updates_action_time index, never a query per action, so a 100k-action board is read in one
// go. Everything is bounded by `now`, so a digest built "as of" a past instant (--now) does not see
// later reports.
import type { ActionStatus } from '../../db/schema.js';
import type { DigestHistory, HistoryDateMove, HistoryDateRequest, HistoryUpdate, RecentStatus } from '../domain/digest-history.js';
import type { Db } from './database.js';

export interface DigestHistoryOptions {
  /** Board whose actions are read; null for every board (the weekly digest). */
  boardId: number | null;
  /** Exclusive start of the window (the previous meeting); null reads the whole trail. */
  sinceUtcIso: string | null;
  nowUtcIso: string;
}

interface Params {
  board: number | null;
  since: string | null;
  now: string;
}

/** Live actions reporting to the board (a workstream's own board wins over its plan's), as joins. */
const IN_SCOPE = `join actions a on a.id = x.action_id
  join workstreams w on w.id = a.workstream_id
  join plans p on p.id = w.plan_id
  where a.removed_at is null and w.removed_at is null
    and (@board is null or coalesce(w.board_id, p.board_id) = @board)`;

export function loadDigestHistory(db: Db, opts: DigestHistoryOptions): DigestHistory {
  const params: Params = { board: opts.boardId, since: opts.sinceUtcIso, now: opts.nowUtcIso };
  const dateMoves = loadDateMoves(db, params);
  const moveCounts = new Map<number, number>();
  for (const m of dateMoves) moveCounts.set(m.actionId, (moveCounts.get(m.actionId) ?? 0) + 1);
  return {
    sinceUtcIso: opts.sinceUtcIso,
    nowUtcIso: opts.nowUtcIso,
    updatesSince: loadUpdatesSince(db, params),
    lastStatuses: loadRedTrail(db, params),
    statusAtSince: opts.sinceUtcIso === null ? new Map() : loadStatusAtSince(db, params),
    pendingDateRequests: loadPendingRequests(db, params),
    dateMoves,
    moveCounts,
  };
}

/**
 * Owner reports in (since, now], oldest first. The biggest result (one row per report), so rows are
 * read raw and mapped by hand, which costs half of better-sqlite3's keyed rows, and person names come
 * from one small map so rows share their strings.
 */
function loadUpdatesSince(db: Db, params: Params): HistoryUpdate[] {
  const client = db.$client;
  const names = new Map(client.prepare('select id, name from people').raw(true).all() as [number, string][]);
  const rows = client
    .prepare(
      `select x.id, x.action_id, x.person_id, x.created_at, x.platform, x.kind, x.status, x.percent, x.note, c.to_due
       from updates x
       left join (select update_id, max(to_due) as to_due from due_date_changes where update_id is not null group by update_id) c
         on c.update_id = x.id
       where x.kind <> 'import' and x.created_at <= @now and (@since is null or x.created_at > @since)
         and x.action_id in (select a.id from actions a join workstreams w on w.id = a.workstream_id join plans p on p.id = w.plan_id
                             where a.removed_at is null and w.removed_at is null
                               and (@board is null or coalesce(w.board_id, p.board_id) = @board))
       order by x.created_at, x.id`,
    )
    .raw(true)
    .all(params) as [number, number, number | null, string, string, string, ActionStatus | null, number | null, string | null, string | null][];
  return rows.map(([id, actionId, personId, at, platform, kind, status, percent, note, requestedDue]) => ({
    id,
    actionId,
    personId,
    personName: personId === null ? null : (names.get(personId) ?? null),
    at,
    platform,
    kind,
    status,
    percent,
    note,
    requestedDue,
  }));
}

/**
 * The last two status-bearing owner reports, newest first, for actions red now: only they can be
 * "red in two consecutive updates". Plan imports are left out: the rule is about what owners said.
 */
function loadRedTrail(db: Db, params: Params): Map<number, RecentStatus[]> {
  const trail = new Map<number, RecentStatus[]>();
  const rows = db.$client
    .prepare(
      `select actionId, status, at from (
         select x.action_id as actionId, u.status, u.created_at as at,
                row_number() over (partition by x.action_id order by u.created_at desc, u.id desc) as rn
         from (select id as action_id from actions where status = 'red') x
         join updates u on u.action_id = x.action_id
         ${IN_SCOPE}
           and u.status is not null and u.kind <> 'import' and u.created_at <= @now)
       where rn <= 2 order by actionId, rn`,
    )
    .all(params) as (RecentStatus & { actionId: number })[];
  for (const row of rows) {
    const list = trail.get(row.actionId) ?? [];
    list.push({ status: row.status, at: row.at });
    trail.set(row.actionId, list);
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
function loadStatusAtSince(db: Db, params: Params): Map<number, ActionStatus | null> {
  const rows = db.$client
    .prepare(
      `select id, created_at, imported_status, last_status,
              -- Only asked when nothing was reported by then (CASE is lazy): one index seek saved per action.
              case when last_status is null then exists(select 1 from updates i where i.action_id = id and i.kind = 'import') else 0 end
       from (select a.id, a.created_at, a.imported_status,
              (select u.status from updates u
                where u.action_id = a.id and u.created_at <= @since and u.status is not null
                order by u.created_at desc, u.id desc limit 1) as last_status
       from (select id as action_id from actions where created_at > @since
             union select action_id from updates where status is not null and created_at > @since) x
       ${IN_SCOPE})`,
    )
    .raw(true)
    .all(params) as [number, string, ActionStatus | null, ActionStatus | null, number][];
  const result = new Map<number, ActionStatus | null>();
  for (const [id, createdAt, importedStatus, lastStatus, hasImport] of rows) {
    if (createdAt > (params.since as string)) result.set(id, null);
    // The fallback is reached only when nothing was reported by `since`, so any import came later.
    else result.set(id, lastStatus ?? (hasImport ? 'not_started' : (importedStatus ?? 'not_started')));
  }
  return result;
}

/** Requests made by `now` and not decided (or superseded) by then, oldest first. */
function loadPendingRequests(db: Db, params: Params): HistoryDateRequest[] {
  return db.$client
    .prepare(
      `select x.id, x.action_id as actionId, x.requested_by as requestedById, pe.name as requestedByName,
              x.requested_at as requestedAt, x.from_due as fromDue, x.to_due as toDue, x.phrase, x.reason
       from due_date_changes x left join people pe on pe.id = x.requested_by
       ${IN_SCOPE}
         and x.state <> 'imported' and x.requested_at <= @now
         and (x.state = 'pending' or (x.decided_at is not null and x.decided_at > @now))
       order by x.requested_at, x.id`,
    )
    .all(params) as HistoryDateRequest[];
}

/** Moves that took effect by `now`; a first date (from null) or a dropped one (to null) is not a move. */
function loadDateMoves(db: Db, params: Params): HistoryDateMove[] {
  return db.$client
    .prepare(
      `select x.id, x.action_id as actionId, coalesce(x.decided_at, x.requested_at) as at, x.from_due as fromDue,
              x.to_due as toDue, case x.state when 'approved' then 'approved' else 'imported' end as how
       from due_date_changes x
       ${IN_SCOPE}
         and ((x.state = 'approved' and x.decided_at <= @now) or (x.state = 'imported' and x.requested_at <= @now))
         and x.from_due is not null and x.to_due is not null and x.from_due <> x.to_due
       order by at, x.id`,
    )
    .all(params) as HistoryDateMove[];
}
