import { toStoredInstant } from '../clock.js';
import { type BoardCycle, boardCycle } from '../domain/board-cycle.js';
import { meetingMilestones } from '../domain/notifications/calendar-memo.js';
import { type BoardSchedule, listBoardSchedules } from '../store/boards-repository.js';
import type { CommandContext } from './types.js';

/** Board cycles by board id, loaded once per command: one query for every board's lead times and meetings. */
export async function cyclesFor(ctx: CommandContext, boardIds: (number | null)[]): Promise<Map<number, BoardCycle>> {
  const ids = [...new Set(boardIds)].filter((id): id is number => id !== null);
  if (ids.length === 0) return new Map();
  return cyclesOf(ctx, await listBoardSchedules(ctx.db, ids));
}

/** Board cycles by board id from schedules already loaded. */
export function cyclesOf(ctx: CommandContext, schedules: Map<number, BoardSchedule>): Map<number, BoardCycle> {
  const now = toStoredInstant(ctx.clock.now());
  const cycles = new Map<number, BoardCycle>();
  for (const [id, schedule] of schedules) cycles.set(id, boardCycle(schedule.meetings, schedule.lead, now, meetingMilestones));
  return cycles;
}
