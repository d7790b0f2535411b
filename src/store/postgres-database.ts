// The PostgreSQL store's connection: a pool of node-postgres connections, set up so that rows come
// back in the same shapes the SQLite store gives (the rest of the store, and everything above it,
// is written once for both):
// - bigint (count(*), sums) and numeric as JS numbers, not strings;
// - booleans as 1/0, as SQLite keeps flags;
// - json/jsonb as their text, as SQLite keeps JSON columns (the store parses it where it is read).
// TLS and the statement timeout come from the connection settings (see postgresPoolConfig).
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { fromDatabase } from './storage-failures.js';

/** What the PostgreSQL store runs on: a pool, and where it points (without the password) for log lines. */
export class PostgresDb {
  readonly dialect = 'postgres' as const;
  /** A dry run's one connection, inside a transaction that close() rolls back (see pinForDryRun). */
  pinned: pg.PoolClient | undefined;

  constructor(
    readonly pool: pg.Pool,
    /** host:port/database, for messages: never the password. */
    readonly where: string,
  ) {}

  /** From now on every statement runs on one connection inside a transaction that close() rolls back. */
  async pinForDryRun(): Promise<void> {
    const { client } = await checkOut(this.pool);
    await client.query('begin');
    this.pinned = client;
  }

  /** Rolls back a dry run's transaction and closes every connection. */
  async close(): Promise<void> {
    const pinned = this.pinned;
    this.pinned = undefined;
    if (pinned) {
      await pinned.query('rollback').catch(() => undefined);
      pinned.release();
    }
    await this.pool.end();
  }
}

/** A connection taken from the pool; `release` hands it back, or destroys it if it failed. */
export interface CheckedOutConnection {
  client: pg.PoolClient;
  /** `broken`: an error that makes the connection unfit for reuse (one it had itself is remembered). */
  release(broken?: Error): void;
}

/**
 * Takes a connection from the pool for a transaction or a lock. While a connection is checked out
 * the pool no longer listens for its errors, and node-postgres emits 'error' on a connection that
 * dies (a failover, a dropped network) even while a query waits on it: unheard, that event ends the
 * process, and a dropped database would have become a crash loop. This listens until the release,
 * and a connection that failed is destroyed rather than handed to the next request.
 */
export async function checkOut(pool: pg.Pool): Promise<CheckedOutConnection> {
  const client = await pool.connect().catch((error: unknown) => {
    throw fromDatabase(error);
  });
  let failed: Error | undefined;
  const onError = (error: Error): void => {
    failed ??= error;
  };
  client.on('error', onError);
  return {
    client,
    release(broken?: Error) {
      const unfit = broken ?? failed;
      // A failed connection keeps the listener: a late event from its socket must not end the process either.
      if (!unfit) client.removeListener('error', onError);
      client.release(unfit);
    },
  };
}

export interface PostgresOptions {
  /** Most connections this instance opens (DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** A statement that runs longer is cancelled (DATABASE_STATEMENT_TIMEOUT_MS); 0: no limit. */
  statementTimeoutMs?: number;
  /** A CA certificate file to check the server against (DATABASE_CA_FILE), as Azure requires. */
  caFile?: string;
  /** How long to wait for a connection from the pool or the server before failing (ms). */
  connectTimeoutMs?: number;
  /** How long an unused connection stays open (ms). */
  idleTimeoutMs?: number;
}

const BOOL = 16;
const INT8 = 20;
const NUMERIC = 1700;
const JSON_TYPE = 114;
const JSONB = 3802;

// Per pool, not pg's global parsers: a process may talk to two databases (migrate-to-postgres).
const sameShapesAsSqlite: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    if (oid === BOOL) return (value: string) => (value === 't' ? 1 : 0);
    if (oid === JSON_TYPE || oid === JSONB) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Whether a database setting names PostgreSQL (a postgres:// or postgresql:// URL). */
export function isPostgresUrl(value: string | undefined): value is string {
  return value !== undefined && /^postgres(ql)?:\/\//i.test(value.trim());
}

/** Whether a setting is written as an address (scheme://…) rather than a file path. */
export function looksLikeUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim());
}

/** The address with its password (if any) replaced by ***, for messages. */
export function redactUrl(value: string): string {
  return value.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/**
 * What is wrong with a postgres:// address, as a phrase for "DATABASE_URL …", or undefined when it
 * can be used. Never quotes the password.
 */
export function postgresUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return `is not a valid address ("${redactUrl(url)}"): write it as postgres://user:password@host:5432/database`;
  }
  if (!parsed.hostname) return `names no server: write it as postgres://user:password@host:5432/database`;
  if (parsed.pathname.replace(/^\//, '') === '') return `names no database: add it after the server, e.g. postgres://user:password@${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}/sendbot`;
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null && !SSL_MODES.has(sslmode)) return `has sslmode=${sslmode}, which PostgreSQL does not know: use require (or verify-full with DATABASE_CA_FILE), or disable for a server on this machine`;
  return undefined;
}

/** host:port/database of a URL, for messages (never its password). */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
  } catch {
    return 'the DATABASE_URL server';
  }
}

/**
 * The pool's settings from the URL and options. TLS: `sslmode=require` (or verify-full) in the URL
 * turns it on; with a CA file the server's certificate is checked against it, as Azure Database
 * for PostgreSQL and RDS document; `sslmode=disable` (or none) for a local server.
 */
export function postgresPoolConfig(url: string, options: PostgresOptions = {}): pg.PoolConfig {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get('sslmode');
  // pg would read sslmode itself, with its own meaning for each value; it is decided here instead.
  parsed.searchParams.delete('sslmode');
  parsed.searchParams.delete('sslrootcert');
  const ca = options.caFile ? readCaFile(options.caFile) : undefined;
  const tls = sslmode !== null && sslmode !== 'disable' && sslmode !== 'allow' && sslmode !== 'prefer';
  const timeout = options.statementTimeoutMs ?? 30_000;
  return {
    connectionString: parsed.toString(),
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    // Idle connections alone do not keep a CLI command's process alive.
    allowExitOnIdle: true,
    // `require` encrypts without checking who answers (as libpq does); with a CA file, or
    // verify-ca/verify-full, the certificate is checked.
    ssl: tls ? { ca, rejectUnauthorized: ca !== undefined || sslmode === 'verify-ca' || sslmode === 'verify-full' } : undefined,
    statement_timeout: timeout > 0 ? timeout : undefined,
    types: sameShapesAsSqlite,
    application_name: 'sendbot',
  };
}

/** Thrown for a connection setting a person must correct (the message says which and how). */
export class PostgresSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresSettingError';
  }
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? 'unreadable');
    throw new PostgresSettingError(`DATABASE_CA_FILE names ${path}, which cannot be read (${code}): give the path of the CA certificate file your provider publishes (Azure and RDS link to theirs), or leave it empty.`);
  }
}

/** A pool on `url` (not yet connected, not migrated: see openPostgresDatabase in database.ts). */
export function createPostgresDb(url: string, options: PostgresOptions = {}): PostgresDb {
  const pool = new pg.Pool(postgresPoolConfig(url, options));
  // An idle connection the server drops (a restart, a failover) is an 'error' on the pool: without a
  // listener it would crash the process. The next query gets a new connection.
  pool.on('error', () => {});
  return new PostgresDb(pool, describePostgresUrl(url));
}
