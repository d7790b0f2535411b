// Runs drizzle `sql` fragments against the store's database. The fragment is compiled to text and
// bound values; the prepared statement is kept per connection by its text, so a query run again (the
// 100k-row import runs a few statements hundreds of thousands of times) is not prepared again.
// Call sites write `sql` templates (with dialect.ts for the forms that differ between databases)
// and never see the driver: nothing here is SQLite syntax, only the driver's prepare/run.
//
// On SQLite each function returns its result at once; on PostgreSQL (postgres-statements.ts) it
// returns a promise. Callers always `await`, so one store serves both.
import { is, Placeholder, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { cachedStatement, type Db, type SqliteDb } from './database.js';
import { compileFor, registerCompiler } from './dialect.js';
import { PostgresDb } from './postgres-database.js';
import * as postgres from './postgres-statements.js';

const dialect = new SQLiteSyncDialect();
registerCompiler('sqlite', (query) => dialect.sqlToQuery(query));

/** A result now (SQLite) or later (PostgreSQL): always awaited. */
export type Awaitable<T> = T | Promise<T>;

interface Compiled {
  text: string;
  params: unknown[];
}

function compile(query: SQL): Compiled {
  const { sql: text, params } = compileFor('sqlite', () => dialect.sqlToQuery(query));
  return { text, params };
}

/** Every row of `query`, as objects keyed by the selected column names (or aliases). */
export function all<T>(db: Db, query: SQL): Awaitable<T[]> {
  if (db instanceof PostgresDb) return postgres.all<T>(db, query);
  const { text, params } = compile(query);
  return cachedStatement(db, text).all(...params) as T[];
}

/** The first row of `query`, or undefined when there is none. */
export function get<T>(db: Db, query: SQL): Awaitable<T | undefined> {
  if (db instanceof PostgresDb) return postgres.get<T>(db, query);
  const { text, params } = compile(query);
  return cachedStatement(db, text).get(...params) as T | undefined;
}

/**
 * Every row of `query` as an array of its column values, in select order: for the few big results
 * (the digest's trail) where building an object per row costs more than the query.
 */
export function values<T extends unknown[]>(db: Db, query: SQL): Awaitable<T[]> {
  if (db instanceof PostgresDb) return postgres.values<T>(db, query);
  const { text, params } = compile(query);
  const statement = cachedStatement(db, text);
  // The statement is shared by its text: it returns objects again for the next caller.
  try {
    return statement.raw(true).all(...params) as T[];
  } finally {
    statement.raw(false);
  }
}

/**
 * The rows of `query` as arrays, one at a time, for the planning state's biggest reads: rows are
 * not all held at once (the tick's peak memory at 100k actions).
 */
export function eachValues<T extends unknown[]>(db: Db, query: SQL): Awaitable<Iterable<T>> {
  // PostgreSQL: the rows come in one result (a cursor would cost a round trip per batch).
  if (db instanceof PostgresDb) return postgres.values<T>(db, query);
  return eachSqliteValues<T>(db, query);
}

function* eachSqliteValues<T extends unknown[]>(db: SqliteDb, query: SQL): Generator<T> {
  const { text, params } = compile(query);
  const statement = cachedStatement(db, text);
  statement.raw(true);
  try {
    yield* statement.iterate(...params) as IterableIterator<T>;
  } finally {
    statement.raw(false);
  }
}

/** Runs a statement that returns no rows; how many rows it changed. */
export function run(db: Db, query: SQL): Awaitable<{ changes: number }> {
  if (db instanceof PostgresDb) return postgres.run(db, query);
  const { text, params } = compile(query);
  return { changes: cachedStatement(db, text).run(...params).changes };
}

/** Whether `query` returns at least one row. */
export function exists(db: Db, query: SQL): Awaitable<boolean> {
  if (db instanceof PostgresDb) return postgres.get(db, query).then((row) => row !== undefined);
  const { text, params } = compile(query);
  return cachedStatement(db, text).get(...params) !== undefined;
}

/**
 * A statement compiled once, with `sql.placeholder(name)` for its values, for the hot paths
 * (the plan, KPI and calendar imports run the same few statements for every row). Each run only
 * fills the placeholders; no fragment is rebuilt or recompiled.
 */
export class Prepared<T = unknown> {
  private compiled: Compiled | undefined;
  /** Per parameter: the placeholder's name to fill it from, or undefined for a value fixed in the query. */
  private names: (string | undefined)[] = [];

  constructor(private readonly query: SQL) {}

  private statement(db: SqliteDb, values: Record<string, unknown>) {
    if (!this.compiled) {
      this.compiled = compile(this.query);
      this.names = this.compiled.params.map((p) => (is(p, Placeholder) ? p.name : undefined));
    }
    const { text, params } = this.compiled;
    // A plain loop: this runs for every row of a 100k-row import.
    const bound = new Array<unknown>(params.length);
    for (let i = 0; i < params.length; i += 1) {
      const name = this.names[i];
      if (name === undefined) bound[i] = params[i];
      else if (name in values) bound[i] = values[name];
      else throw new Error(`No value for placeholder "${name}"`);
    }
    return { statement: cachedStatement(db, text), params: bound };
  }

  all(db: Db, values: Record<string, unknown> = {}): Awaitable<T[]> {
    if (db instanceof PostgresDb) return postgres.allPrepared<T>(db, this.query, values);
    const { statement, params } = this.statement(db, values);
    return statement.all(...params) as T[];
  }

  get(db: Db, values: Record<string, unknown> = {}): Awaitable<T | undefined> {
    if (db instanceof PostgresDb) return postgres.allPrepared<T>(db, this.query, values).then((rows) => rows[0]);
    const { statement, params } = this.statement(db, values);
    return statement.get(...params) as T | undefined;
  }

  run(db: Db, values: Record<string, unknown> = {}): Awaitable<{ changes: number }> {
    if (db instanceof PostgresDb) return postgres.runPrepared(db, this.query, values);
    const { statement, params } = this.statement(db, values);
    return { changes: statement.run(...params).changes };
  }

  /**
   * Runs an INSERT of one row (written without `returning`) and gives the new row's id. On SQLite
   * that is the connection's last insert rowid: `returning id` makes SQLite collect the returned row
   * in a temporary table on every run, which cost the 100k-row import about a second (measured).
   * PostgreSQL appends `returning id` instead (postgres-statements.ts); call sites stay the same.
   */
  insert(db: Db, values: Record<string, unknown> = {}): Awaitable<number> {
    if (db instanceof PostgresDb) return postgres.insertPrepared(db, this.query, values);
    const { statement, params } = this.statement(db, values);
    return Number(statement.run(...params).lastInsertRowid);
  }
}

/** A statement compiled once and run with placeholder values (see {@link Prepared}). */
export function prepared<T = unknown>(query: SQL): Prepared<T> {
  return new Prepared<T>(query);
}
