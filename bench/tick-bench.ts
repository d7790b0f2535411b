// Benchmark of one scheduler tick at scale: 10,000 and 100,000 actions across 500 boards.
//
//   npm run bench:tick                   (both sizes; databases are generated once into bench/tmp/)
//   npm run bench:tick -- 100000         (one size)
//
// Every figure comes from a fresh child process of its own, so each peak RSS
// (process.resourceUsage().maxRSS) is that step's alone:
//   - load: loadPlanningState, five times (the peak is read after the first);
//   - plan: one load, then planNotifications five times; "peak RSS" is read after the first plan
//     (one tick's load and plan), "peak RSS 5 plans" after all of them;
//   - digest: the chair's digest for the largest board, loadBoardDigest with the state loaded (as the
//     tick builds it), five times, and once from nothing (the board's slice loaded, as `sendbot digest`);
//   - tick: the whole dry-run tick, runTick, three times (load, plan, the chair's and weekly digests
//     for every board due one, outbox look-ups); peak RSS after the first and after all three.
// Times are wall-clock medians; CPU time (user + system, GC threads included) is shown next to them
// because the machine may be shared. Targets at 100k: load + plan under 1 s and 300 MB; digest for
// the largest board under 2 ms with the state loaded and under 100 ms cold (the board's slice of the
// plan loaded); the whole tick under 1 s, and at most 12× the 10k tick.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedClock, parseInstant, toStoredInstant } from '../src/clock.js';
import { planNotifications } from '../src/domain/notification-planner.js';
import { actionsByBoard, type PlanningState } from '../src/domain/planning-state.js';
import { runTick } from '../src/jobs/tick.js';
import { closeDatabase, type Db, openDatabase } from '../src/store/database.js';
import { loadBoardDigest } from '../src/store/digest-loader.js';
import { loadPlanningState } from '../src/store/planning-state-repository.js';

const BOARDS = 500;
/** A Wednesday when about a third of the boards are between update window and meeting. */
const NOW = '2025-03-05T09:30';
const RUNS = 5;
const here = dirname(fileURLToPath(import.meta.url));
const tmp = join(here, 'tmp');

interface LoadMeasurement {
  actions: number;
  boards: number;
  people: number;
  updates: number;
  /** The first load in a fresh process (what a `sendbot tick` pays). */
  loadFirstMs: number;
  loadMs: number;
  loadCpuMs: number;
  /** RSS once the modules are loaded, before the database is read. */
  baseRssMb: number;
  /** RSS with the plan state loaded. */
  stateRssMb: number;
  /** process.resourceUsage().maxRSS after one load. */
  peakRssMb: number;
}

interface PlanMeasurement {
  loadMs: number;
  /** The first plan in a fresh process: caches cold, code not yet optimised. */
  planFirstMs: number;
  planMs: number;
  planCpuMs: number;
  planned: number;
  /** Highest sampled process.memoryUsage().rss. */
  sampledRssMb: number;
  /** maxRSS after loading once and planning once: one tick's planning, as the scheduler runs it. */
  peakRssMb: number;
  /** maxRSS after all five plans (garbage from earlier plans not yet collected). */
  peakRssAllMb: number;
}

interface DigestMeasurement {
  board: string;
  boardActions: number;
  /** Plans, updates listed and exceptions in the digest built: a check that it is a real one. */
  plans: number;
  updates: number;
  exceptions: number;
  digestFirstMs: number;
  digestMs: number;
  digestCpuMs: number;
  /** loadBoardDigest with no state given: it loads the board's slice itself, as `sendbot digest` does. */
  coldMs: number;
  peakRssMb: number;
}

interface TickMeasurement {
  tickFirstMs: number;
  tickMs: number;
  tickCpuMs: number;
  planned: number;
  digests: number;
  /** maxRSS after the first tick: one tick's peak. */
  peakRssMb: number;
  /** maxRSS after all three. */
  peakRssAllMb: number;
}

// ---------------------------------------------------------------- generation

/** Deterministic pseudo-random numbers, so every run benchmarks the same database. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

async function generate(path: string, actionCount: number): Promise<void> {
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const db = await openDatabase(partial);
  const c = db.$client;
  const random = rng(actionCount);
  const at = '2024-09-01T08:00:00.000Z';
  const day = 86_400_000;
  const base = Date.parse('2025-03-05T00:00:00Z');
  const write = c.transaction(() => {
    c.prepare(
      "insert into partnership (id, name, office_hours_start, office_hours_end, programme_channel, updated_at) values (1, 'Bench Partnership', '09:00', '17:30', 'C0BENCH', ?)",
    ).run(at);
    // Roles: each board has ~20 owner roles and a chair role; one person holds each role.
    const ownerRolesPerBoard = Math.max(4, Math.round(actionCount / BOARDS / 10));
    const roleCount = BOARDS * (ownerRolesPerBoard + 1);
    const role = c.prepare('insert into roles (id, name, key, created_at) values (?, ?, ?, ?)');
    const person = c.prepare(
      'insert into people (id, name, email, slack_user_id, is_admin, away_until, delegate_id, weekly_digest, last_platform, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const holds = c.prepare('insert into role_assignments (role_id, person_id, started_at) values (?, ?, ?)');
    for (let r = 1; r <= roleCount; r += 1) {
      role.run(r, `Role ${r}`, `role ${r}`, at);
      const away = random() < 0.01;
      person.run(r, `Person ${r}`, `person${r}@example.org`, `U${r}`, r <= 5 ? 1 : 0, away ? '2025-03-20' : null, away && random() < 0.5 ? r + 1 : null, random() < 0.05 ? 1 : 0, 'slack', at);
      holds.run(r, r, at);
    }
    const board = c.prepare(
      'insert into boards (id, name, key, chair_role_id, slack_channel, update_window_days, reminder_days, papers_days, created_at) values (?, ?, ?, ?, ?, 10, 7, 5, ?)',
    );
    const meeting = c.prepare('insert into meetings (board_id, starts_at, is_sample, created_at) values (?, ?, 0, ?)');
    const plan = c.prepare('insert into plans (id, code, title, board_id, position, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)');
    const workstream = c.prepare('insert into workstreams (id, plan_id, number, title, lead_role_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)');
    const action = c.prepare(
      'insert into actions (id, workstream_id, number, ref, text, owner_role_id, date_source, due, baseline_due, status, percent, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const update = c.prepare('insert into updates (action_id, person_id, created_at, platform, kind, status, percent, note, raw_text) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const statuses = ['not_started', 'green', 'green', 'amber', 'amber', 'red', 'blue'] as const;
    const perBoard = actionCount / BOARDS;
    let actionId = 0;
    let workstreamId = 0;
    let updates = 0;
    for (let b = 1; b <= BOARDS; b += 1) {
      const chair = b * (ownerRolesPerBoard + 1);
      board.run(b, `Board ${b}`, `board ${b}`, chair, b % 2 ? `C${b}` : null, at);
      // Every six weeks, each board on its own offset, from Sep 2024 to Sep 2025.
      for (let m = 0; m < 9; m += 1) {
        meeting.run(b, toStoredInstant(parseInstant(`${isoDate(Date.parse('2024-09-02T00:00:00Z') + ((b * 3) % 42) * day + m * 42 * day)}T14:00`)), at);
      }
      plan.run(b, `P${b}`, `Plan ${b}`, b, b, at, at);
      const firstRole = (b - 1) * (ownerRolesPerBoard + 1) + 1;
      const count = Math.round(perBoard * b) - Math.round(perBoard * (b - 1));
      for (let i = 0; i < count; i += 1) {
        if (i % 10 === 0) {
          workstreamId += 1;
          workstream.run(workstreamId, b, i / 10 + 1, `Workstream ${workstreamId}`, firstRole + Math.floor(random() * ownerRolesPerBoard), at, at);
        }
        actionId += 1;
        const due = isoDate(base + Math.floor((random() - 0.4) * 365) * day);
        const status = statuses[Math.floor(random() * statuses.length)] as (typeof statuses)[number];
        const owner = random() < 0.2 ? firstRole + Math.floor(random() * ownerRolesPerBoard) : null;
        action.run(actionId, workstreamId, (i % 10) + 1, `P${b}-${workstreamId}.${(i % 10) + 1}`, `Action ${actionId}: review and implement the plan for this area with partners`, owner, 'action', due, due, status, null, at, at);
        // Update history: none for some actions, several for others, over the last four months.
        const n = Math.floor(random() * 3);
        for (let u = 0; u < n; u += 1) {
          const when = new Date(base - Math.floor(random() * 120 * day) + 9 * 3_600_000).toISOString();
          update.run(actionId, owner ?? firstRole, when, 'slack', 'update', status, 50, 'progressing', `update ${actionId} ${status}`);
          updates += 1;
        }
      }
    }
    return updates;
  });
  write();
  await closeDatabase(db);
  rmSync(`${partial}-wal`, { force: true });
  rmSync(`${partial}-shm`, { force: true });
  renameSync(partial, path);
}

// ---------------------------------------------------------------- measurement

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const peakMb = () => process.resourceUsage().maxRSS / 1024;
const nowUtc = () => toStoredInstant(parseInstant(NOW));

/** Runs `work` once; wall and CPU (user + system) milliseconds. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await work();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

/** The load alone: the peak is read after the first load, then four more for the median. */
async function measureLoad(path: string): Promise<LoadMeasurement> {
  const baseRss = process.memoryUsage().rss;
  const db: Db = await openDatabase(path);
  const first = await timed(async () => await loadPlanningState(db));
  const stateRss = process.memoryUsage().rss;
  const peakRss = peakMb();
  const { actions, boards } = { actions: first.value.actions.length, boards: first.value.boards.length };
  const runs = [first];
  for (let i = 1; i < RUNS; i += 1) runs.push(await timed(async () => await loadPlanningState(db)));
  const count = (table: string) => (db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  const result: LoadMeasurement = {
    actions,
    boards,
    people: count('people'),
    updates: count('updates'),
    loadFirstMs: first.ms,
    loadMs: median(runs.map((r) => r.ms)),
    loadCpuMs: median(runs.map((r) => r.cpuMs)),
    baseRssMb: mb(baseRss),
    stateRssMb: mb(stateRss),
    peakRssMb: peakRss,
  };
  await closeDatabase(db);
  return result;
}

/** Load once and plan five times, as one tick's planning; the peak is this process's. */
async function measurePlan(path: string): Promise<PlanMeasurement> {
  const db: Db = await openDatabase(path);
  let sampled = process.memoryUsage().rss;
  const sample = () => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  };
  const load = await timed(async () => await loadPlanningState(db));
  const state: PlanningState = load.value;
  sample();
  const plans: { ms: number; cpuMs: number; value: number }[] = [];
  let peakRss = 0;
  for (let i = 0; i < RUNS; i += 1) {
    plans.push(await timed(async () => planNotifications(state, nowUtc()).length));
    sample();
    if (i === 0) peakRss = peakMb();
  }
  const result: PlanMeasurement = {
    loadMs: load.ms,
    planFirstMs: (plans[0] as { ms: number }).ms,
    planMs: median(plans.map((p) => p.ms)),
    planCpuMs: median(plans.map((p) => p.cpuMs)),
    planned: (plans[0] as { value: number }).value,
    sampledRssMb: mb(sampled),
    peakRssMb: peakRss,
    peakRssAllMb: peakMb(),
  };
  await closeDatabase(db);
  return result;
}

/** The chair's digest for the board with the most actions, for its next meeting. */
async function measureDigest(path: string): Promise<DigestMeasurement> {
  const db: Db = await openDatabase(path);
  const now = nowUtc();
  const state = await loadPlanningState(db);
  let [boardId, boardActions] = [0, -1];
  for (const [id, actions] of actionsByBoard(state)) if (actions.length > boardActions) [boardId, boardActions] = [id, actions.length];
  const runs: { ms: number; cpuMs: number; value: Awaited<ReturnType<typeof loadBoardDigest>> }[] = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await timed(async () => await loadBoardDigest(db, boardId, now, { state })));
  const digest = (runs[0] as { value: Awaited<ReturnType<typeof loadBoardDigest>> }).value;
  const coldAlone = await timed(async () => await loadBoardDigest(db, boardId, now));
  const result: DigestMeasurement = {
    board: digest.board.name,
    boardActions,
    plans: digest.plans.length,
    updates: digest.totals.updates,
    exceptions: digest.totals.exceptions,
    digestFirstMs: (runs[0] as { ms: number }).ms,
    digestMs: median(runs.map((r) => r.ms)),
    digestCpuMs: median(runs.map((r) => r.cpuMs)),
    coldMs: coldAlone.ms,
    peakRssMb: peakMb(),
  };
  await closeDatabase(db);
  return result;
}

/** The whole dry-run tick as the scheduler runs it: load, plan, real digests, outbox look-ups. */
async function measureTick(path: string): Promise<TickMeasurement> {
  const db: Db = await openDatabase(path);
  const ticks: { ms: number; cpuMs: number; value: Awaited<ReturnType<typeof runTick>> }[] = [];
  let peakRss = 0;
  for (let i = 0; i < 3; i += 1) {
    ticks.push(await timed(async () => await runTick({ db, clock: fixedClock(NOW), dryRun: true })));
    if (i === 0) peakRss = peakMb();
  }
  await closeDatabase(db);
  const first = (ticks[0] as { ms: number; value: Awaited<ReturnType<typeof runTick>> });
  const warnings = first.value.warnings;
  if (warnings.length > 0) process.stderr.write(`tick warnings: ${warnings.slice(0, 3).join('; ')}\n`);
  return {
    tickFirstMs: first.ms,
    tickMs: median(ticks.map((t) => t.ms)),
    tickCpuMs: median(ticks.map((t) => t.cpuMs)),
    planned: first.value.planned.length,
    digests: first.value.planned.filter((p) => p.kind === 'chair_digest' || p.kind === 'channel_digest').length,
    peakRssMb: peakRss,
    peakRssAllMb: peakMb(),
  };
}

// ---------------------------------------------------------------- orchestration

function runChild(args: string[]): string {
  return execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

const measures = { '--measure-load': measureLoad, '--measure-plan': measurePlan, '--measure-digest': measureDigest, '--measure-tick': measureTick } as const;

interface SizeResult {
  load: LoadMeasurement;
  plan: PlanMeasurement;
  digest: DigestMeasurement;
  tick: TickMeasurement;
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === '--generate') return await generate(rest[1] as string, Number(rest[0]));
  if (mode && mode in measures) {
    process.stdout.write(JSON.stringify(await measures[mode as keyof typeof measures](rest[0] as string)));
    return;
  }
  const sizes = mode ? [Number(mode)] : [10_000, 100_000];
  mkdirSync(tmp, { recursive: true });
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const path = join(tmp, `tick-bench-${size}-v1.db`);
    if (!existsSync(path)) {
      process.stderr.write(`generating ${size.toLocaleString('en-GB')} actions across ${BOARDS} boards → ${path}\n`);
      runChild(['--generate', String(size), path]);
    }
    // Opened once first, so a migration the cached database has not had yet is not timed.
    await closeDatabase(await openDatabase(path));
    const run = <T>(flag: keyof typeof measures) => JSON.parse(runChild([flag, path])) as T;
    results.push({
      load: run<LoadMeasurement>('--measure-load'),
      plan: run<PlanMeasurement>('--measure-plan'),
      digest: run<DigestMeasurement>('--measure-digest'),
      tick: run<TickMeasurement>('--measure-tick'),
    });
  }
  const f = (n: number) => n.toFixed(0);
  const n = (x: number) => x.toLocaleString('en-GB');
  process.stdout.write(`\nAt ${NOW} (Europe/London); each row's figures from fresh processes of their own; RSS in MB.\n`);
  table(
    `Load (loadPlanningState), median of ${RUNS} runs`,
    ['actions', 'boards', 'people', 'updates', 'load ms', 'first load ms', 'load cpu ms', 'RSS base', 'RSS +state', 'load peak RSS'],
    results.map(({ load: r }) => [n(r.actions), String(r.boards), n(r.people), n(r.updates), f(r.loadMs), f(r.loadFirstMs), f(r.loadCpuMs), f(r.baseRssMb), f(r.stateRssMb), f(r.peakRssMb)]),
  );
  table(
    `Plan (one load, then planNotifications), median of ${RUNS} runs`,
    ['actions', 'planned', 'plan ms', 'first plan ms', 'plan cpu ms', 'load + plan ms', 'first load + plan ms', 'RSS sampled', 'peak RSS', 'peak RSS 5 plans'],
    results.map(({ load, plan: r }) => [
      n(load.actions),
      n(r.planned),
      f(r.planMs),
      f(r.planFirstMs),
      f(r.planCpuMs),
      f(load.loadMs + r.planMs),
      f(r.loadMs + r.planFirstMs),
      f(r.sampledRssMb),
      f(r.peakRssMb),
      f(r.peakRssAllMb),
    ]),
  );
  table(
    `Chair's digest for the largest board (loadBoardDigest, state loaded), median of ${RUNS} runs`,
    ['actions', 'board', 'board actions', 'plans', 'updates', 'exceptions', 'digest ms', 'first digest ms', 'digest cpu ms', 'cold digest ms', 'digest peak RSS'],
    results.map(({ load, digest: r }) => [
      n(load.actions),
      r.board,
      n(r.boardActions),
      String(r.plans),
      n(r.updates),
      n(r.exceptions),
      r.digestMs.toFixed(2),
      r.digestFirstMs.toFixed(2),
      r.digestCpuMs.toFixed(2),
      r.coldMs.toFixed(1),
      f(r.peakRssMb),
    ]),
  );
  table(
    'Whole dry-run tick (runTick: load, plan, chair and weekly digests built, outbox look-ups), median of 3',
    ['actions', 'planned', 'digests', 'tick ms', 'first tick ms', 'tick cpu ms', 'peak RSS', 'peak RSS 3 ticks'],
    results.map(({ load, tick: r }) => [n(load.actions), n(r.planned), n(r.digests), f(r.tickMs), f(r.tickFirstMs), f(r.tickCpuMs), f(r.peakRssMb), f(r.peakRssAllMb)]),
  );
  const [small, large] = results;
  if (small && large) {
    const ratio = (a: number, b: number) => `${(b / a).toFixed(1)}×`;
    process.stdout.write(
      `Growth 10k → 100k (10× actions): load ${ratio(small.load.loadMs, large.load.loadMs)}, plan ${ratio(small.plan.planMs, large.plan.planMs)}, ` +
        `peak RSS ${ratio(small.plan.peakRssMb, large.plan.peakRssMb)}, RSS above base ${ratio(small.plan.peakRssMb - small.load.baseRssMb, large.plan.peakRssMb - large.load.baseRssMb)}, ` +
        `digest ${ratio(small.digest.digestMs, large.digest.digestMs)}, tick ${ratio(small.tick.tickMs, large.tick.tickMs)}\n`,
    );
  }
  const top = large ?? small;
  if (top) {
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const warm = top.load.loadMs + top.plan.planMs;
    const fresh = top.plan.loadMs + top.plan.planFirstMs;
    process.stdout.write(
      `Targets at ${n(top.load.actions)}: load + plan < 1000 ms: ${met(warm < 1000)} (${f(top.load.loadMs)} + ${f(top.plan.planMs)} ms; ` +
        `${f(fresh)} ms for the first load and plan in a fresh process); ` +
        `peak RSS < 300 MB: ${met(top.plan.peakRssMb < 300)} (${f(top.plan.peakRssMb)} MB for one load and plan, ${f(top.plan.peakRssAllMb)} MB after five plans; ` +
        `the loaded state ${f(top.load.stateRssMb - top.load.baseRssMb)} MB above a base of ${f(top.load.baseRssMb)} MB); ` +
        `largest board's digest < 2 ms: ${met(top.digest.digestMs < 2)} (${top.digest.digestMs.toFixed(2)} ms), cold < 100 ms: ${met(top.digest.coldMs < 100)} (${f(top.digest.coldMs)} ms); ` +
        `whole tick < 1000 ms: ${met(top.tick.tickMs < 1000)} (${f(top.tick.tickMs)} ms, peak ${f(top.tick.peakRssMb)} MB)` +
        (small && large ? `, ≤ 12× from 10k: ${met(large.tick.tickMs <= 12 * small.tick.tickMs)}` : '') +
        '\n',
    );
  }
}

function table(title: string, headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  process.stdout.write(`\n${title}\n${line(headers)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
}

await main();
