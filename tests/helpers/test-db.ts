// The one way tests open, query and close databases.
//
// Tests reach the database only through this module (and the store functions they exercise), so a
// run against another database later changes this file, not the suites. That is why:
// - every opener and every query here is async already, though SQLite answers synchronously;
// - setup and assertion SQL is written with drizzle's `sql` template (`${value}` becomes a bound
//   parameter; `sql.identifier(name)` for a table name), never as a string for `$client`.
//
//   const db = await testDb();
//   await run(db, sql`update people set away_until = null where email = ${email}`);
//   expect(await one(db, sql`select status from actions where ref = ${'ND-1.1'}`)).toEqual({ status: 'amber' });
//
// Tests that are about SQLite itself (opening damaged or read-only files, WAL, pragmas) use
// openDatabase/$client directly, on purpose, and say so where they do.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, closeDatabase, isPostgres, openDatabase, type SqliteDb } from '../../src/store/database.js';
import { isPostgresUrl, openStore } from '../../src/store/open-store.js';
import { all, get, run as runStatement } from '../../src/store/statements.js';
import { storeCall } from '../../src/store/unit-of-work.js';
import { freshPostgresDatabase, onPostgresRun } from './postgres-test-db.js';
import { tempDir } from './temp.js';

export { sql };
export type { Db, SQL };

// ---- the PostgreSQL half (`npm run test:postgres`): the same helpers, each database a new one on the
// throw-away cluster, copied from a migrated template (much faster than migrating each). `path` is
// then the database's URL, which --db and openStore take as they take a file path.

/** Few connections per test database, closed soon when idle: a run opens hundreds of databases. */
const TEST_POSTGRES = { poolSize: 4, idleTimeoutMs: 500, statementTimeoutMs: 60_000 };

let migratedTemplate: Promise<string> | undefined;

/** A migrated, empty database for this worker, for new test databases to be copied from. */
function postgresTemplate(): Promise<string> {
  migratedTemplate ??= (async () => {
    const template = await freshPostgresDatabase('sendbot_template');
    const db = await openStore(template.url, TEST_POSTGRES);
    await closeDatabase(db);
    return template.name;
  })();
  return migratedTemplate;
}

async function freshPostgresTestDb(template?: string): Promise<{ db: Db; path: string }> {
  const fresh = await freshPostgresDatabase('sendbot_test', template ?? (await postgresTemplate()));
  return { db: await openStore(fresh.url, TEST_POSTGRES), path: fresh.url };
}

/** A database name from its URL. */
function databaseName(url: string): string {
  return new URL(url).pathname.slice(1);
}

/** A fresh, migrated, empty database in its own temp folder, with its path (PostgreSQL: its URL). */
export async function testDbWithPath(prefix = 'sendbot-test-'): Promise<{ db: Db; path: string }> {
  if (onPostgresRun()) return freshPostgresTestDb();
  const path = join(tempDir(prefix), 'sendbot.db');
  return { db: await openDatabase(path), path };
}

/** A fresh, migrated, empty database in its own temp folder. */
export async function testDb(): Promise<Db> {
  return (await testDbWithPath()).db;
}

/**
 * The database at `path` (created and migrated if new): for a test that reopens a file, reads what
 * a CLI run wrote there, or plays a second instance next to one already open.
 */
export async function testDbAt(path: string): Promise<Db> {
  return isPostgresUrl(path) ? await openStore(path, TEST_POSTGRES) : await openDatabase(path);
}

/** Closes a database opened here. */
export async function closeTestDb(db: Db): Promise<void> {
  await closeDatabase(db);
}

/** Opens the database at `path`, runs `check` on it and closes it again (after a CLI run, say). */
export async function withTestDb<T>(path: string, check: (db: Db) => Promise<T> | T): Promise<T> {
  const db = await testDbAt(path);
  try {
    return await check(db);
  } finally {
    await closeTestDb(db);
  }
}

/** A copy of the (closed) database file at `path`, for a test that must leave the original as it is. */
export async function copyTestDb(path: string): Promise<string> {
  if (isPostgresUrl(path)) return (await freshPostgresDatabase('sendbot_test', databaseName(path))).url;
  const copy = join(tempDir(), 'sendbot.db');
  copyFileSync(path, copy);
  return copy;
}

const templates = new Map<string, string>();

/**
 * A copy of a database built once per test file and worker by `build` (an import, say), keyed by
 * `key`: each call gets a fresh copy of its own, with its path.
 */
export async function templateCopy(key: string, build: (db: Db) => Promise<void>, prefix = 'sendbot-test-'): Promise<{ db: Db; path: string }> {
  let template = templates.get(key);
  if (!template) {
    const made = onPostgresRun() ? await freshPostgresTestDb() : undefined;
    template = made?.path ?? join(tempDir(prefix), 'template.db');
    const db = made?.db ?? (await openDatabase(template));
    try {
      await build(db);
      // Everything into the main file, so copying that one file copies the whole database.
      if (!isPostgres(db)) db.$client.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      await closeDatabase(db);
    }
    templates.set(key, template);
  }
  if (isPostgresUrl(template)) return freshPostgresTestDb(databaseName(template));
  const path = join(tempDir(prefix), 'sendbot.db');
  copyFileSync(template, path);
  return { db: await openDatabase(path), path };
}

/** Every row the query returns, as objects keyed by column name. */
export async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  return await storeCall(db, async () => await all<T>(db, query));
}

/** The first row the query returns, or undefined. */
export async function one<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T | undefined> {
  return await storeCall(db, async () => await get<T>(db, query));
}

/** The first column of the first row (a count, an id), or undefined when there is no row. */
export async function value<T = unknown>(db: Db, query: SQL): Promise<T | undefined> {
  const row = await one<Record<string, unknown>>(db, query);
  return row === undefined ? undefined : (Object.values(row)[0] as T);
}

/** The first column of every row (ids, refs). */
export async function column<T = unknown>(db: Db, query: SQL): Promise<T[]> {
  return (await rows<Record<string, unknown>>(db, query)).map((row) => Object.values(row)[0] as T);
}

/** `select count(*) from <table>`. */
export async function count(db: Db, table: string): Promise<number> {
  return Number(await value(db, sql`select count(*) from ${sql.identifier(table)}`));
}

/** Runs a statement that returns no rows (an insert, update or delete for setup). */
export async function run(db: Db, query: SQL): Promise<void> {
  await storeCall(db, async () => await runStatement(db, query));
}

/**
 * The SQLite store of a test about SQLite itself (WAL, pragmas, the FTS5 table, drizzle's builder as
 * a reference): such tests run in the SQLite half only, and this says so if one is run on PostgreSQL.
 */
export function sqliteOf(db: Db): SqliteDb {
  if (isPostgres(db)) throw new Error('This test is about SQLite itself and runs in the SQLite half only (npm test).');
  return db;
}
