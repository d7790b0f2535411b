// Writing the files sendbot exports, safely. Exports hold names, notes and the update trail, and
// `--force` once replaced the live database through a symlink. So every file written here:
//   - is refused when it is the database or one of its own files, however the path is spelt
//     (the same check as `sendbot backup`: real path, device and inode);
//   - is written to a new temporary file beside it (created exclusively, never through a link),
//     then renamed into place: an existing file or symlink is replaced, never written through, and
//     a failed export leaves the old file as it was;
//   - is 0600, in folders created 0700, whatever the umask.
// A CSV folder given as --out that is a symlink is refused (the files would land in the folder it
// points to); one that is a file is refused, --force or not. A path that cannot be written (part of
// it a file, no permission, a full or read-only disk) is said in one sentence, never a stack trace.
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { makePrivateDirectory, PRIVATE_FILE_MODE } from '../store/database.js';
import { databaseFileAt } from './backup-target.js';
import { CliUsageError } from './context.js';

export interface SafeOutput {
  /** Refuses `dir` as a folder to write into: the database, a symlink, a file. */
  checkFolder(dir: string): void;
  /** Creates `dir` (and missing parents) 0700 if it does not exist, after checkFolder. */
  makeFolder(dir: string): void;
  /** Writes `content` to `path` (see the file comment). */
  writeFile(path: string, content: string | Buffer): void;
  /** Lets `write` fill a private temporary file (by its path), then renames it to `path`. */
  writeWith(path: string, write: (temporaryPath: string) => Promise<void>): Promise<void>;
}

/** Why a path could not be written, by error code: the answer a person can act on. */
const WRITE_PROBLEMS: Record<string, string> = {
  ENOTDIR: 'part of the path is a file, not a folder',
  EEXIST: 'part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'this user may not write there',
  EPERM: 'this user may not write there',
  EROFS: 'the disk is mounted read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'the path has too many symbolic links',
};

/** Runs `write`; a failure with a known code becomes one sentence (a CliUsageError, exit 1). */
function sayingWhy<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    const problem = WRITE_PROBLEMS[code];
    if (!problem) throw error;
    throw new CliUsageError(`Cannot write ${path}: ${problem} (${code}). Choose another --out.`);
  }
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function checkFolderTarget(databasePath: string, dir: string): void {
  const own = databaseFileAt(databasePath, dir);
  if (own) throw new CliUsageError(`${dir} is ${own}. Nothing was written; choose another --out.`);
  const existing = lstatOrUndefined(dir);
  if (existing?.isSymbolicLink()) {
    throw new CliUsageError(`${dir} is a symbolic link; export never writes through one. Nothing was written; give the folder's own path as --out, or a new folder.`);
  }
  if (existing && !existing.isDirectory()) {
    throw new CliUsageError(`${dir} is a file, not a folder: a CSV export is a folder of files. Nothing was written; choose another --out, e.g. ${dir}-csv`);
  }
}

/** Refuses a target that is the database or one of its files; `force` is needed to replace anything else. */
function checkTarget(databasePath: string, path: string, force: boolean): void {
  const own = databaseFileAt(databasePath, path);
  if (own) throw new CliUsageError(`${path} is ${own}. Nothing was written; choose another --out.`);
  const existing = lstatOrUndefined(path);
  if (existing?.isDirectory()) throw new CliUsageError(`${path} is a folder. Nothing was written; choose another --out.`);
  if (existing && !force) throw new CliUsageError(`${path} already exists. Nothing was written; choose another --out, or add --force to replace it.`);
}

/** A new private file beside `path`, created exclusively and never through a symlink: its path and inode. */
function createTemporary(path: string): { temporary: string; fd: number; ino: number } {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, PRIVATE_FILE_MODE);
  // The mode given to open() is reduced by the umask; this is not.
  fchmodSync(fd, PRIVATE_FILE_MODE);
  return { temporary, fd, ino: fstatSync(fd).ino };
}

/** Renames the temporary file into place, if it is still the regular file created for it. */
function moveIntoPlace(temporary: string, ino: number, path: string): void {
  const now = lstatSync(temporary);
  if (!now.isFile() || now.ino !== ino) throw new Error(`${temporary} was replaced while the export was written; nothing was written to ${path}`);
  renameSync(temporary, path);
}

export function createSafeOutput(databasePath: string, force: boolean): SafeOutput {
  return {
    checkFolder(dir) {
      checkFolderTarget(databasePath, dir);
    },
    makeFolder(dir) {
      checkFolderTarget(databasePath, dir);
      sayingWhy(dir, () => makePrivateDirectory(resolve(dir)));
    },
    writeFile(path, content) {
      checkTarget(databasePath, path, force);
      sayingWhy(path, () => makePrivateDirectory(dirname(resolve(path))));
      const { temporary, fd, ino } = sayingWhy(path, () => createTemporary(path));
      try {
        const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
        closeSync(fd);
        moveIntoPlace(temporary, ino, path);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw error;
      }
    },
    async writeWith(path, write) {
      checkTarget(databasePath, path, force);
      sayingWhy(path, () => makePrivateDirectory(dirname(resolve(path))));
      const { temporary, fd, ino } = sayingWhy(path, () => createTemporary(path));
      closeSync(fd);
      try {
        await write(temporary);
        moveIntoPlace(temporary, ino, path);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw error;
      }
    },
  };
}
