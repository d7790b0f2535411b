import { toStoredInstant } from '../clock.js';
import { type BoardCycle, boardCycle } from '../domain/board-cycle.js';
import { getBoard, listMeetings } from '../store/boards-repository.js';
import type { CommandContext } from './types.js';

/** Board cycles by board id, loaded once per command. */
export function cyclesFor(ctx: CommandContext, boardIds: (number | null)[]): Map<number, BoardCycle> {
  const now = toStoredInstant(ctx.clock.now());
  const cycles = new Map<number, BoardCycle>();
  for (const id of new Set(boardIds)) {
    if (id === null) continue;
    const board = getBoard(ctx.db, id);
    if (!board) continue;
    cycles.set(id, boardCycle(listMeetings(ctx.db, id), board, now));
  }
  return cycles;
}
