// Benchmark of one scheduler tick's planning at scale: 10,000 and 100,000 actions across 500 boards.
//
//   npm run bench:tick                   (both sizes; databases are generated once into bench/tmp/)
//   npm run bench:tick -- 100000         (one size)
//
// Each size is measured in its own child process, so its peak RSS (process.resourceUsage().maxRSS)
// is its own. Loading the state and planning are timed separately (median of 5 runs each); the full
// dry-run tick (with the chair's and weekly digests built for every board that is due one) is
// reported separately, from a third process. Targets at 100k: planning under 1 s and under 300 MB.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedClock, parseInstant, toStoredInstant } from '../src/clock.js';
import { planNotifications } from '../src/domain/notification-planner.js';
import { runTick } from '../src/jobs/tick.js';
import { closeDatabase, type Db, openDatabase } from '../src/store/database.js';
import type { PlanningState } from '../src/domain/planning-state.js';
import { loadPlanningState } from '../src/store/planning-state-repository.js';

const BOARDS = 500;
/** A Wednesday when about a third of the boards are between update window and meeting. */
const NOW = '2025-03-05T09:30';
const RUNS = 5;
const here = dirname(fileURLToPath(import.meta.url));
const tmp = join(here, 'tmp');

interface PlanMeasurement {
  actions: number;
  boards: number;
  people: number;
  updates: number;
  loadMs: number;
  /** The first plan in a fresh process: caches cold, code not yet optimised. */
  planFirstMs: number;
  planMs: number;
  planned: number;
  /** RSS once the modules are loaded, before the database is read. */
  baseRssMb: number;
  /** RSS with the plan state loaded. */
  stateRssMb: number;
  /** Highest sampled process.memoryUsage().rss. */
  sampledRssMb: number;
  /** process.resourceUsage().maxRSS after loading once and planning: one tick's true peak. */
  peakRssMb: number;
}

interface TickMeasurement {
  tickMs: number;
  peakRssMb: number;
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

function generate(path: string, actionCount: number): void {
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const db = openDatabase(partial);
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
  closeDatabase(db);
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

/**
 * Loading and planning, in a process of their own so the peak RSS is theirs. One tick's worth first
 * (load once, plan five times), and only then the extra loads for the load-time median, so the peak
 * reported is a tick's, not that of several states alive at once.
 */
function measurePlan(path: string): PlanMeasurement {
  const baseRss = process.memoryUsage().rss;
  const db: Db = openDatabase(path);
  const nowUtc = toStoredInstant(parseInstant(NOW));
  let sampled = baseRss;
  const sample = () => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  };
  const loads: number[] = [];
  const plans: number[] = [];
  let planned = 0;
  let t = performance.now();
  let state: PlanningState | undefined = loadPlanningState(db);
  loads.push(performance.now() - t);
  const stateRss = process.memoryUsage().rss;
  sample();
  for (let i = 0; i < RUNS; i += 1) {
    t = performance.now();
    planned = planNotifications(state, nowUtc).length;
    plans.push(performance.now() - t);
    sample();
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const actions = state.actions.length;
  const boards = state.boards.length;
  for (let i = 1; i < RUNS; i += 1) {
    state = undefined;
    t = performance.now();
    state = loadPlanningState(db);
    loads.push(performance.now() - t);
  }
  const count = (table: string) => (db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  const result: PlanMeasurement = {
    actions,
    boards,
    people: count('people'),
    updates: count('updates'),
    loadMs: median(loads),
    planFirstMs: plans[0] as number,
    planMs: median(plans),
    planned,
    baseRssMb: mb(baseRss),
    stateRssMb: mb(stateRss),
    sampledRssMb: mb(sampled),
    peakRssMb: mb(peakRss),
  };
  closeDatabase(db);
  return result;
}

/** The whole dry-run tick as the scheduler runs it: load, plan, real digests, outbox look-ups. */
function measureTick(path: string): TickMeasurement {
  const db: Db = openDatabase(path);
  const ticks: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const t = performance.now();
    runTick({ db, clock: fixedClock(NOW), dryRun: true });
    ticks.push(performance.now() - t);
  }
  closeDatabase(db);
  return { tickMs: median(ticks), peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

// ---------------------------------------------------------------- orchestration

function runChild(args: string[]): string {
  return execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function main(): void {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === '--generate') return generate(rest[1] as string, Number(rest[0]));
  if (mode === '--measure-plan') {
    process.stdout.write(JSON.stringify(measurePlan(rest[0] as string)));
    return;
  }
  if (mode === '--measure-tick') {
    process.stdout.write(JSON.stringify(measureTick(rest[0] as string)));
    return;
  }
  const sizes = mode ? [Number(mode)] : [10_000, 100_000];
  mkdirSync(tmp, { recursive: true });
  const results: (PlanMeasurement & { tick: TickMeasurement })[] = [];
  for (const size of sizes) {
    const path = join(tmp, `tick-bench-${size}-v1.db`);
    if (!existsSync(path)) {
      process.stderr.write(`generating ${size.toLocaleString('en-GB')} actions across ${BOARDS} boards → ${path}\n`);
      runChild(['--generate', String(size), path]);
    }
    const plan = JSON.parse(runChild(['--measure-plan', path])) as PlanMeasurement;
    results.push({ ...plan, tick: JSON.parse(runChild(['--measure-tick', path])) as TickMeasurement });
  }
  const f = (n: number) => n.toFixed(0);
  const n = (x: number) => x.toLocaleString('en-GB');
  table(
    `Load and plan at ${NOW} (Europe/London), medians of ${RUNS} runs; RSS in MB`,
    ['actions', 'boards', 'people', 'updates', 'planned', 'load ms', 'plan ms', 'first plan ms', 'RSS base', 'RSS +state', 'RSS sampled', 'peak RSS'],
    results.map((r) => [n(r.actions), String(r.boards), n(r.people), n(r.updates), n(r.planned), f(r.loadMs), f(r.planMs), f(r.planFirstMs), f(r.baseRssMb), f(r.stateRssMb), f(r.sampledRssMb), f(r.peakRssMb)]),
  );
  table(
    'Whole dry-run tick (load, plan, chair and weekly digests built, outbox look-ups), median of 3',
    ['actions', 'tick ms', 'peak RSS'],
    results.map((r) => [n(r.actions), f(r.tick.tickMs), f(r.tick.peakRssMb)]),
  );
  const [small, large] = results;
  if (small && large) {
    const ratio = (a: number, b: number) => `${(b / a).toFixed(1)}×`;
    process.stdout.write(
      `Growth 10k → 100k (10× actions): load ${ratio(small.loadMs, large.loadMs)}, plan ${ratio(small.planMs, large.planMs)}, ` +
        `peak RSS ${ratio(small.peakRssMb, large.peakRssMb)}, RSS above base ${ratio(small.peakRssMb - small.baseRssMb, large.peakRssMb - large.baseRssMb)}, tick ${ratio(small.tick.tickMs, large.tick.tickMs)}\n`,
    );
    process.stdout.write(
      `Targets at 100k: plan < 1000 ms: ${large.planMs < 1000 ? 'met' : 'NOT met'} (first plan ${f(large.planFirstMs)} ms); ` +
        `peak RSS < 300 MB: ${large.peakRssMb < 300 ? 'met' : 'NOT met'} (${f(large.peakRssMb)} MB, of which the loaded state ${f(large.stateRssMb - large.baseRssMb)} MB)\n`,
    );
  }
}

function table(title: string, headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  process.stdout.write(`\n${title}\n${line(headers)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
}

main();
