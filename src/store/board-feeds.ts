// Boards that follow a committee calendar feed, and the record of each daily check. A check is an
// audit row ('feed.checked', with the board's id and whether the feed could be read): it says when
// the board was last checked (so a check is made once a day whatever the tick rate), and the last
// good check names an outage, so a broken feed is reported once however long it stays broken.
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { isFalse, jsonField } from './dialect.js';
import { all, exists, get, run } from './statements.js';
import { storeCall } from './unit-of-work.js';

export interface FollowedBoard {
  id: number;
  name: string;
  feedUrl: string;
}

export function setBoardFeed(db: Db, boardId: number, feedUrl: string | null): Promise<void> {
  return storeCall(db, async () => {
    await run(db, sql`update boards set feed_url = ${feedUrl} where id = ${boardId}`);
  });
}

export function listFollowedBoards(db: Db): Promise<FollowedBoard[]> {
  return storeCall(db, async () => {
    return await all<FollowedBoard>(db, sql`select id, name, feed_url as "feedUrl" from boards where feed_url is not null order by name`);
  });
}

export interface FeedCheck {
  id: number;
  at: string;
  ok: boolean;
}

const checks = (boardId: number) => sql`select id, at, coalesce(${jsonField(sql`detail`, 'ok')}, 0) as ok from audit_log
  where event = 'feed.checked' and ${jsonField(sql`detail`, 'boardId')} = ${boardId}`;

export function lastFeedCheck(db: Db, boardId: number): Promise<FeedCheck | undefined> {
  return storeCall(db, async () => {
    const row = await get<{ id: number; at: string; ok: number }>(db, sql`${checks(boardId)} order by id desc limit 1`);
    return row && { id: row.id, at: row.at, ok: row.ok === 1 };
  });
}

/** The last check at which the feed could be read: an outage is everything after it. */
export function lastGoodFeedCheck(db: Db, boardId: number): Promise<FeedCheck | undefined> {
  return storeCall(db, async () => {
    const row = await get<{ id: number; at: string; ok: number }>(db, sql`${checks(boardId)} and ${jsonField(sql`detail`, 'ok')} = 1 order by id desc limit 1`);
    return row && { id: row.id, at: row.at, ok: true };
  });
}

/** Records one check; returns its id (outbox keys are made from it). */
export function recordFeedCheck(db: Db, check: { at: string; board: { id: number; name: string }; url: string; ok: boolean; problem?: string }): Promise<number> {
  return storeCall(db, async () => {
    const detail = JSON.stringify({ boardId: check.board.id, url: check.url, ok: check.ok ? 1 : 0, ...(check.problem ? { problem: check.problem } : {}) });
    return (await get<{ id: number }>(
      db,
      sql`insert into audit_log (at, actor_label, event, entity, detail) values (${check.at}, 'scheduler', 'feed.checked', ${check.board.name}, ${detail}) returning id`,
    ))!.id;
  });
}

/** Whether the board has meetings still to come that came from this feed: an empty feed would not wipe them. */
export function hasComingFeedMeetings(db: Db, boardId: number, feedUrl: string, now: string): Promise<boolean> {
  return storeCall(db, async () => {
    return await exists(db, sql`select 1 from meetings where board_id = ${boardId} and source_feed = ${feedUrl} and ${isFalse(sql`cancelled`)} and starts_at > ${now} limit 1`);
  });
}
