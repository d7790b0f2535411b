import { toStoredInstant } from '../clock.js';
import { type BoardCycle, boardCycle } from '../domain/board-cycle.js';
import { meetingMilestones } from '../domain/notifications/calendar-memo.js';
import { listBoardSchedules } from '../store/boards-repository.js';
import type { CommandContext } from './types.js';

/** Board cycles by board id, loaded once per command: one query for every board's lead times and meetings. */
export async function cyclesFor(ctx: CommandContext, boardIds: (number | null)[]): Promise<Map<number, BoardCycle>> {
  const ids = [...new Set(boardIds)].filter((id): id is number => id !== null);
  const cycles = new Map<number, BoardCycle>();
  if (ids.length === 0) return cycles;
  const now = toStoredInstant(ctx.clock.now());
  for (const [id, schedule] of await listBoardSchedules(ctx.db, ids)) cycles.set(id, boardCycle(schedule.meetings, schedule.lead, now, meetingMilestones));
  return cycles;
}
