import { toStoredInstant } from '../clock.js';
import { type BoardCycle, boardCycle, type LeadTimes, type MeetingRef } from '../domain/board-cycle.js';
import { cachedStatement } from '../store/database.js';
import type { CommandContext } from './types.js';

/** Board cycles by board id, loaded once per command. */
export function cyclesFor(ctx: CommandContext, boardIds: (number | null)[]): Map<number, BoardCycle> {
  const now = toStoredInstant(ctx.clock.now());
  const cycles = new Map<number, BoardCycle>();
  const board = cachedStatement(ctx.db, 'select update_window_days as updateWindowDays, reminder_days as reminderDays, papers_days as papersDays from boards where id = ?');
  const meetings = cachedStatement(ctx.db, 'select id, starts_at as startsAt, is_sample as isSample from meetings where board_id = ? and cancelled = 0 order by starts_at');
  for (const id of new Set(boardIds)) {
    if (id === null) continue;
    const lead = board.get(id) as LeadTimes | undefined;
    if (!lead) continue;
    cycles.set(id, boardCycle(meetings.all(id) as MeetingRef[], lead, now));
  }
  return cycles;
}
