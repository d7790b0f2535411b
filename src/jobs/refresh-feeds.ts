// Refreshes the meetings of every board that follows a committee calendar feed, once a day (London
// date): new, moved and cancelled meetings are written as `boards import` would, and programme
// officers (admins) get one message listing the changes. A feed that cannot be downloaded or read
// changes nothing and is reported once per outage (the outbox key names the last good check), so a
// broken feed never wipes known meetings and never nags daily. Safe to run twice: the day's check is
// recorded, and outbox keys are unique.
import { DateTime } from 'luxon';
import { type Clock, LONDON, toStoredInstant } from '../clock.js';
import { type FeedFetchError, fetchFeed } from '../feeds/fetch-feed.js';
import { formatProblem, ImportError } from '../importers/import-errors.js';
import { decodeUtf8 } from '../importers/load-plan-file.js';
import { type CalendarFeed, readIcs } from '../importers/read-ics.js';
import { feedChangedReply, feedFailedReply } from '../render/calendar-report.js';
import type { Reply } from '../render/reply.js';
import { hasComingFeedMeetings, lastFeedCheck, lastGoodFeedCheck, listFollowedBoards, recordFeedCheck } from '../store/board-feeds.js';
import { applyCalendarFeed } from '../store/calendar-import.js';
import { type Db, inTransaction } from '../store/database.js';
import { enqueueNotification } from '../store/outbox-repository.js';
import { listAdmins } from '../store/people-repository.js';

export type FeedDownloader = (url: string) => Promise<Buffer>;

export interface FeedRefreshResult {
  board: string;
  outcome: 'changed' | 'unchanged' | 'failed';
  problem?: string;
}

function londonDay(utcIso: string): string {
  return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(LONDON).toISODate() as string;
}

/** Reads a downloaded feed, or says in a sentence why it cannot be used. */
function readFeed(bytes: Buffer, url: string, now: DateTime): { feed: CalendarFeed } | { problem: string } {
  try {
    return { feed: readIcs(decodeUtf8(bytes, url), { file: url, now }) };
  } catch (error) {
    if (error instanceof ImportError) return { problem: error.problems.map((p) => formatProblem({ ...p, file: undefined })).join('; ') };
    throw error;
  }
}

/** `force`: check even a board already checked today (an officer asking now). */
export async function refreshFollowedFeeds(opts: { db: Db; clock: Clock; download?: FeedDownloader; force?: boolean }): Promise<FeedRefreshResult[]> {
  const { db, clock } = opts;
  const download = opts.download ?? ((url: string) => fetchFeed(url));
  const results: FeedRefreshResult[] = [];
  for (const board of await listFollowedBoards(db)) {
    const now = clock.now();
    const at = toStoredInstant(now);
    const last = await lastFeedCheck(db, board.id);
    if (!opts.force && last && londonDay(last.at) === londonDay(at)) continue;

    let read: { feed: CalendarFeed } | { problem: string };
    try {
      read = readFeed(await download(board.feedUrl), board.feedUrl, now);
    } catch (error) {
      read = { problem: (error as FeedFetchError).message };
    }
    if ('feed' in read && read.feed.meetings.length === 0 && read.feed.allDay.length === 0 && await hasComingFeedMeetings(db, board.id, board.feedUrl, at)) {
      read = { problem: 'the feed came back with no events at all, while the board has meetings to come from it' };
    }

    const outcome = await inTransaction(db, async (): Promise<FeedRefreshResult> => {
      if ('problem' in read) {
        const good = await lastGoodFeedCheck(db, board.id);
        await recordFeedCheck(db, { at, board, url: board.feedUrl, ok: false, problem: read.problem });
        const outage = good ? String(good.id) : 'never';
        await tellAdmins(db, `feed-failed:${board.id}:${outage}`, feedFailedReply(board.name, board.feedUrl, read.problem), board.id, at);
        return { board: board.name, outcome: 'failed', problem: read.problem };
      }
      const tally = await applyCalendarFeed(db, board, read.feed, { at, now: at, file: board.feedUrl, source: board.feedUrl, feedIsWholeCalendar: true, actor: 'scheduler' });
      const checkId = await recordFeedCheck(db, { at, board, url: board.feedUrl, ok: true });
      if (tally.changes.length === 0) return { board: board.name, outcome: 'unchanged' };
      await tellAdmins(db, `feed-changed:${board.id}:${checkId}`, feedChangedReply(board.name, board.feedUrl, tally, read.feed), board.id, at);
      return { board: board.name, outcome: 'changed' };
    });
    results.push(outcome);
  }
  return results;
}

async function tellAdmins(db: Db, key: string, reply: Reply, boardId: number, at: string): Promise<void> {
  for (const admin of await listAdmins(db)) {
    await enqueueNotification(db, {
      key: `${key}:${admin.id}`,
      kind: 'feed_report',
      recipientPersonId: admin.id,
      recipientChannel: null,
      payload: { kind: 'feed_report', reply, refs: [], boardId, meetingId: null, onBehalfOfPersonId: null, expiresAt: null },
      notBefore: at,
      createdAt: at,
    });
  }
}
