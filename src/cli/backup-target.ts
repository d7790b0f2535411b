// Checks where `sendbot backup` is asked to write, before anything is opened or written, so every
// mistake gets a plain answer (exit 1) instead of an SQLite stack trace: a folder that does not
// exist or cannot be written to, a folder given instead of a file, an existing file without --force,
// and above all the database itself, however the path is spelt (./, .., a symlink, a hard link) or
// one of its own files (-wal, -shm, -journal), which a backup would overwrite.
import { accessSync, constants, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isPostgresUrl } from '../store/open-store.js';
import { CliUsageError } from './context.js';

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The real path of `path`, following symlinks in the folder part (and in the file, when it exists). */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/**
 * When `target` is the database at `databasePath` or one of its own files (-wal, -shm, -journal),
 * however spelt (./, .., a symlink anywhere in the path, a hard link: same device and inode), says
 * which, e.g. "the database itself (/srv/sendbot/data/sendbot.db)"; else undefined. A PostgreSQL
 * database (a postgres:// URL) has no file here for an export to land on: always undefined.
 */
export function databaseFileAt(databasePath: string, target: string): string | undefined {
  if (isPostgresUrl(databasePath)) return undefined;
  const db = resolve(databasePath);
  const realDb = realPath(db);
  const realOut = realPath(resolve(target));
  const outStat = statOrUndefined(target);
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const own = statOrUndefined(`${db}${suffix}`);
    const sameFile = own !== undefined && outStat !== undefined && outStat.ino === own.ino && outStat.dev === own.dev;
    if (sameFile || realOut === `${realDb}${suffix}`) return suffix === '' ? `the database itself (${realDb})` : `one of the database's own files (${basename(realDb)}${suffix})`;
  }
  return undefined;
}

/** Returns the absolute path to write the backup to, or throws CliUsageError saying what to change. */
export function checkBackupTarget(databasePath: string, target: string, force: boolean): string {
  const db = resolve(databasePath);
  const dbStat = statOrUndefined(db);
  if (!dbStat) throw new CliUsageError(`There is no database at ${db} to back up. Give its path with --db or DATABASE_PATH.`);
  const example = join(dirname(db), `${basename(db).replace(/\.db$/, '')}-backup.db`);

  const out = resolve(target);
  const folder = dirname(out);
  const folderStat = statOrUndefined(folder);
  if (!folderStat) throw new CliUsageError(`The folder ${folder} does not exist. Create it first (mkdir -p "${folder}") or choose another path.`);
  if (!folderStat.isDirectory()) throw new CliUsageError(`${folder} is a file, not a folder. Choose a path inside a folder, e.g. ${example}`);

  const outStat = statOrUndefined(out);
  if (outStat?.isDirectory()) throw new CliUsageError(`${target} is a folder. Give a file name for the backup, e.g. ${join(out, basename(example))}`);

  const own = databaseFileAt(db, out);
  if (own) throw new CliUsageError(`${target} is ${own}; a backup must go to another file, e.g. ${example}`);

  if (outStat && !force) throw new CliUsageError(`${target} already exists. Choose another name, or add --force to replace it.`);
  try {
    accessSync(folder, constants.W_OK);
    if (outStat) accessSync(out, constants.W_OK);
  } catch {
    throw new CliUsageError(`Cannot write to ${outStat ? target : folder}: permission denied. Choose a folder you can write to.`);
  }
  return out;
}
