import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { backupDatabase, type SqliteDb } from '../store/database.js';
import { checkBackupTarget } from './backup-target.js';
import { CliUsageError, type CliContext } from './context.js';
import { plural } from '../render/format.js';

export function registerBackupCommand(program: Command, context: () => CliContext): void {
  program
    .command('backup')
    .description('copy the database to a file while the bot keeps running (SQLite online backup)')
    .argument('<path>', 'where to write the copy')
    .option('--force', 'overwrite an existing file')
    .action(async (path: string, opts: { force?: boolean }) => {
      const ctx = context();
      if (ctx.onPostgres) {
        throw new CliUsageError(
          'sendbot backup copies an SQLite database file. This database is PostgreSQL: back it up with pg_dump (pg_dump --format=custom --file=sendbot.dump "$DATABASE_URL") or your provider\'s point-in-time backups; see the README\'s "Running in production". Nothing was written.',
        );
      }
      // Checked before the database is opened: opening would create one at a mistyped --db path.
      const target = checkBackupTarget(ctx.databasePath, path, Boolean(opts.force));
      // Written beside the target, then renamed: a failed backup never leaves half a file behind.
      const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
      try {
        const progress = await backupDatabase((await ctx.database()) as SqliteDb, partial);
        renameSync(partial, target);
        ctx.print(`Backed up ${ctx.databasePath} to ${path} (${plural(progress.totalPages, 'page')}).`);
      } catch (error) {
        rmSync(partial, { force: true });
        throw new CliUsageError(`The backup to ${path} failed: ${(error as Error).message}. Nothing was written there.`);
      }
    });
}
