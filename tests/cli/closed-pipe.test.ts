// `sendbot … | head`: when the reader closes the pipe early, the real CLI (a child process, its
// stdout a real pipe) ends quietly with exit 0, like other Unix tools — no EPIPE stack trace.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { closeTestDb } from '../helpers/test-db.js';

let dbPath: string;
beforeAll(async () => {
  const { db, path } = await demoPlanDb();
  await closeTestDb(db);
  dbPath = path;
});

/** Runs `sendbot <args> | <reader>` under bash with pipefail: the status is sendbot's unless it is 0. */
function piped(args: string, reader: string) {
  const cli = resolve('src/cli.ts');
  const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" --import tsx "${cli}" --db "${dbPath}" --now 2024-11-18T10:00 ${args} | ${reader}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('a closed pipe', () => {
  it('`sendbot actions | head -3`: three lines, nothing on stderr, exit 0', () => {
    const result = piped('actions', 'head -3');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(result.stdout).toMatch(/^ref\s+owner/);
  }, 60_000);

  it('`sendbot outbox`, `sendbot actions` and `sendbot boards` into a reader that has already gone: exit 0, quietly', () => {
    for (const args of ['outbox', 'actions', 'boards', 'actions --json']) {
      const result = piped(args, 'true');
      expect(result.stderr, args).toBe('');
      expect(result.status, args).toBe(0);
    }
  }, 120_000);
});
