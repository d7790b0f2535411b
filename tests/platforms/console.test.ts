import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const root = join(import.meta.dirname, '..', '..');

/** Runs local mode as `npm start` does (without the build step), feeding `input` on stdin. */
function startLocal(args: string[], input: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(tempDir(), 'sendbot.db'), ...env },
    timeout: 60_000,
  });
}

describe('local mode (npm start without credentials)', () => {
  it('loads the demo plan into an empty database, answers piped commands, and exits 0 at end of input', () => {
    const result = startLocal(['--as', 'morgan.demo@example.org', '--now', '2024-11-18'], '/send who NDPT\n/send mine\n');
    expect(result.stderr).toContain('Loaded the demo plan');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/best match(es)? for "NDPT"/);
    expect(result.stdout).toContain('You have 23 open actions');
    expect(result.stdout).toContain('Update needed before SEND Partnership Board on Wed 4 Dec 2024, 14:00');
  });

  it('defaults to the first admin and never reloads the demo into a database that has data', () => {
    const db = join(tempDir(), 'sendbot.db');
    const first = startLocal(['--now', '2024-11-18'], 'update ND-1.2 amber 50% from the console\n', { DATABASE_PATH: db });
    expect(first.stdout).toContain('Update recorded for ND-1.2 (as admin).');
    const second = startLocal(['--now', '2024-11-19'], 'status ND-1.2\n', { DATABASE_PATH: db });
    expect(second.stderr).not.toContain('Loaded the demo plan');
    expect(second.stdout).toContain('Alex Sample (console): amber, 50%, from the console');
  });

  it('names registered people when --as is unknown', () => {
    const result = startLocal(['--as', 'nobody@example.org'], '');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Nobody with email nobody@example.org is registered. Try one of: alex.sample@example.org');
  });
});
