import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runConsoleChat } from '../../src/platforms/console/console-chat.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail, type Person } from '../../src/store/people-repository.js';
import { DEMO, dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';
import { tempDir } from '../helpers/temp.js';
import { closeTestDb, one, sql } from '../helpers/test-db.js';

const root = join(import.meta.dirname, '..', '..');

/** Runs local mode as `npm start` does (without the build step), feeding `input` on stdin. */
function startLocal(args: string[], input: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    // PORT 0: local mode also serves the dashboard, on a free port here.
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(tempDir(), 'sendbot.db'), PORT: '0', ...env },
    timeout: 60_000,
  });
}

// Each test starts one or two child processes (tsx, migrations, the demo import): more than the
// default 30 s on a loaded machine.
describe('local mode (npm start without credentials)', { timeout: 120_000 }, () => {
  it('loads the demo plan into an empty database, answers piped commands, and exits 0 at end of input', () => {
    const result = startLocal(['--as', 'morgan.demo@example.org', '--now', '2024-11-18'], '/send who NDPT\n/send mine\n/send away 3 January 2025\n/send back\n/send back\n');
    expect(result.stderr).toContain('Loaded the demo plan');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/best match(es)? for "NDPT"/);
    expect(result.stdout).toContain('You have 23 open actions');
    expect(result.stdout).toContain('Update needed before SEND Partnership Board on Wed 4 Dec 2024, 14:00');
    // Each command sees the caller as they are now: `back` after `away` welcomes them back, and a
    // second `back` sees the first one's effect.
    expect(result.stdout).toContain('Marked you away until 3 Jan 2025.');
    expect(result.stdout).toContain('Welcome back. Nudges come to you again');
    expect(result.stdout.indexOf('Welcome back')).toBeLessThan(result.stdout.indexOf('You were not marked away; nothing changed.'));
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

describe('local chat (the console platform)', () => {
  it('piped: echoes each command above its reply, and offers no form it cannot show', async () => {
    const { db } = await demoPlanDb();
    const input = new PassThrough();
    let out = '';
    const output = new Writable({
      write(chunk, _encoding, done) {
        out += String(chunk);
        done();
      },
    });
    const caller = (await findPersonByEmail(db, DEMO.headOfSend)) as Person;
    input.end('/send who ND-1.2\n\nupdate\n');
    await runConsoleChat({ db, clock: fixedClock('2024-11-18T10:00'), caller, input, output });
    const [who, update] = out.split(/^(?=> )/m);
    expect(who).toMatch(/^> \/send who ND-1\.2\nND-1\.2: /);
    expect(update).toMatch(/^> update\nWhich action do you want to update\?/);
    expect(update).toContain('Reply with /send update <ref> [status] [NN%] [note…].');
    expect(out).not.toContain('use the form');
    await closeTestDb(db);
  });

  describe('the update form in an interactive terminal', () => {
    /** Runs the real console chat on a terminal-like stream, answering each prompt as it appears. */
    async function chat(db: Db, lines: [prompt: string, answer: string][]): Promise<string> {
      const input = Object.assign(new PassThrough(), { isTTY: true });
      let out = '';
      const output = new Writable({
        write(chunk, _encoding, done) {
          out += String(chunk);
          done();
        },
      });
      const caller = (await findPersonByEmail(db, DEMO.headOfSend)) as Person;
      const running = runConsoleChat({ db, clock: fixedClock('2024-11-18T10:00'), caller, input, output });
      for (const [prompt, answer] of lines) {
        const seen = out.length;
        input.write(`${answer}\n`);
        await waitFor(() => out.slice(seen).includes(prompt));
      }
      input.end();
      await running;
      return out;
    }

    async function waitFor(check: () => boolean): Promise<void> {
      for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
      expect(check()).toBe(true);
    }

    const lastUpdate = async (db: Db) => await one(db, sql`select status, percent, note, raw_text as raw from updates order by id desc limit 1`);

    it.each(['55', '55%', ' 55 % '])('records the percentage typed as "%s" once, as 55%', async (percent) => {
      const { db } = await demoPlanDb();
      const out = await chat(db, [
        ['Action ref [ND-1.2]', '/send update ND-1.2'],
        ['Status', ''],
        ['Percent complete', 'amber'],
        ['Note', percent],
        ['Update recorded for ND-1.2', 'gren paper published'],
      ]);
      expect(out).toContain('Status: amber (55%)');
      expect(out).not.toContain('55%%');
      // The note is kept as written: "gren" in it is not read as a status.
      expect(await lastUpdate(db)).toEqual({ status: 'amber', percent: 55, note: 'gren paper published', raw: 'update ND-1.2 amber 55% note: gren paper published' });
      await closeTestDb(db);
    });

    it.each([
      ['ambr', '55', "'ambr' isn't a status, did you mean amber?"],
      ['amber', '60.5', "'60.5' isn't a whole number"],
      ['complete', '50', 'Complete means 100%, but you gave 50%.'],
    ])('refuses status %s with percent %s, and stores nothing', async (status, percent, message) => {
      const { db } = await demoPlanDb();
      const before = await dbFingerprint(db);
      const out = await chat(db, [
        ['Action ref [ND-1.2]', '/send update ND-1.2'],
        ['Status', ''],
        ['Percent complete', status],
        ['Note', percent],
        [message, 'a note'],
      ]);
      expect(out).toContain(message);
      expect(await dbFingerprint(db)).toBe(before);
      await closeTestDb(db);
    });
  });
});

describe('local mode serves the dashboard', { timeout: 120_000 }, () => {
  it('/send dashboard gives a link that opens the board’s dashboard while the chat runs', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--as', 'elaine.demoster@example.org', '--now', '2024-11-27T09:00'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(tempDir(), 'sendbot.db'), PORT: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      child.stdin.write('/send dashboard\n');
      await expect.poll(() => /Open the dashboard: (\S+)/.exec(stdout)?.[1], { timeout: 30_000 }).toBeTruthy();
      const link = /Open the dashboard: (\S+)/.exec(stdout)?.[1] as string;
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/board\/send-partnership-board\?exp=\d+&sig=[\w-]+$/);
      expect(stderr).toMatch(/Dashboard served at http:\/\/127\.0\.0\.1:\d+ \(type \/send dashboard for a link\)/);
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<h1>SEND Partnership Board: dashboard</h1>');
    } finally {
      child.stdin.end();
    }
    expect(await exited).toBe(0);
  });

  it('says so and carries on with the chat when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = startLocal(['--as', 'elaine.demoster@example.org', '--now', '2024-11-27T09:00'], '/send dashboard\n/send who ND-1.2\n', { PORT: String(port) });
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(`Port ${port} is in use, so the dashboard is not served (set PORT to a free port to serve it). The chat works as usual.`);
      expect(result.stdout).toContain('The dashboard is not available here yet.');
      expect(result.stdout).toContain('ND-1.2');
    } finally {
      blocker.close();
    }
  });
});
