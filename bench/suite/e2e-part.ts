// Child process: signed Slack `/send who <ref>` slash commands over loopback HTTP, against the real
// sendbot app and against a bare Bolt app that acknowledges and answers through the response_url
// (bench/suite/e2e-server.ts, one process each, both up for the whole run).
//
// This process is the load client and also hosts the fake Slack Web API (tests/helpers), which
// receives both apps' response_url posts, so both times are read on one clock:
//   ack    — the slash command's HTTP round trip (request written → response body read): what Slack
//            waits for (3 s limit);
//   reply  — request written → the response_url POST carrying the answer has arrived.
// Each request carries its own response_url (/response/<tag>), so replies are matched exactly, and
// each reply is checked to be the answer for that ref.
//
// Runs: 200 warm-up requests per app, then N sequential requests per app (one at a time; the next
// request goes once the reply has arrived, so the work after the ack is not left running under the
// next request), then N requests with C in flight (C closed-loop workers, each sending its next
// request as soon as its ack is back — the same offered load for both apps, as Slack would see it;
// replies are collected as they arrive and awaited at the end of each block). The two apps are
// measured in alternating blocks, so a change in the machine's load during the run hits both.
//
// Profiling: `--runs sequential` (or `concurrent`) measures one run only; `--cpu-prof-dir DIR` has
// both servers write V8 CPU profiles.
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { signSlackRequest } from '../../src/platforms/slack/signing.js';
import { type SlackApiServer, startSlackApiServer } from '../../tests/helpers/slack-api-server.js';
import { slashCommandBody } from '../../tests/helpers/slack-requests.js';
import { summarise, type Summary } from '../stats.js';
import { ensureBenchDb } from './bench-copy.js';
import { argValue, BENCH_DIR, emitResult, log, round } from './common.js';

type AppName = 'sendbot' | 'bare';

interface Sample {
  ackMs: number;
  replyMs: number | null;
}

interface RunStats {
  ack: Summary;
  reply: Summary;
  requests: number;
  non200: number;
  errors: number;
  missingReplies: number;
  wrongReplies: number;
  /** Acknowledged requests per second over the run's own blocks. */
  throughput: number;
  /** Answered requests per second: the same blocks timed until their last reply arrived. */
  replyThroughput: number;
}

export interface E2eResult {
  size: number;
  sequential: Record<AppName, RunStats>;
  concurrent: Record<AppName, RunStats> & { inFlight: number };
  /** sendbot ack p99 / bare ack p99, and the same for p50. */
  ratios: { sequentialP99: number; sequentialP50: number; concurrentP99: number; concurrentP50: number };
  serverRssMb: Record<AppName, { rssMb: number; peakRssMb: number } | null>;
  warmup: number;
}

const size = Number(argValue('size'));
const N = Number(argValue('requests', '2000'));
const WARMUP = Number(argValue('warmup', '200'));
const IN_FLIGHT = Number(argValue('concurrency', '20'));
/** For profiling one run alone: `--runs concurrent`. The result then has empty figures for the other. */
const RUNS = argValue('runs', 'sequential,concurrent').split(',');
/** `--cpu-prof-dir DIR`: each server writes V8 CPU profiles into DIR/sendbot or DIR/bare when it exits (one per thread; the largest is the main thread's). */
const CPU_PROF_DIR = process.argv.includes('--cpu-prof-dir') ? argValue('cpu-prof-dir') : undefined;
const SEQ_BLOCK = Number(argValue('block', '100'));
const CONC_BLOCK = Number(argValue('concurrent-block', '500'));
const SECRET = 'bench-signing-secret';
const USER = 'UADMIN';
const TIMEOUT_MS = 10_000;

interface Server {
  url: URL;
  ask(type: string): Promise<unknown>;
  stop(): void;
}

function startServer(mode: AppName, api: SlackApiServer): Promise<Server> {
  const child = fork(join(BENCH_DIR, 'suite', 'e2e-server.ts'), ['--mode', mode, '--size', String(size), '--api', api.apiUrl, '--secret', SECRET], {
    execArgv: ['--import', 'tsx', ...(CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', join(CPU_PROF_DIR, mode)] : [])],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start in 120 s`)), 120_000);
    child.once('exit', (code) => reject(new Error(`${mode} server exited (${code}) before it was ready`)));
    child.on('message', function onReady(message: { type?: string; url?: string }) {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onReady);
      child.removeAllListeners('exit');
      resolve({
        url: new URL('/slack/events', message.url),
        ask: (type) =>
          new Promise((answer) => {
            const t = setTimeout(() => answer(null), 2000);
            child.once('message', (m) => {
              clearTimeout(t);
              answer(m);
            });
            child.send({ type });
          }),
        stop: () => {
          child.disconnect();
          setTimeout(() => child.kill('SIGKILL'), 2000).unref();
        },
      });
    });
  });
}

async function main(): Promise<void> {
  const { path } = await ensureBenchDb(size);
  const sqlite = new Database(path, { readonly: true });
  const refs = (sqlite.prepare('select ref from actions where removed_at is null order by id').all() as { ref: string }[]).map((r) => r.ref);
  sqlite.close();

  const api = await startSlackApiServer({ token: 'xoxb-bench' });
  const waiting = new Map<string, { started: number; ref: string; done: (ms: number, ok: boolean) => void }>();
  let tagCounter = 0;
  api.respond('response_url', (call) => {
    const arrived = performance.now();
    const id = api.calls.at(-1)?.responseUrlId;
    api.calls.length = 0; // the recorder would otherwise keep every reply
    const w = id === undefined ? undefined : waiting.get(id);
    if (w) {
      waiting.delete(id as string);
      w.done(arrived - w.started, String(call.body.text ?? '').includes(w.ref));
    }
    return { body: { ok: true } };
  });

  log('  starting sendbot and bare Bolt servers…');
  const servers: Record<AppName, Server> = { sendbot: await startServer('sendbot', api), bare: await startServer('bare', api) };
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT + 4 });

  const fresh = () => ({ non200: 0, errors: 0, missing: 0, wrong: 0 });
  const tally: Record<string, ReturnType<typeof fresh>> = {};

  /** Replies still expected; awaited at the end of each block. */
  const outstanding: Promise<void>[] = [];

  /**
   * Sends one signed `/send who <ref>`. Resolves at the ack (or, with `waitForReply`, once the reply
   * has also arrived) with the sample, whose replyMs is filled in when the reply arrives.
   */
  function post(app: AppName, i: number, bucket: ReturnType<typeof fresh>, waitForReply: boolean): Promise<Sample | null> {
    const ref = refs[(i * 7919) % refs.length] as string;
    tagCounter += 1;
    const tag = `${app}-${tagCounter}`;
    const raw = new URLSearchParams(slashCommandBody({ text: `who ${ref}`, user_id: USER, response_url: api.responseUrl(tag) })).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(raw),
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackRequest(SECRET, timestamp, raw),
    };
    const sample: Sample = { ackMs: Number.NaN, replyMs: null };
    let settleReply = () => {};
    const replied = new Promise<void>((r) => (settleReply = r));
    const started = performance.now();
    waiting.set(tag, {
      started,
      ref,
      done: (ms, ok) => {
        sample.replyMs = ms;
        if (!ok) bucket.wrong += 1;
        clearTimeout(replyTimer);
        settleReply();
      },
    });
    const replyTimer = setTimeout(() => {
      if (waiting.delete(tag)) bucket.missing += 1;
      settleReply();
    }, TIMEOUT_MS);
    outstanding.push(replied);
    /** No reply is expected after a failed request. */
    const abandonReply = () => {
      waiting.delete(tag);
      clearTimeout(replyTimer);
      settleReply();
    };
    const acked = new Promise<Sample | null>((resolve) => {
      let done = false;
      const finish = (value: Sample | null) => {
        if (done) return;
        done = true;
        clearTimeout(ackTimer);
        if (value === null) abandonReply();
        resolve(value);
      };
      const ackTimer = setTimeout(() => {
        bucket.errors += 1;
        req.destroy();
        finish(null);
      }, TIMEOUT_MS);
      const req = request(servers[app].url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          sample.ackMs = performance.now() - started;
          if (res.statusCode !== 200) {
            bucket.non200 += 1;
            finish(null);
          } else finish(sample);
        });
      });
      req.on('error', () => {
        bucket.errors += 1;
        finish(null);
      });
      req.end(raw);
    });
    return waitForReply ? Promise.all([acked, replied]).then(([s]) => s) : acked;
  }

  const samples: Record<string, Sample[]> = {};
  const wall: Record<string, number> = {};
  /** Like wall, but each block until its last reply arrived. */
  const wallToReplies: Record<string, number> = {};
  const record = (key: string, s: Sample | null) => {
    if (s) (samples[key] ??= []).push(s);
  };
  const drainReplies = async () => {
    await Promise.all(outstanding.splice(0));
  };

  /** One request at a time; the next goes once the reply has arrived. */
  async function sequential(app: AppName, from: number, count: number, key: string | null): Promise<void> {
    const bucket = (tally[key ?? 'warmup'] ??= fresh());
    const t = performance.now();
    for (let i = from; i < from + count; i += 1) {
      const s = await post(app, i, bucket, true);
      if (key) record(key, s);
    }
    // Each reply has arrived before the next request goes: both clocks stop together.
    if (key) wall[key] = (wall[key] ?? 0) + (performance.now() - t);
    if (key) wallToReplies[key] = wall[key] as number;
  }

  /** IN_FLIGHT closed-loop workers, each sending its next request when its ack is back (as Slack sees it). */
  async function concurrent(app: AppName, from: number, count: number, key: string): Promise<void> {
    const bucket = (tally[key] ??= fresh());
    let next = from;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < from + count) {
          const i = next;
          next += 1;
          record(key, await post(app, i, bucket, false));
        }
      }),
    );
    wall[key] = (wall[key] ?? 0) + (performance.now() - t);
    // Replies still on their way belong to this block; the next block starts once they are in.
    await drainReplies();
    wallToReplies[key] = (wallToReplies[key] ?? 0) + (performance.now() - t);
  }

  const apps: AppName[] = ['bare', 'sendbot'];
  log(`  warm-up: ${WARMUP} requests each…`);
  for (const app of apps) await sequential(app, 0, WARMUP, null);
  if (RUNS.includes('sequential')) log(`  sequential: ${N} requests each, alternating blocks of ${SEQ_BLOCK}…`);
  for (let from = 0; RUNS.includes('sequential') && from < N; from += SEQ_BLOCK) {
    const order = (from / SEQ_BLOCK) % 2 === 0 ? apps : [...apps].reverse();
    for (const app of order) await sequential(app, WARMUP + from, Math.min(SEQ_BLOCK, N - from), `seq-${app}`);
  }
  if (RUNS.includes('concurrent')) log(`  concurrent: ${N} requests each, ${IN_FLIGHT} in flight, alternating blocks of ${CONC_BLOCK}…`);
  for (let from = 0; RUNS.includes('concurrent') && from < N; from += CONC_BLOCK) {
    const order = (from / CONC_BLOCK) % 2 === 0 ? apps : [...apps].reverse();
    for (const app of order) await concurrent(app, WARMUP + N + from, Math.min(CONC_BLOCK, N - from), `conc-${app}`);
  }

  const rounded = (s: Summary): Summary => ({ n: s.n, p50: round(s.p50), p99: round(s.p99), mean: round(s.mean), max: round(s.max) });
  const stats = (key: string): RunStats => {
    const list = samples[key] ?? [];
    const replies = list.map((s) => s.replyMs).filter((x): x is number => x !== null);
    const t = tally[key] ?? fresh();
    return {
      ack: rounded(summarise(list.map((s) => s.ackMs))),
      reply: rounded(summarise(replies)),
      requests: list.length,
      non200: t.non200,
      errors: t.errors,
      missingReplies: t.missing,
      wrongReplies: t.wrong,
      throughput: round(list.length / ((wall[key] ?? 1) / 1000), 1),
      replyThroughput: round(replies.length / ((wallToReplies[key] ?? 1) / 1000), 1),
    };
  };
  const rssOf = async (app: AppName) => {
    const answer = (await servers[app].ask('rss')) as { rssMb: number; peakRssMb: number } | null;
    return answer ? { rssMb: answer.rssMb, peakRssMb: answer.peakRssMb } : null;
  };
  const serverRssMb = { sendbot: await rssOf('sendbot'), bare: await rssOf('bare') };
  const seq = { sendbot: stats('seq-sendbot'), bare: stats('seq-bare') };
  const conc = { sendbot: stats('conc-sendbot'), bare: stats('conc-bare') };
  const ratio = (a: number, b: number) => round(a / b, 2);
  const result: E2eResult = {
    size,
    sequential: seq,
    concurrent: { ...conc, inFlight: IN_FLIGHT },
    ratios: {
      sequentialP99: ratio(seq.sendbot.ack.p99, seq.bare.ack.p99),
      sequentialP50: ratio(seq.sendbot.ack.p50, seq.bare.ack.p50),
      concurrentP99: ratio(conc.sendbot.ack.p99, conc.bare.ack.p99),
      concurrentP50: ratio(conc.sendbot.ack.p50, conc.bare.ack.p50),
    },
    serverRssMb,
    warmup: WARMUP,
  };
  servers.sendbot.stop();
  servers.bare.stop();
  agent.destroy();
  await api.close();
  const r = result.ratios;
  log(
    `  ack p99 sendbot / bare Bolt: ${r.sequentialP99}× one at a time (${seq.sendbot.ack.p99} vs ${seq.bare.ack.p99} ms), ` +
      `${r.concurrentP99}× with ${IN_FLIGHT} in flight (${conc.sendbot.ack.p99} vs ${conc.bare.ack.p99} ms); target ≤ 1.3×. p50 ratios ${r.sequentialP50}× and ${r.concurrentP50}×.`,
  );
  log(`  reply p99 sendbot / bare Bolt with ${IN_FLIGHT} in flight: ${ratio(conc.sendbot.reply.p99, conc.bare.reply.p99)}× (${conc.sendbot.reply.p99} vs ${conc.bare.reply.p99} ms); target ≤ 1.5×.`);
  emitResult(result);
  // Lingering keep-alive sockets or timers must not hold the run open.
  setTimeout(() => process.exit(0), 100).unref();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
