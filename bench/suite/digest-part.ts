// Child process: chair's digest for the largest board (most actions) of the --size plan.
//  - state load: loadPlanningState (what every digest and tick starts with);
//  - build: loadBoardDigest with the state already loaded (history query + buildBoardDigest), as a
//    tick does for each board due a digest;
//  - cold: loadBoardDigest from nothing (state load included), as `sendbot digest` and `/send digest` do;
//  - render: the built digest to a chat reply and to Markdown;
//  - CLI: `node bin/sendbot.js --db <db> --now <BENCH_NOW> digest --board <name>` end to end (a fresh
//    process: start-up, open, load the board's slice, build, render, print), with the build current.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { parseInstant, toStoredInstant } from '../../src/clock.js';
import { digestToReply } from '../../src/render/digest-reply.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { openDatabase } from '../../src/store/database.js';
import { loadBoardDigest } from '../../src/store/digest-loader.js';
import { loadPlanningState } from '../../src/store/planning-state-repository.js';
import { BENCH_NOW } from '../bench-db.js';
import { ensureBenchDb } from './bench-copy.js';
import { argValue, BENCH_DIR, emitResult, log, median, peakRssMb, round } from './common.js';

export interface DigestResult {
  size: number;
  boardId: number;
  boardName: string;
  boardActions: number;
  digestActions: number | null;
  stateLoadMs: number;
  buildMs: number;
  buildRuns: number;
  coldMs: number;
  coldRuns: number;
  renderMs: number | null;
  peakRssMb: number;
  /** `sendbot digest --board <name>` from the CLI, wall time per run (median), and the runs. */
  cliMs: number | null;
  cliRuns: number[];
}

const ROOT = dirname(BENCH_DIR);

/** `sendbot digest --board <name>` in a fresh process, as a chair's officer would run it; wall milliseconds. */
function timeCliDigest(db: string, boardName: string): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/sendbot.js', '--db', db, '--now', BENCH_NOW, 'digest', '--board', boardName], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const ms = performance.now() - t;
  if (r.status !== 0 || !r.stdout.includes(boardName)) throw new Error(`sendbot digest failed (${r.status}): ${r.stderr.slice(0, 300)}`);
  return ms;
}

const size = Number(argValue('size'));

async function timeRuns(fn: () => unknown, maxRuns: number, budgetMs: number): Promise<number[]> {
  const out: number[] = [];
  const start = performance.now();
  for (let i = 0; i < maxRuns; i += 1) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
    if (out.length >= 3 && performance.now() - start > budgetMs) break;
  }
  return out;
}

async function main(): Promise<void> {
  const { path } = await ensureBenchDb(size);
  const db = await openDatabase(path);
  const now = toStoredInstant(parseInstant(BENCH_NOW));
  log('  state load…');
  let state = await loadPlanningState(db);
  const loads = await timeRuns(async () => {
    state = await loadPlanningState(db);
  }, 5, 10_000);
  const perBoard = new Map<number, number>();
  for (const a of state.actions) if (a.boardId !== null) perBoard.set(a.boardId, (perBoard.get(a.boardId) ?? 0) + 1);
  const [boardId, boardActions] = [...perBoard.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [0, 0];
  const board = state.boards.find((b) => b.id === boardId);
  if (!board) throw new Error('no board has actions');

  log(`  build digest for ${board.name} (${boardActions} actions)…`);
  let digest = await loadBoardDigest(db, boardId, now, { state });
  const builds = await timeRuns(async () => {
    digest = await loadBoardDigest(db, boardId, now, { state });
  }, 50, 10_000);
  log('  cold digest (state load included)…');
  const colds = await timeRuns(async () => await loadBoardDigest(db, boardId, now), 5, 15_000);
  let renderMs: number | null = null;
  try {
    const renders = await timeRuns(() => renderMarkdown(digestToReply(digest)), 50, 5_000);
    renderMs = round(median(renders), 3);
  } catch (error) {
    log(`  render failed: ${String(error)}`);
  }
  db.$client.close();
  log('  sendbot digest --board from the CLI…');
  let cliRuns: number[] = [];
  try {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the build failed');
    timeCliDigest(path, board.name); // once first: the page cache holds the database, as for a chair's second run
    cliRuns = Array.from({ length: 7 }, () => round(timeCliDigest(path, board.name), 1));
  } catch (error) {
    log(`  CLI digest failed: ${String(error)}`);
  }
  const totals = (digest as unknown as { totals?: { actions?: number } }).totals;
  const result: DigestResult = {
    size,
    boardId,
    boardName: board.name,
    boardActions,
    digestActions: typeof totals?.actions === 'number' ? totals.actions : null,
    stateLoadMs: round(median(loads), 2),
    buildMs: round(median(builds), 3),
    buildRuns: builds.length,
    coldMs: round(median(colds), 2),
    coldRuns: colds.length,
    renderMs,
    peakRssMb: peakRssMb(),
    cliMs: cliRuns.length > 0 ? round(median(cliRuns), 1) : null,
    cliRuns,
  };
  emitResult(result);
}

await main();
