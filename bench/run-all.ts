// The benchmark suite: `npm run bench`.
//
// Measures, on this machine, for plans of 1k, 10k and 100k actions (500 boards; plans are spread
// over the boards round-robin, so at 1k and 10k only some boards have actions):
//   commands  in-process latency of who (free text), who <ref>, update, mine: p50 / p99
//   digest    chair's digest for the largest board: state load, build, cold (load + build), render
//   tick      tick planning time and peak RSS (bench/tick-bench.ts, run as its own process)
//   import    a plan CSV of that many rows into a fresh database: parse, import, total
//   postgres  the same on PostgreSQL (a throw-away cluster for the run): command p50/p99, tick planning
//             and peak RSS, the CSV import, and the migrate-to-postgres that builds its database
//   e2e       signed Slack `/send who <ref>` over loopback HTTP: sendbot vs a bare Bolt app (verify, ack, respond)
//   two-instances  200 signed `/send who <ref>` a second for 60 s, open-loop, through a round-robin loopback
//             proxy: two sendbot processes on one PostgreSQL database (the postgres part's cluster), then one
//             on SQLite in the same run; ack and reply p50/p99, errors, the split. At 10k actions only unless
//             --sizes is given (the path is an indexed lookup; each size costs two minutes and a PostgreSQL copy)
//   startup   (once, not per size) npm start to the first reply with a current build, sendbot --help and
//             sendbot people from bin/sendbot.js, and the build's freshness check
// and how each figure grows from 1k to 100k. Every part runs in fresh child processes (one per
// size), so memory figures are each size's own. Generated databases are cached in bench/tmp
// (git-ignored); the first run builds them (the 100k one takes a couple of minutes).
//
//   npm run bench                                    everything (about 10-15 minutes on 2 cores)
//   npm run bench -- --only commands,import          some parts (other parts' last results are kept)
//   npm run bench -- --sizes 1000,10000              some sizes
//   npm run bench -- --requests 500 --concurrency 10 fewer e2e requests / fewer in flight
//   npm run bench -- --quick                         smaller samples everywhere (a smoke run)
//   npm run bench -- --only two-instances --rate 100 --seconds 30   a lighter two-instances load
//
// Results: bench/results/latest.json and bench/results/latest.md (printed at the end).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOARDS, type ChildOutcome, isModuleLoadError, loadAverages, log, machineInfo, RESULTS_DIR, round, runTsChild } from './suite/common.js';
import type { CommandsResult } from './suite/commands-part.js';
import type { DigestResult } from './suite/digest-part.js';
import type { E2eResult } from './suite/e2e-part.js';
import type { ImportResult } from './suite/import-part.js';
import { type BenchResults, PARTS, type PartName, type PartRun, renderMarkdown, SIZELESS_PARTS } from './suite/report.js';
import type { StartupResult } from './suite/startup-part.js';
import { measureTick } from './suite/tick-part.js';
import { measurePostgres, startCluster } from './suite/postgres-column.js';
import type { TwoInstancesResult } from './suite/two-instances-part.js';

const SUITE = join(import.meta.dirname, 'suite');

function option(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const arg = argv[i] as string;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
}
const flag = (name: string) => process.argv.slice(2).includes(`--${name}`);

async function main(): Promise<void> {
  const quick = flag('quick');
  const only = option('only')?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown?.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts are ${PARTS.join(', ')}`);
  const parts = (only ?? [...PARTS]) as PartName[];
  const sizes = (option('sizes') ?? '1000,10000,100000').split(',').map(Number);
  const requests = option('requests') ?? (quick ? '300' : '2000');
  const warmup = option('warmup') ?? (quick ? '50' : '200');
  const concurrency = option('concurrency') ?? '20';
  const loadRate = option('rate') ?? '200';
  const loadSeconds = option('seconds') ?? (quick ? '10' : '60');
  const commandArgs = quick ? ['--samples', '200', '--min-samples', '50', '--budget-ms', '3000'] : ['--samples', '1000', '--min-samples', '200', '--budget-ms', '20000'];

  const started = performance.now();
  const machine = machineInfo();
  const loadStart = loadAverages();
  const loadSamples: { after: string; load: [number, number, number] }[] = [];
  log(`sendbot benchmark suite — ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryGb} GB, Node ${machine.node}`);
  log(`load average at start: ${loadStart.join(', ')}; parts: ${parts.join(', ')}; sizes: ${sizes.join(', ')}`);

  const runs: Partial<Record<PartName, Record<string, PartRun<unknown>>>> = {};
  const record = <T>(part: PartName, size: number, outcome: { ok: boolean; result?: T; error?: string; wallMs: number; retriedAfter?: string }) => {
    const load = loadAverages();
    loadSamples.push({ after: `${part} ${size}`, load });
    const info = { wallMs: round(outcome.wallMs, 0), loadAfter: load, ...(outcome.retriedAfter ? { retriedAfter: outcome.retriedAfter } : {}) };
    (runs[part] ??= {})[String(size)] = outcome.ok ? { ok: true, result: outcome.result as T, ...info } : { ok: false, error: outcome.error ?? 'failed', ...info };
    const secs = (outcome.wallMs / 1000).toFixed(1);
    log(outcome.ok ? `  done in ${secs} s (load ${load[0]})` : `  FAILED after ${secs} s: ${outcome.error}`);
  };
  // Other work edits the source tree while the suite runs: a child that fails to even load the
  // modules is retried once, after a pause, and the retry is noted in the results.
  const withRetry = async <T extends { ok: boolean; error?: string }>(run: () => Promise<T>): Promise<T & { retriedAfter?: string }> => {
    const first = await run();
    if (first.ok || !isModuleLoadError(first.error)) return first;
    log(`  module load failed (${first.error}); retrying once in 20 s`);
    await new Promise((r) => setTimeout(r, 20_000));
    return { ...(await run()), retriedAfter: first.error };
  };
  const child = <T>(script: string, size: number, args: string[], timeoutMs: number): Promise<ChildOutcome<T> & { retriedAfter?: string }> =>
    withRetry(() => runTsChild<T>(join(SUITE, script), ['--size', String(size), ...args], { timeoutMs }));

  // Started on first use by the postgres or two-instances part; stopped and removed when the suite
  // exits, however it ends (Ctrl-C and kill go through 'exit' too).
  let cluster: ReturnType<typeof startCluster> | undefined;
  process.on('exit', () => cluster?.stop());
  const clusterUrl = (): string => {
    if (!cluster) {
      cluster = startCluster();
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
    }
    return cluster.url;
  };
  // The two-instances load is minutes per size and the same indexed lookup at every size: 10k unless --sizes says.
  const twoInstanceSizes = option('sizes') ? sizes : [10_000];
  for (const part of parts) {
    if (SIZELESS_PARTS.includes(part)) {
      log(`\n[${part}]`);
      record(part, 0, await child<StartupResult>('startup-part.ts', 0, ['--runs', quick ? '5' : '15'], 15 * 60_000));
      continue;
    }
    for (const size of part === 'two-instances' ? twoInstanceSizes : sizes) {
      log(`\n[${part}] ${size.toLocaleString('en-GB')} actions`);
      switch (part) {
        case 'commands':
          record(part, size, await child<CommandsResult>('commands-part.ts', size, commandArgs, 15 * 60_000));
          break;
        case 'digest':
          record(part, size, await child<DigestResult>('digest-part.ts', size, [], 10 * 60_000));
          break;
        case 'tick': {
          const outcome = await withRetry(() => measureTick(size, 10 * 60_000));
          record(part, size, outcome.ok ? outcome : { ok: false, error: outcome.error, wallMs: outcome.wallMs, ...(outcome.retriedAfter ? { retriedAfter: outcome.retriedAfter } : {}) });
          break;
        }
        case 'import':
          record(part, size, await child<ImportResult>('import-part.ts', size, [], 10 * 60_000));
          break;
        case 'postgres': {
          const t = performance.now();
          try {
            const column = await measurePostgres(size, clusterUrl(), quick ? '100' : '1000', 20 * 60_000);
            record(part, size, { ok: true, result: column, wallMs: performance.now() - t });
          } catch (error) {
            record(part, size, { ok: false, error: (error as Error).message, wallMs: performance.now() - t });
          }
          break;
        }
        case 'e2e':
          record(part, size, await child<E2eResult>('e2e-part.ts', size, ['--requests', requests, '--warmup', warmup, '--concurrency', concurrency], 15 * 60_000));
          break;
        case 'two-instances': {
          let url: string;
          try {
            url = clusterUrl();
          } catch (error) {
            record(part, size, { ok: false, error: `no PostgreSQL cluster: ${(error as Error).message}`, wallMs: 0 });
            break;
          }
          const args = ['--size', String(size), '--url', url, '--rate', loadRate, '--seconds', loadSeconds];
          // Its own process group: the sendbot instances it starts go with it, even on a timeout.
          record(part, size, await withRetry(() => runTsChild<TwoInstancesResult>(join(SUITE, 'two-instances-part.ts'), args, { timeoutMs: 30 * 60_000, ownGroup: true })));
          break;
        }
      }
    }
  }

  const totalMs = performance.now() - started;
  const loadEnd = loadAverages();
  const latestJson = join(RESULTS_DIR, 'latest.json');
  // With --only or --sizes, the parts and sizes not run now keep their last results (marked with the run they came from).
  let previous: BenchResults | undefined;
  if ((only || option('sizes')) && existsSync(latestJson)) {
    try {
      previous = JSON.parse(readFileSync(latestJson, 'utf8')) as BenchResults;
    } catch {
      previous = undefined;
    }
  }
  const thisRun = { date: machine.date, totalMs: round(totalMs, 0), loadStart, loadEnd, parts, sizes, quick };
  const merged: BenchResults['parts'] = {};
  for (const part of PARTS) {
    const now = runs[part] ?? {};
    const before = previous?.parts[part] ?? {};
    const keep = Object.fromEntries(
      Object.entries(before)
        .filter(([size]) => !(size in now))
        .map(([size, run]) => [size, { ...run, fromRun: run.fromRun ?? previous?.run.date }]),
    );
    if (Object.keys(now).length || Object.keys(keep).length) merged[part] = { ...keep, ...now };
  }
  const results: BenchResults = {
    machine,
    run: thisRun,
    boards: BOARDS,
    settings: { e2eRequests: Number(requests), e2eWarmup: Number(warmup), e2eConcurrency: Number(concurrency), commandSampling: commandArgs.join(' '), loadRate: Number(loadRate), loadSeconds: Number(loadSeconds) },
    loadSamples,
    parts: merged,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(latestJson, `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderMarkdown(results);
  writeFileSync(join(RESULTS_DIR, 'latest.md'), markdown);
  process.stdout.write(`\n${markdown}`);
  log(`\nWrote bench/results/latest.json and bench/results/latest.md (total ${(totalMs / 60_000).toFixed(1)} min).`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
