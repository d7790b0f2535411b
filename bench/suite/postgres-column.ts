// The suite's PostgreSQL column (issue 21), from run-all.ts: a throw-away cluster for the run
// (scripts/postgres-test-cluster.mjs, stopped and removed afterwards whatever happens) and, per
// size, postgres-part.ts's steps, each in a fresh child process.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { PostgresResult, PostgresStep } from './postgres-part.js';
import { BENCH_DIR, log, runTsChild } from './common.js';

export interface PostgresColumn {
  size: number;
  /** migrate-to-postgres of the SQLite benchmark database (how the PostgreSQL database is built). */
  migrateMs: number | null;
  commands: PostgresResult['commands'] | null;
  planMs: number | null;
  loadMs: number | null;
  planned: number | null;
  tickPeakRssMb: number | null;
  importMs: number | null;
  importPeakRssMb: number | null;
  /** Steps that failed, with why (a store query not ported to PostgreSQL yet, say). */
  failures: Record<string, string>;
}

const SCRIPT = join(BENCH_DIR, '..', 'scripts', 'postgres-test-cluster.mjs');

/** Starts a throw-away cluster; `stop` removes it. */
export function startCluster(): { url: string; stop: () => void } {
  const out = execFileSync(process.execPath, [SCRIPT, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const url = /DATABASE_URL=(\S+)/.exec(out)?.[1];
  const dir = /stop (\S+)\s*$/m.exec(out)?.[1];
  if (!url || !dir) throw new Error(`postgres-test-cluster.mjs start printed no URL: ${out}`);
  return {
    url,
    stop: () => {
      execFileSync(process.execPath, [SCRIPT, 'stop', dir], { stdio: 'inherit' });
    },
  };
}

/** Every step at one size; a step that fails is noted and the others still run. */
export async function measurePostgres(size: number, url: string, samples: string, timeoutMs: number): Promise<PostgresColumn> {
  const column: PostgresColumn = { size, migrateMs: null, commands: null, planMs: null, loadMs: null, planned: null, tickPeakRssMb: null, importMs: null, importPeakRssMb: null, failures: {} };
  const run = async (step: PostgresStep): Promise<PostgresResult | undefined> => {
    log(`  postgres ${step}…`);
    const outcome = await runTsChild<PostgresResult>(join(BENCH_DIR, 'suite', 'postgres-part.ts'), ['--size', String(size), '--step', step, '--url', url, '--samples', samples], { timeoutMs });
    if (!outcome.ok) column.failures[step] = outcome.error ?? 'failed';
    return outcome.ok ? outcome.result : undefined;
  };
  const built = await run('build');
  column.migrateMs = built?.migrateMs ?? null;
  if (built) {
    const commands = await run('commands');
    column.commands = commands?.commands ?? null;
    const tick = await run('tick');
    column.planMs = tick?.planMs ?? null;
    column.loadMs = tick?.loadMs ?? null;
    column.planned = tick?.planned ?? null;
    column.tickPeakRssMb = tick?.peakRssMb ?? null;
  }
  const imported = await run('import');
  column.importMs = imported?.importMs ?? null;
  column.importPeakRssMb = imported?.peakRssMb ?? null;
  return column;
}
