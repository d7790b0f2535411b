// What the CLI says when the database itself failed (a lock held elsewhere, a full disk, a read-only
// file or server, an I/O error, a server that cannot be reached): one sentence an operator can act
// on, instead of a driver's stack trace. Exit code 1, like every other problem the operator can fix.
import { type StorageFailure, storageFailure } from '../store/storage-failures.js';

const WHY: Record<StorageFailure, string> = {
  full: 'the disk that holds the database is full; free some space, then run it again',
  'read-only': 'the database cannot be written (a read-only file, folder, mount or database server)',
  busy: 'the database is locked by another process (the running service, or another sendbot command) and stayed locked for longer than sendbot waits; run it again in a moment',
  io: 'the disk returned an error while reading or writing the database; check the disk, then run it again',
  unreachable: 'the database server could not be reached; check DATABASE_URL and that the server is running',
};

/** The operator's sentence for `error` when it is a storage failure, else undefined. */
export function storageFailureMessage(error: unknown): string | undefined {
  const failure = storageFailure(error);
  if (!failure) return undefined;
  return `sendbot could not finish: ${WHY[failure]}. Whatever it had not yet committed was rolled back.`;
}
