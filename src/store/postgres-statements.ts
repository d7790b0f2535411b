// statements.ts's functions on PostgreSQL: a `sql` fragment compiled with PostgreSQL's spellings
// ($1 placeholders, dialect.ts's forms), run as a named prepared statement (parsed once per
// connection, as SQLite's statement cache does), with rows shaped as the SQLite store gives them.
//
// Row keys: PostgreSQL folds unquoted names to lower case, so `select owner_id as ownerId` comes
// back as `ownerid`. The store's queries name their columns in camelCase unquoted (SQLite keeps the
// case), so each statement's camelCase names are collected once from its text and the result's
// column names are mapped back to them.
import { createHash } from 'node:crypto';
import { is, Placeholder, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { compileFor, registerCompiler } from './dialect.js';
import type { PostgresDb } from './postgres-database.js';
import { queryTarget } from './postgres-unit-of-work.js';
import { fromDatabase } from './storage-failures.js';

const dialect = new PgDialect();
registerCompiler('postgres', (query) => dialect.sqlToQuery(query));

interface CompiledStatement {
  text: string;
  /** The prepared statement's name (from its text: the same text is the same statement). */
  name: string;
  /** lower-case column name → the name the query wrote. */
  names: Map<string, string>;
}

const compiledByText = new Map<string, CompiledStatement>();

function compile(query: SQL): { statement: CompiledStatement; params: unknown[] } {
  const { sql: text, params } = compileFor('postgres', () => dialect.sqlToQuery(query));
  return { statement: statementFor(text), params };
}

function statementFor(text: string): CompiledStatement {
  let statement = compiledByText.get(text);
  if (!statement) {
    const names = new Map<string, string>();
    for (const match of text.matchAll(/\bas\s+"?([A-Za-z_][A-Za-z0-9_]*)"?/g)) {
      const name = match[1] as string;
      if (name !== name.toLowerCase()) names.set(name.toLowerCase(), name);
    }
    statement = { text, name: `sb_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, names };
    compiledByText.set(text, statement);
  }
  return statement;
}

async function query(db: PostgresDb, statement: CompiledStatement, params: unknown[]): Promise<pg.QueryArrayResult> {
  try {
    return await queryTarget(db).query<unknown[]>({ name: statement.name, text: statement.text, values: params.map(toDriverValue), rowMode: 'array' });
  } catch (error) {
    // The statement's text (never its values) says which query failed, in logs and test output.
    if (error instanceof Error && !('statement' in error)) Object.defineProperty(error, 'statement', { value: statement.text, enumerable: true });
    throw fromDatabase(error);
  }
}

/** Values as PostgreSQL takes them: a JS boolean binds as is; undefined as null. */
function toDriverValue(value: unknown): unknown {
  return value === undefined ? null : value;
}

function toObjects<T>(statement: CompiledStatement, result: pg.QueryArrayResult): T[] {
  const keys = result.fields.map((field) => statement.names.get(field.name) ?? field.name);
  return result.rows.map((values) => {
    const row: Record<string, unknown> = {};
    keys.forEach((key, c) => {
      row[key] = values[c];
    });
    return row as T;
  });
}

export async function all<T>(db: PostgresDb, sqlQuery: SQL): Promise<T[]> {
  const { statement, params } = compile(sqlQuery);
  return toObjects<T>(statement, await query(db, statement, params));
}

export async function get<T>(db: PostgresDb, sqlQuery: SQL): Promise<T | undefined> {
  return (await all<T>(db, sqlQuery))[0];
}

export async function values<T extends unknown[]>(db: PostgresDb, sqlQuery: SQL): Promise<T[]> {
  const { statement, params } = compile(sqlQuery);
  return (await query(db, statement, params)).rows as T[];
}

export async function run(db: PostgresDb, sqlQuery: SQL): Promise<{ changes: number }> {
  const { statement, params } = compile(sqlQuery);
  return { changes: (await query(db, statement, params)).rowCount ?? 0 };
}

// ---- statements compiled once with placeholders (statements.ts's Prepared) ----

interface CompiledPrepared {
  statement: CompiledStatement;
  /** Per parameter: the placeholder's name, or undefined for a value fixed in the query. */
  names: (string | undefined)[];
  params: unknown[];
  /** The same statement with `returning id`, for inserts. */
  returningId?: CompiledStatement;
}

const preparedByQuery = new WeakMap<SQL, CompiledPrepared>();

function compilePrepared(sqlQuery: SQL): CompiledPrepared {
  let compiled = preparedByQuery.get(sqlQuery);
  if (!compiled) {
    const { statement, params } = compile(sqlQuery);
    compiled = { statement, params, names: params.map((p) => (is(p, Placeholder) ? p.name : undefined)) };
    preparedByQuery.set(sqlQuery, compiled);
  }
  return compiled;
}

function bind(compiled: CompiledPrepared, values: Record<string, unknown>): unknown[] {
  return compiled.params.map((param, i) => {
    const name = compiled.names[i];
    if (name === undefined) return param;
    if (!(name in values)) throw new Error(`No value for placeholder "${name}"`);
    return values[name];
  });
}

export async function allPrepared<T>(db: PostgresDb, sqlQuery: SQL, values: Record<string, unknown>): Promise<T[]> {
  const compiled = compilePrepared(sqlQuery);
  return toObjects<T>(compiled.statement, await query(db, compiled.statement, bind(compiled, values)));
}

export async function runPrepared(db: PostgresDb, sqlQuery: SQL, values: Record<string, unknown>): Promise<{ changes: number }> {
  const compiled = compilePrepared(sqlQuery);
  return { changes: (await query(db, compiled.statement, bind(compiled, values))).rowCount ?? 0 };
}

/** Runs an INSERT of one row and gives the new row's id (`returning id`, added here). */
export async function insertPrepared(db: PostgresDb, sqlQuery: SQL, values: Record<string, unknown>): Promise<number> {
  const compiled = compilePrepared(sqlQuery);
  compiled.returningId ??= statementFor(`${compiled.statement.text} returning id`);
  const result = await query(db, compiled.returningId, bind(compiled, values));
  return Number(result.rows[0]?.[0]);
}
