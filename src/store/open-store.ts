// Which database sendbot runs on, from one setting: a postgres:// URL (DATABASE_URL) opens the
// PostgreSQL store; anything else is an SQLite file path (DATABASE_PATH, the default). Both are
// brought up to the latest migration on every open, by the service and by every CLI command.
import { DatabaseOpenError, type Db, openDatabase, openDryRunDatabase } from './database.js';
import {
  createPostgresDb,
  describePostgresUrl,
  isPostgresUrl,
  looksLikeUrl,
  type PostgresDb,
  type PostgresOptions,
  PostgresSettingError,
  postgresUrlProblem,
  redactUrl,
} from './postgres-database.js';
import { migratePostgres } from './postgres-migrations.js';

export { isPostgresUrl } from './postgres-database.js';

/**
 * A location that cannot be opened as written: an address that is not PostgreSQL's (a misspelt
 * scheme must never become an SQLite file named after the address, password and all), a malformed
 * PostgreSQL address. One sentence, no password.
 */
function checkLocation(location: string): void {
  if (looksLikeUrl(location) && !isPostgresUrl(location)) {
    throw new DatabaseOpenError(
      redactUrl(location),
      `"${redactUrl(location)}" is not a PostgreSQL address: DATABASE_URL and --db take postgres://user:password@host:5432/database (or postgresql://…), or the path of an SQLite file. Nothing was changed.`,
    );
  }
  if (!isPostgresUrl(location)) return;
  const problem = postgresUrlProblem(location);
  if (problem) throw new DatabaseOpenError(redactUrl(location), `The PostgreSQL address ${problem}. Nothing was changed.`);
}

/** The pool on `url`; a setting a person must correct (an unreadable CA file) is one sentence. */
function postgresPool(url: string, postgres: PostgresOptions): PostgresDb {
  try {
    return createPostgresDb(url, postgres);
  } catch (error) {
    if (error instanceof PostgresSettingError) throw new DatabaseOpenError(redactUrl(url), error.message);
    throw error;
  }
}

/** Opens the store at `location` (a file path or a postgres:// URL), migrated. */
export async function openStore(location: string, postgres: PostgresOptions = {}): Promise<Db> {
  checkLocation(location);
  if (!isPostgresUrl(location)) return openDatabase(location);
  const db = postgresPool(location, postgres);
  try {
    await migratePostgres(db.pool);
  } catch (error) {
    await db.pool.end().catch(() => undefined);
    throw describePostgresFailure(location, error);
  }
  return db;
}

/**
 * For `--dry-run`: a store whose writes are never kept. SQLite: an in-memory copy of the file.
 * PostgreSQL: one connection inside a transaction that closing rolls back. Migrations the database
 * lacks are applied first, for real, as any command's open would (they change no one's data).
 */
export async function openStoreDryRun(location: string, postgres: PostgresOptions = {}): Promise<Db> {
  checkLocation(location);
  if (!isPostgresUrl(location)) return openDryRunDatabase(location);
  const db = postgresPool(location, { ...postgres, poolSize: 1 });
  try {
    await migratePostgres(db.pool);
    await db.pinForDryRun();
    return db;
  } catch (error) {
    await db.pool.end().catch(() => undefined);
    throw describePostgresFailure(location, error);
  }
}

const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ECONNRESET)$/;

/** A failure to reach or sign in to PostgreSQL, as one sentence naming the server (never the password). */
export function describePostgresFailure(url: string, error: unknown): Error {
  const code = String((error as { code?: unknown })?.code ?? '');
  const where = describePostgresUrl(url);
  const reason = error instanceof Error ? error.message : String(error);
  if (UNREACHABLE.test(code) || /timeout|terminated/i.test(reason)) {
    return new DatabaseOpenError(where, `sendbot cannot reach its PostgreSQL database at ${where} (${code || reason}): check DATABASE_URL, that the server is running and that this machine may connect to it.`);
  }
  if (code === '28P01' || code === '28000') return new DatabaseOpenError(where, `PostgreSQL at ${where} refused sendbot's sign-in (${reason}): check the user name and password in DATABASE_URL.`);
  if (code === '3D000') return new DatabaseOpenError(where, `There is no database ${where.split('/').pop()} on the PostgreSQL server at ${where}: create it (createdb) or correct DATABASE_URL.`);
  if (/self.signed|certificate|SSL|TLS/i.test(reason)) return new DatabaseOpenError(where, `The TLS connection to PostgreSQL at ${where} failed (${reason}): check sslmode in DATABASE_URL and DATABASE_CA_FILE.`);
  return error instanceof Error ? error : new Error(reason);
}

export type { PostgresDb, PostgresOptions };

/** A failure worth waiting out: the server is not there yet (starting, failing over, a network blip). */
export function isUnreachable(error: unknown): boolean {
  return error instanceof DatabaseOpenError && /cannot reach its PostgreSQL/.test(error.message);
}

/**
 * Opens the store, waiting for a PostgreSQL server that is not reachable yet (a service started
 * before its database, a failover): each failed try is told to `onWait` and tried again after
 * `retryMs`, instead of exiting into a restart loop. A refused sign-in or a missing database is
 * not waited out: it needs a person.
 */
export async function openStoreWhenReachable(location: string, postgres: PostgresOptions, onWait: (error: Error, attempt: number) => void, retryMs = 5_000): Promise<Db> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await openStore(location, postgres);
    } catch (error) {
      if (!isPostgresUrl(location) || !isUnreachable(error)) throw error;
      onWait(error as Error, attempt);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}
