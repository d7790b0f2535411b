// Shared plumbing for the benchmark suite (bench/run-all.ts): child processes that report one JSON
// result, machine facts, and small number helpers.
import { spawn } from 'node:child_process';
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const TMP_DIR = join(BENCH_DIR, 'tmp');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** Boards in every generated plan. Plans are spread over them round-robin (50 actions a plan). */
export const BOARDS = 500;

const MARKER = '@@BENCH_RESULT@@ ';

/** A child's one result: a single marked line on stdout, so other output can't be mistaken for it. */
export function emitResult(result: unknown): void {
  process.stdout.write(`\n${MARKER}${JSON.stringify(result)}\n`);
}

export interface ChildOutcome<T> {
  ok: boolean;
  result?: T;
  error?: string;
  wallMs: number;
  /** Everything the child printed on stdout (minus the result line), for parsers of text output. */
  stdout: string;
}

/** Process groups of children started with `ownGroup` and still running: killed when this process exits. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) killGroup(pid);
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

/**
 * Runs `node --import tsx <script> ...args` in a fresh process (its own heap and peak RSS) and
 * returns the marked result line, or a failure with the tail of stderr. stderr is echoed, indented,
 * so progress stays visible.
 *
 * `ownGroup`: the child leads a process group of its own, and a timeout (or this process exiting)
 * kills the whole group — for a child that starts servers of its own, which must not outlive it.
 */
export function runTsChild<T>(script: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; ownGroup?: boolean } = {}): Promise<ChildOutcome<T>> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: dirname(BENCH_DIR),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
      detached: options.ownGroup ?? false,
    });
    const group = options.ownGroup ? child.pid : undefined;
    if (group !== undefined) liveGroups.add(group);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      process.stderr.write(chunk.replace(/^(?=.)/gm, '    '));
    });
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            if (group !== undefined) killGroup(group);
            else child.kill('SIGKILL');
          }, options.timeoutMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (group !== undefined) {
        // Whatever the child left behind goes with it.
        killGroup(group);
        liveGroups.delete(group);
      }
      const wallMs = performance.now() - started;
      const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
      const rest = stdout
        .split('\n')
        .filter((l) => !l.startsWith(MARKER))
        .join('\n');
      if (code === 0 && line) {
        resolve({ ok: true, result: JSON.parse(line.slice(MARKER.length)) as T, wallMs, stdout: rest });
        return;
      }
      if (code === 0 && !line) {
        resolve({ ok: true, wallMs, stdout: rest });
        return;
      }
      const why = timedOut ? `timed out after ${Math.round((options.timeoutMs ?? 0) / 1000)} s` : signal ? `killed by ${signal}` : `exit code ${code}`;
      const tail = errorSummary(stderr);
      resolve({ ok: false, error: `${why}${tail ? `: ${tail}` : ''}`, wallMs, stdout: rest });
    });
  });
}

/** The thrown error's own line from a child's stderr (not its stack frames), else the last lines. */
export function errorSummary(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const thrown = lines.find((l) => /^[\w.[\]]*(Error|Exception)\b[^(]*:/.test(l));
  if (thrown) return thrown;
  return lines
    .filter((l) => !l.startsWith('at ') && !l.startsWith('Node.js '))
    .slice(-3)
    .join(' | ');
}

/** Failures that come from the source tree changing under the run (another edit half-saved), not from the measurement. */
export const isModuleLoadError = (error: string | undefined): boolean =>
  /SyntaxError|ERR_MODULE_NOT_FOUND|does not provide an export|Transform failed|Cannot find module/.test(error ?? '');

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryGb: number;
  freeMemoryGbAtStart: number;
  node: string;
  os: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    totalMemoryGb: round(totalmem() / 1024 ** 3, 1),
    freeMemoryGbAtStart: round(freemem() / 1024 ** 3, 1),
    node: process.version,
    os: `${platform()} ${release()}`,
    date: new Date().toISOString(),
  };
}

/** 1, 5 and 15 minute load averages. */
export const loadAverages = (): [number, number, number] => loadavg().map((x) => round(x, 2)) as [number, number, number];

export const round = (x: number, digits = 3): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

export const mb = (bytes: number): number => round(bytes / 1024 / 1024, 1);

/** process.resourceUsage().maxRSS (KiB) as MB: this process's peak resident set so far. */
export const peakRssMb = (): number => round(process.resourceUsage().maxRSS / 1024, 1);

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** `--size 1000` style arguments of a child script. */
export function argValue(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (value !== undefined) return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`missing --${name}`);
}

export const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
