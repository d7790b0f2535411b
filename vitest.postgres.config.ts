import { configDefaults, defineConfig } from 'vitest/config';

// `npm run test:postgres`: the store, command, job, CLI and end-to-end suites again, on PostgreSQL.
// scripts/postgres-test-cluster.mjs starts a throw-away cluster and sets SENDBOT_TEST_POSTGRES_URL;
// tests/helpers/test-db.ts then gives each test a database of its own on it (a copy of a migrated
// template), so the same tests exercise the PostgreSQL store. `npm test` runs them on SQLite.
//
// Left out here, because they are about SQLite itself (its files, WAL, pragmas, FTS5's bm25, the
// per-file turns, drizzle's SQLite builder as a reference): each is named with why.
const SQLITE_ONLY = [
  'tests/store/database-files.test.ts', // file modes, damaged and cut-short SQLite files
  'tests/store/database.test.ts', // SQLite open options and pragmas
  'tests/store/wal-checkpoints.test.ts', // SQLite's WAL checkpoints
  'tests/store/search-repository.test.ts', // FTS5 and bm25's limits (search-index.test.ts covers both)
  'tests/store/unit-of-work.test.ts', // SQLite's turns on one connection (tests/postgres covers PostgreSQL's units)
  'tests/store/table-rows.test.ts', // compares with drizzle's SQLite query builder
  'tests/store/people-repository.test.ts', // compares with drizzle's SQLite query builder
  'tests/store/actions-repository.test.ts', // SQLite's query plan under stale statistics
  'tests/e2e/storage-failures.test.ts', // a full disk and a read-only SQLite file
  'tests/cli/backup.test.ts', // SQLite's online backup (PostgreSQL: pg_dump)
  'tests/cli/database-open.test.ts', // opening SQLite files
  'tests/commands/read-only-commands.test.ts', // SQLite's query_only refuses writes (the same commands, the same store code)
];

export default defineConfig({
  test: {
    include: ['tests/postgres/**/*.test.ts', 'tests/store/**/*.test.ts', 'tests/commands/**/*.test.ts', 'tests/jobs/**/*.test.ts', 'tests/cli/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/http/**/*.test.ts', 'tests/platforms/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...SQLITE_ONLY],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
