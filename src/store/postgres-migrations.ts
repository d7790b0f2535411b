// Applies db/migrations-pg to a PostgreSQL database (issue 21, in progress: nothing in the app calls
// this yet; the PostgreSQL store will, on every open, as the SQLite store migrates today).
//
// drizzle's PostgreSQL migrator takes no lock: two instances starting together (or an instance and a
// CLI command) would both find no migrations recorded and both run them, and one would fail half way
// ("relation already exists"). So migrating holds a session advisory lock: a second migrator waits,
// then finds everything recorded and does nothing. The lock lives on the one connection that
// migrates, so it is released if that connection dies.
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Pool } from 'pg';
import { postgresMigrationsFolder } from '../paths.js';
import { checkOut } from './postgres-database.js';

/**
 * The advisory lock key migrations take: 'send' in ASCII (0x73656e64). Other sendbot locks (the
 * delivery lease, the tick leader) must use other keys.
 */
export const MIGRATION_LOCK_KEY = 0x73656e64;

/** Applies every migration not yet recorded, one migrator at a time across every client of the database. */
export async function migratePostgres(pool: Pool, migrationsFolder: string = postgresMigrationsFolder()): Promise<void> {
  const { client, release } = await checkOut(pool);
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection that failed may still hold the lock: destroy it rather than return it to the pool.
    release(broken);
  }
}
