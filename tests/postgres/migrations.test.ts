// db/migrations-pg on a real PostgreSQL server (`npm run test:postgres`): the migrations build every
// table, column and index of db/schema.pg.ts; two clients migrating at once (two instances starting
// together) both succeed and the migrations are recorded once; a second run changes nothing; and a
// migrator waits for the advisory lock while someone else holds it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { is } from 'drizzle-orm';
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as pgSchema from '../../db/schema.pg.js';
import { postgresMigrationsFolder } from '../../src/paths.js';
import { MIGRATION_LOCK_KEY, migratePostgres } from '../../src/store/postgres-migrations.js';
import { type PostgresTestDatabase, freshPostgresDatabase } from '../helpers/postgres-test-db.js';

const databases: PostgresTestDatabase[] = [];
const pools: pg.Pool[] = [];

async function newDatabase(): Promise<PostgresTestDatabase> {
  const db = await freshPostgresDatabase('sendbot_migrations');
  databases.push(db);
  return db;
}

function newPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

afterAll(async () => {
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

const tables = (Object.values(pgSchema) as unknown[]).filter((value): value is PgTable => is(value, PgTable)).map((table) => getTableConfig(table));

/**
 * The tables a custom migration builds, outside db/schema.pg.ts (drizzle-kit cannot express them):
 * 0001_action_search, the search index's table with its generated tsvector and GIN index, and
 * 0003_action_search_lexemes, its count of actions per word.
 */
const CUSTOM_COLUMNS = [
  'action_search.action_id integer not null',
  'action_search.ref text not null',
  'action_search.text text not null',
  'action_search.workstream text not null',
  'action_search.plan text not null',
  'action_search.document tsvector null',
  'action_search_lexemes.lexeme text not null',
  'action_search_lexemes.actions integer not null',
];
const CUSTOM_INDEXES = ['action_search_pkey on action_search unique', 'action_search_document on action_search plain', 'action_search_lexemes_pkey on action_search_lexemes unique'];

/** "table.column type null|not null" for every column db/schema.pg.ts declares, and the custom migrations'. */
const expectedColumns = [
  ...tables.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name} ${c.getSQLType()} ${c.notNull ? 'not null' : 'null'}`)),
  ...CUSTOM_COLUMNS,
].sort();

/** "index on table (unique|plain)" for every index, including each table's primary key index. */
const expectedIndexes = [
  ...tables.flatMap((t) => [
    ...(t.columns.some((c) => c.primary) ? [`${t.name}_pkey on ${t.name} unique`] : []),
    ...t.indexes.map((i) => `${i.config.name} on ${t.name} ${i.config.unique ? 'unique' : 'plain'}`),
  ]),
  ...CUSTOM_INDEXES,
].sort();

const journal = JSON.parse(readFileSync(join(postgresMigrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };

async function actualColumns(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(
    `select table_name || '.' || column_name || ' ' || data_type || ' ' || case is_nullable when 'NO' then 'not null' else 'null' end as line
       from information_schema.columns where table_schema = 'public'`,
  );
  return rows.map((r) => r.line).sort();
}

async function actualIndexes(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(
    `select ic.relname || ' on ' || tc.relname || ' ' || case when i.indisunique then 'unique' else 'plain' end as line
       from pg_index i
       join pg_class ic on ic.oid = i.indexrelid
       join pg_class tc on tc.oid = i.indrelid
       join pg_namespace n on n.oid = tc.relnamespace
      where n.nspname = 'public'`,
  );
  return rows.map((r) => r.line).sort();
}

async function recordedMigrations(pool: pg.Pool): Promise<number> {
  // count(*) is a bigint, which node-postgres returns as a string: cast it.
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
  return rows[0]?.n ?? -1;
}

async function tableExists(pool: pg.Pool, name: string): Promise<boolean> {
  const { rows } = await pool.query<{ found: boolean }>('select to_regclass($1) is not null as found', [`public.${name}`]);
  return rows[0]?.found ?? false;
}

describe('PostgreSQL migrations (db/migrations-pg)', () => {
  it('build every table, column and index of db/schema.pg.ts when two clients migrate at once, recorded once', async () => {
    const { url } = await newDatabase();
    const first = newPool(url);
    const second = newPool(url);

    await Promise.all([migratePostgres(first), migratePostgres(second)]);

    expect(tables.length).toBeGreaterThan(20);
    expect(await actualColumns(first)).toEqual(expectedColumns);
    expect(await actualIndexes(first)).toEqual(expectedIndexes);
    expect(await recordedMigrations(first)).toBe(journal.entries.length);
  });

  it('change nothing when applied again, keeping the rows already there', async () => {
    const { url } = await newDatabase();
    const pool = newPool(url);
    await migratePostgres(pool);
    await pool.query(`insert into app_secrets (name, value, created_at) values ('dashboard', 'k', '2026-01-05T09:00:00.000Z')`);
    // An id copied from SQLite is accepted as it is (identity "by default").
    await pool.query(`insert into roles (id, name, key, created_at) values (42, 'Head of SEND', 'head of send', '2026-01-05T09:00:00.000Z')`);

    await migratePostgres(pool);
    await migratePostgres(newPool(url));

    expect(await recordedMigrations(pool)).toBe(journal.entries.length);
    expect((await pool.query('select name, value from app_secrets')).rows).toEqual([{ name: 'dashboard', value: 'k' }]);
    expect((await pool.query('select id, key from roles')).rows).toEqual([{ id: 42, key: 'head of send' }]);
  });

  it('wait for the advisory lock while another client holds it, then apply', async () => {
    const { url } = await newDatabase();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const pool = newPool(url);
      const migrating = migratePostgres(pool);
      let settled = false;
      void migrating.then(
        () => (settled = true),
        () => (settled = true),
      );

      // Wait (not time) until the migrator's connection is queued behind the holder's lock.
      const observer = newPool(url);
      const waiting = async () =>
        (
          await observer.query<{ n: number }>(
            `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`,
          )
        ).rows[0]?.n ?? 0;
      for (let i = 0; i < 600 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 50));

      expect(await waiting()).toBe(1);
      expect(settled).toBe(false);
      expect(await tableExists(observer, 'actions')).toBe(false);

      await holder.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await migrating;
      expect(await tableExists(observer, 'actions')).toBe(true);
      expect(await recordedMigrations(observer)).toBe(journal.entries.length);
    } finally {
      await holder.end();
    }
  });
});
