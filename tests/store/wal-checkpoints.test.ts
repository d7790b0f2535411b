// Uses openDatabase and $client directly on purpose (not tests/helpers/test-db.ts): it is about
// SQLite's WAL and its checkpoint pragmas.
// WAL checkpoints in a worker thread: the service's own connection never checkpoints on commit, yet
// the WAL is copied back into the database; a failing worker hands checkpointing back.
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type SqliteDb as Db } from '../../src/store/database.js';
import { startWalCheckpoints } from '../../src/store/wal-checkpoints.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const autocheckpoint = (db: Db) => db.$client.pragma('wal_autocheckpoint', { simple: true });

describe('startWalCheckpoints', () => {
  const open: Db[] = [];
  afterEach(async () => {
    for (const db of open.splice(0)) await closeDatabase(db);
  });

  it('checkpoints from the worker while the connection commits without checkpointing', async () => {
    const path = tempDbPath();
    const db = await openDatabase(path);
    open.push(db);
    db.$client.exec('create table filler (id integer primary key, blob text)');
    const before = statSync(path).size;
    const checkpoints = await startWalCheckpoints(db, path, { intervalMs: 20 });
    expect(autocheckpoint(db)).toBe(0);
    const insert = db.$client.prepare('insert into filler (blob) values (?)');
    // 1000 commits of about a page each: SQLite's own threshold, which the connection no longer acts on.
    for (let i = 0; i < 1000; i += 1) insert.run('x'.repeat(3000));
    // Only a checkpoint moves pages from the WAL into the database file.
    const grown = () => statSync(path).size - before > 2_000_000;
    for (let i = 0; i < 500 && !grown(); i += 1) await pause(20);
    expect(statSync(path).size - before).toBeGreaterThan(2_000_000);
    await checkpoints.stop();
    expect(autocheckpoint(db)).toBe(1000);
    expect(db.$client.prepare('select count(*) as n from filler').get()).toEqual({ n: 1000 });
  });

  it('lets a process that is only waiting for stop() finish normally (exit code 0)', () => {
    // The worker is unref'd so it never holds the process open; stopping must hold it until done.
    const dir = tempDir();
    const script = join(dir, 'stop.mts');
    const src = (file: string) => JSON.stringify(pathToFileURL(resolve('src/store', file)).href);
    writeFileSync(
      script,
      `import { openDatabase, closeDatabase } from ${src('database.ts')};
import { startWalCheckpoints } from ${src('wal-checkpoints.ts')};
import { sqliteOf } from '../helpers/test-db.js';
const path = ${JSON.stringify(join(dir, 'stop.db'))};
const db = await openDatabase(path);
const checkpoints = await startWalCheckpoints(db, path);
await checkpoints.stop();
await closeDatabase(db);
process.stdout.write('stopped');
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    expect({ code: run.status, out: run.stdout }, run.stderr).toEqual({ code: 0, out: 'stopped' });
  });

  it('gives checkpointing back to the connection when the worker cannot open the database', async () => {
    const db = await openDatabase(tempDbPath());
    open.push(db);
    const errors: unknown[] = [];
    await startWalCheckpoints(db, join(tempDir(), 'missing-folder', 'nope.db'), { onError: (e) => errors.push(e) });
    for (let i = 0; i < 100 && errors.length === 0; i += 1) await pause(20);
    expect(errors).toHaveLength(1);
    expect(autocheckpoint(db)).toBe(1000);
  });
});
