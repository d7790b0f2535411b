// Opens SQLite files directly on purpose (not through tests/helpers/test-db.ts): it checks the
// modes of the files openDatabase creates.
// Data at rest: the database, its -wal/-shm files and backups are readable by the service's user
// only, and a data folder sendbot creates is 0700 — whatever the process's umask.
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/store/database.js';
import { sendbot } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('database files', () => {
  let previousUmask: number;
  beforeAll(() => {
    // The most permissive umask: anything not set explicitly would come out world-readable.
    previousUmask = process.umask(0o000);
  });
  afterAll(() => {
    process.umask(previousUmask);
  });

  it('creates the folders 0700, and the database and its -wal and -shm files 0600', async () => {
    const root = tempDir();
    const before = mode(root);
    const path = join(root, 'data', 'sendbot', 'sendbot.db');
    const db = await openDatabase(path);
    db.$client.prepare("insert into roles (name, key, created_at) values ('A', 'a', 'x')").run();
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(existsSync(`${path}-shm`)).toBe(true);
    expect({ db: mode(path), wal: mode(`${path}-wal`), shm: mode(`${path}-shm`) }).toEqual({ db: '600', wal: '600', shm: '600' });
    expect({ data: mode(join(root, 'data')), inner: mode(join(root, 'data', 'sendbot')) }).toEqual({ data: '700', inner: '700' });
    // A folder that already existed is left alone.
    expect(mode(root)).toBe(before);
    await closeDatabase(db);
  });

  it('tightens a database (and its -wal/-shm) left readable by an older version', async () => {
    const root = tempDir();
    const path = join(root, 'sendbot.db');
    await closeDatabase(await openDatabase(path));
    for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o644);
    const db = await openDatabase(path);
    expect(mode(path)).toBe('600');
    for (const f of [`${path}-wal`, `${path}-shm`]) if (existsSync(f)) expect(mode(f), f).toBe('600');
    await closeDatabase(db);
  });

  it('writes backups 0600, also over an existing file with --force', async () => {
    const root = tempDir();
    const path = join(root, 'sendbot.db');
    await closeDatabase(await openDatabase(path));
    const backup = join(root, 'backup.db');
    const made = await sendbot(path, 'backup', backup);
    expect(made.code, made.stderr).toBe(0);
    expect(mode(backup)).toBe('600');

    const old = join(root, 'old-backup.db');
    writeFileSync(old, '');
    chmodSync(old, 0o644);
    const forced = await sendbot(path, 'backup', old, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(mode(old)).toBe('600');
    // The copy is a working database.
    const copy = await openDatabase(old);
    expect(copy.$client.prepare('select count(*) as n from roles').get()).toEqual({ n: 0 });
    await closeDatabase(copy);
  });
});
