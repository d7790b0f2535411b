import { toStoredInstant } from '../clock.js';
import { type BoardCycle, boardCycle, type LeadTimes, type MeetingRef } from '../domain/board-cycle.js';
import { meetingMilestones } from '../domain/notifications/calendar-memo.js';
import { cachedStatement } from '../store/database.js';
import type { CommandContext } from './types.js';

interface BoardMeetingRow extends LeadTimes {
  boardId: number;
  id: number | null;
  startsAt: string | null;
  isSample: number | null;
}

/** Board cycles by board id, loaded once per command: one query for every board's lead times and meetings. */
export function cyclesFor(ctx: CommandContext, boardIds: (number | null)[]): Map<number, BoardCycle> {
  const ids = [...new Set(boardIds)].filter((id): id is number => id !== null);
  const cycles = new Map<number, BoardCycle>();
  if (ids.length === 0) return cycles;
  const rows = cachedStatement(
    ctx.db,
    `select b.id as boardId, b.update_window_days as updateWindowDays, b.reminder_days as reminderDays, b.papers_days as papersDays,
            m.id, m.starts_at as startsAt, m.is_sample as isSample
     from boards b left join meetings m on m.board_id = b.id and m.cancelled = 0
     where b.id in (select value from json_each(?))
     order by b.id, m.starts_at`,
  ).all(JSON.stringify(ids)) as BoardMeetingRow[];
  const byBoard = new Map<number, { lead: LeadTimes; meetings: MeetingRef[] }>();
  for (const r of rows) {
    let board = byBoard.get(r.boardId);
    if (!board) {
      board = { lead: { updateWindowDays: r.updateWindowDays, reminderDays: r.reminderDays, papersDays: r.papersDays }, meetings: [] };
      byBoard.set(r.boardId, board);
    }
    if (r.id !== null && r.startsAt !== null) board.meetings.push({ id: r.id, startsAt: r.startsAt, isSample: r.isSample === 1 });
  }
  const now = toStoredInstant(ctx.clock.now());
  for (const [id, board] of byBoard) cycles.set(id, boardCycle(board.meetings, board.lead, now, meetingMilestones));
  return cycles;
}
