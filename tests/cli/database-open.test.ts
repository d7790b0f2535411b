// Opens and copies SQLite files directly on purpose (not through tests/helpers/test-db.ts): it
// damages, truncates and locks real files to check the CLI's set-up refusals.
// Set-up mistakes with the database, through the real entry points in child processes (`sendbot`
// from src/cli.ts and `npm start` from src/main.ts): a folder, a file that is not sendbot's, a
// damaged or cut-short database, a read-only disk. Each gets one plain sentence naming the path and
// what to do, exit 1, never a stack trace, and nothing there is created, changed or chmod'ed.
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoPlanPath } from '../../src/paths.js';
import { tempDir } from '../helpers/temp.js';

const root = join(import.meta.dirname, '..', '..');
const STACK = /\n\s+at |node:internal|Error:|SqliteError|ENOENT: no such/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Run {
  const result = spawnSync(command, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', PORT: '0', DEMO_DATA: 'never', ...env },
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `sendbot --db <path> people` */
const cli = (db: string): Run => run(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--db', db, 'people']);
/** `npm start` with DATABASE_PATH */
const start = (db: string): Run => run(process.execPath, ['--import', 'tsx', 'src/main.ts'], { DATABASE_PATH: db });

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

let good: string;
beforeAll(() => {
  // A real sendbot database with the demo plan in it, checkpointed into one file.
  good = join(tempDir(), 'good.db');
  const made = run(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--db', good, 'import', demoPlanPath()]);
  expect(made.code, made.stderr).toBe(0);
}, 120_000);

function expectPlainRefusal(result: Run, sentence: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr.trim()).toMatch(sentence);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(STACK);
}

describe('the database path is a mistake: one sentence, exit 1, nothing touched', () => {
  it.each([
    ['sendbot', cli],
    ['npm start', start],
  ])('%s: a folder given as the database is refused and its mode is left alone', (_name, entry) => {
    const folder = join(tempDir(), 'data');
    mkdirSync(folder, { mode: 0o755 });
    const result = entry(folder);
    expectPlainRefusal(result, new RegExp(`^The database path ${folder} is a folder, not a database file: set DATABASE_PATH \\(or --db\\) to a file, e\\.g\\. ${folder}/sendbot\\.db\\. Nothing was changed\\.$`));
    expect(modeOf(folder)).toBe('755');
    expect(readdirSync(folder)).toEqual([]);
  }, 60_000);

  it.each([
    ['sendbot', cli],
    ['npm start', start],
  ])('%s: a file that is not SQLite, or another program’s SQLite database, is refused unchanged', (_name, entry) => {
    const dir = tempDir();
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'minutes of the October board\n', { mode: 0o644 });
    expectPlainRefusal(entry(notes), new RegExp(`^${notes} is not a sendbot database \\(it is not an SQLite file\\): check DATABASE_PATH \\(or --db\\); .*restore it from a backup`));
    expect(readFileSync(notes, 'utf8')).toBe('minutes of the October board\n');
    expect(modeOf(notes)).toBe('644');

    const other = join(dir, 'other.db');
    const foreign = new Database(other);
    foreign.exec('create table contacts (name text)');
    foreign.close();
    const before = readFileSync(other);
    expectPlainRefusal(entry(other), new RegExp(`^${other} is an SQLite database, but not sendbot's`));
    expect(readFileSync(other).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'other.db']);
  }, 60_000);

  it.each([
    ['sendbot', cli],
    ['npm start', start],
  ])('%s: a cut-short or damaged database says so and what to do', (_name, entry) => {
    const dir = tempDir();
    const cut = join(dir, 'cut.db');
    copyFileSync(good, cut);
    truncateSync(cut, 50_000);
    expectPlainRefusal(entry(cut), new RegExp(`^${cut} is damaged or cut short \\(50,000 of [\\d,]+ bytes\\): restore it from a backup \\(sendbot backup makes them\\)`));
    expect(statSync(cut).size).toBe(50_000);

    const damaged = join(dir, 'damaged.db');
    copyFileSync(good, damaged);
    // Scribble over the schema page, as a failing disk might.
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(3000, 0xff), 0, 3000, 100);
    closeSync(fd);
    expectPlainRefusal(entry(damaged), new RegExp(`^${damaged} is damaged or cut short \\(SQLite: database disk image is malformed\\): restore it from a backup`));
  }, 60_000);
});

describe('a database path that runs through a file', () => {
  it.each([
    ['sendbot', cli],
    ['npm start', start],
  ])('%s: one sentence, exit 1, and the file is untouched', (_name, entry) => {
    const dir = tempDir();
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'not a folder\n');
    const db = join(file, 'y.db');
    expectPlainRefusal(entry(db), new RegExp(`^sendbot cannot create its database at ${db}: part of the path is a file, not a folder \\((EEXIST|ENOTDIR)\\)`));
    expect(readFileSync(file, 'utf8')).toBe('not a folder\n');
  }, 60_000);
});

describe('a database another process holds locked', () => {
  it('sendbot: one sentence saying the database is locked by another process, exit 1, no stack', () => {
    // An empty file another process holds the write lock on (before anything made it WAL): sendbot's own
    // first step there (switching to WAL) finds it locked at once, without the 10 s wait.
    const db = join(tempDir(), 'sendbot.db');
    const holder = new Database(db);
    try {
      holder.exec('begin immediate');
      const result = cli(db);
      expectPlainRefusal(result, /^sendbot could not finish: the database is locked by another process \(the running service, or another sendbot command\) and stayed locked for longer than sendbot waits; run it again in a moment\. Whatever it had not yet committed was rolled back\.$/);
    } finally {
      holder.close();
    }
  }, 60_000);
});

describe('a read-only disk', () => {
  // A real read-only mount, made in a private mount namespace (unshare) so nothing outside the test sees it.
  const readOnly = (dir: string, command: string): Run =>
    run('unshare', ['-m', 'sh', '-c', `mount --bind "${dir}" "${dir}" && mount -o remount,bind,ro "${dir}" && ${command}`]);

  it('an existing database, and a new one, on a read-only mount: one sentence naming the path and the mount, exit 1', () => {
    const dir = tempDir();
    const db = join(dir, 'sendbot.db');
    copyFileSync(good, db);
    const node = `"${process.execPath}" --import tsx`;
    const existingStart = readOnly(dir, `DATABASE_PATH="${db}" ${node} src/main.ts`);
    expectPlainRefusal(existingStart, new RegExp(`^sendbot cannot write its database at ${db}: the disk is mounted read-only or this user may not write there \\(SQLITE_\\w+\\)\\. Check the mount is writable`));
    const existingCli = readOnly(dir, `${node} src/cli.ts --db "${db}" people`);
    expectPlainRefusal(existingCli, new RegExp(`^sendbot cannot write its database at ${db}:`));

    const fresh = join(dir, 'new', 'sendbot.db');
    const freshStart = readOnly(dir, `DATABASE_PATH="${fresh}" ${node} src/main.ts`);
    expectPlainRefusal(freshStart, new RegExp(`^sendbot cannot create its database at ${fresh}: .*Check the mount is writable`));
    expect(readdirSync(dir)).toEqual(['sendbot.db']);
  }, 90_000);
});

describe('what sendbot does not chmod', () => {
  it('an existing sendbot database is still tightened to 0600, but only after it is known to be one', () => {
    const dir = tempDir();
    const db = join(dir, 'sendbot.db');
    copyFileSync(good, db);
    chmodSync(db, 0o644);
    expect(cli(db).code).toBe(0);
    expect(modeOf(db)).toBe('600');
  }, 60_000);
});
