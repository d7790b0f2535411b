// `/send boards`: next meetings of each board, with the update window and papers deadline.
import { z } from 'zod';
import { toStoredInstant } from '../clock.js';
import { milestonesFor } from '../domain/board-cycle.js';
import { formatDate, formatInstant, plural } from '../render/format.js';
import { list, reply, text } from '../render/reply.js';
import { listBoards, listMeetings } from '../store/boards-repository.js';
import { holderNames } from './shared.js';
import { defineCommand } from './types.js';

export const boardsCommand = defineCommand({
  name: 'boards',
  aliases: ['board', 'meetings'],
  summary: 'next meetings of each board, with update window and papers deadline',
  usage: '/send boards',
  examples: ['/send boards'],
  access: 'anyone',
  readOnly: true,
  parse: () => ({}),
  schema: z.object({}),
  handle: async (ctx) => {
    const now = toStoredInstant(ctx.clock.now());
    const boards = await listBoards(ctx.db);
    if (boards.length === 0) return reply('info', 'No boards are set up yet.', [text('A programme officer can import them with the plan.')]);
    const blocks = (await Promise.all(boards.map(async (b) => {
      const upcoming = (await listMeetings(ctx.db, b.id)).filter((m) => m.startsAt > now).slice(0, 2);
      const chairs = await holderNames(ctx.db, b.chairRoleId);
      const lines = upcoming.map((m) => {
        const ms = milestonesFor(m, b);
        return `${formatInstant(m.startsAt)}${m.isSample ? ' (sample date)' : ''}: updates open ${formatDate(ms.updateWindowOpens)}, reminder ${formatDate(ms.reminderOn)}, papers due ${formatDate(ms.papersDeadline)}`;
      });
      return [
        { type: 'heading' as const, text: b.name },
        text(`Chair: ${b.chairRole ?? 'not set'}${chairs.length ? ` (${chairs.join(', ')})` : ''}`, true),
        lines.length ? list(lines) : text('No meetings scheduled.'),
      ];
    }))).flat();
    return reply('info', plural(boards.length, 'board'), blocks);
  },
});
