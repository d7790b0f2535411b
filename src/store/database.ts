import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema.js';
import { migrationsFolder } from '../paths.js';
import { upgradeLegacyKpis } from './kpis-repository.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenOptions {
  /** Wait this long for another writer before failing with SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
}

// The database holds names, emails and what people wrote: readable by the service's user only.
// Modes are set explicitly (chmod after creating), so they do not depend on the process's umask.
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates the folders up to `dir` that do not exist yet, each 0700. Folders that already exist are
 * left as they are (the parent may be shared, such as /tmp or /var/lib).
 */
export function makePrivateDirectory(dir: string): void {
  const target = resolve(dir);
  const created = mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created === undefined) return;
  const first = resolve(created);
  // From the deepest folder up to the first one created, never above it.
  for (let d = target; d.startsWith(first); d = dirname(d)) {
    chmodSync(d, PRIVATE_DIR_MODE);
    if (d === first) break;
  }
}

/** Creates `path` empty and 0600 if it does not exist; tightens it to 0600 if it does and is ours. */
export function makePrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  tightenIfOurs(path);
}

function tightenIfOurs(path: string): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if ((stat.mode & 0o777) !== PRIVATE_FILE_MODE && (typeof process.getuid !== 'function' || stat.uid === process.getuid())) chmodSync(path, PRIVATE_FILE_MODE);
}

const isFilePath = (path: string): boolean => path !== ':memory:' && path !== '' && !path.startsWith('file:');

/**
 * Opens (creating if needed) a sendbot database and brings it up to the latest migration.
 * WAL lets the scheduler, chat handlers and CLI read while one of them writes; the busy timeout
 * makes a writer wait for a lock instead of failing straight away. A new database, its folder and
 * its -wal/-shm files are private to the service's user (0600, folder 0700).
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (isFilePath(path)) {
    makePrivateDirectory(dirname(path));
    makePrivateFile(path);
  }
  const sqlite = new Database(path);
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
  sqlite.pragma('journal_mode = WAL');
  // SQLite creates -wal and -shm with the database file's mode; this covers ones left by older versions.
  if (isFilePath(path)) for (const suffix of ['-wal', '-shm']) tightenIfOurs(`${path}${suffix}`);
  sqlite.pragma('synchronous = NORMAL');
  return prepareDatabase(sqlite);
}

/**
 * For a dry run, which must not create, migrate or change any file: an in-memory copy of the
 * database at `path` (read through a read-only connection), or an empty in-memory database when
 * there is none, brought up to the latest migration in memory.
 */
export function openDryRunDatabase(path: string): Db {
  if (!isFilePath(path) || !existsSync(path)) return prepareDatabase(new Database(':memory:'));
  let bytes: Buffer;
  if (existsSync(`${path}-wal`)) {
    // Another process has it open: read it (with what its WAL holds) through a read-only connection.
    const source = new Database(path, { readonly: true, fileMustExist: true });
    try {
      bytes = source.serialize();
    } finally {
      source.close();
    }
  } else bytes = readFileSync(path); // closed cleanly: the file holds everything, and reading it creates no -shm/-wal
  // Bytes 18-19 say "WAL mode" (2); an in-memory database cannot use WAL, so mark the copy as a
  // rollback-journal database (1). The file itself is never touched.
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
    bytes = Buffer.from(bytes);
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return prepareDatabase(new Database(bytes));
}

/** Foreign keys on, migrations and upgrades applied: what every connection gets. */
function prepareDatabase(sqlite: Database.Database): Db {
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema }) as Db;
  const folder = migrationsFolder();
  if (!hasEveryMigration(sqlite, folder)) migrate(db, { migrationsFolder: folder });
  // KPIs imported before codes existed get theirs (derived in code, so SQL alone cannot do it).
  upgradeLegacyKpis(db);
  // Lets SQLite refresh its query-planner statistics when they are missing or stale (cheap).
  sqlite.pragma('optimize = 0x10002');
  return db;
}

/**
 * True when the database already has the journal's newest migration. drizzle's migrate() applies
 * exactly the migrations newer than the last one recorded, so it would do nothing; but it reads and
 * hashes every migration file and opens a transaction to find that out, on every CLI command.
 */
function hasEveryMigration(sqlite: Database.Database, folder: string): boolean {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  const newest = Math.max(...journal.entries.map((e) => e.when));
  const recorded = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  if (!recorded) return false;
  const last = sqlite.prepare('select created_at as at from __drizzle_migrations order by created_at desc limit 1').get() as { at: number | string } | undefined;
  return last !== undefined && Number(last.at) >= newest;
}

type TransactionRunner = Database.Transaction<(work: () => unknown) => unknown>;
const transactionRunners = new WeakMap<Database.Database, TransactionRunner>();

/**
 * Runs `work` in one IMMEDIATE transaction: all of it is written, or none of it. The wrapper is made
 * once per connection (better-sqlite3 builds five functions per transaction() call, and every Slack
 * command runs two transactions).
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  let runner = transactionRunners.get(db.$client);
  if (!runner) {
    runner = db.$client.transaction((fn: () => unknown) => fn());
    transactionRunners.set(db.$client, runner);
  }
  return runner.immediate(work) as T;
}

/**
 * Online backup (SQLite's backup API, safe while the bot runs) into `path`, created 0600 before the
 * copy starts so the copy is never readable by others, even for a moment. `path` is overwritten.
 */
export async function backupDatabase(db: Db, path: string): Promise<{ totalPages: number }> {
  makePrivateFile(path);
  const progress = await db.$client.backup(path);
  tightenIfOurs(path);
  return progress;
}

export function closeDatabase(db: Db): void {
  db.$client.close();
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement, compiled once per connection. Hot read paths (every chat command, every
 * tick) use this instead of preparing the same SQL on each call.
 */
export function cachedStatement(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db.$client);
  if (!cache) {
    cache = new Map();
    statementCache.set(db.$client, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.$client.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
