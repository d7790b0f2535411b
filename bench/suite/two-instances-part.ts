// Child process: Slack slash commands at a steady rate through a round-robin loopback proxy, as a
// load balancer in front of sendbot would see them (issue 21's figure):
//
//   two instances  two real `src/main.ts` processes (Slack HTTP mode, each on its own loopback port)
//                  on ONE PostgreSQL database: a copy of the template `bench_<size>_500` that the
//                  postgres part builds from the cached SQLite benchmark database (built here first
//                  when this run has not built it yet), on the cluster run-all.ts passes as --url;
//   one on SQLite  one `src/main.ts` on a copy of the cached SQLite benchmark database, behind the
//                  same proxy with one target, so both runs cross the same extra hop.
//
// The load is open-loop, as Slack offers it: request i leaves at start + i / rate whether or not
// earlier ones have been answered, so a slow server shows as latency and errors, never as a lower
// rate. Each is a signed `/send who <ref>` with its own response_url on the fake Slack Web API
// (tests/helpers), which lives in this process, so both times are read on one clock:
//   ack    request written to the proxy → HTTP response read (Slack gives up after 3 s);
//   reply  request written → the response_url POST carrying the answer has arrived.
// Errors: non-200 acks, socket errors and timeouts, replies missing 60 s after the last ack, replies
// that are not the answer for that ref, and any reply that arrives twice (the inbox sweep of either
// instance must never run an acknowledged command again).
//
// A warm-up (half the rate for 3 s, then the rate for 2 s; counted for errors, not for latency)
// comes before each measured run. The tick is kept off (TICK_CRON far away) so what is measured is
// the Slack path, the instances' leadership, inbox sweeps and delivery polling included.
//
// Children (the instances) are killed by tests/reliability/support/processes.ts when this process
// exits; run-all.ts starts this process in its own process group and kills the group on timeout.
import { copyFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { signSlackRequest } from '../../src/platforms/slack/signing.js';
import { type SlackApiServer, startSlackApiServer } from '../../tests/helpers/slack-api-server.js';
import { slashCommandBody } from '../../tests/helpers/slack-requests.js';
import { processCpuMs, processRssMb } from '../../tests/reliability/support/http-client.js';
import { killAllChildren, type RunningService, startSlackService } from '../../tests/reliability/support/processes.js';
import { BENCH_NOW } from '../bench-db.js';
import { summarise, type Summary } from '../stats.js';
import { ensureBenchDb } from './bench-copy.js';
import { argValue, BENCH_DIR, BOARDS, emitResult, loadAverages, log, round, runTsChild, TMP_DIR } from './common.js';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy.js';
import { databaseUrl as databaseUrlOn, withAdminConnection } from './postgres-admin.js';

export interface LoadRun {
  label: string;
  database: 'postgres' | 'sqlite';
  instances: number;
  rate: number;
  seconds: number;
  /** Measured requests (the warm-up's are not in the latency figures). */
  requests: number;
  /** Requests per second the client actually sent, and the most a request left after its slot. */
  sendRate: number;
  maxSendLagMs: number;
  ack: Summary;
  reply: Summary;
  /**
   * Answers per second over the measured run: its replies / (last reply − first request). Below the
   * rate, the work behind the acks falls behind and replies queue for longer as the run goes on.
   */
  replyRate: number;
  /** Acks slower than Slack's 3 s. */
  over3s: number;
  non200: number;
  socketErrors: number;
  missingReplies: number;
  wrongReplies: number;
  duplicateReplies: number;
  /** The same failures during the warm-up. */
  warmupFailures: number;
  /** Requests the proxy sent to each instance (warm-up included). */
  split: number[];
  /** CPU each instance used during the measured run, as % of one core. */
  instanceCpuPercent: number[];
  instanceRssMb: number[];
  /** Log lines at level error or worse, and inbox sweeps that replayed something, per instance. */
  errorLogLines: number[];
  sweepReplays: number[];
  exitCodes: (number | null)[];
  /** Load average (1/5/15 min) when the measured run ended. */
  loadAfter: [number, number, number];
}

export interface TwoInstancesResult {
  size: number;
  rate: number;
  seconds: number;
  postgres: LoadRun;
  sqlite: LoadRun;
}

const size = Number(argValue('size'));
const server = argValue('url');
const RATE = Number(argValue('rate', '200'));
const SECONDS = Number(argValue('seconds', '60'));
const SECRET = 'bench-two-instances-secret';
const TOKEN = 'xoxb-bench';
const USER = 'UADMIN';
const ACK_TIMEOUT_MS = 15_000;
const REPLY_WAIT_MS = 60_000;
const NEVER_CRON = '0 0 1 1 *';

const databaseUrl = (name: string): string => databaseUrlOn(server, name);

const admin = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => withAdminConnection(server, work);

/** A fresh copy of the postgres part's template for this size, building the template first if this run has not. */
async function postgresCopy(): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = `bench_${size}_${BOARDS}`;
  const exists = await admin(async (c) => (await c.query('select 1 from pg_database where datname = $1', [template])).rowCount === 1);
  if (!exists) {
    log(`  building the PostgreSQL template ${template} (postgres-part.ts --step build)…`);
    const built = await runTsChild(join(BENCH_DIR, 'suite', 'postgres-part.ts'), ['--size', String(size), '--step', 'build', '--url', server], { timeoutMs: 20 * 60_000 });
    if (!built.ok) throw new Error(`could not build the PostgreSQL template: ${built.error}`);
  }
  const name = `bench_twoinst_${size}_${process.pid}`;
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  await admin((c) => c.query(`create database ${name} template ${template}`));
  return { url: databaseUrl(name), drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined) };
}

/** Request ids waiting for their reply; every reply is matched (and checked) here. */
interface Waiting {
  started: number;
  ref: string;
  replyMs: number | null;
  /** performance.now() when the reply arrived. */
  arrivedAt: number | null;
  wrong: boolean;
}

function startInstance(api: SlackApiServer, env: Record<string, string | undefined>, databasePath: string): Promise<RunningService> {
  return startSlackService(
    { databasePath, slackApiUrl: api.apiUrl, signingSecret: SECRET, botToken: TOKEN, now: BENCH_NOW, clockRuns: true, tickCron: NEVER_CRON, extraEnv: env },
    120_000,
  );
}

async function runLoad(label: string, database: LoadRun['database'], api: SlackApiServer, instances: RunningService[], refs: string[]): Promise<LoadRun> {
  const proxy: RoundRobinProxy = await startRoundRobinProxy(instances.map((i) => i.url));
  const agent = new Agent({ keepAlive: true, maxSockets: 64, scheduling: 'fifo', timeout: 4000 });
  const replies = new Map<string, Waiting>();
  let duplicates = 0;
  const answered = new Set<string>();
  api.respond('response_url', (call) => {
    const arrived = performance.now();
    const id = api.calls.at(-1)?.responseUrlId;
    api.calls.length = 0; // the recorder would otherwise keep every reply
    const w = id === undefined ? undefined : replies.get(id);
    if (id !== undefined && answered.has(id)) duplicates += 1;
    else if (w && id !== undefined) {
      answered.add(id);
      w.replyMs = arrived - w.started;
      w.arrivedAt = arrived;
      w.wrong = !String(call.body.text ?? '').includes(w.ref);
    }
    return { body: { ok: true } };
  });

  interface Outcome {
    id: string;
    status: number;
    ackMs: number;
    error?: string;
  }
  /** One signed `/send who <ref>`, through the proxy. Never rejects. */
  const post = (id: string, i: number): Promise<Outcome> => {
    const ref = refs[(i * 7919) % refs.length] as string;
    const raw = new URLSearchParams(slashCommandBody({ text: `who ${ref}`, user_id: USER, response_url: api.responseUrl(id) })).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const started = performance.now();
    replies.set(id, { started, ref, replyMs: null, arrivedAt: null, wrong: false });
    return new Promise((resolve) => {
      let settled = false;
      const finish = (status: number, error?: string) => {
        if (settled) return;
        settled = true;
        resolve({ id, status, ackMs: performance.now() - started, ...(error ? { error } : {}) });
      };
      const req = request(
        new URL('/slack/events', proxy.url),
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(raw),
            'x-slack-request-timestamp': String(timestamp),
            'x-slack-signature': signSlackRequest(SECRET, timestamp, raw),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => finish(res.statusCode ?? 0));
          res.on('error', (e) => finish(res.statusCode ?? 0, e.message));
        },
      );
      req.setTimeout(ACK_TIMEOUT_MS, () => req.destroy(new Error(`no ack within ${ACK_TIMEOUT_MS} ms`)));
      req.on('error', (e) => finish(0, e.message));
      req.end(raw);
    });
  };

  /** `count` requests open-loop at `rate` a second; resolves when every one has its ack (or error). */
  const phase = async (prefix: string, count: number, rate: number) => {
    const pending: Promise<Outcome>[] = [];
    const interval = 1000 / rate;
    let maxLag = 0;
    const start = performance.now();
    await new Promise<void>((resolve) => {
      let next = 0;
      const pump = (): void => {
        const elapsed = performance.now() - start;
        while (next < count && next * interval <= elapsed) {
          maxLag = Math.max(maxLag, elapsed - next * interval);
          pending.push(post(`${prefix}${next}`, next));
          next += 1;
        }
        if (next >= count) resolve();
        else setTimeout(pump, 1);
      };
      pump();
    });
    const sendSeconds = (performance.now() - start) / 1000;
    return { outcomes: await Promise.all(pending), sendRate: count / sendSeconds, maxLag };
  };

  const warmSeconds = [3, 2];
  const warm = [...(await phase(`${label}-w1-`, Math.round((RATE / 2) * warmSeconds[0]!), RATE / 2)).outcomes, ...(await phase(`${label}-w2-`, RATE * warmSeconds[1]!, RATE)).outcomes];
  const cpuBefore = instances.map((i) => processCpuMs(i.child.pid));
  const t = performance.now();
  log(`  ${label}: ${RATE}/s for ${SECONDS} s…`);
  const measured = await phase(`${label}-r-`, RATE * SECONDS, RATE);
  const wallMs = performance.now() - t;
  const cpu = instances.map((i, k) => round(((processCpuMs(i.child.pid) - (cpuBefore[k] ?? 0)) / wallMs) * 100, 0));
  const rss = instances.map((i) => processRssMb(i.child.pid));
  const loadAfter = loadAverages();

  // Every acknowledged request's reply, then a moment longer for any reply that comes twice.
  const acked = (o: Outcome) => o.status === 200;
  const expected = [...warm, ...measured.outcomes].filter(acked).map((o) => o.id);
  const deadline = Date.now() + REPLY_WAIT_MS;
  while (Date.now() < deadline && expected.some((id) => replies.get(id)?.replyMs === null)) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 2000));

  const failures = (outcomes: Outcome[]) => {
    const ok = outcomes.filter(acked);
    return {
      non200: outcomes.filter((o) => o.status !== 200 && o.status !== 0).length,
      socketErrors: outcomes.filter((o) => o.status === 0).length,
      missing: ok.filter((o) => replies.get(o.id)?.replyMs === null).length,
      wrong: ok.filter((o) => replies.get(o.id)?.wrong).length,
    };
  };
  const f = failures(measured.outcomes);
  const measuredReplies = measured.outcomes.map((o) => replies.get(o.id)?.arrivedAt).filter((x): x is number => typeof x === 'number');
  const fw = failures(warm);
  const rounded = (s: Summary): Summary => ({ n: s.n, p50: round(s.p50, 1), p99: round(s.p99, 1), mean: round(s.mean, 1), max: round(s.max, 1) });
  const exitCodes: (number | null)[] = [];
  for (const i of instances) exitCodes.push((await i.child.stop()).code);
  const errorLogLines = instances.map((i) => i.child.lines.filter((l) => Number(l.json?.level) >= 50).length);
  for (const [k, i] of instances.entries())
    for (const l of i.child.lines.filter((x) => Number(x.json?.level) >= 50).slice(0, 3)) log(`  instance ${k + 1} logged: ${l.raw.slice(0, 300)}`);
  const sweepReplays = instances.map((i) => i.child.lines.filter((l) => l.json?.msg === 'replayed acknowledged Slack requests their instance did not finish').length);
  const run: LoadRun = {
    label,
    database,
    instances: instances.length,
    rate: RATE,
    seconds: SECONDS,
    requests: measured.outcomes.length,
    sendRate: round(measured.sendRate, 1),
    maxSendLagMs: round(measured.maxLag, 1),
    ack: rounded(summarise(measured.outcomes.filter(acked).map((o) => o.ackMs))),
    reply: rounded(summarise(measured.outcomes.map((o) => replies.get(o.id)?.replyMs).filter((x): x is number => typeof x === 'number'))),
    replyRate: measuredReplies.length ? round(measuredReplies.length / ((Math.max(...measuredReplies) - t) / 1000), 1) : 0,
    over3s: measured.outcomes.filter((o) => o.ackMs > 3000).length,
    non200: f.non200,
    socketErrors: f.socketErrors,
    missingReplies: f.missing,
    wrongReplies: f.wrong,
    duplicateReplies: duplicates,
    warmupFailures: fw.non200 + fw.socketErrors + fw.missing + fw.wrong,
    split: [...proxy.counts],
    instanceCpuPercent: cpu,
    instanceRssMb: rss,
    errorLogLines,
    sweepReplays,
    exitCodes,
    loadAfter,
  };
  agent.destroy();
  await proxy.close();
  const errors = run.non200 + run.socketErrors + run.over3s + run.missingReplies + run.wrongReplies + run.duplicateReplies;
  log(
    `  ${label}: ack p50 ${run.ack.p50} / p99 ${run.ack.p99} ms, reply p50 ${run.reply.p50} / p99 ${run.reply.p99} ms, sent ${run.sendRate}/s, answered ${run.replyRate}/s, ` +
      `${errors} errors (${run.non200} non-200, ${run.socketErrors} socket, ${run.over3s} acks over 3 s, ${run.missingReplies} missing, ${run.wrongReplies} wrong, ${run.duplicateReplies} twice), split ${run.split.join(' / ')}, ` +
      `instance CPU ${cpu.join(' / ')} %, load ${loadAfter.join(' ')}`,
  );
  return run;
}

async function main(): Promise<void> {
  if (!server || !size) throw new Error('two-instances-part.ts needs --size N and --url postgres://… (the cluster run-all.ts started)');
  const { path } = await ensureBenchDb(size);
  const sqlite = new Database(path, { readonly: true });
  const refs = (sqlite.prepare('select ref from actions where removed_at is null order by id').all() as { ref: string }[]).map((r) => r.ref);
  sqlite.close();
  const api = await startSlackApiServer({ token: TOKEN });
  const copy = join(TMP_DIR, `work-two-instances-${size}-${BOARDS}.db`);
  const removeCopy = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  };
  let database: Awaited<ReturnType<typeof postgresCopy>> | undefined;
  try {
    database = await postgresCopy();
    log('  starting two sendbot instances on one PostgreSQL database…');
    const env = { DATABASE_URL: database.url, DATABASE_PATH: undefined };
    const two = [await startInstance(api, env, database.url), await startInstance(api, env, database.url)];
    const postgres = await runLoad('two instances on PostgreSQL', 'postgres', api, two, refs);
    await database.drop();
    database = undefined;

    removeCopy();
    copyFileSync(path, copy);
    log('  starting one sendbot instance on SQLite…');
    const one = [await startInstance(api, {}, copy)];
    const sqliteRun = await runLoad('one instance on SQLite', 'sqlite', api, one, refs);
    const result: TwoInstancesResult = { size, rate: RATE, seconds: SECONDS, postgres, sqlite: sqliteRun };
    emitResult(result);
  } finally {
    await killAllChildren();
    await database?.drop().catch(() => undefined);
    removeCopy();
    await api.close();
  }
  // Lingering keep-alive sockets or timers must not hold the run open.
  setTimeout(() => process.exit(0), 100).unref();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
