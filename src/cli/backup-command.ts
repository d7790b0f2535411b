import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { CliUsageError, type CliContext } from './context.js';

export function registerBackupCommand(program: Command, context: () => CliContext): void {
  program
    .command('backup')
    .description('copy the database to a file while the bot keeps running (SQLite online backup)')
    .argument('<path>', 'where to write the copy')
    .option('--force', 'overwrite an existing file')
    .action(async (path: string, opts: { force?: boolean }) => {
      const ctx = context();
      if (existsSync(path) && !opts.force) throw new CliUsageError(`${path} exists; choose another name or add --force`);
      const progress = await ctx.db.$client.backup(path);
      ctx.print(`Backed up ${ctx.databasePath} to ${path} (${progress.totalPages} pages).`);
    });
}
