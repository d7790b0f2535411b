import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { meetings } from '../../db/schema.js';
import { LONDON, toStoredInstant } from '../clock.js';
import { parseMeetingTime } from '../domain/meeting-time.js';
import { decodeUtf8 } from '../importers/load-plan-file.js';
import { readIcs } from '../importers/read-ics.js';
import { recordAudit } from '../store/audit-repository.js';
import { addMeeting, findBoard, listBoards, listMeetings } from '../store/boards-repository.js';
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
      if (!board) throw new CliUsageError(`No board called "${boardName}". Boards: ${listBoards(ctx.db).map((b) => b.name).join(', ') || 'none yet'}`);
      const startsAt = parseMeetingTime(when);
      if (!startsAt) throw new CliUsageError(`"${when}" is not an ISO date and time; write e.g. 2025-01-29T14:00`);
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
    .description('import meetings from a committee calendar feed (.ics)')
    .argument('<file>', 'calendar file (.ics)')
    .requiredOption('--board <name>', 'the board these meetings belong to')
    .action(async (file: string, opts: { board: string }) => {
      const ctx = context();
      const board = findBoard(ctx.db, opts.board);
      if (!board) throw new CliUsageError(`No board called "${opts.board}".`);
      const name = basename(file);
      const content = decodeUtf8(await readFile(file), name);
      const events = readIcs(content, name);
      const at = toStoredInstant(ctx.clock.now());
      const tally = { added: 0, unchanged: 0, cancelled: 0 };
      inTransaction(ctx.db, () => {
        for (const e of events) {
          if (e.cancelled) {
            const res = ctx.db
              .update(meetings)
              .set({ cancelled: true })
              .where(and(eq(meetings.boardId, board.id), eq(meetings.startsAt, e.startsAt)))
              .run();
            tally.cancelled += res.changes;
            continue;
          }
          const { created } = addMeeting(ctx.db, { boardId: board.id, startsAt: e.startsAt, title: e.title, sourceUid: e.uid }, at);
          tally[created ? 'added' : 'unchanged'] += 1;
        }
        recordAudit(ctx.db, { at, actorLabel: 'cli', event: 'meetings.imported', entity: board.name, detail: tally });
      });
      ctx.print(`${board.name}: ${tally.added} meeting(s) added, ${tally.unchanged} already known, ${tally.cancelled} cancelled.`);
    });
}

export function localTime(utcIso: string): string {
  return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(LONDON).toFormat('ccc d LLL yyyy HH:mm');
}
