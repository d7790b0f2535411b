// Boards that follow a committee calendar feed, and the record of each daily check. A check is an
// audit row ('feed.checked', with the board's id and whether the feed could be read): it says when
// the board was last checked (so a check is made once a day whatever the tick rate), and the last
// good check names an outage, so a broken feed is reported once however long it stays broken.
import { boards } from '../../db/schema.js';
import { eq } from 'drizzle-orm';
import { cachedStatement, type Db } from './database.js';

export interface FollowedBoard {
  id: number;
  name: string;
  feedUrl: string;
}

export function setBoardFeed(db: Db, boardId: number, feedUrl: string | null): void {
  db.update(boards).set({ feedUrl }).where(eq(boards.id, boardId)).run();
}

export function listFollowedBoards(db: Db): FollowedBoard[] {
  return cachedStatement(db, 'select id, name, feed_url as feedUrl from boards where feed_url is not null order by name').all() as FollowedBoard[];
}

export interface FeedCheck {
  id: number;
  at: string;
  ok: boolean;
}

const CHECKS = `select id, at, coalesce(json_extract(detail, '$.ok'), 0) as ok from audit_log
  where event = 'feed.checked' and json_extract(detail, '$.boardId') = ?`;

export function lastFeedCheck(db: Db, boardId: number): FeedCheck | undefined {
  const row = cachedStatement(db, `${CHECKS} order by id desc limit 1`).get(boardId) as { id: number; at: string; ok: number } | undefined;
  return row && { id: row.id, at: row.at, ok: row.ok === 1 };
}

/** The last check at which the feed could be read: an outage is everything after it. */
export function lastGoodFeedCheck(db: Db, boardId: number): FeedCheck | undefined {
  const row = cachedStatement(db, `${CHECKS} and json_extract(detail, '$.ok') = 1 order by id desc limit 1`).get(boardId) as
    | { id: number; at: string; ok: number }
    | undefined;
  return row && { id: row.id, at: row.at, ok: true };
}

/** Records one check; returns its id (outbox keys are made from it). */
export function recordFeedCheck(db: Db, check: { at: string; board: { id: number; name: string }; url: string; ok: boolean; problem?: string }): number {
  const detail = JSON.stringify({ boardId: check.board.id, url: check.url, ok: check.ok ? 1 : 0, ...(check.problem ? { problem: check.problem } : {}) });
  return Number(
    cachedStatement(db, `insert into audit_log (at, actor_label, event, entity, detail) values (?, 'scheduler', 'feed.checked', ?, ?)`).run(
      check.at,
      check.board.name,
      detail,
    ).lastInsertRowid,
  );
}

/** Whether the board has meetings still to come that came from this feed: an empty feed would not wipe them. */
export function hasComingFeedMeetings(db: Db, boardId: number, feedUrl: string, now: string): boolean {
  return (
    cachedStatement(db, 'select 1 from meetings where board_id = ? and source_feed = ? and cancelled = 0 and starts_at > ? limit 1').get(boardId, feedUrl, now) !==
    undefined
  );
}
