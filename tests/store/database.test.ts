import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, inTransaction, openDatabase } from '../../src/store/database.js';

describe('openDatabase', () => {
  it('creates a WAL database with every migration applied, and reopening is a no-op', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sendbot-db-')), 'nested', 'sendbot.db');
    const db = openDatabase(path);
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
    closeDatabase(db);
    const again = openDatabase(path);
    const applied = again.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
    expect(applied.n).toBeGreaterThanOrEqual(2);
    closeDatabase(again);
  });

  it('rolls back everything when a transaction throws', () => {
    const db = openDatabase(':memory:');
    expect(() =>
      inTransaction(db, () => {
        db.$client.prepare("insert into roles (name, key, created_at) values ('A', 'a', 'x')").run();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect((db.$client.prepare('select count(*) as n from roles').get() as { n: number }).n).toBe(0);
  });
});
