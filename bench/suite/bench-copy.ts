// The cached benchmark database of a size (bench/bench-db.ts), and throw-away copies of it for parts
// that write (so repeated runs don't keep adding benchmark updates to the cached database).
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Db, openDatabase } from '../../src/store/database.js';
import { benchDb } from '../bench-db.js';
import { BOARDS, TMP_DIR } from './common.js';
import { sqliteOf } from '../bench-db.js';

export interface Prepared {
  path: string;
  /** Milliseconds the generation + import took when the cached database was built by this call. */
  builtMs: number | null;
}

/** Makes sure the cached database exists (building it once), closed, with no WAL left beside it. */
export async function ensureBenchDb(actions: number, boards = BOARDS): Promise<Prepared> {
  const t = performance.now();
  const { db, path, importMs } = await benchDb(actions, boards, TMP_DIR);
  sqliteOf(db).$client.pragma('wal_checkpoint(TRUNCATE)');
  sqliteOf(db).$client.close();
  return { path, builtMs: importMs === null ? null : performance.now() - t };
}

/** A private copy of the cached database, deleted by `dispose`. */
export async function workingCopy(actions: number, label: string, boards = BOARDS): Promise<{ db: Db; path: string; builtMs: number | null; dispose(): void }> {
  const prepared = await ensureBenchDb(actions, boards);
  const path = join(TMP_DIR, `work-${label}-${actions}-${boards}.db`);
  const clean = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  };
  clean();
  copyFileSync(prepared.path, path);
  if (existsSync(`${prepared.path}-wal`)) copyFileSync(`${prepared.path}-wal`, `${path}-wal`);
  const db = await openDatabase(path);
  return {
    db,
    path,
    builtMs: prepared.builtMs,
    dispose() {
      try {
        sqliteOf(db).$client.close();
      } catch {
        // already closed
      }
      clean();
    },
  };
}
