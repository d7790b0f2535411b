// Where a `/send` command's work runs after its acknowledgement: on the main thread, or in one worker
// thread with its own database connection (SLACK_COMMAND_WORKER, on by default for a database file).
//
// Why a worker: the main thread reads, verifies and acknowledges every Slack request (with its inbox
// row) and posts the replies; the command's own work (identify the caller, run the command in one
// transaction) is most of a request's CPU. On one thread, callers that send their next command as
// soon as the last is acknowledged get acknowledgements faster than answers, so replies queue behind
// acks (reply p99 5× a bare Bolt app's at 20 in flight); and under a steady 200 commands a second
// the one thread is the whole service's capacity. With the work in a worker, a second core takes it.
//
// What stays true: the request is in the durable inbox before the acknowledgement (the main thread
// wrote it); the worker's runOnce claims the row in the same transaction as the work, on its own
// connection, so the work happens once whichever thread (or process) runs it. If the worker fails,
// the jobs it held go to the main thread: a job whose transaction had not committed finds its row
// still pending and runs there; one that had committed finds it gone and is not run twice. Stopping
// waits for the jobs in hand (the drain), then closes the worker's connection.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { CommandPolicy, DashboardLinkSettings } from '../../commands/types.js';
import type { Logger, LogLevelName } from '../../logger.js';
import { type CarriedError, carryOutSlashCommand, restoreError, type SlashCommandJob, type SlashCommandOutcome, type SlashCommandWorkDeps } from './slash-command-work.js';

/** Carries out slash-command jobs (see slash-command-work.ts). */
export interface SlashCommandRunner {
  /** 'worker' while the worker takes jobs; 'main thread' otherwise. */
  readonly where: 'worker' | 'main thread';
  run(job: SlashCommandJob): Promise<SlashCommandOutcome>;
  /** Waits for the jobs in hand, then releases what the runner holds. Later jobs run on the main thread. */
  stop(): Promise<void>;
}

/** The work on the calling (main) thread, with the app's own connection and Web API client. */
export function mainThreadRunner(deps: SlashCommandWorkDeps): SlashCommandRunner {
  return { where: 'main thread', run: (job) => carryOutSlashCommand(deps, job), stop: async () => {} };
}

/** What the worker thread is started with (plain data). */
export interface CommandWorkerData {
  /** Opened in the worker with the app's openDatabase (its own connection). */
  databasePath: string;
  botToken: string;
  apiUrl?: string;
  logLevel: LogLevelName;
  dashboard?: DashboardLinkSettings;
  policy?: CommandPolicy;
}

export type ToWorker = { type: 'job'; id: number; job: SlashCommandJob } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'start-failed'; error: CarriedError }
  | { type: 'outcome'; id: number; outcome: SlashCommandOutcome }
  | { type: 'log'; line: string };

export interface CommandWorkerOptions extends Omit<CommandWorkerData, 'logLevel'> {
  logger: Logger;
  /** Takes the jobs when the worker cannot (failed to start, failed, stopped). */
  fallback: SlashCommandRunner;
}

const PINO_LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Writes one of the worker's log lines with the main thread's logger (same level, same fields). */
function relayLogLine(logger: Logger, line: string): void {
  try {
    const { level, time: _time, pid: _pid, hostname: _hostname, app: _app, msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
    const method = PINO_LEVELS[Number(level)] ?? 'info';
    logger[method]({ ...fields, thread: 'command-worker' }, typeof msg === 'string' ? msg : '');
  } catch {
    logger.warn({ thread: 'command-worker' }, 'unreadable log line from the command worker');
  }
}

/**
 * The worker's entry: the compiled .js next to this file, or — when running from the TypeScript
 * sources (tests, the benchmarks) — the .ts file through tsx, which a worker thread does not inherit.
 */
function startWorkerThread(workerData: CommandWorkerData): Worker {
  const entry = new URL(import.meta.url.endsWith('.ts') ? './command-worker-thread.ts' : './command-worker-thread.js', import.meta.url);
  if (entry.pathname.endsWith('.js')) return new Worker(entry, { workerData });
  // tsx's ES module API (its CommonJS build registers hooks that cannot find their files from here).
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * Starts the worker and resolves once its connection is open. When it cannot start, says why in
 * the log and returns `fallback` (the service works as before, on one thread).
 */
export async function startCommandWorker(options: CommandWorkerOptions): Promise<SlashCommandRunner> {
  const { logger, fallback, ...rest } = options;
  const worker = startWorkerThread({ ...rest, logLevel: logger.level as LogLevelName });
  const pending = new Map<number, { job: SlashCommandJob; settle: (outcome: Promise<SlashCommandOutcome> | SlashCommandOutcome) => void }>();
  let nextId = 0;
  let state = 'starting' as 'starting' | 'running' | 'stopping' | 'gone';
  let startFailure: CarriedError | undefined;

  /** The worker is gone: what it held runs on the main thread (runOnce keeps it to once). */
  const handOver = (): void => {
    state = 'gone';
    for (const [id, { job, settle }] of pending) {
      pending.delete(id);
      settle(fallback.run(job));
    }
  };

  worker.on('message', (message: FromWorker) => {
    if (message.type === 'outcome') {
      const entry = pending.get(message.id);
      pending.delete(message.id);
      entry?.settle(message.outcome);
    } else if (message.type === 'log') {
      relayLogLine(logger, message.line);
    } else if (message.type === 'ready') {
      state = 'running';
      worker.emit('started');
    } else if (message.type === 'start-failed') {
      startFailure = message.error;
      worker.emit('started');
    }
  });
  worker.on('error', (error) => {
    logger.error({ err: error, thread: 'command-worker' }, 'the Slack command worker failed; commands run on the main thread from now on');
    handOver();
  });
  worker.on('exit', (code) => {
    if (state !== 'stopping' && state !== 'gone') logger.error({ code, thread: 'command-worker' }, 'the Slack command worker stopped unexpectedly; commands run on the main thread from now on');
    handOver();
  });

  await Promise.race([once(worker, 'started'), once(worker, 'exit')]);
  if (state !== 'running') {
    if (startFailure) logger.error({ err: restoreError(startFailure), thread: 'command-worker' }, 'the Slack command worker could not open the database; commands run on the main thread');
    await worker.terminate();
    return fallback;
  }
  // A worker waiting for jobs must not keep the process alive (a job in hand is in the inbox anyway).
  worker.unref();

  return {
    get where() {
      return state === 'running' ? ('worker' as const) : ('main thread' as const);
    },
    run(job) {
      if (state !== 'running') return fallback.run(job);
      nextId += 1;
      const id = nextId;
      return new Promise<SlashCommandOutcome>((settle) => {
        pending.set(id, { job, settle });
        worker.postMessage({ type: 'job', id, job } satisfies ToWorker);
      });
    },
    async stop() {
      if (state !== 'running') return;
      state = 'stopping';
      // The drain: every job already sent is answered (or handed over) before the worker goes.
      const exited = once(worker, 'exit');
      while (pending.size > 0) await Promise.race([once(worker, 'message'), exited]);
      worker.postMessage({ type: 'stop' } satisfies ToWorker);
      await exited;
    },
  };
}
