// Units of work on PostgreSQL: the twin of unit-of-work.ts's SQLite turns, over a pool.
//
// A transaction holds one pooled connection for its whole life (carried in AsyncLocalStorage, so
// the store calls awaited inside it run their statements on it); outside a transaction each
// statement takes any connection from the pool, so requests run side by side.
//
// Writers are serialised, as SQLite's one writer serialises them: every write transaction first
// takes a transaction-scoped advisory lock (WRITE_LOCK_KEY), on every instance sharing the
// database. The store's read-check-write steps (claim an inbox row, add a role holder, decide a date
// change) were written for that guarantee; under PostgreSQL's default READ COMMITTED alone, two
// instances could both pass the same check. Reads never wait for it.
//
// Within one process, write transactions also queue here, before taking a pooled connection: they
// would only wait on the advisory lock one behind the other anyway, each holding a connection while
// it waits. Without the queue, a burst of slash commands (each one's work is a write transaction,
// the inbox claim) filled the pool with lock waiters, and the Slack acknowledgement — one statement,
// no lock — waited seconds for a connection (the two-instances benchmark, 200 commands a second).
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { checkOut, type PostgresDb } from './postgres-database.js';
import { fromDatabase, isConnectionError } from './storage-failures.js';

/** The advisory lock every write transaction takes first ('sbwr'); migrations use another key. */
export const WRITE_LOCK_KEY = 0x73627772;

interface PostgresUnit {
  db: PostgresDb;
  client: pg.PoolClient;
  /** Nesting depth, for savepoint names. */
  depth: number;
}

const currentUnit = new AsyncLocalStorage<PostgresUnit>();

/** The connection the caller's transaction holds on `db`, if it is inside one. */
export function unitClient(db: PostgresDb): pg.PoolClient | undefined {
  return ownUnit(db)?.client;
}

/** The caller's unit on `db`; a dry run's pinned connection is one unit that every call is inside. */
function ownUnit(db: PostgresDb): PostgresUnit | undefined {
  const unit = currentUnit.getStore();
  if (unit !== undefined && unit.db === db) return unit;
  if (db.pinned) {
    let pinned = pinnedUnits.get(db.pinned);
    if (!pinned) {
      pinned = { db, client: db.pinned, depth: 0 };
      pinnedUnits.set(db.pinned, pinned);
    }
    return pinned;
  }
  return undefined;
}

const pinnedUnits = new WeakMap<pg.PoolClient, PostgresUnit>();

/** What a statement runs on: the caller's transaction's connection, else the pool. */
export function queryTarget(db: PostgresDb): pg.PoolClient | pg.Pool {
  return unitClient(db) ?? db.pool;
}

/**
 * A store function's body with no transaction of its own: its statements run on the caller's
 * transaction when there is one, else each on a pooled connection (each commits on its own).
 */
export async function withConnection<T>(_db: PostgresDb, work: () => T | Promise<T>): Promise<T> {
  return work();
}

/** One write transaction, serialised with every other writer (see WRITE_LOCK_KEY); nested: a savepoint. */
export function inTransaction<T>(db: PostgresDb, work: () => T | Promise<T>): Promise<T> {
  const begin = ['begin', `select pg_advisory_xact_lock(${WRITE_LOCK_KEY})`];
  if (ownUnit(db) !== undefined) return runTransaction(db, work, begin);
  return inWriteQueue(db, () => runTransaction(db, work, begin));
}

/** The tail of each pool's queue of write transactions in this process (first come, first served). */
const writeQueueTail = new WeakMap<PostgresDb, Promise<void>>();

/** Runs `transaction` once the write transactions queued before it on `db` have ended (however they ended). */
function inWriteQueue<T>(db: PostgresDb, transaction: () => Promise<T>): Promise<T> {
  const before = writeQueueTail.get(db) ?? Promise.resolve();
  let done!: () => void;
  const ended = new Promise<void>((resolve) => {
    done = resolve;
  });
  writeQueueTail.set(db, ended);
  return before.then(transaction).finally(() => {
    done();
    if (writeQueueTail.get(db) === ended) writeQueueTail.delete(db);
  });
}

/** One snapshot for several reads (REPEATABLE READ); takes no lock. Nested: runs in the outer one. */
export function inReadTransaction<T>(db: PostgresDb, work: () => T | Promise<T>): Promise<T> {
  return runTransaction(db, work, ['begin isolation level repeatable read']);
}

async function runTransaction<T>(db: PostgresDb, work: () => T | Promise<T>, begin: string[]): Promise<T> {
  const outer = ownUnit(db);
  if (outer !== undefined) return begin.length > 1 ? savepoint(outer, work) : work();
  const { client, release } = await checkOut(db.pool);
  let broken: Error | undefined;
  try {
    // One round trip: `begin` and the write lock go as one simple query (no parameters).
    await client.query(begin.join('; ')).catch(rethrowFromDatabase);
    const unit: PostgresUnit = { db, client, depth: 0 };
    try {
      const result = await currentUnit.run(unit, work);
      await client.query('commit').catch(rethrowFromDatabase);
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
  } catch (error) {
    // A connection that failed mid-transaction is not handed to the next request.
    if (isConnectionError(error)) broken = error as Error;
    throw error;
  } finally {
    release(broken);
  }
}

/** begin, commit: a failure there is the database's (storage-failures.ts tells a person so). */
function rethrowFromDatabase(error: unknown): never {
  throw fromDatabase(error);
}

async function savepoint<T>(unit: PostgresUnit, work: () => T | Promise<T>): Promise<T> {
  const name = `unit_${++unit.depth}`;
  await unit.client.query(`savepoint ${name}`);
  try {
    const result = await work();
    await unit.client.query(`release savepoint ${name}`);
    return result;
  } catch (error) {
    await unit.client.query(`rollback to savepoint ${name}`);
    await unit.client.query(`release savepoint ${name}`);
    throw error;
  } finally {
    unit.depth--;
  }
}

