// A small HTTP client for the load and bad-input tests: node:http with a keep-alive agent (cheaper
// than fetch at hundreds of requests a second), a hard timeout per request, and the raw outcome —
// status, body, latency, or the socket error — instead of exceptions.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { slashCommandBody, type SlashCommandFields } from '../../helpers/slack-requests.js';
import { signSlackRequest } from '../../../src/platforms/slack/signing.js';

export interface Outcome {
  /** HTTP status, or 0 when the request failed without a response. */
  status: number;
  body: string;
  /** Milliseconds from writing the request to the end of the response. */
  latencyMs: number;
  error?: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/**
 * Keep-alive connections, used round-robin (fifo) and closed by the client after 4 s idle, before
 * node's server closes them at 5 s: otherwise a request can be written to a connection the server is
 * closing at that moment and fail with ECONNRESET, an artefact of the test client rather than the app.
 */
export function keepAliveAgent(maxSockets = 64): Agent {
  return new Agent({ keepAlive: true, maxSockets, scheduling: 'fifo', timeout: 4000 });
}

/** Resident memory of a process in MB, from /proc (Linux); NaN elsewhere. */
export function processRssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * Time (ms) the process's main thread (its event loop) has spent ready to run but waiting for a CPU,
 * from /proc (Linux, schedstat); NaN elsewhere. High when other work on the machine takes the cores.
 */
export function processRunQueueWaitMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

/** One request to `baseUrl` (http://127.0.0.1:port). Never rejects. */
export function send(baseUrl: string, req: RawRequest, agent?: Agent): Promise<Outcome> {
  const url = new URL(req.path, baseUrl);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
  const headers: Record<string, string | number> = { ...req.headers };
  if (body && headers['content-length'] === undefined) headers['content-length'] = body.length;
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const finish = (o: Omit<Outcome, 'latencyMs'>): void => {
      if (settled) return;
      settled = true;
      resolve({ ...o, latencyMs: performance.now() - started });
    };
    const r = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method ?? 'POST', headers, ...(agent ? { agent } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), error: e.message }));
      },
    );
    r.setTimeout(req.timeoutMs ?? 15_000, () => {
      r.destroy(new Error(`no response within ${req.timeoutMs ?? 15_000} ms`));
    });
    r.on('error', (e) => finish({ status: 0, body: '', error: `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`.trim() }));
    if (body) r.end(body);
    else r.end();
  });
}

export interface SignOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Sign with this secret instead (a forger who does not know the real one). */
  secret: string;
  contentType?: string;
}

/** Headers and body of a signed Slack request, ready to send (and to send again: a replay). */
export function signedRequest(rawBody: string | Buffer, { timestamp, secret, contentType = 'application/x-www-form-urlencoded' }: SignOptions): RawRequest {
  const ts = timestamp ?? Math.floor(Date.now() / 1000);
  return {
    path: '/slack/events',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signSlackRequest(secret, ts, rawBody),
    },
    body: rawBody,
  };
}

/** A signed `/send <text>` slash command. */
export function slashRequest(fields: Partial<SlashCommandFields> & { text: string }, sign: SignOptions): RawRequest {
  return signedRequest(new URLSearchParams(slashCommandBody(fields)).toString(), sign);
}

/** p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
