// Units of work on one connection, for an asynchronous store over a synchronous driver.
//
// better-sqlite3 runs each statement synchronously, but the store's API is asynchronous (so that
// another database can sit behind it), and a unit of work — a command's update and its audit row,
// the Slack inbox claim and the work it guards — may now await between statements. On one shared
// connection that is only safe if nothing else runs a statement while such a unit is open:
// otherwise another request's write would land inside this transaction (and vanish with its
// rollback). better-sqlite3 refuses async transaction functions, and drizzle's async SQLite
// transactions do not roll back, so the transaction is held here explicitly:
//
// - each connection has one queue of turns (first come, first served);
// - `inTransaction` waits for its turn, then runs BEGIN IMMEDIATE … COMMIT (ROLLBACK on error)
//   around the awaited work, with the unit carried in AsyncLocalStorage so that store calls made
//   inside it run straight away (nested units become savepoints);
// - `storeCall` — every store function's entry — runs its body in a turn of its own (at once when
//   the connection is free), so its statements never interleave with another unit's;
// - `withConnection` is a unit without a transaction, for a store function that awaits other
//   store functions between its own statements (nothing else runs in between, as before).
//
// A statement prepared while another unit holds the connection throws (see guardConnection): a
// query that slipped past the store's entry points fails loudly in tests instead of racing.
//
// PostgreSQL has a pool of connections and real concurrency: its units are in
// postgres-unit-of-work.ts, and each function here hands a PostgresDb over to it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import { PostgresDb } from './postgres-database.js';
import * as postgresUnits from './postgres-unit-of-work.js';

/** The connection a store function works on (the drizzle handle carries it as `$client`). */
interface HasClient {
  $client: Database.Database;
}

/** Either store: an SQLite connection (the drizzle handle) or a PostgreSQL pool. */
type StoreHandle = HasClient | PostgresDb;

interface Unit {
  client: Database.Database;
  /** Nesting depth inside this unit, for savepoint names. */
  depth: number;
}

interface Turns {
  /** The unit holding the connection, or null when it is free. */
  holder: Unit | null;
  /** Waiting turns, oldest first; each is started by the one before it when that one ends. */
  waiting: Array<() => void>;
}

const currentUnit = new AsyncLocalStorage<Unit>();
const turnsByClient = new WeakMap<Database.Database, Turns>();
const turnsByFile = new Map<string, Turns>();

/**
 * The queue a connection's turns wait in: one per database file in this process, so that two
 * connections to one file (a test's two workers, a CLI helper) take turns instead of one blocking
 * the thread in SQLite's busy wait while the other, holding the write lock across an await, can never
 * get back to commit. An in-memory database has a queue of its own.
 */
function turnsOf(client: Database.Database): Turns {
  let turns = turnsByClient.get(client);
  if (!turns) {
    const file = client.memory ? undefined : client.name;
    turns = (file !== undefined ? turnsByFile.get(file) : undefined) ?? { holder: null, waiting: [] };
    if (file !== undefined) turnsByFile.set(file, turns);
    turnsByClient.set(client, turns);
  }
  return turns;
}

/** The unit of work the caller is inside on this connection, if any. */
function ownUnit(client: Database.Database): Unit | undefined {
  const unit = currentUnit.getStore();
  return unit !== undefined && unit.client === client ? unit : undefined;
}

function waitForTurn(turns: Turns, unit: Unit): Promise<void> | undefined {
  if (turns.holder === null && turns.waiting.length === 0) {
    turns.holder = unit;
    return undefined;
  }
  return new Promise<void>((resolve) =>
    turns.waiting.push(() => {
      turns.holder = unit;
      resolve();
    }),
  );
}

function endTurn(turns: Turns): void {
  turns.holder = null;
  turns.waiting.shift()?.();
}

/**
 * Runs one store function's body with the connection to itself (the caller's unit, when it is
 * inside one on this connection; otherwise a turn after the units ahead of it). Every exported
 * store function goes through here (or through inTransaction / withConnection). The body may await
 * its statements: on PostgreSQL they are round trips, on SQLite they return at once.
 */
export function storeCall<T>(db: StoreHandle, body: () => T | Promise<T>): Promise<T> {
  // The same unit as withConnection; the name says a leaf store function's body.
  return withConnection(db, body);
}

/**
 * Runs `work` as one IMMEDIATE transaction: all of it is written, or none of it, and no other
 * request's statement runs on this connection until it ends. Inside another unit on the same
 * connection it becomes a savepoint (an error rolls back this part only, and is rethrown).
 */
export function inTransaction<T>(db: StoreHandle, work: () => T | Promise<T>): Promise<T> {
  if (db instanceof PostgresDb) return postgresUnits.inTransaction(db, work);
  return runUnit(db, work, 'BEGIN IMMEDIATE');
}

/**
 * Runs `work` in one read transaction (deferred: it takes no write lock), so the queries in it see
 * the same data even while another connection commits.
 */
export function inReadTransaction<T>(db: StoreHandle, work: () => T | Promise<T>): Promise<T> {
  if (db instanceof PostgresDb) return postgresUnits.inReadTransaction(db, work);
  return runUnit(db, work, 'BEGIN');
}

/**
 * Whether work that only reads is worth running in a read transaction of its own, apart from the
 * small write that follows it (the Slack inbox claim). On PostgreSQL it is: every write transaction
 * takes the one lock that serialises writers across instances, and a read should not wait for it.
 * On SQLite it is not: there is one writer anyway, and one transaction costs less than two.
 */
export function readsApartFromWrites(db: StoreHandle): boolean {
  return db instanceof PostgresDb;
}

/**
 * Runs `work` with the connection to itself and no transaction: what a synchronous store function
 * used to get for free. For a store function that awaits other store functions between its own
 * statements; each statement commits on its own, as before.
 */
export function withConnection<T>(db: StoreHandle, work: () => T | Promise<T>): Promise<T> {
  if (db instanceof PostgresDb) return postgresUnits.withConnection(db, work);
  return runUnit(db, work, undefined);
}

/**
 * For a store function that reads, then writes on what it read (find-or-create, upserts): the two
 * must not be split by another instance's write. Inside a transaction already, it runs in it (no
 * savepoint: the import calls these for every row); otherwise in a write transaction of its own
 * (serialised with every other writer, on either database).
 */
export function readThenWrite<T>(db: StoreHandle, work: () => T | Promise<T>): Promise<T> {
  if (db instanceof PostgresDb) return postgresUnits.unitClient(db) !== undefined ? Promise.resolve().then(work) : postgresUnits.inTransaction(db, work);
  const outer = ownUnit(db.$client);
  if (outer && db.$client.inTransaction) return Promise.resolve().then(work);
  return runUnit(db, work, 'BEGIN IMMEDIATE');
}

async function runUnit<T>(db: HasClient, work: () => T | Promise<T>, begin: string | undefined): Promise<T> {
  const client = db.$client;
  const outer = ownUnit(client);
  if (outer) {
    // Inside our own unit: a transaction within a transaction is a savepoint; a transaction inside
    // a plain unit begins here (IMMEDIATE, so it never has to upgrade a read lock under another writer).
    if (begin === undefined) return work();
    return client.inTransaction ? savepoint(outer, work) : transact(client, work, begin);
  }
  const turns = turnsOf(client);
  const unit: Unit = { client, depth: 0 };
  await waitForTurn(turns, unit);
  try {
    return await currentUnit.run(unit, () => (begin === undefined ? work() : transact(client, work, begin)));
  } finally {
    endTurn(turns);
  }
}

/** BEGIN, COMMIT and ROLLBACK prepared once per connection: exec() parses its text on every call. */
interface TransactionStatements {
  begin: Map<string, Database.Statement>;
  commit: Database.Statement;
  rollback: Database.Statement;
}

const transactionStatements = new WeakMap<Database.Database, TransactionStatements>();

function transactionStatementsOf(client: Database.Database): TransactionStatements {
  let statements = transactionStatements.get(client);
  if (!statements) {
    statements = { begin: new Map(), commit: client.prepare('COMMIT'), rollback: client.prepare('ROLLBACK') };
    transactionStatements.set(client, statements);
  }
  return statements;
}

async function transact<T>(client: Database.Database, work: () => T | Promise<T>, begin: string): Promise<T> {
  const statements = transactionStatementsOf(client);
  let beginStatement = statements.begin.get(begin);
  if (!beginStatement) {
    beginStatement = client.prepare(begin);
    statements.begin.set(begin, beginStatement);
  }
  beginStatement.run();
  try {
    const result = await work();
    statements.commit.run();
    return result;
  } catch (error) {
    // A failed COMMIT (or SQLite's own rollback on some errors) may have ended it already.
    if (client.inTransaction) statements.rollback.run();
    throw error;
  }
}

async function savepoint<T>(unit: Unit, work: () => T | Promise<T>): Promise<T> {
  const name = `unit_${++unit.depth}`;
  unit.client.exec(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    unit.client.exec(`RELEASE ${name}`);
    return result;
  } catch (error) {
    if (unit.client.inTransaction) {
      unit.client.exec(`ROLLBACK TO ${name}`);
      unit.client.exec(`RELEASE ${name}`);
    }
    throw error;
  } finally {
    unit.depth--;
  }
}

/** Thrown when a statement runs on a connection another unit of work holds: a bug, not a user error. */
export class StatementOutsideUnitError extends Error {
  constructor() {
    super('A database statement ran while another unit of work held the connection; every query must go through a store function.');
    this.name = 'StatementOutsideUnitError';
  }
}

/** Throws StatementOutsideUnitError when the connection is held by a unit the caller is not in. */
export function checkStatementTurn(client: Database.Database): void {
  const holder = turnsOf(client).holder;
  if (holder && currentUnit.getStore() !== holder) throw new StatementOutsideUnitError();
}

/**
 * Makes every statement prepared or executed on this connection check that it is not running inside
 * another request's unit of work (drizzle prepares each query through `prepare`).
 */
export function guardConnection(sqlite: Database.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const exec = sqlite.exec.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    checkStatementTurn(sqlite);
    return prepare(source);
  }) as typeof sqlite.prepare;
  sqlite.exec = ((source: string) => {
    checkStatementTurn(sqlite);
    return exec(source);
  }) as typeof sqlite.exec;
}
