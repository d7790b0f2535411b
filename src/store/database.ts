import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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

/**
 * Opens (creating if needed) a sendbot database and brings it up to the latest migration.
 * WAL lets the scheduler, chat handlers and CLI read while one of them writes; the busy timeout
 * makes a writer wait for a lock instead of failing straight away.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: migrationsFolder() });
  // KPIs imported before codes existed get theirs (derived in code, so SQL alone cannot do it).
  upgradeLegacyKpis(db);
  // Lets SQLite refresh its query-planner statistics when they are missing or stale (cheap).
  sqlite.pragma('optimize = 0x10002');
  return db;
}

/** Runs `work` in one IMMEDIATE transaction: all of it is written, or none of it. */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.$client.transaction(work).immediate();
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
