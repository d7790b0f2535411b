// Child process: how long a new user waits. With the build current (scripts/build.mjs), times
//   npm start        `npm start` in local mode on a database that already holds the demo plan, from
//                    launch until the reply to a first piped command (the chat is then ready);
//   --help, people   `node bin/sendbot.js --help` and `… people` (the same as `npx sendbot …`);
//   build check      `node scripts/build.mjs --if-stale` on a current build (npm start's prestart);
//   node             `node -e 0`, the floor any Node.js command starts from on this machine.
// Each is run --runs times, interleaved so that a change in the machine's load hits all of them.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BENCH_NOW } from '../bench-db.js';
import { argValue, BENCH_DIR, emitResult, log, median, round, TMP_DIR } from './common.js';

const ROOT = dirname(BENCH_DIR);
const runs = Number(argValue('runs', '10'));

export interface StartupFigure {
  command: string;
  /** Milliseconds, each run. */
  samples: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export interface StartupResult {
  runs: number;
  /** Whether the build had to compile before the runs (it is then current for all of them). */
  compiledFirst: boolean;
  figures: Record<'npmStart' | 'help' | 'people' | 'buildCheck' | 'node', StartupFigure>;
}

/** Wall time of a process run to its end (stdin closed at once). */
function timeExit(command: string, args: string[]): number {
  const t = performance.now();
  const r = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  return ms;
}

/** Wall time from launching `npm start` to the first reply on stdout; the chat is then closed (end of input). */
function timeFirstReply(db: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn('npm', ['start', '--silent', '--', '--db', db, '--now', BENCH_NOW], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let answered: number | undefined;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', () => {
      if (answered !== undefined) return;
      answered = performance.now() - t;
      child.stdin.end();
    });
    child.stdin.write('/send boards\n');
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && answered !== undefined) resolve(answered);
      else reject(new Error(`npm start exited ${code} ${answered === undefined ? 'without a reply' : ''}: ${stderr.slice(-500)}`));
    });
  });
}

function figure(command: string, samples: number[]): StartupFigure {
  return { command, samples: samples.map((s) => round(s, 1)), medianMs: round(median(samples), 1), minMs: round(Math.min(...samples), 1), maxMs: round(Math.max(...samples), 1) };
}

async function main(): Promise<void> {
  const builder = join(ROOT, 'scripts', 'build.mjs');
  const before = performance.now();
  const check = spawnSync(process.execPath, [builder, '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  if (check.status !== 0) throw new Error('the build failed');
  // A compile takes seconds; the freshness check alone takes milliseconds.
  const compiledFirst = performance.now() - before > 2_000;

  // A database that already holds the demo plan: the first start loads it, later ones don't.
  const dir = join(TMP_DIR, 'startup');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'sendbot.db');
  await timeFirstReply(db);
  timeExit(process.execPath, ['bin/sendbot.js', '--db', db, 'people']);

  const samples: Record<keyof StartupResult['figures'], number[]> = { npmStart: [], help: [], people: [], buildCheck: [], node: [] };
  for (let i = 0; i < runs; i += 1) {
    samples.npmStart.push(await timeFirstReply(db));
    samples.help.push(timeExit(process.execPath, ['bin/sendbot.js', '--help']));
    samples.people.push(timeExit(process.execPath, ['bin/sendbot.js', '--db', db, 'people']));
    samples.buildCheck.push(timeExit(process.execPath, [builder, '--if-stale']));
    samples.node.push(timeExit(process.execPath, ['-e', '0']));
    log(`  run ${i + 1}/${runs}: npm start ${samples.npmStart.at(-1)?.toFixed(0)} ms, --help ${samples.help.at(-1)?.toFixed(0)} ms, people ${samples.people.at(-1)?.toFixed(0)} ms`);
  }
  rmSync(dir, { recursive: true, force: true });
  emitResult({
    runs,
    compiledFirst,
    figures: {
      npmStart: figure(`npm start -- --db <demo db> (until the reply to a first command)`, samples.npmStart),
      help: figure('node bin/sendbot.js --help', samples.help),
      people: figure('node bin/sendbot.js --db <demo db> people', samples.people),
      buildCheck: figure('node scripts/build.mjs --if-stale (build current)', samples.buildCheck),
      node: figure('node -e 0', samples.node),
    },
  } satisfies StartupResult);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
