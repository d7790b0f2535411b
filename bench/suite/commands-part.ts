// Child process: in-process latency of `who` (free text), `who <ref>`, `update` and `mine` on the
// generated plan of --size actions. The same command mix as bench/commands-bench.ts, but each
// command is sampled up to --samples times or for --budget-ms, whichever ends first (at least
// --min-samples), so the 100k size fits the suite's time budget. Updates go to a throw-away copy,
// opened as the service opens its database: WAL checkpoints in a worker thread (src/main.ts), not
// inside whichever commit takes the WAL past 1000 pages (the CLI's one-command processes do that).
import { fixedClock } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { startWalCheckpoints } from '../../src/store/wal-checkpoints.js';
import { BENCH_NOW, BENCH_SEARCH_PHRASES } from '../bench-db.js';
import { summarise, type Summary } from '../stats.js';
import { workingCopy } from './bench-copy.js';
import { argValue, BOARDS, emitResult, log, peakRssMb, round } from './common.js';
import { sqliteOf } from '../bench-db.js';

export interface CommandsResult {
  size: number;
  boards: number;
  boardsWithActions: number;
  actions: number;
  updatesBefore: number;
  dbBuiltMs: number | null;
  commands: Record<string, Summary & { budgetHit: boolean }>;
  /** What `who (free text)` asked, in turn. */
  searchPhrases?: string[];
  peakRssMb: number;
}

const size = Number(argValue('size'));
const maxSamples = Number(argValue('samples', '1000'));
const minSamples = Number(argValue('min-samples', '200'));
const budgetMs = Number(argValue('budget-ms', '20000'));

/** Times `fn` after `warmup` untimed calls: up to `maxSamples`, stopping after `budgetMs` once `minSamples` are in. */
async function timeBudgeted(fn: (i: number) => unknown, warmup = 20): Promise<Summary & { budgetHit: boolean }> {
  for (let i = 0; i < warmup; i += 1) await fn(i);
  const samples: number[] = [];
  const start = performance.now();
  let budgetHit = false;
  for (let i = 0; i < maxSamples; i += 1) {
    const t = performance.now();
    await fn(i + warmup);
    samples.push(performance.now() - t);
    if (samples.length >= minSamples && performance.now() - start > budgetMs) {
      budgetHit = samples.length < maxSamples;
      break;
    }
  }
  const s = summarise(samples);
  return { ...s, p50: round(s.p50, 4), p99: round(s.p99, 4), mean: round(s.mean, 4), max: round(s.max, 4), budgetHit };
}

async function main(): Promise<void> {
  const copy = await workingCopy(size, 'commands');
  const { db } = copy;
  const checkpoints = await startWalCheckpoints(db, copy.path);
  const c = sqliteOf(db).$client;
  const deps = { db, clock: fixedClock(BENCH_NOW) };
  const one = (sql: string) => (c.prepare(sql).get() as { n: number }).n;
  const people = c.prepare("select email from people where email like 'person%' order by id").all() as { email: string }[];
  const refs = c.prepare('select a.ref, w.lead_role_id as role from actions a join workstreams w on w.id = a.workstream_id where a.removed_at is null').all() as {
    ref: string;
    role: number;
  }[];
  const holderOf = c.prepare('select p.email from role_assignments ra join people p on p.id = ra.person_id where ra.role_id = ? and ra.ended_at is null limit 1');
  const person = async (email: string) => (await findPersonByEmail(db, email)) as NonNullable<Awaited<ReturnType<typeof findPersonByEmail>>>;
  const words = BENCH_SEARCH_PHRASES;
  const admin = await person('admin@example.org');
  const result: CommandsResult = {
    size,
    boards: BOARDS,
    boardsWithActions: one('select count(distinct p.board_id) as n from plans p join workstreams w on w.plan_id = p.id join actions a on a.workstream_id = w.id'),
    actions: one('select count(*) as n from actions where removed_at is null'),
    updatesBefore: one('select count(*) as n from updates'),
    dbBuiltMs: copy.builtMs === null ? null : round(copy.builtMs, 0),
    commands: {},
    searchPhrases: [...words],
    peakRssMb: 0,
  };

  log(`  who (free text)…`);
  result.commands['who (free text)'] = await timeBudgeted(async (i) => await runCommandText(deps, admin, 'cli', `who ${words[i % words.length]}`));
  log(`  who <ref>…`);
  result.commands['who <ref>'] = await timeBudgeted(async (i) => await runCommandText(deps, admin, 'cli', `who ${refs[(i * 7919) % refs.length]?.ref}`));
  const owners = await Promise.all(refs.slice(0, 5000).map(async (r) => ({ ref: r.ref, owner: await person((holderOf.get(r.role) as { email: string }).email) })));
  const statuses = ['green', 'amber', 'red'];
  log(`  update…`);
  result.commands.update = await timeBudgeted(async (i) => {
    const o = owners[(i * 31) % owners.length] as (typeof owners)[number];
    const reply = await runCommandText(deps, o.owner, 'cli', `update ${o.ref} ${statuses[i % 3]} ${i % 100}% benchmark note ${i}`);
    if (reply.tone !== 'success') throw new Error(`update failed: ${reply.summary}`);
  });
  const mine = await Promise.all(people.slice(0, 200).map(async (p) => await person(p.email)));
  log(`  mine…`);
  result.commands.mine = await timeBudgeted(async (i) => await runCommandText(deps, mine[i % mine.length] as (typeof mine)[number], 'cli', 'mine'));
  result.peakRssMb = peakRssMb();
  await checkpoints.stop();
  copy.dispose();
  emitResult(result);
}

await main();
