// Opens SQLite files directly on purpose (not through tests/helpers/test-db.ts): this suite is about
// openDatabase itself — migrations, WAL, transactions on a raw better-sqlite3 connection.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/paths.js';
import { closeDatabase, inTransaction, openDatabase } from '../../src/store/database.js';

describe('openDatabase', () => {
  it('creates a WAL database with every migration applied, and reopening is a no-op', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sendbot-db-')), 'nested', 'sendbot.db');
    const db = await openDatabase(path);
    const mode = db.$client.pragma('journal_mode', { simple: true });
    expect(mode).toBe('wal');
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(10000);
    const tables = db.$client
      .prepare("select name from sqlite_master where type in ('table') order by name")
      .all()
      .map((r) => (r as { name: string }).name);
    for (const t of ['actions', 'updates', 'due_date_changes', 'outbox', 'audit_log', 'role_assignments', 'action_search']) {
      expect(tables).toContain(t);
    }
    await closeDatabase(db);
    const again = await openDatabase(path);
    const applied = again.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
    expect(applied.n).toBeGreaterThanOrEqual(2);
    await closeDatabase(again);
  });

  it('applies the migrations a database is missing when it is reopened, and nothing when it has them all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sendbot-db-'));
    // A migrations folder without the newest migration, as an older sendbot had.
    const folder = migrationsFolder();
    const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const older = join(dir, 'older-migrations');
    mkdirSync(join(older, 'meta'), { recursive: true });
    writeFileSync(join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, -1) }));
    for (const e of journal.entries.slice(0, -1)) copyFileSync(join(folder, `${e.tag}.sql`), join(older, `${e.tag}.sql`));
    const oldPath = join(dir, 'old.db');
    const sqlite = new Database(oldPath);
    migrate(drizzle(sqlite), { migrationsFolder: older });
    sqlite.close();

    const schemaOf = (db: Awaited<ReturnType<typeof openDatabase>>) => db.$client.prepare("select type, name, sql from sqlite_master where name not like 'sqlite_%' order by name").all();
    const migrated = await openDatabase(oldPath);
    const fresh = await openDatabase(join(dir, 'fresh.db'));
    expect(schemaOf(migrated)).toEqual(schemaOf(fresh));
    const count = (db: Awaited<ReturnType<typeof openDatabase>>) => (db.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;
    expect(count(migrated)).toBe(journal.entries.length);
    await closeDatabase(migrated);
    const reopened = await openDatabase(oldPath);
    expect(count(reopened)).toBe(journal.entries.length);
    await closeDatabase(reopened);
    await closeDatabase(fresh);
  });

  it('rolls back everything when a transaction throws', async () => {
    const db = await openDatabase(':memory:');
    await expect(
      inTransaction(db, () => {
        db.$client.prepare("insert into roles (name, key, created_at) values ('A', 'a', 'x')").run();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((db.$client.prepare('select count(*) as n from roles').get() as { n: number }).n).toBe(0);
  });
});
