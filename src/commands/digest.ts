// `/send digest [board]`: preview of the next pre-board digest for a board.
import { z } from 'zod';
import { reply, text } from '../render/reply.js';
import { defineCommand } from './types.js';

export const digestCommand = defineCommand({
  name: 'digest',
  summary: 'preview the next pre-board digest for a board',
  usage: '/send digest [board]',
  examples: ['/send digest SEND Partnership Board'],
  access: 'anyone',
  parse: (_args, rawArgs) => ({ board: rawArgs.trim() || undefined }),
  schema: z.object({ board: z.string().optional() }),
  handle: () =>
    reply('info', 'Digest previews arrive with the scheduling work.', [text('Until then, /send overdue all and /send due 30 all show the picture.')]),
});
