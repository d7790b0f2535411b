// Child process: the PostgreSQL column of the suite (issue 21), on a throw-away cluster run-all.ts
// starts (scripts/postgres-test-cluster.mjs) and passes as --url. One step per process, so each
// peak RSS is that step's own:
//   --step build     the cached SQLite benchmark database of --size actions (bench/bench-db.ts) moved
//                    into a template database with migrate-to-postgres (timed: "migrate ms"), and
//                    tick-bench's generated database into the tick step's template (not timed)
//   --step commands  who (free text), who <ref>, update, mine on a copy of the template: p50 / p99
//   --step tick      tick planning: loadPlanningState + planNotifications on tick-bench's plan, median of 3, peak RSS
//   --step import    the --size-row plan CSV imported into a fresh, migrated database
// The same command mix and CSV as the SQLite parts (commands-part.ts, import-part.ts), so the two
// columns are comparable.
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { fixedClock, parseInstant, toStoredInstant } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { planNotifications } from '../../src/domain/notification-planner.js';
import { loadPlanFile } from '../../src/importers/load-plan-file.js';
import { closeDatabase, type Db } from '../../src/store/database.js';
import { openStore } from '../../src/store/open-store.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { loadPlanningState } from '../../src/store/planning-state-repository.js';
import { migrateSqliteToPostgres } from '../../src/store/sqlite-to-postgres.js';
import { all } from '../../src/store/statements.js';
import { storeCall } from '../../src/store/unit-of-work.js';
import { sql } from 'drizzle-orm';
import { BENCH_NOW, BENCH_SEARCH_PHRASES } from '../bench-db.js';
import { generatePlanDocument, planToCsv } from '../generate-plan.js';
import { summarise, type Summary } from '../stats.js';
import { ensureBenchDb } from './bench-copy.js';
import { argValue, BENCH_DIR, BOARDS, emitResult, log, median, peakRssMb, round, TMP_DIR } from './common.js';
import { databaseUrl as databaseUrlOn, withAdminConnection } from './postgres-admin.js';

export type PostgresStep = 'build' | 'commands' | 'tick' | 'import';

export interface PostgresResult {
  size: number;
  step: PostgresStep;
  /** build: migrate-to-postgres of the SQLite benchmark database. */
  migrateMs?: number;
  commands?: Record<string, Summary>;
  /** tick: load + plan, median of 3, and its parts. */
  planMs?: number;
  loadMs?: number;
  planned?: number;
  /** import: the CSV imported into a fresh database (parse + import). */
  importMs?: number;
  parseMs?: number;
  actionsStored?: number;
  peakRssMb: number;
}

const size = Number(argValue('size'));
const step = argValue('step') as PostgresStep;
const server = argValue('url');
const samples = Number(argValue('samples', '300'));
const POOL = { poolSize: 4, statementTimeoutMs: 0 };

export const templateName = (actions: number) => `bench_${actions}_${BOARDS}`;
const tickTemplateName = (actions: number) => `bench_tick_${actions}_${BOARDS}`;

const databaseUrl = (name: string): string => databaseUrlOn(server, name);

const admin = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => withAdminConnection(server, work);

/** A new database, a copy of `template` when given; dropped by the returned function. */
async function freshDatabase(label: string, template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_${label}_${size}_${process.pid}`;
  await admin((c) => c.query(`drop database if exists ${name}`));
  await admin((c) => c.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  return { url: databaseUrl(name), drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined) };
}

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return storeCall(db, async () => await all<T>(db, query));
}

async function timeSamples(fn: (i: number) => Promise<unknown>, count: number, warmup = 20): Promise<Summary> {
  for (let i = 0; i < warmup; i += 1) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t = performance.now();
    await fn(i + warmup);
    times.push(performance.now() - t);
  }
  const s = summarise(times);
  return { ...s, p50: round(s.p50, 4), p99: round(s.p99, 4), mean: round(s.mean, 4), max: round(s.max, 4) };
}

async function build(): Promise<PostgresResult> {
  const { path } = await ensureBenchDb(size);
  const name = templateName(size);
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  await admin((c) => c.query(`create database ${name}`));
  const t = performance.now();
  await migrateSqliteToPostgres(path, databaseUrl(name), { postgres: POOL });
  const migrateMs = performance.now() - t;
  // The tick step's plan: tick-bench's generated database (the one SQLite's tick figure comes from).
  const tickPath = join(TMP_DIR, `tick-bench-${size}-v1.db`);
  if (!existsSync(tickPath)) execFileSync(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'tick-bench.ts'), '--generate', String(size), tickPath], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tickName = tickTemplateName(size);
  await admin((c) => c.query(`drop database if exists ${tickName} with (force)`));
  await admin((c) => c.query(`create database ${tickName}`));
  await migrateSqliteToPostgres(tickPath, databaseUrl(tickName), { postgres: POOL });
  return { size, step, migrateMs: round(migrateMs, 0), peakRssMb: peakRssMb() };
}

async function commands(): Promise<PostgresResult> {
  const copy = await freshDatabase('commands', templateName(size));
  const db = await openStore(copy.url, POOL);
  try {
    const deps = { db, clock: fixedClock(BENCH_NOW) };
    const person = async (email: string) => (await findPersonByEmail(db, email)) as NonNullable<Awaited<ReturnType<typeof findPersonByEmail>>>;
    const admin = await person('admin@example.org');
    const refs = await rows<{ ref: string; email: string }>(
      db,
      sql`select a.ref, p.email from actions a join workstreams w on w.id = a.workstream_id
            join role_assignments ra on ra.role_id = w.lead_role_id and ra.ended_at is null join people p on p.id = ra.person_id
           where a.removed_at is null order by a.id limit 5000`,
    );
    const owners = await Promise.all(refs.map(async (r) => ({ ref: r.ref, owner: await person(r.email) })));
    const people = await rows<{ email: string }>(db, sql`select email from people where email like 'person%' order by id limit 200`);
    const mine = await Promise.all(people.map(async (p) => await person(p.email)));
    const words = BENCH_SEARCH_PHRASES;
    const statuses = ['green', 'amber', 'red'];
    const result: Record<string, Summary> = {};
    log('  who (free text)…');
    result['who (free text)'] = await timeSamples(async (i) => await runCommandText(deps, admin, 'cli', `who ${words[i % words.length]}`), samples);
    log('  who <ref>…');
    result['who <ref>'] = await timeSamples(async (i) => await runCommandText(deps, admin, 'cli', `who ${owners[(i * 7919) % owners.length]?.ref}`), samples);
    log('  update…');
    result.update = await timeSamples(async (i) => {
      const o = owners[(i * 31) % owners.length] as (typeof owners)[number];
      const reply = await runCommandText(deps, o.owner, 'cli', `update ${o.ref} ${statuses[i % 3]} ${i % 100}% benchmark note ${i}`);
      if (reply.tone !== 'success') throw new Error(`update failed: ${reply.summary}`);
    }, samples);
    log('  mine…');
    result.mine = await timeSamples(async (i) => await runCommandText(deps, mine[i % mine.length] as (typeof mine)[number], 'cli', 'mine'), samples);
    return { size, step, commands: result, peakRssMb: peakRssMb() };
  } finally {
    await closeDatabase(db);
    await copy.drop();
  }
}

/**
 * Tick planning on the plan SQLite's tick figure comes from: bench/tick-bench.ts's generated
 * database at its moment (2025-03-05T09:30), moved here with migrate-to-postgres. (Until round 3's
 * fifth session this step planned on the commands' database, where that moment has nothing due:
 * 0 notifications, so it timed the load and an empty plan.)
 */
async function tick(): Promise<PostgresResult> {
  const copy = await freshDatabase('tick', tickTemplateName(size));
  const db = await openStore(copy.url, POOL);
  try {
    const now = toStoredInstant(parseInstant('2025-03-05T09:30'));
    const loads: number[] = [];
    const totals: number[] = [];
    let planned = 0;
    for (let i = 0; i < 3; i += 1) {
      const t = performance.now();
      const state = await loadPlanningState(db);
      const loaded = performance.now();
      planned = planNotifications(state, now).length;
      loads.push(loaded - t);
      totals.push(performance.now() - t);
    }
    return { size, step, planMs: round(median(totals), 1), loadMs: round(median(loads), 1), planned, peakRssMb: peakRssMb() };
  } finally {
    await closeDatabase(db);
    await copy.drop();
  }
}

async function importCsv(): Promise<PostgresResult> {
  const csv = join(TMP_DIR, `import-${size}-${BOARDS}.csv`);
  if (!existsSync(csv) || statSync(csv).mtimeMs < statSync(join(BENCH_DIR, 'generate-plan.ts')).mtimeMs) {
    writeFileSync(`${csv}.partial`, planToCsv(generatePlanDocument({ actions: size, boards: BOARDS })));
    renameSync(`${csv}.partial`, csv);
  }
  const fresh = await freshDatabase('import');
  const db = await openStore(fresh.url, POOL);
  try {
    let t = performance.now();
    const loaded = await loadPlanFile(csv);
    const parseMs = performance.now() - t;
    t = performance.now();
    await importPlanDocument(db, loaded.document, { now: parseInstant('2024-09-02T09:00'), file: loaded.file });
    const importMs = performance.now() - t;
    const [stored] = await rows<{ n: number }>(db, sql`select count(*) as n from actions where removed_at is null`);
    return { size, step, parseMs: round(parseMs, 1), importMs: round(parseMs + importMs, 1), actionsStored: Number(stored?.n), peakRssMb: peakRssMb() };
  } finally {
    await closeDatabase(db);
    await fresh.drop();
  }
}

const steps: Record<PostgresStep, () => Promise<PostgresResult>> = { build, commands, tick, import: importCsv };

async function main(): Promise<void> {
  const run = steps[step];
  if (!run || !server) throw new Error('postgres-part.ts needs --step build|commands|tick|import and --url postgres://…');
  emitResult(await run());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
