// Builds (or reuses) a benchmark database of a given size under bench/tmp/.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseInstant } from '../src/clock.js';
import { type Db, isPostgres, openDatabase, type SqliteDb } from '../src/store/database.js';
import { importPlanDocument } from '../src/store/plan-import.js';
import { generatePlanDocument } from './generate-plan.js';

export const BENCH_NOW = '2025-01-13T10:00';

/**
 * What `who <words>` is asked in the benchmarks: phrases from the generated plan's topics (on 100k
 * actions each matches thousands), the start of a word, a long question, and a word no action has.
 */
export const BENCH_SEARCH_PHRASES = [
  'annual health checks',
  'neurodiversity profiling tool',
  'short breaks parent carer',
  'EHCP quality audit',
  'speech and language therapy',
  'neuro profil',
  'who is doing the preparation for adulthood transition pathways work',
  'SENCo training qqqzzz',
];

export interface BenchDb {
  db: Db;
  path: string;
  /** Milliseconds the import took, when the database was built now. */
  importMs: number | null;
}

/**
 * A database with `actions` generated actions across `boards` boards, plus update history
 * (a third of actions have two updates). Reused between runs: generating 100k takes a while.
 */
export async function benchDb(actions: number, boards: number, dir = join(import.meta.dirname, 'tmp')): Promise<BenchDb> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `bench-${actions}-${boards}.db`);
  if (existsSync(path)) return { db: await openDatabase(path), path, importMs: null };
  const building = `${path}.building`;
  const db = await openDatabase(building);
  const doc = generatePlanDocument({ actions, boards });
  const t = performance.now();
  await importPlanDocument(db, doc, { now: parseInstant('2024-09-02T09:00'), file: 'generated' });
  const importMs = performance.now() - t;
  addHistory(db);
  sqliteOf(db).$client.pragma('wal_checkpoint(TRUNCATE)');
  sqliteOf(db).$client.close();
  renameSync(building, path);
  return { db: await openDatabase(path), path, importMs };
}

function addHistory(db: Db): void {
  const client = sqliteOf(db).$client;
  const insert = client.prepare(
    "insert into updates (action_id, person_id, created_at, platform, kind, status, percent, note, raw_text) values (?, ?, ?, 'slack', 'update', ?, ?, ?, ?)",
  );
  const ids = client.prepare('select id from actions where id % 3 = 0').all() as { id: number }[];
  const statuses = ['green', 'amber', 'red'];
  client.transaction(() => {
    for (const { id } of ids) {
      for (const [k, at] of ['2024-10-10T09:00:00.000Z', '2024-12-02T09:00:00.000Z'].entries()) {
        const status = statuses[(id + k) % 3] as string;
        insert.run(id, 1, at, status, 20 + k * 30, `progress note ${k}`, `update ${status}`);
      }
    }
    client.exec("update actions set status = 'amber' where id % 3 = 0");
  })();
}

/** The SQLite store under a benchmark that measures SQLite itself (its file, its pragmas). */
export function sqliteOf(db: Db): SqliteDb {
  if (isPostgres(db)) throw new Error('This benchmark step is for the SQLite store only.');
  return db;
}
