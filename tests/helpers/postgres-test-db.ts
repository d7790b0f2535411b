// The one way PostgreSQL tests (tests/postgres, `npm run test:postgres`) reach a database: the
// throw-away cluster scripts/postgres-test-cluster.mjs starts gives SENDBOT_TEST_POSTGRES_URL, and each test
// file takes a database of its own on it, dropped afterwards, so files and reruns never share rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The cluster's URL; a clear error when the tests were not started through `npm run test:postgres`. */
export function postgresTestUrl(): string {
  const url = process.env.SENDBOT_TEST_POSTGRES_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(
      `The PostgreSQL tests need SENDBOT_TEST_POSTGRES_URL=postgres://… (got ${url ? `'${url.replace(/:[^:@/]*@/, ':***@')}'` : 'nothing'}). ` +
        'Run them with `npm run test:postgres`, which starts a throw-away cluster and sets it.',
    );
  }
  return url;
}

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface PostgresTestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  /** Drops it (closing any connection still open on it). */
  drop: () => Promise<void>;
}

/** Whether this run is the PostgreSQL half (`npm run test:postgres`). */
export function onPostgresRun(): boolean {
  return process.env.SENDBOT_TEST_POSTGRES_URL !== undefined;
}

/**
 * A new database on the test cluster: empty (no migrations applied: that is the caller's test), or
 * a copy of `template` (a database nobody is connected to).
 */
export async function freshPostgresDatabase(prefix = 'sendbot_test', template?: string): Promise<PostgresTestDatabase> {
  const server = postgresTestUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onAdminConnection(server, (admin) => admin.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  return {
    url: withDatabase(server, name),
    name,
    drop: () => onAdminConnection(server, (admin) => admin.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

async function onAdminConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
