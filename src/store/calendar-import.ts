// Writes a board's meetings from a calendar feed (read by importers/read-ics.ts). Meetings are
// matched by the feed's stable occurrence key first (so a moved occurrence moves its meeting, keeping
// its id and so its nudge history), then by time (a meeting added by hand or by the plan file). The
// same feed imported twice changes nothing. Each meeting records the calendar that last gave it
// (meetings.source_feed), so a followed feed cancels only meetings it gave, never those another
// calendar (an earlier file, another feed) gave the same board.
import type { CalendarFeed } from '../importers/read-ics.js';
import { recordAudit } from './audit-repository.js';
import { sql } from 'drizzle-orm';
import { type Db, inTransaction } from './database.js';
import { boolParam, boolValue } from './dialect.js';
import { all, get, run } from './statements.js';
import { storeCall, withConnection } from './unit-of-work.js';

/** One meeting the import added, moved, cancelled or put back on: the report lists each. */
export interface CalendarChange {
  kind: 'added' | 'moved' | 'cancelled' | 'reinstated';
  title: string | null;
  /** UTC ISO instant: when the meeting is (for a move, its new time). */
  startsAt: string;
  /** A move: when it was. */
  from?: string;
  /** A cancellation because the feed no longer has the meeting (rather than marking it cancelled). */
  dropped?: boolean;
}

export interface CalendarTally {
  added: number;
  unchanged: number;
  moved: number;
  cancelled: number;
  reinstated: number;
  /** Every change, in the order made. */
  changes: CalendarChange[];
}

interface MeetingRow {
  id: number;
  startsAt: string;
  sourceUid: string | null;
  sourceFeed: string | null;
  cancelled: boolean;
  title: string | null;
}

export interface ApplyOptions {
  /** Now, as a stored instant: when rows are written, and what "still to come" means. */
  at: string;
  now: string;
  /** The feed's file name, for the audit log. */
  file: string;
  /**
   * Which calendar this is, recorded on each meeting it gives: the feed's address as followed
   * (feedRequestUrl), or the file's name.
   */
  source: string;
  /** Work everything out, write nothing. */
  dryRun?: boolean;
  /**
   * The feed is followed (the import with --follow, and every refresh): a meeting this same feed
   * gave (source_feed = source) and no longer lists at all (its whole event gone, not just one
   * occurrence) is cancelled too, if still to come.
   */
  feedIsWholeCalendar?: boolean;
  /** Who wrote it, for the audit log: 'cli' or 'scheduler'. */
  actor?: string;
}

/** The UID part of a stored key ("uid#2025-01-29T14:00:00Z" → "uid"). */
function uidOf(key: string): string {
  const hash = key.lastIndexOf('#');
  return hash === -1 ? key : key.slice(0, hash);
}

export function applyCalendarFeed(
  db: Db,
  board: { id: number; name: string },
  feed: CalendarFeed,
  opts: ApplyOptions,
): Promise<CalendarTally> {
  return withConnection(db, async () => {
    try {
      return await inTransaction(db, async () => await apply(db, board, feed, opts));
    } catch (error) {
      if (error instanceof DryRun) return error.tally;
      throw error;
    }
  });
}

class DryRun extends Error {
  constructor(readonly tally: CalendarTally) {
    super('dry run');
  }
}

async function apply(db: Db, board: { id: number; name: string }, feed: CalendarFeed, opts: ApplyOptions): Promise<CalendarTally> {
  const tally: CalendarTally = { added: 0, unchanged: 0, moved: 0, cancelled: 0, reinstated: 0, changes: [] };
  const rows = (await all<Omit<MeetingRow, 'cancelled'> & { cancelled: unknown }>(
    db,
    sql`select id, starts_at as "startsAt", source_uid as "sourceUid", source_feed as "sourceFeed", cancelled, title from meetings where board_id = ${board.id}`,
  )).map((r): MeetingRow => ({ ...r, cancelled: Boolean(r.cancelled) }));
  const byKey = new Map<string, MeetingRow>();
  const byStart = new Map<string, MeetingRow>();
  for (const r of rows) {
    if (r.sourceUid !== null) byKey.set(r.sourceUid, r);
    byStart.set(r.startsAt, r);
  }
  const setCancelled = async (r: MeetingRow, cancelled: boolean) => {
    await run(db, sql`update meetings set cancelled = ${boolParam(cancelled)} where id = ${r.id}`);
    r.cancelled = cancelled;
  };
  const seen = new Set<string>();

  for (const m of feed.meetings) {
    seen.add(m.key);
    const known = byKey.get(m.key) ?? byStart.get(m.startsAt);
    if (m.cancelled) {
      if (known && !known.cancelled) {
        await setCancelled(known, true);
        tally.cancelled += 1;
        tally.changes.push({ kind: 'cancelled', title: m.title ?? known.title, startsAt: known.startsAt });
      } else if (known) tally.unchanged += 1;
      continue;
    }
    if (!known) {
      const id = (await get<{ id: number }>(
        db,
        sql`insert into meetings (board_id, starts_at, is_sample, source_uid, source_feed, title, cancelled, created_at)
            values (${board.id}, ${m.startsAt}, ${boolValue(false)}, ${m.key}, ${opts.source}, ${m.title}, ${boolValue(false)}, ${opts.at}) returning id`,
      ))!.id;
      const row: MeetingRow = { id, startsAt: m.startsAt, sourceUid: m.key, sourceFeed: opts.source, cancelled: false, title: m.title };
      byKey.set(m.key, row);
      byStart.set(m.startsAt, row);
      tally.added += 1;
      tally.changes.push({ kind: 'added', title: m.title, startsAt: m.startsAt });
      continue;
    }
    let changed = false;
    if (known.startsAt !== m.startsAt) {
      const taken = byStart.get(m.startsAt);
      if (taken && taken.id !== known.id) {
        // Moved onto a time the board already meets at: that meeting stands, this one is off.
        if (!known.cancelled) await setCancelled(known, true);
        if (taken.cancelled) await setCancelled(taken, false);
      } else {
        await run(db, sql`update meetings set starts_at = ${m.startsAt} where id = ${known.id}`);
        byStart.delete(known.startsAt);
        byStart.set(m.startsAt, known);
      }
      tally.changes.push({ kind: 'moved', title: m.title, startsAt: m.startsAt, from: known.startsAt });
      known.startsAt = m.startsAt;
      tally.moved += 1;
      changed = true;
    }
    if (known.sourceUid !== m.key || known.sourceFeed !== opts.source) {
      // A meeting added by hand or by the plan file at the same time, or given by another calendar:
      // now this feed's, known by its key (so it counts as seen, and is this feed's to cancel).
      await run(db, sql`update meetings set source_uid = ${m.key}, source_feed = ${opts.source} where id = ${known.id}`);
      if (known.sourceUid !== null) byKey.delete(known.sourceUid);
      byKey.set(m.key, known);
      known.sourceUid = m.key;
      known.sourceFeed = opts.source;
    }
    if (known.cancelled) {
      await setCancelled(known, false);
      tally.reinstated += 1;
      tally.changes.push({ kind: 'reinstated', title: m.title, startsAt: known.startsAt });
      changed = true;
    }
    if (!changed) tally.unchanged += 1;
  }

  // Meetings imported from this feed's events that the feed no longer has (an EXDATE added, a
  // repeat rule shortened): cancelled if still to come, and listed. Earlier ones are history. An
  // event the feed lists but could not be read this time keeps its meetings as they are. An event
  // the feed does not list at all is gone from it only if this feed gave it: meetings another
  // calendar gave the board were never this feed's to cancel.
  for (const r of rows) {
    if (r.sourceUid === null || seen.has(r.sourceUid) || r.cancelled || r.startsAt <= opts.now) continue;
    const uid = uidOf(r.sourceUid);
    if (feed.skippedUids.has(uid) || r.startsAt > feed.horizon.to) continue;
    if (!feed.uids.has(uid) && !(opts.feedIsWholeCalendar && r.sourceFeed === opts.source)) continue;
    await setCancelled(r, true);
    tally.cancelled += 1;
    tally.changes.push({ kind: 'cancelled', title: r.title, startsAt: r.startsAt, dropped: true });
  }

  if (tally.added + tally.moved + tally.cancelled + tally.reinstated > 0) {
    await recordAudit(db, {
      at: opts.at,
      actorLabel: opts.actor ?? 'cli',
      event: 'meetings.imported',
      entity: board.name,
      detail: { file: opts.file, added: tally.added, moved: tally.moved, cancelled: tally.cancelled, reinstated: tally.reinstated },
    });
  }
  if (opts.dryRun) throw new DryRun(tally);
  return tally;
}
