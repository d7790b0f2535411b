// What a person is told when their command failed. A storage failure (full disk, read-only
// database, a lock not released, a database server that cannot be reached) means nothing they sent was kept, and they must know that plainly
// rather than read a vague "that failed" and assume their update is in. Any other failure keeps
// the platform's usual sorry text.
import { type StorageFailure, storageFailure } from '../store/storage-failures.js';

const WHY: Record<StorageFailure, string> = {
  full: 'the disk that holds sendbot’s records is full',
  'read-only': 'sendbot’s records cannot be written at the moment (the database is read-only)',
  busy: 'sendbot’s records are locked by other work at the moment',
  io: 'sendbot could not write to its disk',
  unreachable: 'sendbot cannot reach its database at the moment',
};

/**
 * The sentence for `error`: "NOT saved" and why for a storage failure, else `fallback`. For a
 * question (`asked`: a command that changes nothing) there was nothing to save: it could not be answered.
 */
export function failureText(error: unknown, fallback: string, asked = false): string {
  const failure = storageFailure(error);
  if (!failure) return fallback;
  if (asked) return `Sorry — sendbot cannot answer that right now, because ${WHY[failure]}. Please ask again in a few minutes.`;
  return `Sorry — what you sent was NOT saved, because ${WHY[failure]}. Please send it again in a few minutes.`;
}
