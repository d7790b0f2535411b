import { runCli } from '../../src/cli/program.js';
import '../../src/cli/all-commands.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in-process against `db`, capturing its output. */
export async function sendbot(db: string, ...args: string[]): Promise<CliResult> {
  return sendbotWithEnv({}, db, ...args);
}

/** As sendbot(), with environment variables (e.g. Slack settings) visible to the command. */
export async function sendbotWithEnv(env: Record<string, string>, db: string, ...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--db', db, ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
  });
  return { code, stdout, stderr };
}

export async function sendbotJson<T = unknown>(db: string, ...args: string[]): Promise<T> {
  const result = await sendbot(db, ...args, '--json');
  if (result.code !== 0) throw new Error(`sendbot ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
