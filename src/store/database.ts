import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema.js';
import { migrationsFolder } from '../paths.js';
import { upgradeLegacyKpis } from './kpis-repository.js';
import { PostgresDb } from './postgres-database.js';
import { checkStatementTurn, guardConnection, storeCall } from './unit-of-work.js';

/** The SQLite store: drizzle's handle on one better-sqlite3 connection. */
export type SqliteDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * What every store function takes: SQLite (the default, one file) or PostgreSQL (DATABASE_URL).
 * Only src/store looks inside it.
 */
export type Db = SqliteDb | PostgresDb;

/** Whether `db` is the PostgreSQL store (for the few things only one database has: backups, FTS5, WAL). */
export function isPostgres(db: Db): db is PostgresDb {
  return db instanceof PostgresDb;
}

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
  // Only database files: a folder or device someone named by mistake is never touched.
  if (!stat.isFile()) return;
  if ((stat.mode & 0o777) !== PRIVATE_FILE_MODE && (typeof process.getuid !== 'function' || stat.uid === process.getuid())) chmodSync(path, PRIVATE_FILE_MODE);
}

const isFilePath = (path: string): boolean => path !== ':memory:' && path !== '' && !path.startsWith('file:');

/**
 * Opens (creating if needed) a sendbot database and brings it up to the latest migration.
 * WAL lets the scheduler, chat handlers and CLI read while one of them writes; the busy timeout
 * makes a writer wait for a lock instead of failing straight away. A new database, its folder and
 * its -wal/-shm files are private to the service's user (0600, folder 0700).
 */
export async function openDatabase(path: string, options: OpenOptions = {}): Promise<SqliteDb> {
  // What is at the path is checked before anything is created or tightened there.
  if (isFilePath(path)) checkDatabasePath(path);
  let sqlite: Database.Database | undefined;
  try {
    if (isFilePath(path)) createDatabaseFile(path);
    sqlite = new Database(path);
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    if (isFilePath(path)) checkSendbotTables(path, sqlite);
    sqlite.pragma('journal_mode = WAL');
    // SQLite creates -wal and -shm with the database file's mode; this covers ones left by older versions.
    if (isFilePath(path)) for (const suffix of ['-wal', '-shm']) tightenIfOurs(`${path}${suffix}`);
    sqlite.pragma('synchronous = NORMAL');
    return await prepareDatabase(sqlite);
  } catch (error) {
    try {
      sqlite?.close();
    } catch {
      // Closing a damaged database can fail too; the first error is the one to report.
    }
    throw describeOpenFailure(path, error) ?? error;
  }
}

/**
 * The database cannot be opened for a reason the person running sendbot can fix: a folder or a
 * file that is not sendbot's named as the database, a damaged database, a read-only disk. The
 * message is one plain sentence naming the path and what to do; callers print it and exit 1.
 */
export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

const SQLITE_HEADER = 'SQLite format 3\u0000';
const SETTING = 'check DATABASE_PATH (or --db)';

const CREATE_PROBLEMS: Record<string, string> = {
  EROFS: 'the disk is mounted read-only',
  EACCES: 'this user may not write there',
  EPERM: 'this user may not write there',
  ENOSPC: 'the disk is full',
  // A recursive mkdir on a read-only mount can report a missing folder rather than EROFS.
  ENOENT: 'its folder cannot be created (is the disk mounted read-only?)',
  ENOTDIR: 'part of the path is a file, not a folder',
  // mkdir of a folder that exists as a file.
  EEXIST: 'part of the path is a file, not a folder',
};

/** The folder (0700) and the empty file (0600), as new; a failure is said in a sentence. */
function createDatabaseFile(path: string): void {
  try {
    makePrivateDirectory(dirname(path));
    makePrivateFile(path);
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    const problem = CREATE_PROBLEMS[code];
    if (!problem) throw error;
    throw new DatabaseOpenError(path, `sendbot cannot create its database at ${path}: ${problem} (${code}). Check the mount is writable, the folder's permissions and ${SETTING.replace('check ', '')}, then start again.`);
  }
}

/** A folder, or a file that is not SQLite, is refused before anything is written or chmod'ed. */
function checkDatabasePath(path: string): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (stat.isDirectory()) {
    throw new DatabaseOpenError(path, `The database path ${path} is a folder, not a database file: set DATABASE_PATH (or --db) to a file, e.g. ${join(path, 'sendbot.db')}. Nothing was changed.`);
  }
  if (!stat.isFile()) throw new DatabaseOpenError(path, `The database path ${path} is not a file: ${SETTING}. Nothing was changed.`);
  if (stat.size === 0) return;
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== SQLITE_HEADER) {
    throw new DatabaseOpenError(
      path,
      `${path} is not a sendbot database (it is not an SQLite file): ${SETTING}; if it is the right file, it has been damaged or overwritten, so restore it from a backup (sendbot backup makes them). Nothing was changed.`,
    );
  }
  // The header records how many pages the file has (when its two version counters agree): a file
  // shorter than that was cut short (a copy that stopped, a full disk). Pages still in the -wal
  // file are not counted, so only a database without one is judged.
  const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
  const pages = header.readUInt32BE(28);
  const countValid = header.readUInt32BE(24) === header.readUInt32BE(92) && pages > 0;
  const walPath = `${path}-wal`;
  const hasWal = existsSync(walPath) && statSync(walPath).size > 0;
  if (countValid && !hasWal && stat.size < pageSize * pages) {
    throw new DatabaseOpenError(
      path,
      `${path} is damaged or cut short (${stat.size.toLocaleString('en-GB')} of ${(pageSize * pages).toLocaleString('en-GB')} bytes): restore it from a backup (sendbot backup makes them), keeping the damaged file aside for your IT team. Nothing was changed.`,
    );
  }
}

/** An SQLite file with tables but none of sendbot's (no migration record) belongs to something else. */
function checkSendbotTables(path: string, sqlite: Database.Database): void {
  const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").pluck().all() as string[];
  if (tables.length > 0 && !tables.includes('__drizzle_migrations')) {
    throw new DatabaseOpenError(path, `${path} is an SQLite database, but not sendbot's (it has none of sendbot's tables): ${SETTING}. Nothing was changed.`);
  }
}

const DAMAGED = /^SQLITE_(CORRUPT|NOTADB)/;
const READ_ONLY = /^(SQLITE_READONLY|SQLITE_CANTOPEN|EROFS|EACCES|EPERM)/;

/** The plain sentence for a failure to open, or undefined when it is not one a person can fix. */
function describeOpenFailure(path: string, error: unknown): DatabaseOpenError | undefined {
  if (error instanceof DatabaseOpenError) return error;
  const code = String((error as { code?: unknown })?.code ?? '');
  if (DAMAGED.test(code)) {
    return new DatabaseOpenError(
      path,
      `${path} is damaged or cut short (SQLite: ${(error as Error).message}): restore it from a backup (sendbot backup makes them), keeping the damaged file aside for your IT team. Nothing was changed.`,
    );
  }
  if (READ_ONLY.test(code)) {
    return new DatabaseOpenError(
      path,
      `sendbot cannot write its database at ${path}: the disk is mounted read-only or this user may not write there (${code}). Check the mount is writable and the folder's permissions, then start again.`,
    );
  }
  if (code === 'ENOTDIR') return new DatabaseOpenError(path, `The database path ${path} goes through a file as if it were a folder: ${SETTING}.`);
  return undefined;
}

/**
 * For a dry run, which must not create, migrate or change any file: an in-memory copy of the
 * database at `path` (read through a read-only connection), or an empty in-memory database when
 * there is none, brought up to the latest migration in memory.
 */
export async function openDryRunDatabase(path: string): Promise<SqliteDb> {
  if (isFilePath(path)) checkDatabasePath(path);
  if (!isFilePath(path) || !existsSync(path)) return await prepareDatabase(new Database(':memory:'));
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
  return await prepareDatabase(new Database(bytes));
}

/** Foreign keys on, migrations and upgrades applied: what every connection gets. */
async function prepareDatabase(sqlite: Database.Database): Promise<SqliteDb> {
  sqlite.pragma('foreign_keys = ON');
  guardConnection(sqlite);
  const db = drizzle(sqlite, { schema }) as SqliteDb;
  const folder = migrationsFolder();
  // In this file's turn: another connection of this process (a second instance in a test) may be
  // inside a unit of work on the same file.
  await storeCall(db, () => {
    if (!hasEveryMigration(sqlite, folder)) migrate(db, { migrationsFolder: folder });
  });
  // KPIs imported before codes existed get theirs (derived in code, so SQL alone cannot do it).
  await upgradeLegacyKpis(db);
  // Lets SQLite refresh its query-planner statistics when they are missing or stale (cheap).
  await storeCall(db, () => sqlite.pragma('optimize = 0x10002'));
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

// Units of work (transactions held across awaits) live in unit-of-work.ts.
export { inReadTransaction, inTransaction, readsApartFromWrites } from './unit-of-work.js';

/**
 * Online backup (SQLite's backup API, safe while the bot runs) into `path`, created 0600 before the
 * copy starts so the copy is never readable by others, even for a moment. `path` is overwritten.
 */
export async function backupDatabase(db: SqliteDb, path: string): Promise<{ totalPages: number }> {
  makePrivateFile(path);
  const progress = await db.$client.backup(path);
  tightenIfOurs(path);
  return progress;
}

export function closeDatabase(db: Db): Promise<void> {
  if (db instanceof PostgresDb) return db.close();
  return storeCall(db, () => {
    db.$client.close();
  });
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement, compiled once per connection. Hot read paths (every chat command, every
 * tick) use this instead of preparing the same SQL on each call.
 */
export function cachedStatement(db: SqliteDb, sql: string): Database.Statement {
  checkStatementTurn(db.$client);
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
