import type { Command } from 'commander';
import { runCommandText } from '../commands/router.js';
import { renderText } from '../render/text.js';
import { findPersonByEmail, listPeople } from '../store/people-repository.js';
import { CliUsageError, type CliContext } from './context.js';

export function registerAskCommand(program: Command, context: () => CliContext): void {
  program
    .command('ask')
    .description('run one /send command as a person and print the reply')
    .requiredOption('--as <email>', 'who is asking')
    .option('--json', 'print the platform-neutral reply object')
    .argument('<text...>', 'the command, e.g. "who ND-1.2" or "/send mine"')
    .action((words: string[], opts: { as: string; json?: boolean }) => {
      const ctx = context();
      const caller = findPersonByEmail(ctx.db, opts.as);
      if (!caller) {
        const some = listPeople(ctx.db).slice(0, 5).map((p) => p.email);
        throw new CliUsageError(`Nobody with email ${opts.as} is registered.${some.length ? ` Try: ${some.join(', ')}` : ''}`);
      }
      const reply = runCommandText({ db: ctx.db, clock: ctx.clock }, caller, 'cli', words.join(' '));
      if (opts.json) ctx.printJson(reply);
      else ctx.print(renderText(reply));
    });
}
