// Can the database be written right now? /healthz asks, so that a full disk, a read-only mount or a
// writer that never lets go shows up as "unhealthy" rather than as every person's update failing.
//
// A rolled-back write would not do: SQLite only appends to the WAL at commit, so a full disk is
// noticed there. The probe commits a real write that changes nothing people see: it rewrites the
// database header's user_version (sendbot does not use it; drizzle keeps its own table) with the
// value it already has.
import { sql } from 'drizzle-orm';
import { type Db, isPostgres } from './database.js';
import type { PostgresDb } from './postgres-database.js';
import { get } from './statements.js';
import { isConnectionError, storageFailure, type StorageFailure } from './storage-failures.js';
import { storeCall } from './unit-of-work.js';

export type WriteProbe = { ok: true } | { ok: false; failure: StorageFailure | 'other'; reason: string };

/** How long the PostgreSQL probe waits for an answer before saying the database is busy. */
const PROBE_WAIT_MS = 2000;

/** How long the probe waits for another writer: short, because better-sqlite3 blocks the event loop meanwhile. */
const PROBE_BUSY_TIMEOUT_MS = 250;

export function probeDatabaseWrite(db: Db): Promise<WriteProbe> {
  if (isPostgres(db)) return probePostgresWrite(db);
  return storeCall(db, () => {
    const sqlite = db.$client;
    let busyTimeout: number | undefined;
    try {
      busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
      sqlite.pragma(`busy_timeout = ${PROBE_BUSY_TIMEOUT_MS}`);
      // A database at its page limit (PRAGMA max_page_count) with no free pages fails every insert
      // with SQLITE_FULL while a rewrite of the header would still succeed: say so first.
      const pages = sqlite.pragma('page_count', { simple: true }) as number;
      const maxPages = sqlite.pragma('max_page_count', { simple: true }) as number;
      if (pages >= maxPages && (sqlite.pragma('freelist_count', { simple: true }) as number) === 0) {
        return { ok: false, failure: 'full', reason: `${STORAGE_REASON.full} (the database has reached its page limit)` };
      }
      const version = sqlite.pragma('user_version', { simple: true }) as number;
      sqlite.transaction(() => sqlite.pragma(`user_version = ${Number(version) | 0}`)).immediate();
      return { ok: true };
    } catch (error) {
      const failure = storageFailure(error);
      return {
        ok: false,
        failure: failure ?? 'other',
        reason: failure ? STORAGE_REASON[failure] : `the database cannot be written: ${(error as Error).message}`,
      };
    } finally {
      try {
        if (busyTimeout !== undefined) sqlite.pragma(`busy_timeout = ${busyTimeout}`);
      } catch {
        // A closed connection: the probe has already said so.
      }
    }
  });
}

const STORAGE_REASON: Record<StorageFailure, string> = {
  full: 'the disk holding the database is full (SQLITE_FULL): free some space',
  'read-only': 'the database is read-only (SQLITE_READONLY): check the mount and the file permissions',
  busy: 'another process holds the database write lock (SQLITE_BUSY)',
  io: 'the database file could not be written (disk I/O error): check the disk',
  unreachable: 'the database server cannot be reached',
};

/**
 * PostgreSQL: asking for a transaction id is a write the server must be able to make (a read-only
 * replica, a server in recovery or one that cannot be reached refuses it) and changes no row.
 */
async function probePostgresWrite(db: PostgresDb): Promise<WriteProbe> {
  try {
    const asked = storeCall(db, async () => await get(db, sql`select pg_current_xact_id()::text as id`));
    // A load balancer's probe gives up after a few seconds; waiting for a pooled connection behind a
    // long lock (up to the 10 s connect timeout) would look like a dead instance with no reason.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), PROBE_WAIT_MS);
    });
    const first = await Promise.race([asked, late]).finally(() => clearTimeout(timer));
    if (first === 'late') {
      asked.catch(() => undefined);
      return {
        ok: false,
        failure: 'busy',
        reason: `the PostgreSQL database at ${db.where} did not answer within ${PROBE_WAIT_MS / 1000} s (every connection busy behind a long lock, DATABASE_POOL_SIZE too small, or the server not answering)`,
      };
    }
    return { ok: true };
  } catch (error) {
    const message = (error as Error).message;
    if (storageFailure(error) === 'busy') {
      return { ok: false, failure: 'busy', reason: `every connection to the PostgreSQL database at ${db.where} is busy (a long lock held by other work, or DATABASE_POOL_SIZE too small): ${message}` };
    }
    if (isConnectionError(error) || /ECONNREFUSED|timeout/i.test(`${(error as { code?: string }).code} ${message}`)) {
      return { ok: false, failure: 'other', reason: `the PostgreSQL database at ${db.where} cannot be reached: ${message}` };
    }
    if ((error as { code?: string }).code === '25006') return { ok: false, failure: 'read-only', reason: `the PostgreSQL database at ${db.where} is read-only (a replica, or in recovery)` };
    if ((error as { code?: string }).code === '53100') return { ok: false, failure: 'full', reason: `the disk of the PostgreSQL server at ${db.where} is full` };
    return { ok: false, failure: 'other', reason: `the PostgreSQL database at ${db.where} cannot be written: ${message}` };
  }
}
