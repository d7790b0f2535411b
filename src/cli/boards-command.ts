import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { toStoredInstant } from '../clock.js';
import { matchBoard } from '../domain/board-match.js';
import { parseMeetingTime } from '../domain/meeting-time.js';
import { nearestName } from '../domain/nearest-name.js';
import { FeedFetchError, fetchFeed, feedRequestUrl, isFeedUrl, MAX_FEED_BYTES } from '../feeds/fetch-feed.js';
import { decodeUtf8 } from '../importers/load-plan-file.js';
import { readIcs } from '../importers/read-ics.js';
import { plural, pluralWord } from '../render/format.js';
import { refreshFollowedFeeds } from '../jobs/refresh-feeds.js';
import { calendarImportLines, meetingTime } from '../render/calendar-report.js';
import { recordAudit } from '../store/audit-repository.js';
import { recordFeedCheck, setBoardFeed } from '../store/board-feeds.js';
import { addMeeting, findBoard, listBoards, listMeetings } from '../store/boards-repository.js';
import { applyCalendarFeed } from '../store/calendar-import.js';
import { type Db, inTransaction } from '../store/database.js';
import { CliUsageError, type CliContext } from './context.js';
import { formatTable } from './format-table.js';

/** A calendar file, refused before reading when it is bigger than any board's calendar. */
async function readCalendarFile(path: string): Promise<Buffer> {
  const refuse = (error: NodeJS.ErrnoException): never => {
    throw new CliUsageError(`Cannot read ${path}: ${error.code === 'ENOENT' ? 'there is no such file' : (error.code ?? 'error')}.`);
  };
  const info = await stat(path).catch(refuse);
  if (info.size > MAX_FEED_BYTES) {
    throw new CliUsageError(
      `${path} is ${(info.size / 1024 / 1024).toFixed(1)} MB; sendbot reads calendars up to ${MAX_FEED_BYTES / 1024 / 1024} MB. A board's calendar is far smaller: export just this board's committee. Nothing was changed.`,
    );
  }
  return readFile(path).catch(refuse);
}

/**
 * The board named, or named by a unique part of its name ("scrutiny" → Scrutiny Panel), as other
 * commands accept (domain/board-match.ts); else a refusal that lists the boards the words fit, or
 * suggests the nearest name to a slip, and lists them all.
 */
async function boardOrRefuse(db: Db, typed: string) {
  const board = await findBoard(db, typed);
  if (board) return board;
  const all = await listBoards(db);
  const match = matchBoard(all, typed);
  if (match.kind === 'found') return match.board;
  if (match.kind === 'ambiguous') {
    throw new CliUsageError(`"${typed}" fits several boards: ${match.candidates.map((b) => `"${b.name}"`).join(', ')}. Give more of the name. Nothing was changed.`);
  }
  const names = all.map((b) => b.name);
  const meant = nearestName(typed, names);
  throw new CliUsageError(
    `No board called "${typed}".${meant ? ` Did you mean "${meant}"?` : ''} Boards: ${names.join(', ') || 'none yet (sendbot import adds them)'}`,
  );
}

export function registerBoardsCommands(program: Command, context: () => CliContext): void {
  const boards = program
    .command('boards')
    .description('list boards with their chairs, channels and next meetings')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = context();
      const now = toStoredInstant(ctx.clock.now());
      const rows = await Promise.all((await listBoards(await ctx.database())).map(async (b) => {
        const upcoming = (await listMeetings(await ctx.database(), b.id)).filter((m) => m.startsAt > now);
        return {
          name: b.name,
          chair_role: b.chairRole,
          slack_channel: b.slackChannel,
          teams_channel: b.teamsChannel,
          feed_url: b.feedUrl,
          lead_times: { update_window: b.updateWindowDays, reminder: b.reminderDays, papers: b.papersDays },
          next_meetings: upcoming.slice(0, 3).map((m) => ({ at: m.startsAt, sample: m.isSample })),
        };
      }));
      if (opts.json) return ctx.printJson(rows);
      ctx.print(
        formatTable(
          ['board', 'chair', 'channel', 'next meeting', 'calendar feed'],
          rows.map((r) => [
            r.name,
            r.chair_role,
            r.slack_channel ?? r.teams_channel,
            r.next_meetings[0] ? `${localTime(r.next_meetings[0].at)}${r.next_meetings[0].sample ? ' (sample)' : ''}` : 'none scheduled',
            r.feed_url ?? 'none',
          ]),
          // A feed's address is shown whole: cut short, it could not be checked or copied.
          Math.max(50, ...rows.map((r) => r.feed_url?.length ?? 0)),
        ),
      );
    });

  const meeting = boards.command('meeting').description('manage board meetings');
  meeting
    .command('add')
    .description('add a meeting to a board')
    .argument('<board>', 'board name')
    .argument('<datetime>', 'ISO date and time, London time unless an offset is given, e.g. 2025-01-29T14:00')
    .action(async (boardName: string, when: string) => {
      const ctx = context();
      const board = await boardOrRefuse(await ctx.database(), boardName);
      const startsAt = parseMeetingTime(when);
      if (!startsAt) throw new CliUsageError(`"${when}" is not a date and time; write it as year-month-day and 24-hour time, e.g. 2025-01-29T14:00 (London time)`);
      const at = toStoredInstant(ctx.clock.now());
      const { created } = await inTransaction(await ctx.database(), async () => {
        const result = await addMeeting(await ctx.database(), { boardId: board.id, startsAt }, at);
        if (result.created) await recordAudit(await ctx.database(), { at, actorLabel: 'cli', event: 'meeting.added', entity: board.name, detail: { startsAt } });
        return result;
      });
      ctx.print(created ? `Added ${board.name} meeting on ${localTime(startsAt)}.` : `${board.name} already meets at ${localTime(startsAt)}; nothing changed.`);
    });

  boards
    .command('import')
    .description('import meetings from a committee calendar (.ics file or http(s) feed): repeating events expanded, cancellations applied')
    .argument('<file-or-url>', 'calendar file (.ics), or the feed\'s address (https://…, webcal://…)')
    .requiredOption('--board <name>', 'the board these meetings belong to')
    .option('--dry-run', 'list the meetings it would add, move or cancel, and write nothing')
    .option('--follow', 'keep the feed\'s address and refresh the board\'s meetings from it daily (URLs only)')
    .action(async (source: string, opts: { board: string; dryRun?: boolean; follow?: boolean }) => {
      const ctx = context();
      if (opts.dryRun) ctx.useDryRunDatabase();
      const board = await boardOrRefuse(await ctx.database(), opts.board);
      const fromWeb = isFeedUrl(source);
      if (opts.follow && !fromWeb) throw new CliUsageError(`--follow needs the feed's web address (https://…), not a file: sendbot fetches it again daily.`);
      const name = fromWeb ? source : basename(source);
      const bytes = fromWeb
        ? await fetchFeed(source).catch((error: unknown) => {
            if (error instanceof FeedFetchError) throw new CliUsageError(`Cannot fetch ${source}: ${error.message}. Nothing was changed.`);
            throw error;
          })
        : await readCalendarFile(source);
      const now = ctx.clock.now();
      const at = toStoredInstant(now);
      const feed = readIcs(decodeUtf8(bytes, name), { file: name, now });
      // A feed is known by the address it is followed at, so this import and every later refresh
      // record and recognise the same meetings as its own (and cancel the same ones).
      const url = fromWeb ? feedRequestUrl(source).toString() : null;
      const followed = url !== null && (Boolean(opts.follow) || board.feedUrl === url);
      const tally = await inTransaction(await ctx.database(), async () => {
        const result = await applyCalendarFeed(await ctx.database(), board, feed, { at, now: at, file: name, source: url ?? name, feedIsWholeCalendar: followed, dryRun: opts.dryRun });
        if (opts.follow && url !== null && !opts.dryRun) {
          await setBoardFeed(await ctx.database(), board.id, url);
          await recordFeedCheck(await ctx.database(), { at, board, url, ok: true });
          await recordAudit(await ctx.database(), { at, actorLabel: 'cli', event: 'board.feed_followed', entity: board.name, detail: { url } });
        }
        return result;
      });
      const lines = calendarImportLines(board.name, tally, feed, Boolean(opts.dryRun));
      if (opts.follow) {
        lines.push(
          opts.dryRun
            ? `With --follow (and without --dry-run), ${board.name} would refresh its meetings from this feed daily.`
            : `${board.name} now follows this feed: its meetings are refreshed daily and programme officers are told of every change. Stop with: sendbot boards unfollow "${board.name}"`,
        );
      }
      ctx.print(lines.join('\n'));
    });

  boards
    .command('unfollow')
    .description("stop refreshing a board's meetings from its calendar feed (its meetings stay)")
    .argument('<board>', 'board name')
    .action(async (boardName: string) => {
      const ctx = context();
      const board = await boardOrRefuse(await ctx.database(), boardName);
      if (!board.feedUrl) {
        ctx.print(`${board.name} follows no calendar feed; nothing changed.`);
        return;
      }
      const at = toStoredInstant(ctx.clock.now());
      await inTransaction(await ctx.database(), async () => {
        await setBoardFeed(await ctx.database(), board.id, null);
        await recordAudit(await ctx.database(), { at, actorLabel: 'cli', event: 'board.feed_unfollowed', entity: board.name, detail: { url: board.feedUrl } });
      });
      ctx.print(`${board.name} no longer follows ${board.feedUrl}; its meetings stay as they are.`);
    });

  boards
    .command('refresh')
    .description('check every followed calendar feed now (the scheduler does this daily)')
    .action(async () => {
      const ctx = context();
      const results = await refreshFollowedFeeds({ db: await ctx.database(), clock: ctx.clock, force: true });
      if (results.length === 0) ctx.print('No board follows a calendar feed. Follow one with: sendbot boards import <https://…> --board <name> --follow');
      const failed: string[] = [];
      for (const r of results) {
        if (r.outcome === 'failed') failed.push(`${r.board}: the feed could not be read (${r.problem}); its meetings were left as they are.`);
        else ctx.print(`${r.board}: ${r.outcome === 'changed' ? 'meetings changed; programme officers will be told (see sendbot outbox)' : 'no change'}.`);
      }
      // On stderr with exit 1, so cron (and whoever reads its mail) can tell a feed is broken.
      if (failed.length > 0) throw new CliUsageError(failed.join('\n'));
    });
}

export const localTime = meetingTime;
