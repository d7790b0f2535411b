// Child processes for the reliability suite: the real `src/main.ts` (or a small script) run with
// `node --import tsx`, every server pinned to 127.0.0.1 by loopback-only.ts. Output is read line by
// line (pino writes JSON lines) so tests can wait for a log event; every child started here is
// tracked and killed by pid when the test file ends, even after a failed assertion.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..', '..');
const LOOPBACK_PRELOAD = join(HERE, 'loopback-only.ts');

export interface LogLine {
  raw: string;
  json?: Record<string, unknown>;
  stream: 'stdout' | 'stderr';
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Every line so far (capped at the last `maxLines`). */
  readonly lines: LogLine[];
  /** Resolves with the first line (past or future) that matches, or rejects after `timeoutMs`. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** True until the process has exited. */
  readonly running: boolean;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  /** The lines as text, for failure messages. */
  transcript(last?: number): string;
}

const live = new Set<Child>();

/** Kills (SIGKILL, by pid) every child still running: for afterAll and process exit. */
export async function killAllChildren(): Promise<void> {
  const running = [...live].filter((c) => c.running);
  for (const c of running) c.kill('SIGKILL');
  await Promise.all(running.map((c) => c.exit));
  live.clear();
}

process.once('exit', () => {
  for (const c of live) if (c.running) c.process.kill('SIGKILL');
});

export interface StartOptions {
  /** Arguments after `node --import tsx --import loopback-only.ts`, e.g. ['src/main.ts', '--now', …]. */
  args: string[];
  env?: Record<string, string | undefined>;
  maxLines?: number;
}

/** Starts `node --import tsx <args>` in the repository root with a minimal environment. */
export function startChild({ args, env = {}, maxLines = 5000 }: StartOptions): Child {
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    TZ: process.env.TZ ?? 'UTC',
    NODE_ENV: 'test',
  };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  // RELIABILITY_CHILD_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") is for diagnosing a slow run.
  const extraNodeArgs = (process.env.RELIABILITY_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...extraNodeArgs, '--import', 'tsx', '--import', LOOPBACK_PRELOAD, ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`could not start node ${args.join(' ')}`);
  const lines: LogLine[] = [];
  const waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  let running = true;
  const onLine = (raw: string, stream: LogLine['stream']): void => {
    let json: Record<string, unknown> | undefined;
    if (raw.startsWith('{')) {
      try {
        json = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
    }
    const line: LogLine = { raw, stream, ...(json ? { json } : {}) };
    lines.push(line);
    if (lines.length > maxLines) lines.splice(0, lines.length - maxLines);
    for (let i = waiters.length - 1; i >= 0; i -= 1) {
      const w = waiters[i] as (typeof waiters)[number];
      if (w.match(line)) {
        waiters.splice(i, 1);
        w.resolve(line);
      }
    }
  };
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (l) => onLine(l, 'stdout'));
  createInterface({ input: proc.stderr as NodeJS.ReadableStream }).on('line', (l) => onLine(l, 'stderr'));
  const exit = (async () => {
    const [code, signal] = (await once(proc, 'exit')) as [number | null, NodeJS.Signals | null];
    running = false;
    return { code, signal };
  })();

  const child: Child = {
    process: proc,
    pid: proc.pid,
    lines,
    get running() {
      return running;
    },
    exit,
    transcript: (last = 60) => lines.slice(-last).map((l) => `[${l.stream}] ${l.raw}`).join('\n'),
    waitForLine(match, timeoutMs = 30_000) {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (l: LogLine) => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for a log line from pid ${proc.pid}; last lines:\n${child.transcript(30)}`));
        }, timeoutMs);
        waiters.push(waiter);
        void exit.then(({ code, signal }) => {
          if (waiters.includes(waiter)) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(new Error(`pid ${proc.pid} exited (code ${code}, signal ${signal}) before the expected log line; last lines:\n${child.transcript(30)}`));
          }
        });
      });
    },
    kill(signal) {
      if (running) proc.kill(signal);
    },
    async stop(graceMs = 10_000) {
      if (!running) return exit;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
  live.add(child);
  void exit.then(() => live.delete(child));
  return child;
}

export interface SlackServiceOptions {
  databasePath: string;
  slackApiUrl: string;
  signingSecret: string;
  botToken: string;
  /** Fixed "now" for the process (London time), as `--now`. */
  now?: string;
  /** With `now`: the clock starts there and runs on (`--clock-runs`), so leases can run out. */
  clockRuns?: boolean;
  tickCron?: string;
  logLevel?: string;
  extraEnv?: Record<string, string | undefined>;
}

export interface RunningService {
  child: Child;
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
}

/** `src/main.ts` in Slack HTTP mode on a free loopback port; resolves once it says it is running. */
export async function startSlackService(options: SlackServiceOptions, timeoutMs = 60_000): Promise<RunningService> {
  const args = ['src/main.ts', ...(options.now ? ['--now', options.now] : []), ...(options.now && options.clockRuns ? ['--clock-runs'] : [])];
  const child = startChild({
    args,
    env: {
      DATABASE_PATH: options.databasePath,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel ?? 'info',
      SLACK_BOT_TOKEN: options.botToken,
      SLACK_SIGNING_SECRET: options.signingSecret,
      SLACK_API_URL: options.slackApiUrl,
      TICK_CRON: options.tickCron,
      DEMO_DATA: 'never',
      ...options.extraEnv,
    },
  });
  const listening = await child.waitForLine((l) => l.json?.msg === 'HTTP server listening', timeoutMs);
  await child.waitForLine((l) => l.json?.msg === 'sendbot is running', timeoutMs);
  const port = Number(listening.json?.port);
  return { child, port, url: `http://127.0.0.1:${port}` };
}
