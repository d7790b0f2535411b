// Unsigned request flood against POST /slack/events: what an attacker without the signing secret can
// cost the running server. `npm run bench:slack-dos` (prints figures; asserts nothing).
//
// The real app (`src/main.ts`, Slack HTTP mode, demo plan, pinned to 127.0.0.1) runs in a child
// process; the fake Slack Web API stands in for Slack. Measured:
//   - time to answer one 4 MB unsigned `payload=` of nested brackets (median of 5, and its status);
//   - how long the event loop was blocked meanwhile: the worst /healthz latency of a probe polling
//     every 20 ms while that request is in flight;
//   - the child's resident memory (VmRSS now, VmHWM peak) before and after, and the CPU time it
//     spent during the flood;
//   - /healthz latency (every probe, p50 / max) while 50 such requests are in flight at once (sent
//     from a separate process, alternately unsigned and with a wrong signature), and how the 50
//     were answered.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { closeDatabase } from '../src/store/database.js';
import { demoPlanDb } from '../tests/helpers/demo-plan-db.js';
import { startSlackApiServer } from '../tests/helpers/slack-api-server.js';
import { percentile, processCpuMs, processRssMb, round, send } from '../tests/reliability/support/http-client.js';
import { killAllChildren, startSlackService } from '../tests/reliability/support/processes.js';
import { removeDatabaseCopy } from '../tests/reliability/support/sqlite.js';

const SECRET = 'dos-bench-signing-secret';
const TOKEN = 'xoxb-dos-bench';
const BODY_BYTES = 4 * 1024 * 1024;
const IN_FLIGHT = Number(process.env.DOS_IN_FLIGHT ?? 50);

/** `payload=[[[…]]]`: exactly 4 MB (Bolt's body limit), brackets balanced. */
function nestedBracketsBody(): Buffer {
  const prefix = 'payload=';
  const depth = Math.floor((BODY_BYTES - prefix.length) / 2);
  return Buffer.from(`${prefix}${'['.repeat(depth)}${']'.repeat(depth)}`);
}

function peakRssMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** GET /healthz on a fresh connection (no keep-alive queueing behind the flood): latency in ms, or NaN. */
function probe(baseUrl: string, timeoutMs = 30_000): Promise<{ ms: number; status: number }> {
  const url = new URL('/healthz', baseUrl);
  return new Promise((resolve) => {
    const started = performance.now();
    const r = request({ host: url.hostname, port: url.port, path: url.pathname, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
    });
    r.setTimeout(timeoutMs, () => r.destroy(new Error('timeout')));
    r.on('error', () => resolve({ ms: Number.NaN, status: 0 }));
    r.end();
  });
}

/** Polls /healthz every `everyMs` until `stop()`; returns every latency. */
function startProbing(baseUrl: string, everyMs = 20): { stop(): Promise<{ ms: number; status: number }[]> } {
  const results: Promise<{ ms: number; status: number }>[] = [];
  const timer = setInterval(() => results.push(probe(baseUrl)), everyMs);
  return {
    async stop() {
      clearInterval(timer);
      return Promise.all(results);
    },
  };
}

const median = (xs: number[]): number => percentile(xs, 50);

const unsignedRequest = (body: Buffer) => ({ path: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, timeoutMs: 120_000 });
const badlySignedRequest = (body: Buffer) => {
  const r = unsignedRequest(body);
  return { ...r, headers: { ...r.headers, 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': `v0=${'0'.repeat(64)}` } };
};

/** Runs this script as `--flood <url> <n>` in a child process; resolves with each request's outcome. */
function floodFromChild(url: string, n: number): Promise<{ status: number; error?: string; latencyMs: number }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--flood', url, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`flood client exited ${code}`))));
  });
}

async function flood(url: string, n: number): Promise<void> {
  const body = nestedBracketsBody();
  const outcomes = await Promise.all(Array.from({ length: n }, (_, i) => send(url, i % 2 === 0 ? unsignedRequest(body) : badlySignedRequest(body))));
  process.stdout.write(JSON.stringify(outcomes.map((o) => ({ status: o.status, error: o.error, latencyMs: o.latencyMs }))));
}

async function main(): Promise<void> {
  const api = await startSlackApiServer({ token: TOKEN });
  const { db, path } = await demoPlanDb();
  closeDatabase(db);
  const service = await startSlackService({ databasePath: path, slackApiUrl: api.apiUrl, signingSecret: SECRET, botToken: TOKEN, now: '2024-11-18T10:00', logLevel: 'info' });
  const body = nestedBracketsBody();
  const unsigned = unsignedRequest(body);
  const badlySigned = badlySignedRequest(body);
  try {
    const rssBefore = processRssMb(service.child.pid);
    const idle: { ms: number; status: number }[] = [];
    for (let i = 0; i < 20; i += 1) idle.push(await probe(service.url));

    // One at a time, five times: time to answer, and the event-loop block seen by /healthz meanwhile.
    const single: { ms: number; status: number; worstHealthzMs: number }[] = [];
    for (let i = 0; i < 5; i += 1) {
      process.stderr.write(`single request ${i + 1}/5\n`);
      const probing = startProbing(service.url);
      const res = await send(service.url, i % 2 === 0 ? unsigned : badlySigned);
      const probes = await probing.stop();
      single.push({ ms: res.latencyMs, status: res.status, worstHealthzMs: Math.max(...probes.map((p) => p.ms).filter(Number.isFinite)) });
    }
    const rssAfterSingle = processRssMb(service.child.pid);

    // IN_FLIGHT at once from another process (so the client's own work does not slow the probes),
    // /healthz probed from this one throughout.
    process.stderr.write(`${IN_FLIGHT} requests in flight\n`);
    const cpuBefore = processCpuMs(service.child.pid);
    const probing = startProbing(service.url);
    const started = performance.now();
    const flood = await floodFromChild(service.url, IN_FLIGHT);
    const serverCpuMs = processCpuMs(service.child.pid) - cpuBefore;
    const floodMs = performance.now() - started;
    const probes = await probing.stop();
    const healthz = probes.map((p) => p.ms).filter(Number.isFinite);
    const statuses: Record<string, number> = {};
    for (const r of flood) statuses[r.status || r.error || 'error'] = (statuses[r.status || r.error || 'error'] ?? 0) + 1;

    const figures = {
      bodyBytes: body.length,
      idleHealthzMsMedian: round(median(idle.map((p) => p.ms))),
      single: {
        statuses: single.map((s) => s.status),
        answerMsMedian: round(median(single.map((s) => s.ms))),
        answerMsMax: round(Math.max(...single.map((s) => s.ms))),
        worstHealthzMsMedian: round(median(single.map((s) => s.worstHealthzMs))),
      },
      flood: {
        inFlight: IN_FLIGHT,
        statuses,
        allAnsweredMs: round(floodMs),
        /** CPU the server spent meanwhile: what the flood cost it, apart from the machine's own load. */
        serverCpuMs: round(serverCpuMs),
        slowestAnswerMs: round(Math.max(...flood.map((r) => r.latencyMs))),
        healthzProbes: probes.length,
        healthzFailed: probes.filter((p) => p.status !== 200).length,
        healthzMsP50: round(percentile(healthz, 50)),
        healthzMsP99: round(percentile(healthz, 99)),
        healthzMsMax: round(Math.max(...healthz)),
      },
      rssMb: { before: rssBefore, afterSingle: rssAfterSingle, afterFlood: processRssMb(service.child.pid), peak: peakRssMb(service.child.pid) },
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    await service.child.stop();
    await killAllChildren();
    await api.close();
    removeDatabaseCopy(path);
  }
}

(process.argv[2] === '--flood' ? flood(process.argv[3] as string, Number(process.argv[4])) : main()).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
