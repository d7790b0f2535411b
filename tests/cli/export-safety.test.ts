// Where `sendbot export` writes, through the real CLI: never onto the live database (a symlink to
// it, a hard link, its -wal), never through a symlink, every file 0600 in a 0700 folder whatever the
// umask (a child process run under umask 000), and a missing --out folder created like CSV's.
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/clock.js';
import { loadPlanFile } from '../../src/importers/load-plan-file.js';
import { demoPlanPath } from '../../src/paths.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { sendbot } from '../helpers/cli.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { tempDir } from '../helpers/temp.js';
import { closeTestDb, one, sql, withTestDb } from '../helpers/test-db.js';

let dbPath: string;
let fingerprint: () => Promise<string>;

beforeAll(async () => {
  const { db, path } = await demoPlanDb();
  await closeTestDb(db);
  dbPath = path;
  fingerprint = () => withTestDb(dbPath, async (check) => JSON.stringify(await one(check, sql`select count(*) as actions, (select count(*) from people) as people from actions`)));
});

const exportTo = (...args: string[]) => sendbot(dbPath, '--now', '2024-11-18T10:00', 'export', ...args);
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

// The refusals to write onto the database are about its file (and its -wal) reached through a link:
// a PostgreSQL database has no file to land on, so these use an SQLite file on either run.
let fileDbPath: string;
let fileFingerprint: () => Promise<string>;

beforeAll(async () => {
  fileDbPath = join(tempDir(), 'sendbot.db');
  await withTestDb(fileDbPath, async (db) => {
    const loaded = await loadPlanFile(demoPlanPath());
    await importPlanDocument(db, loaded.document, { now: parseInstant('2024-09-02T09:00'), file: loaded.file, lineOf: loaded.lineOf });
  });
  fileFingerprint = () => withTestDb(fileDbPath, async (check) => JSON.stringify(await one(check, sql`select count(*) as actions, (select count(*) from people) as people from actions`)));
});

const exportFromFile = (...args: string[]) => sendbot(fileDbPath, '--now', '2024-11-18T10:00', 'export', ...args);

describe('sendbot export onto the database', () => {
  it('refuses a symlink to the live database, even with --force, and the database is intact', async () => {
    const before = await fileFingerprint();
    const link = join(tempDir(), 'paper.xlsx');
    symlinkSync(resolve(fileDbPath), link);
    const result = await exportFromFile('--out', link, '--force');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${link} is the database itself (`);
    expect(result.stderr).toContain('Nothing was written');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(fileDbPath).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(await fileFingerprint()).toBe(before);
  });

  it('refuses a hard link to the database and its -wal file', async () => {
    const dir = tempDir();
    const hard = join(dir, 'hard.xlsx');
    linkSync(fileDbPath, hard);
    const viaHardLink = await exportFromFile('--out', hard, '--force');
    expect(viaHardLink.code).toBe(1);
    expect(viaHardLink.stderr).toContain('is the database itself');
    const wal = `${fileDbPath}-wal.xlsx`;
    symlinkSync(`${resolve(fileDbPath)}-wal`, wal);
    const viaWal = await exportFromFile('--out', wal, '--force');
    expect(viaWal.code).toBe(1);
    expect(viaWal.stderr).toContain("one of the database's own files");
  });

  it('refuses every CSV file that would land on the database (a symlink named actions.csv in the folder)', async () => {
    const before = await fileFingerprint();
    const dir = tempDir();
    symlinkSync(resolve(fileDbPath), join(dir, 'actions.csv'));
    const result = await exportFromFile('--format', 'csv', '--out', dir, '--force');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'actions.csv')} is the database itself`);
    expect(await fileFingerprint()).toBe(before);
  });
});

describe('sendbot export --force over another file or link', () => {
  it('replaces a symlink rather than writing through it', async () => {
    const dir = tempDir();
    const elsewhere = join(dir, 'someone-elses.txt');
    writeFileSync(elsewhere, 'not yours');
    const link = join(dir, 'paper.xlsx');
    symlinkSync(elsewhere, link);
    const result = await exportTo('--out', link, '--force');
    expect(result.code).toBe(0);
    expect(readFileSync(elsewhere, 'utf8')).toBe('not yours');
    expect(lstatSync(link).isFile()).toBe(true);
    // No temporary file left behind.
    expect(readdirSync(dir).sort()).toEqual(['paper.xlsx', 'someone-elses.txt']);
  });
});

describe('sendbot export to a path that cannot take it: one sentence, exit 1, nothing written', () => {
  const STACK = /\n\s+at |node:internal|Error:|EEXIST: file already exists/;
  const refused = (result: { code: number; stdout: string; stderr: string }, sentence: string) => {
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe(`${sentence}\n`);
    expect(result.stderr).not.toMatch(STACK);
    expect(result.stdout).toBe('');
  };

  it('CSV --out an existing file, even with --force: refused, and the file is as it was', async () => {
    const dir = tempDir();
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'keep me');
    for (const force of [[], ['--force']]) {
      refused(
        await exportTo('--format', 'csv', '--out', file, ...force),
        `${file} is a file, not a folder: a CSV export is a folder of files. Nothing was written; choose another --out, e.g. ${file}-csv`,
      );
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('CSV --out a symlink to the database, with --force: refused as the database, which is intact', async () => {
    const before = await fileFingerprint();
    const link = join(tempDir(), 'csv-out');
    symlinkSync(resolve(fileDbPath), link);
    const result = await exportFromFile('--format', 'csv', '--out', link, '--force');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${link} is the database itself \\(.*\\)\\. Nothing was written; choose another --out\\.\n$`));
    expect(await fileFingerprint()).toBe(before);
  });

  it('CSV --out a symlink to a folder: refused, nothing lands in the folder it points to', async () => {
    const dir = tempDir();
    const real = join(dir, 'real');
    mkdirSync(real);
    const link = join(dir, 'link');
    symlinkSync(real, link);
    for (const force of [[], ['--force']]) {
      refused(
        await exportTo('--format', 'csv', '--out', link, ...force),
        `${link} is a symbolic link; export never writes through one. Nothing was written; give the folder's own path as --out, or a new folder.`,
      );
    }
    expect(readdirSync(real)).toEqual([]);
    // The folder's own path works.
    expect((await exportTo('--format', 'csv', '--out', real)).code).toBe(0);
    expect(readdirSync(real)).toContain('actions.csv');
  });

  it('an --out path running through a file (XLSX and CSV): refused in a sentence', async () => {
    const dir = tempDir();
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'keep me');
    const xlsx = await exportTo('--out', join(file, 'x.xlsx'));
    expect(xlsx.code, xlsx.stderr).toBe(1);
    expect(xlsx.stderr).toMatch(new RegExp(`^Cannot write ${join(file, 'x.xlsx')}: part of the path is a file, not a folder \\((EEXIST|ENOTDIR)\\)\\. Choose another --out\\.\n$`));
    const csv = await exportTo('--format', 'csv', '--out', join(file, 'sub'), '--force');
    expect(csv.code, csv.stderr).toBe(1);
    expect(csv.stderr).toMatch(new RegExp(`^Cannot write ${join(file, 'sub')}: part of the path is a file, not a folder \\((EEXIST|ENOTDIR)\\)\\. Choose another --out\\.\n$`));
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['file.txt']);
  });
});

describe('file modes', () => {
  it('creates the workbook 0600 and CSV files 0600 in a new 0700 folder, under umask 000', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'out'));
    const xlsx = join(dir, 'out', 'paper.xlsx');
    const csv = join(dir, 'new', 'csv-folder');
    const cli = resolve('src/cli.ts');
    const run = (...args: string[]) =>
      spawnSync('sh', ['-c', `umask 000 && exec "${process.execPath}" --import tsx "${cli}" --db "${dbPath}" --now 2024-11-18T10:00 export ${args.map((a) => `"${a}"`).join(' ')}`], {
        encoding: 'utf8',
      });
    const a = run('--out', xlsx);
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    expect(mode(xlsx)).toBe('600');
    const b = run('--format', 'csv', '--out', csv);
    expect(b.status).toBe(0);
    expect(mode(csv)).toBe('700');
    expect(mode(join(dir, 'new'))).toBe('700');
    const files = readdirSync(csv);
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) expect(mode(join(csv, f)), f).toBe('600');
  });

  it('creates a missing folder for --out (0700), for XLSX as for CSV', async () => {
    const out = join(tempDir(), 'papers', '2024', 'board.xlsx');
    const result = await exportTo('--out', out);
    expect(result.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(mode(join(out, '..'))).toBe('700');
  });
});
