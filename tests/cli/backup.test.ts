// `sendbot backup <path>` through the real CLI on a real SQLite file: a good backup is a working copy;
// every mistake is a plain sentence, exit 1, no stack trace, and never touches the database.
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sendbot } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/temp.js';

const PLAN = `
plans:
  - code: ND
    title: Neurodiversity
    workstreams:
      - title: Needs-led system
        lead: Head of SEND
        actions:
          - text: Roll out the profiling tool
`;

async function database(): Promise<string> {
  const db = join(tempDir(), 'sendbot.db');
  expect((await sendbot(db, 'import', writeTemp('plan.yaml', PLAN))).code).toBe(0);
  return db;
}

// A read-only better-sqlite3 connection on purpose (not tests/helpers/test-db.ts): it checks a backup
// file and its source without opening them as sendbot would (no migration, no WAL set-up).
function actionCount(path: string): number {
  const conn = new Database(path, { readonly: true });
  const n = (conn.prepare('select count(*) as n from actions').get() as { n: number }).n;
  conn.close();
  return n;
}

async function refused(db: string, target: string, message: RegExp, ...extra: string[]): Promise<void> {
  const result = await sendbot(db, 'backup', target, ...extra);
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |SqliteError|sendbot failed/);
  expect(result.stdout).toBe('');
  // The database is untouched and still works.
  expect(actionCount(db)).toBe(1);
}

describe('sendbot backup', () => {
  it('writes a working copy, and replaces an existing file only with --force', async () => {
    const db = await database();
    const target = join(tempDir(), 'copy.db');
    const ok = await sendbot(db, 'backup', target);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Backed up .*sendbot\.db to .*copy\.db \(\d+ pages\)\.\n$/);
    expect(actionCount(target)).toBe(1);

    await refused(db, target, /copy\.db already exists\. Choose another name, or add --force to replace it\.$/m);
    const forced = await sendbot(db, 'backup', target, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(actionCount(target)).toBe(1);
    // No half-written files left beside it (-wal and -shm are from reading the copy above).
    expect(readdirSync(dirname(target)).filter((f) => f.includes('partial'))).toEqual([]);
    expect(readdirSync(dirname(target))).toContain('copy.db');
  });

  it('refuses a folder that does not exist', async () => {
    const db = await database();
    const missing = join(tempDir(), 'no', 'such', 'folder');
    await refused(db, join(missing, 'copy.db'), new RegExp(`The folder ${missing} does not exist\\. Create it first \\(mkdir -p "${missing}"\\)`));
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses the database itself however the path is written, and its own -wal, -shm and -journal files', async () => {
    const db = await database();
    const dir = dirname(db);
    await refused(db, db, /is the database itself .*; a backup must go to another file, e.g. .*sendbot-backup\.db/);
    await refused(db, `./${relative(process.cwd(), db)}`, /is the database itself/);
    await refused(db, join(dir, '..', basename(dir), 'sendbot.db'), /is the database itself/);
    await refused(db, db, /is the database itself/, '--force');

    const link = join(tempDir(), 'link.db');
    symlinkSync(db, link);
    await refused(db, link, /is the database itself/, '--force');
    const linkedFolder = join(tempDir(), 'folder-link');
    symlinkSync(dir, linkedFolder);
    await refused(db, join(linkedFolder, 'sendbot.db'), /is the database itself/, '--force');
    const hard = join(tempDir(), 'hard.db');
    linkSync(db, hard);
    await refused(db, hard, /is the database itself/, '--force');

    for (const own of ['-wal', '-shm', '-journal']) {
      await refused(db, `${db}${own}`, new RegExp(`is one of the database's own files \\(sendbot\\.db${own}\\)`), '--force');
    }
  });

  it('refuses a folder given instead of a file, and a path through a file', async () => {
    const db = await database();
    const folder = tempDir();
    await refused(db, folder, /is a folder\. Give a file name for the backup, e.g\. .*sendbot-backup\.db/);
    const file = writeTemp('notes.txt', 'x');
    await refused(db, join(file, 'copy.db'), /notes\.txt is a file, not a folder/);
  });

  it('refuses a folder it cannot write to, leaving nothing behind', async () => {
    const db = await database();
    if (process.getuid?.() === 0) {
      // Folder permissions do not stop root; /proc refuses new files even to root.
      await refused(db, '/proc/sendbot-copy.db', /^The backup to \/proc\/sendbot-copy\.db failed: .*\. Nothing was written there\.$/m);
      expect(existsSync('/proc/sendbot-copy.db')).toBe(false);
    } else {
      const locked = join(tempDir(), 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o555);
      await refused(db, join(locked, 'copy.db'), /Cannot write to .*locked: permission denied/);
      expect(readdirSync(locked)).toEqual([]);
    }
  });

  it('refuses to back up a database that does not exist rather than creating an empty one', async () => {
    const missing = join(tempDir(), 'typo.db');
    const result = await sendbot(missing, 'backup', join(tempDir(), 'copy.db'));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`There is no database at ${missing} to back up. Give its path with --db or DATABASE_PATH.\n`);
    expect(existsSync(missing)).toBe(false);
  });
});
