// `sendbot digest --board <name> [--format text|md|html|json] [--full]` and `sendbot digest --weekly`:
// the chair's pre-board digest for the board's next meeting after now (--now), or the weekly digest,
// printed in the form a board paper needs. JSON is the digest model itself (src/domain/digest-model.ts).
import { type Command, Option } from 'commander';
import { toStoredInstant } from '../clock.js';
import { matchBoard } from '../domain/board-match.js';
import { digestToReply, weeklyDigestToReply } from '../render/digest-reply.js';
import { renderHtml } from '../render/html.js';
import { renderMarkdown } from '../render/markdown.js';
import type { Reply } from '../render/reply.js';
import { renderText } from '../render/text.js';
import { listBoards } from '../store/boards-repository.js';
import { loadBoardDigest, loadWeeklyDigest } from '../store/digest-loader.js';
import { type CliContext, CliUsageError } from './context.js';

type Format = 'text' | 'md' | 'html' | 'json';

interface DigestOptions {
  board?: string;
  weekly?: boolean;
  format: Format;
  json?: boolean;
  full?: boolean;
}

const RENDERERS: Record<Exclude<Format, 'json'>, (reply: Reply) => string> = {
  text: renderText,
  md: renderMarkdown,
  html: renderHtml,
};

export function registerDigestCommand(program: Command, context: () => CliContext): void {
  program
    .command('digest')
    .description("print the chair's pre-board digest for a board's next meeting (or --weekly)")
    .option('--board <name>', 'board name (any case; a unique part of the name is enough)')
    .option('--weekly', 'the weekly digest across all boards instead')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'md', 'html', 'json']).default('text'))
    .option('--json', 'same as --format json')
    .option('--full', 'every item of every list (the chat version shows a few per list)')
    .action(async (opts: DigestOptions) => {
      const ctx = context();
      const now = toStoredInstant(ctx.clock.now());
      const format: Format = opts.json ? 'json' : opts.format;
      // The board list only: a board's digest reads that board's slice of the plan, not the whole plan.
      const boards = await listBoards(await ctx.database());
      const boardNames = () => boards.map((b) => b.name).join(', ') || 'none yet (sendbot import adds them)';

      if (opts.weekly) {
        if (opts.board) throw new CliUsageError('Use either --board <name> or --weekly, not both.');
        const weekly = await loadWeeklyDigest(await ctx.database(), now);
        if (format === 'json') return ctx.printJson(weekly);
        return ctx.print(RENDERERS[format](weeklyDigestToReply(weekly, { full: opts.full ?? false })));
      }
      if (!opts.board) throw new CliUsageError(`Say which board: sendbot digest --board <name>. Boards: ${boardNames()}.`);
      const match = matchBoard(boards, opts.board);
      if (match.kind === 'none') throw new CliUsageError(`No board matches "${opts.board}". Boards: ${boardNames()}.`);
      if (match.kind === 'ambiguous') {
        throw new CliUsageError(`"${opts.board}" matches several boards: ${match.candidates.map((b) => b.name).join(', ')}. Give more of the name.`);
      }
      const digest = await loadBoardDigest(await ctx.database(), match.board.id, now);
      if (format === 'json') return ctx.printJson(digest);
      return ctx.print(RENDERERS[format](digestToReply(digest, { full: opts.full ?? false })));
    });
}
