// `/send digest [board]`: preview of the next pre-board digest for a board. Anyone may ask: it is the
// chair's picture of a plan the partnership publishes, not a secret.
import { z } from 'zod';
import { toStoredInstant } from '../clock.js';
import { boardForCaller } from '../domain/board-match.js';
import { digestToReply } from '../render/digest-reply.js';
import { list, reply, text } from '../render/reply.js';
import { listBoards } from '../store/boards-repository.js';
import { loadCallerFacts } from '../store/caller-repository.js';
import { loadBoardDigest } from '../store/digest-loader.js';
import { loadPlanningState } from '../store/planning-state-repository.js';
import { findBoardOrExplain } from './board-lookup.js';
import { defineCommand } from './types.js';

export const digestCommand = defineCommand({
  name: 'digest',
  summary: 'preview the next pre-board digest for a board',
  usage: '/send digest [board]',
  examples: (ex) => [`/send digest ${ex.boardName}`, '/send digest'],
  access: 'anyone',
  parse: (_args, rawArgs) => ({ board: rawArgs.trim() || undefined }),
  schema: z.object({ board: z.string().max(200, 'That board name is too long.').optional() }),
  handle: async (ctx, input) => {
    const now = toStoredInstant(ctx.clock.now());
    // A board named: only the board list to find it, then that board's slice of the plan.
    if (input.board) {
      const boards = await listBoards(ctx.db);
      if (boards.length === 0) return noBoards();
      return digestToReply(await loadBoardDigest(ctx.db, findBoardOrExplain(boards, input.board, 'digest').id, now));
    }
    const state = await loadPlanningState(ctx.db);
    if (state.boards.length === 0) return noBoards();
    // No board named: the only one there is; else the one the caller chairs, else the one most of
    // their actions report to.
    const board =
      state.boards.length === 1
        ? state.boards[0]
        : boardForCaller(state, await loadCallerFacts(ctx.db, ctx.caller, ctx.clock.now().toISODate() as string), now);
    if (!board) {
      return reply('info', 'Which board’s digest?', [text('Say which board: /send digest <board>. Boards:'), list(state.boards.map((b) => b.name))]);
    }
    return digestToReply(await loadBoardDigest(ctx.db, board.id, now, { state }));
  },
});

const noBoards = () => reply('info', 'No boards are set up yet.', [text('A programme officer can import them with the plan.')]);
