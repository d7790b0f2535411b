// `/send help [subcommand]`: every subcommand with an example.
import { z } from 'zod';
import { list, reply, text } from '../render/reply.js';
import { commandExamples, commandExamplesNote, planExamples } from './command-examples.js';
import { commands } from './registry.js';
import { defineCommand, UserError } from './types.js';

export const helpCommand = defineCommand({
  name: 'help',
  aliases: ['?', 'commands'],
  summary: 'what I can do, with examples',
  usage: '/send help [subcommand]',
  examples: ['/send help', '/send help update'],
  access: 'anyone',
  readOnly: true,
  parse: (args) => ({ topic: args[0]?.toLowerCase() }),
  schema: z.object({ topic: z.string().optional() }),
  handle: async (ctx, input) => {
    const ex = await planExamples(ctx);
    if (input.topic) {
      const c = commands.find((x) => x.name === input.topic || x.aliases?.includes(input.topic as string));
      if (!c) throw new UserError(`There is no command "${input.topic}".`, 'Type /send help for the list.');
      const examples = commandExamples(c, ex);
      const note = commandExamplesNote(c, ex);
      // The summary line already names the command and what it does: no heading repeating it.
      return reply('info', `/send ${c.name}: ${c.summary}`, [
        text(`Usage: ${c.usage}`),
        ...(examples.length ? [list(examples.map((e) => `e.g. ${e}`))] : []),
        ...(note ? [text(note)] : []),
        ...(c.aliases?.length ? [text(`Also: ${c.aliases.join(', ')}`, true)] : []),
      ]);
    }
    return reply('info', 'sendbot keeps the SEND improvement plan moving between board meetings.', [
      text('I am a bot: I remind owners before each board, record updates and tell anyone who owns what.'),
      list(
        commands.map((c) => {
          const example = commandExamples(c, ex)[0];
          return example ? `${c.usage} — ${c.summary}. e.g. ${example}` : `${c.usage} — ${c.summary}.`;
        }),
      ),
      text('More on one command: /send help <command>', true),
    ]);
  },
});
