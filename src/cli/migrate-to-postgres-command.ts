// `sendbot migrate-to-postgres`: moves a partnership's SQLite database into an empty PostgreSQL
// database (issue 21), then says what was copied, table by table. The copying is the store's
// (src/store/sqlite-to-postgres.ts); this file reads the options and prints.
import type { Command } from 'commander';
import { isPostgresUrl, looksLikeUrl, PostgresSettingError, postgresUrlProblem, redactUrl } from '../store/postgres-database.js';
import { CliUsageError, type CliContext } from './context.js';
import { formatTable } from './format-table.js';
import { postgresSettings } from './postgres-settings.js';

const EXAMPLE = 'sendbot migrate-to-postgres --db data/sendbot.db --to "postgres://sendbot@db.example.org:5432/sendbot?sslmode=require"';

export function registerMigrateToPostgresCommand(program: Command, context: () => CliContext): void {
  program
    .command('migrate-to-postgres')
    .description('copy the SQLite database (--db) into an empty PostgreSQL database (--to or DATABASE_URL), every row with its id, and verify the copy')
    .option('--to <url>', 'the PostgreSQL database to fill (default: DATABASE_URL); it must be empty')
    .action(async (opts: { to?: string }) => {
      const ctx = context();
      const env = ctx.io.env;
      // The source is SQLite's setting only: DATABASE_URL names the target here, never the source.
      const given = (program.opts() as { db?: string }).db;
      const source = given?.trim() || env.DATABASE_PATH?.trim() || 'data/sendbot.db';
      const targetUrl = opts.to?.trim() || env.DATABASE_URL?.trim();
      if (isPostgresUrl(source)) {
        throw new CliUsageError(`--db names the SQLite database to copy from, and "${redactUrl(source)}" is a PostgreSQL URL: give the database file, e.g. ${EXAMPLE}. Nothing was changed.`);
      }
      if (looksLikeUrl(source)) {
        throw new CliUsageError(`--db names the SQLite database to copy from, and "${redactUrl(source)}" is an address, not a file: give the database file, e.g. ${EXAMPLE}. Nothing was changed.`);
      }
      if (!targetUrl) throw new CliUsageError(`Say which PostgreSQL database to copy into, with --to or DATABASE_URL, e.g. ${EXAMPLE}. Nothing was changed.`);
      if (!isPostgresUrl(targetUrl)) {
        throw new CliUsageError(`The target must be a postgres:// URL (it is "${redactUrl(targetUrl)}"), e.g. ${EXAMPLE}. Nothing was changed.`);
      }
      const problem = postgresUrlProblem(targetUrl);
      if (problem) throw new CliUsageError(`The target's address ${problem}. Nothing was changed.`);
      const { migrateSqliteToPostgres, MigrationRefused } = await import('../store/sqlite-to-postgres.js');
      let result: Awaited<ReturnType<typeof migrateSqliteToPostgres>>;
      try {
        result = await migrateSqliteToPostgres(source, targetUrl, { postgres: postgresSettings(env) });
      } catch (error) {
        if (error instanceof MigrationRefused || error instanceof PostgresSettingError) throw new CliUsageError(error.message);
        throw error;
      }
      const total = result.tables.reduce((sum, t) => sum + t.target, 0);
      ctx.print(
        formatTable(
          ['table', 'SQLite rows', 'PostgreSQL rows', 'checksum'],
          result.tables.map((t) => [t.name, t.source, t.target, t.checksumsMatch ? 'same' : 'DIFFERENT']),
        ),
      );
      ctx.print();
      ctx.print(`Copied ${total.toLocaleString('en-GB')} rows in ${result.tables.length} tables from ${source} to ${result.target}, ids kept; every table's count and checksum match.`);
      ctx.print(`Search index rebuilt for ${result.searchEntries.toLocaleString('en-GB')} actions.`);
      ctx.print(`Next: set DATABASE_URL to this database and start sendbot. Keep ${source} (and your backup) until the bot runs well on PostgreSQL.`);
    });
}
