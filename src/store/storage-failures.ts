// The database failures that mean "nothing could be saved" for reasons outside sendbot: a full disk, a
// read-only file, mount or server, a lock another process did not release, an I/O error, and (on
// PostgreSQL) a server that cannot be reached. Told apart so that /healthz can say which, and a
// person whose update failed can be told plainly it was not saved.

export type StorageFailure = 'full' | 'read-only' | 'busy' | 'io' | 'unreachable';

/** Set on errors that came from the database connection, so a Slack call's ECONNRESET is not taken for one. */
const FROM_DATABASE = Symbol('sendbot.fromDatabase');

/** Marks `error` as thrown by the database driver (the PostgreSQL store calls this where it catches). */
export function fromDatabase<T>(error: T): T {
  if (typeof error === 'object' && error !== null && !(FROM_DATABASE in error)) Object.defineProperty(error, FROM_DATABASE, { value: true });
  return error;
}

/** A failure of a PostgreSQL connection itself (not of a statement): the server went away, a timeout. */
export function isConnectionError(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? '');
  const message = error instanceof Error ? error.message : '';
  return /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|57P01|57P02|57P03|08\d\d\d)$/.test(code) || /Connection terminated|connection timeout/i.test(message);
}

/** The storage failure behind `error` (looking through wrapped causes), or undefined for any other error. */
export function storageFailure(error: unknown): StorageFailure | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (typeof e === 'object' && FROM_DATABASE in e) {
      if (isConnectionError(e)) return 'unreachable';
      // Every pooled connection stayed busy past the wait (a long lock held elsewhere, say): the
      // server is up, so not "unreachable", which would send IT looking for a network fault.
      if (e instanceof Error && /timeout exceeded when trying to connect/i.test(e.message)) return 'busy';
    }
    const code = (e as { code?: unknown }).code;
    // PostgreSQL's SQLSTATEs: disk full; a read-only replica or a server in recovery.
    if (code === '53100') return 'full';
    if (code === '25006') return 'read-only';
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) continue;
    if (code === 'SQLITE_FULL') return 'full';
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') return 'read-only';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
    if (code.startsWith('SQLITE_IOERR')) return 'io';
  }
  return undefined;
}

/**
 * A failure that passes with the database itself (it cannot be reached, or no connection came free):
 * the request is not at fault, so it is kept and tried again rather than failed.
 */
export function isPassingStorageFailure(error: unknown): boolean {
  const failure = storageFailure(error);
  return failure === 'unreachable' || failure === 'busy';
}
