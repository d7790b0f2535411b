// `/send dashboard [board]`: a signed link to a board's web dashboard, for board chairs and
// programme officers. The dashboard shows what `/send digest` shows (which anyone may ask for), but
// a link can be forwarded and opens without signing in until it expires, so it goes only to the
// people whose job is to share board papers. The reply is private to the caller.
import { z } from 'zod';
import { toStoredInstant } from '../clock.js';
import { absoluteUrl, boardLinkPath } from '../domain/dashboard-links.js';
import { boardForCaller } from '../domain/board-match.js';
import { formatInstant, plural } from '../render/format.js';
import { list, reply, text } from '../render/reply.js';
import { loadCallerFacts } from '../store/caller-repository.js';
import { loadPlanningState } from '../store/planning-state-repository.js';
import { findBoardOrExplain } from './board-lookup.js';
import { defineCommand, PermissionError } from './types.js';

export const dashboardCommand = defineCommand({
  name: 'dashboard',
  summary: 'a link to a board’s web dashboard: RAG by plan, overdue, missing updates, date changes, KPI charts (chairs and programme officers)',
  usage: '/send dashboard [board]',
  examples: (ex) => ['/send dashboard', `/send dashboard ${ex.boardName}`],
  access: 'admin-or-chair',
  parse: (_args, rawArgs) => ({ board: rawArgs.trim() || undefined }),
  schema: z.object({ board: z.string().max(200, 'that board name is too long').optional() }),
  handle: async (ctx, input) => {
    const links = ctx.dashboard;
    if (!links || !links.baseUrl) {
      return reply('warning', 'The dashboard is not available here yet.', [
        text('sendbot does not know the web address people reach it at, so it cannot make a link.'),
        text('A programme officer can set PUBLIC_URL (e.g. https://sendbot.example.org) and restart sendbot.', true),
      ]);
    }
    const now = ctx.clock.now();
    const state = await loadPlanningState(ctx.db);
    if (state.boards.length === 0) return reply('info', 'No boards are set up yet.', [text('A programme officer can import them with the plan.')]);
    // No board named: the one the caller chairs, else the one most of their actions report to.
    const facts = await loadCallerFacts(ctx.db, ctx.caller, now.toISODate() as string);
    const board = input.board ? findBoardOrExplain(state.boards, input.board, 'dashboard') : boardForCaller(state, facts, toStoredInstant(now));
    // A link opens without signing in and can be forwarded: a chair gets one only for a board they
    // chair; programme officers for any board.
    if (board && !ctx.caller.isAdmin && !facts.chairedBoardIds.includes(board.id)) {
      const theirs = state.boards.filter((b) => facts.chairedBoardIds.includes(b.id)).map((b) => b.name);
      throw new PermissionError(
        `You can have a dashboard link only for a board you chair (${theirs.join(', ') || 'none'}); a programme officer can send you one for ${board.name}. /send digest ${board.name} shows the same picture in chat.`,
      );
    }
    if (!board) {
      return reply('info', 'Which board’s dashboard?', [text('Say which board: /send dashboard <board>. Boards:'), list(state.boards.map((b) => b.name))]);
    }
    const expiresAt = Math.floor(now.plus({ days: links.linkDays }).toSeconds());
    const url = absoluteUrl(links.baseUrl, boardLinkPath(links.secret, board, expiresAt));
    const until = formatInstant(toStoredInstant(now.plus({ days: links.linkDays })));
    return reply(
      'info',
      `${board.name}: dashboard link (works until ${until})`,
      [
        text(`RAG by plan, overdue actions, missing updates, date changes against the plan and KPI charts, as of when you open it.`),
        text(
          `Anyone with this link can read the dashboard for ${plural(links.linkDays, 'day')}, without signing in: share it only with the board. For a new link, ask again.`,
          true,
        ),
      ],
      { links: [{ label: 'Open the dashboard', url }], private: true },
    );
  },
});
