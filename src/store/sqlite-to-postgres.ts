// Moves a partnership's SQLite database into an empty PostgreSQL database (`sendbot
// migrate-to-postgres`, issue 21), every row with its id:
//
// 1. the source is checked (an SQLite file with sendbot's tables) and copied with SQLite's online
//    backup into a private temp folder, so a bot still writing to it cannot tear the copy; the copy
//    (never the source) is brought up to this version's migrations;
// 2. the target is checked empty (no sendbot rows, no one else's tables) and migrated;
// 3. in ONE transaction: rows go in, parents before children, in batched multi-row inserts, each
//    column converted as the two schemas say (sqlite-to-postgres-plan.ts); every identity is moved
//    on past the largest id; the search index is rebuilt from the actions; then every table's row
//    count and checksum are compared with the source. Any difference, or a source that changed
//    since the copy was taken, rolls everything back.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { is } from 'drizzle-orm';
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import * as pgSchema from '../../db/schema.pg.js';
import { closeDatabase, makePrivateDirectory, openDatabase } from './database.js';
import { describePostgresFailure } from './open-store.js';
import { createPostgresDb, describePostgresUrl, type PostgresDb, type PostgresOptions } from './postgres-database.js';
import { migratePostgres } from './postgres-migrations.js';
import { unitClient } from './postgres-unit-of-work.js';
import { searchIndexFor } from './search-index.js';
import {
  type ForeignKeys,
  planCopy,
  REBUILT_TABLES,
  type SourceTable,
  TableChecksum,
  type TableCopy,
  type TargetTable,
  toPostgres,
  UnconvertibleValue,
} from './sqlite-to-postgres-plan.js';
import { inTransaction } from './unit-of-work.js';

/** The copy cannot be made, for a reason the person running it can act on; nothing was changed. */
export class MigrationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationRefused';
  }
}

export interface TableResult {
  name: string;
  /** Rows in the SQLite copy. */
  source: number;
  /** Rows in PostgreSQL after the copy, counted inside its transaction. */
  target: number;
  /** Both sides' order-independent checksum agreed. */
  checksumsMatch: boolean;
}

export interface MigrationResult {
  /** host:port/database of the target (never its password). */
  target: string;
  tables: TableResult[];
  /** Actions written to PostgreSQL's search index. */
  searchEntries: number;
}

export interface MigrationOptions {
  postgres?: PostgresOptions;
  /** Called once the snapshot of the source is taken (tests use it to write to the source meanwhile). */
  afterSnapshot?: () => void | Promise<void>;
}

/** Rows per insert statement at most; fewer when a table has many columns (PostgreSQL takes 65,535 parameters). */
const BATCH_ROWS = 1_000;
const MAX_PARAMETERS = 30_000;

/** A transaction-scoped advisory lock ('sbmg'): two copies into one database cannot interleave. */
const MIGRATE_LOCK_KEY = 0x73626d67;

/** Copies the SQLite database at `sourcePath` into the empty PostgreSQL database at `targetUrl`. */
export async function migrateSqliteToPostgres(sourcePath: string, targetUrl: string, options: MigrationOptions = {}): Promise<MigrationResult> {
  const where = describePostgresUrl(targetUrl);
  const source = openSource(sourcePath);
  const folder = mkdtempSync(join(tmpdir(), 'sendbot-migrate-'));
  let snapshot: Database.Database | undefined;
  let target: PostgresDb | undefined;
  try {
    makePrivateDirectory(folder);
    const copyPath = join(folder, 'snapshot.db');
    await source.backup(copyPath);
    const versionAtSnapshot = dataVersion(source);
    // The copy, not the source, is brought up to this version's schema (an older bot's file).
    await closeDatabase(await openDatabase(copyPath));
    snapshot = new Database(copyPath, { readonly: true, fileMustExist: true });
    await options.afterSnapshot?.();

    target = createPostgresDb(targetUrl, { ...options.postgres, poolSize: 2 });
    try {
      await refuseUnlessEmpty(target.pool, where);
      await migratePostgres(target.pool);
    } catch (error) {
      throw error instanceof MigrationRefused ? error : describePostgresFailure(targetUrl, error);
    }
    const plan = planCopy(sourceTables(snapshot), await targetTables(target.pool), await foreignKeys(target.pool));
    if (plan.problems.length > 0) {
      throw new MigrationRefused(`The SQLite database and PostgreSQL's schema do not line up, so rows would be lost:\n${plan.problems.map((p) => `  - ${p}`).join('\n')}\nNothing was copied.`);
    }
    const db = target;
    const from = snapshot;
    const result = await inTransaction(db, async () => {
      const client = unitClient(db) as pg.PoolClient;
      await client.query('select pg_advisory_xact_lock($1)', [MIGRATE_LOCK_KEY]);
      // Checked again under the lock: another copy may have filled it since the first look.
      await refuseUnlessEmpty(client, where);
      for (const table of plan.tables) await copyTable(from, client, table);
      await moveIdentitiesOn(from, client, plan.tables);
      const searchEntries = await rebuildSearchIndex(db, client);
      const tables = await verify(from, client, plan.tables);
      const wrong = tables.filter((t) => t.source !== t.target || !t.checksumsMatch);
      if (wrong.length > 0) {
        throw new MigrationRefused(
          `The copy did not match the SQLite database (${wrong.map((t) => `${t.name}: ${t.source} rows there, ${t.target} here${t.checksumsMatch ? '' : ', contents differ'}`).join('; ')}), so it was rolled back. Nothing was copied.`,
        );
      }
      if (dataVersion(source) !== versionAtSnapshot) {
        throw new MigrationRefused(
          `${sourcePath} changed while it was being copied: something (the bot?) is still writing to it. Stop the bot, then run migrate-to-postgres again. Nothing was copied; ${where} holds sendbot's empty tables, which the next run will use.`,
        );
      }
      return { target: where, tables, searchEntries };
    });
    // Statistics for the planner now, not when autovacuum comes round: without them PostgreSQL
    // joins a whole plan before filtering it, and /send mine took 20 ms instead of 1 at 10k actions.
    await db.pool.query('analyze');
    return result;
  } finally {
    snapshot?.close();
    source.close();
    await target?.close().catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The source, read-only; anything that is not an SQLite file with sendbot's tables is refused. */
function openSource(path: string): Database.Database {
  const unchanged = 'Nothing was changed.';
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new MigrationRefused(`There is no SQLite database at ${path}: give the bot's database file with --db, e.g. --db data/sendbot.db. ${unchanged}`);
  }
  if (!isFile) throw new MigrationRefused(`${path} is not a file: give the bot's SQLite database file with --db, e.g. --db data/sendbot.db. ${unchanged}`);
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path, { readonly: true, fileMustExist: true });
    const tables = new Set(sqlite.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[]);
    if (!tables.has('__drizzle_migrations') || !tables.has('actions')) {
      throw new MigrationRefused(`${path} is an SQLite database, but not sendbot's (it has none of sendbot's tables): give the bot's database file with --db. ${unchanged}`);
    }
    return sqlite;
  } catch (error) {
    sqlite?.close();
    if (error instanceof MigrationRefused) throw error;
    const code = String((error as { code?: unknown }).code ?? '');
    if (/^SQLITE_(NOTADB|CORRUPT)/.test(code)) {
      throw new MigrationRefused(`${path} is not a sendbot database (it is not an SQLite file, or it is damaged): give the bot's database file with --db. ${unchanged}`);
    }
    throw new MigrationRefused(`${path} cannot be read (${(error as Error).message}): check the path and that this user may read it. ${unchanged}`);
  }
}

/** SQLite's count of commits by other connections: it moves when the bot writes to the source. */
function dataVersion(sqlite: Database.Database): number {
  return sqlite.pragma('data_version', { simple: true }) as number;
}

/** The tables sendbot's PostgreSQL schema has, from db/schema.pg.ts and its custom migrations. */
function sendbotTableNames(): Set<string> {
  const names = (Object.values(pgSchema) as unknown[]).filter((v): v is PgTable => is(v, PgTable)).map((t) => getTableConfig(t).name);
  return new Set([...names, ...REBUILT_TABLES]);
}

/** Refuses a target that holds sendbot rows or anyone else's tables. Sendbot's empty tables are fine. */
async function refuseUnlessEmpty(on: pg.Pool | pg.PoolClient, where: string): Promise<void> {
  const { rows } = await on.query<{ name: string }>(
    "select c.relname as name from pg_class c where c.relnamespace = (select oid from pg_namespace where nspname = current_schema()) and c.relkind in ('r', 'p') order by c.relname",
  );
  const ours = sendbotTableNames();
  const foreign = rows.map((r) => r.name).filter((n) => !ours.has(n));
  if (foreign.length > 0) {
    throw new MigrationRefused(
      `The PostgreSQL database ${where} is not empty: it holds tables that are not sendbot's (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}). Give migrate-to-postgres a new, empty database (e.g. createdb sendbot). Nothing was changed.`,
    );
  }
  const filled: string[] = [];
  for (const { name } of rows) {
    const result = await on.query(`select 1 from ${quoted(name)} limit 1`);
    if (result.rowCount) filled.push(name);
  }
  if (filled.length > 0) {
    throw new MigrationRefused(
      `The PostgreSQL database ${where} already holds sendbot data (in ${filled.slice(0, 5).join(', ')}${filled.length > 5 ? ', …' : ''}): migrate-to-postgres copies into an empty database only, so nothing there is overwritten or mixed. Give it a new, empty database (e.g. createdb sendbot). Nothing was changed.`,
    );
  }
}

function sourceTables(sqlite: Database.Database): SourceTable[] {
  const names = sqlite.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all() as string[];
  return names.map((name) => ({ name, columns: (sqlite.pragma(`table_info(${quoted(name)})`) as { name: string }[]).map((c) => c.name) }));
}

async function targetTables(pool: pg.Pool): Promise<TargetTable[]> {
  const { rows } = await pool.query<{ table: string; column: string; type: string; generated: boolean; identity: boolean; optional: boolean }>(
    `select c.table_name as "table", c.column_name as "column", c.data_type as "type",
            c.is_generated = 'ALWAYS' as generated, c.is_identity = 'YES' as identity,
            (c.is_nullable = 'YES' or c.column_default is not null or c.is_identity = 'YES') as optional
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema = current_schema()
      order by c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, TargetTable>();
  for (const row of rows) {
    let table = tables.get(row.table);
    if (!table) tables.set(row.table, (table = { name: row.table, columns: [] }));
    // The pool reads booleans as 1/0, as the store does.
    table.columns.push({ name: row.column, dataType: row.type, generated: Boolean(row.generated), identity: Boolean(row.identity), optional: Boolean(row.optional) });
  }
  return [...tables.values()];
}

async function foreignKeys(pool: pg.Pool): Promise<ForeignKeys> {
  const { rows } = await pool.query<{ child: string; parent: string }>(
    `select child.relname as child, parent.relname as parent
       from pg_constraint k join pg_class child on child.oid = k.conrelid join pg_class parent on parent.oid = k.confrelid
      where k.contype = 'f' and k.connamespace = (select oid from pg_namespace where nspname = current_schema())`,
  );
  const keys = new Map<string, string[]>();
  for (const { child, parent } of rows) keys.set(child, [...(keys.get(child) ?? []), parent]);
  return keys;
}

async function copyTable(sqlite: Database.Database, client: pg.PoolClient, table: TableCopy): Promise<void> {
  if (table.columns.length === 0) return;
  const names = table.columns.map((c) => quoted(c.name));
  const rowsPerBatch = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / names.length)));
  const order = table.identity ? ` order by ${quoted(table.identity)}` : '';
  const read = sqlite.prepare(`select ${names.join(', ')} from ${quoted(table.name)}${order}`).raw(true);
  const overriding = table.identity ? ' overriding system value' : '';
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((value) => `$${values.push(value)}`).join(', ')})`);
    try {
      await client.query(`insert into ${quoted(table.name)} (${names.join(', ')})${overriding} values ${tuples.join(', ')}`, values);
    } catch (error) {
      throw new MigrationRefused(`PostgreSQL refused rows of ${table.name} (${(error as Error).message}). Nothing was copied.`);
    }
    batch = [];
  };
  // The table is read whole first: better-sqlite3's iterator must not stay open across awaits.
  const rows = read.all() as unknown[][];
  for (const row of rows) {
    batch.push(
      row.map((value, i) => {
        const column = table.columns[i] as TableCopy['columns'][number];
        try {
          return toPostgres(value, column.conversion);
        } catch (error) {
          if (!(error instanceof UnconvertibleValue)) throw error;
          const id = table.identity ? ` (${table.identity} ${row[table.columns.findIndex((c) => c.name === table.identity)]})` : '';
          throw new MigrationRefused(`${table.name}.${column.name}${id} ${error.message}: correct it in the SQLite database, then run again. Nothing was copied.`);
        }
      }),
    );
    if (batch.length >= rowsPerBatch) await flush();
  }
  await flush();
}

/**
 * Each identity continues after the largest id copied, or after the largest SQLite ever gave out
 * (sqlite_sequence, for AUTOINCREMENT tables whose last rows were deleted): no id is given twice.
 */
async function moveIdentitiesOn(sqlite: Database.Database, client: pg.PoolClient, tables: readonly TableCopy[]): Promise<void> {
  const hasSequence = sqlite.prepare("select 1 from sqlite_master where name = 'sqlite_sequence'").get() !== undefined;
  const given = new Map<string, number>(hasSequence ? (sqlite.prepare('select name, seq from sqlite_sequence').raw(true).all() as [string, number][]) : []);
  for (const table of tables) {
    if (!table.identity) continue;
    await client.query(
      `select setval(pg_get_serial_sequence($1, $2), last) from (select greatest(max(${quoted(table.identity)}), $3::bigint) as last from ${quoted(table.name)}) copied where last >= 1`,
      [quoted(table.name), table.identity, given.get(table.name) ?? null],
    );
  }
}

/** Every action not removed, indexed as the store indexes it when a plan is imported. */
async function rebuildSearchIndex(db: PostgresDb, client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ id: number; ref: string; text: string; workstream: string; plan: string }>(
    `select a.id, a.ref, a.text, w.title as workstream, p.title as plan
       from actions a join workstreams w on w.id = a.workstream_id join plans p on p.id = w.plan_id
      where a.removed_at is null order by a.id`,
  );
  await searchIndexFor(db).reindex(rows.map((r) => ({ actionId: r.id, replaces: false, document: { ref: r.ref, text: r.text, workstream: r.workstream, plan: r.plan } })));
  return rows.length;
}

/** Each table's row count and checksum, from the SQLite copy and from PostgreSQL inside the transaction. */
async function verify(sqlite: Database.Database, client: pg.PoolClient, tables: readonly TableCopy[]): Promise<TableResult[]> {
  const results: TableResult[] = [];
  for (const table of tables) {
    const names = table.columns.map((c) => quoted(c.name)).join(', ');
    const conversions = table.columns.map((c) => c.conversion);
    const before = new TableChecksum();
    for (const row of sqlite.prepare(`select ${names} from ${quoted(table.name)}`).raw(true).iterate() as Iterable<unknown[]>) before.add(row, conversions);
    const after = new TableChecksum();
    const { rows } = await client.query<unknown[]>({ text: `select ${names} from ${quoted(table.name)}`, rowMode: 'array' });
    for (const row of rows) after.add(row, conversions);
    results.push({ name: table.name, source: before.rows, target: after.rows, checksumsMatch: before.value === after.value });
  }
  return results;
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
