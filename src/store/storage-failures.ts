// The SQLite failures that mean "nothing could be saved" for reasons outside sendbot: a full disk, a
// read-only file or mount, a lock another process did not release, an I/O error. Told apart so
// that /healthz can say which, and a person whose update failed can be told plainly it was not saved.

export type StorageFailure = 'full' | 'read-only' | 'busy' | 'io';

/** The storage failure behind `error` (looking through wrapped causes), or undefined for any other error. */
export function storageFailure(error: unknown): StorageFailure | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) continue;
    if (code === 'SQLITE_FULL') return 'full';
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') return 'read-only';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
    if (code.startsWith('SQLITE_IOERR')) return 'io';
  }
  return undefined;
}
