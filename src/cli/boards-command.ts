import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { LONDON, toStoredInstant } from '../clock.js';
import { parseMeetingTime } from '../domain/meeting-time.js';
import { decodeUtf8 } from '../importers/load-plan-file.js';
import { readIcs } from '../importers/read-ics.js';
import { plural, pluralWord } from '../render/format.js';
import { recordAudit } from '../store/audit-repository.js';
import { addMeeting, findBoard, listBoards, listMeetings } from '../store/boards-repository.js';
import { applyCalendarFeed } from '../store/calendar-import.js';
import { inTransaction } from '../store/database.js';
import { CliUsageError, type CliContext } from './context.js';
import { formatTable } from './format-table.js';

export function registerBoardsCommands(program: Command, context: () => CliContext): void {
  const boards = program
    .command('boards')
    .description('list boards with their chairs, channels and next meetings')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const ctx = context();
      const now = toStoredInstant(ctx.clock.now());
      const rows = listBoards(ctx.db).map((b) => {
        const upcoming = listMeetings(ctx.db, b.id).filter((m) => m.startsAt > now);
        return {
          name: b.name,
          chair_role: b.chairRole,
          slack_channel: b.slackChannel,
          teams_channel: b.teamsChannel,
          lead_times: { update_window: b.updateWindowDays, reminder: b.reminderDays, papers: b.papersDays },
          next_meetings: upcoming.slice(0, 3).map((m) => ({ at: m.startsAt, sample: m.isSample })),
        };
      });
      if (opts.json) return ctx.printJson(rows);
      ctx.print(
        formatTable(
          ['board', 'chair', 'channel', 'next meeting'],
          rows.map((r) => [
            r.name,
            r.chair_role,
            r.slack_channel ?? r.teams_channel,
            r.next_meetings[0] ? `${localTime(r.next_meetings[0].at)}${r.next_meetings[0].sample ? ' (sample)' : ''}` : 'none scheduled',
          ]),
          50,
        ),
      );
    });

  const meeting = boards.command('meeting').description('manage board meetings');
  meeting
    .command('add')
    .description('add a meeting to a board')
    .argument('<board>', 'board name')
    .argument('<datetime>', 'ISO date and time, London time unless an offset is given, e.g. 2025-01-29T14:00')
    .action((boardName: string, when: string) => {
      const ctx = context();
      const board = findBoard(ctx.db, boardName);
      if (!board) throw new CliUsageError(`No board called "${boardName}". Boards: ${listBoards(ctx.db).map((b) => b.name).join(', ') || 'none yet (sendbot import adds them)'}`);
      const startsAt = parseMeetingTime(when);
      if (!startsAt) throw new CliUsageError(`"${when}" is not a date and time; write it as year-month-day and 24-hour time, e.g. 2025-01-29T14:00 (London time)`);
      const at = toStoredInstant(ctx.clock.now());
      const { created } = inTransaction(ctx.db, () => {
        const result = addMeeting(ctx.db, { boardId: board.id, startsAt }, at);
        if (result.created) recordAudit(ctx.db, { at, actorLabel: 'cli', event: 'meeting.added', entity: board.name, detail: { startsAt } });
        return result;
      });
      ctx.print(created ? `Added ${board.name} meeting on ${localTime(startsAt)}.` : `${board.name} already meets at ${localTime(startsAt)}; nothing changed.`);
    });

  boards
    .command('import')
    .description('import meetings from a committee calendar feed (.ics): repeating events expanded, cancellations applied')
    .argument('<file>', 'calendar file (.ics)')
    .requiredOption('--board <name>', 'the board these meetings belong to')
    .option('--dry-run', 'report what would change without writing anything')
    .action(async (file: string, opts: { board: string; dryRun?: boolean }) => {
      const ctx = context();
      if (opts.dryRun) ctx.useDryRunDatabase();
      const board = findBoard(ctx.db, opts.board);
      if (!board) throw new CliUsageError(`No board called "${opts.board}". Boards: ${listBoards(ctx.db).map((b) => b.name).join(', ') || 'none yet'}`);
      const name = basename(file);
      const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        throw new CliUsageError(`Cannot read ${file}: ${error.code === 'ENOENT' ? 'there is no such file' : (error.code ?? 'error')}.`);
      });
      const now = ctx.clock.now();
      const feed = readIcs(decodeUtf8(bytes, name), { file: name, now });
      const tally = applyCalendarFeed(ctx.db, board, feed, {
        at: toStoredInstant(now),
        now: toStoredInstant(now),
        file: name,
        describe: localTime,
        dryRun: opts.dryRun,
      });
      const lines = [
        `${opts.dryRun ? 'Dry run — nothing written. ' : ''}${board.name}: ${plural(tally.added, 'meeting')} added, ${tally.unchanged} already known, ` +
          `${tally.moved} moved, ${tally.cancelled} cancelled${tally.reinstated ? `, ${tally.reinstated} back on` : ''}.`,
        ...tally.notes,
      ];
      if (feed.repeating) {
        lines.push(
          `Repeating events were expanded from ${localTime(feed.horizon.from).slice(4, 15)} to ${localTime(feed.horizon.to).slice(4, 15)}; import the feed again later for meetings after that.`,
        );
      }
      if (feed.allDay.length > 0) {
        lines.push(
          `Skipped ${plural(feed.allDay.length, 'all-day event')}, which ${pluralWord(feed.allDay.length, 'has', 'have')} no time to plan nudges from: ${feed.allDay.join('; ')}. ` +
            `If one is a meeting, add it with: sendbot boards meeting add "${board.name}" <date>T<time>`,
        );
      }
      ctx.print(lines.join('\n'));
    });
}

export function localTime(utcIso: string): string {
  return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(LONDON).toFormat('ccc d LLL yyyy HH:mm');
}
