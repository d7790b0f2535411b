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
//     were answered;
//   - idle connections: IDLE_SOCKETS silent TCP connections from 10 loopback addresses, reopened as
//     the server closes them, for IDLE_SECONDS, while /healthz is probed and signed slash commands
//     are sent: how many probes and acknowledgements were answered, and how fast;
//   - the public page: 200 concurrent GET /published (20 loopback addresses) while 20 signed slash
//     commands are acknowledged: statuses, acknowledgement latency, and a cold vs cached page.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { closeDatabase } from '../src/store/database.js';
import { demoPlanDb } from '../tests/helpers/demo-plan-db.js';
import { startSlackApiServer } from '../tests/helpers/slack-api-server.js';
import { connect, type Socket } from 'node:net';
import { percentile, processCpuMs, processRssMb, round, send, slashRequest } from '../tests/reliability/support/http-client.js';
import { killAllChildren, startSlackService } from '../tests/reliability/support/processes.js';
import { removeDatabaseCopy } from '../tests/reliability/support/sqlite.js';

const SECRET = 'dos-bench-signing-secret';
const TOKEN = 'xoxb-dos-bench';
const BODY_BYTES = 4 * 1024 * 1024;
const IN_FLIGHT = Number(process.env.DOS_IN_FLIGHT ?? 50);
const IDLE_SOCKETS = Number(process.env.DOS_IDLE_SOCKETS ?? 520);
const IDLE_SECONDS = Number(process.env.DOS_IDLE_SECONDS ?? 30);

/** GET `path` on a fresh connection from `localAddress` (another loopback address is another client). */
function getFrom(baseUrl: string, path: string, localAddress: string): Promise<{ status: number; ms: number }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve) => {
    const started = performance.now();
    const r = request({ host: url.hostname, port: url.port, path: url.pathname, agent: false, localAddress }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    r.setTimeout(30_000, () => r.destroy(new Error('timeout')));
    r.on('error', () => resolve({ status: 0, ms: Number.NaN }));
    r.end();
  });
}

const statusCounts = (statuses: number[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const s of statuses) out[String(s)] = (out[String(s)] ?? 0) + 1;
  return out;
};

/** A signed `/send help`, as Slack sends it; resolves with its status and latency. */
const ack = (url: string, responseUrl: string) => send(url, slashRequest({ text: 'help', user_id: 'U0DEMO03', response_url: responseUrl }, { secret: SECRET }));

/** Silent sockets held (and reopened) while /healthz and acknowledgements are measured. */
async function idleConnectionFlood(url: string, responseUrl: string) {
  const { port } = new URL(url);
  const addresses = Array.from({ length: 10 }, (_, i) => `127.0.0.${i + 2}`);
  const open = new Set<Socket>();
  let stopping = false;
  let opened = 0;
  let closedByServer = 0;
  const openOne = (localAddress: string): void => {
    if (stopping) return;
    opened += 1;
    const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress });
    open.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      open.delete(socket);
      if (stopping) return;
      closedByServer += 1;
      setTimeout(() => openOne(localAddress), 5);
    });
  };
  for (let i = 0; i < IDLE_SOCKETS; i += 1) openOne(addresses[i % addresses.length] as string);
  const probes: { status: number; ms: number }[] = [];
  const acks: { status: number; ms: number }[] = [];
  const until = performance.now() + IDLE_SECONDS * 1000;
  while (performance.now() < until) {
    const [p, a] = await Promise.all([probe(url, 10_000), ack(url, responseUrl)]);
    probes.push(p);
    acks.push({ status: a.status, ms: a.latencyMs });
    await new Promise((r) => setTimeout(r, 250));
  }
  const heldAtEnd = open.size;
  stopping = true;
  for (const s of open) s.destroy();
  const okProbeMs = probes.filter((p) => p.status === 200).map((p) => p.ms);
  const okAckMs = acks.filter((a) => a.status === 200).map((a) => a.ms);
  return {
    idleSockets: IDLE_SOCKETS,
    seconds: IDLE_SECONDS,
    socketsOpened: opened,
    closedByServer,
    heldAtEnd,
    healthz: { probes: probes.length, statuses: statusCounts(probes.map((p) => p.status)), msP50: round(percentile(okProbeMs, 50)), msMax: round(Math.max(...okProbeMs)) },
    acks: { sent: acks.length, statuses: statusCounts(acks.map((a) => a.status)), msP50: round(percentile(okAckMs, 50)), msMax: round(Math.max(...okAckMs)) },
  };
}

/** 200 concurrent GET /published (from 20 addresses) while 20 acknowledgements are measured. */
async function publicPageFlood(url: string, responseUrl: string) {
  const cold = await getFrom(url, '/published', '127.0.3.1');
  const warm = await getFrom(url, '/published', '127.0.3.2');
  const pages = Promise.all(Array.from({ length: 200 }, (_, i) => getFrom(url, i % 2 === 0 ? '/published' : '/published/hcp', `127.0.4.${(i % 20) + 1}`)));
  const acks = Promise.all(Array.from({ length: 20 }, () => ack(url, responseUrl)));
  const [pageResults, ackResults] = await Promise.all([pages, acks]);
  const okPageMs = pageResults.filter((p) => p.status === 200).map((p) => p.ms);
  return {
    firstPageMs: round(cold.ms),
    cachedPageMs: round(warm.ms),
    pages: { sent: 200, statuses: statusCounts(pageResults.map((p) => p.status)), msP50: round(percentile(okPageMs, 50)), msMax: round(Math.max(...okPageMs)) },
    acks: {
      sent: 20,
      statuses: statusCounts(ackResults.map((a) => a.status)),
      msP50: round(percentile(ackResults.map((a) => a.latencyMs), 50)),
      msMax: round(Math.max(...ackResults.map((a) => a.latencyMs))),
    },
  };
}

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
  const loadAtStart = loadavg().map((l) => round(l));
  const api = await startSlackApiServer({ token: TOKEN });
  const { db, path } = await demoPlanDb();
  await closeDatabase(db);
  const service = await startSlackService({
    databasePath: path,
    slackApiUrl: api.apiUrl,
    signingSecret: SECRET,
    botToken: TOKEN,
    now: '2024-11-18T10:00',
    logLevel: 'info',
    extraEnv: { PUBLISHED_VIEW: 'true' },
  });
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

    process.stderr.write(`${IDLE_SOCKETS} idle connections for ${IDLE_SECONDS} s\n`);
    const idleFlood = await idleConnectionFlood(service.url, api.responseUrl());
    process.stderr.write('200 concurrent /published\n');
    const publicFlood = await publicPageFlood(service.url, api.responseUrl());

    const figures = {
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((l) => round(l)) },
      idleConnections: idleFlood,
      publicPage: publicFlood,
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
