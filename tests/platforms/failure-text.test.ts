// What a person is told when their command failed: "NOT saved, because …" only when the database
// itself failed, never for another failure that happens to look like one (a Slack call's ECONNRESET).
import { describe, expect, it } from 'vitest';
import { failureText } from '../../src/platforms/failure-text.js';
import { fromDatabase, storageFailure } from '../../src/store/storage-failures.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('storage failures told to a person', () => {
  it('names each SQLite failure, also when wrapped', () => {
    expect(storageFailure(withCode('database or disk is full', 'SQLITE_FULL'))).toBe('full');
    expect(storageFailure(withCode('attempt to write a readonly database', 'SQLITE_READONLY_DBMOVED'))).toBe('read-only');
    expect(storageFailure(new Error('update failed', { cause: withCode('database is locked', 'SQLITE_BUSY') }))).toBe('busy');
    expect(storageFailure(withCode('disk I/O error', 'SQLITE_IOERR_WRITE'))).toBe('io');
  });

  it('names a PostgreSQL server that went away, is full or is read-only, only for errors from the database', () => {
    expect(storageFailure(fromDatabase(new Error('Connection terminated unexpectedly')))).toBe('unreachable');
    expect(storageFailure(fromDatabase(withCode('read ECONNRESET', 'ECONNRESET')))).toBe('unreachable');
    expect(storageFailure(fromDatabase(withCode('terminating connection due to administrator command', '57P01')))).toBe('unreachable');
    // Every pooled connection busy past the wait: the server is up, so not "unreachable".
    expect(storageFailure(fromDatabase(new Error('timeout exceeded when trying to connect')))).toBe('busy');
    expect(storageFailure(withCode('could not extend file: No space left on device', '53100'))).toBe('full');
    expect(storageFailure(withCode('cannot execute INSERT in a read-only transaction', '25006'))).toBe('read-only');
    // The same error codes from a Slack call are not the database's.
    expect(storageFailure(withCode('read ECONNRESET', 'ECONNRESET'))).toBeUndefined();
    expect(storageFailure(new Error('syntax error at or near "selec"'))).toBeUndefined();
  });

  it('says plainly that nothing was saved, and why; anything else keeps the usual text', () => {
    expect(failureText(fromDatabase(withCode('connect ECONNREFUSED 10.0.0.5:5432', 'ECONNREFUSED')), 'Sorry, that failed.')).toBe(
      'Sorry — what you sent was NOT saved, because sendbot cannot reach its database at the moment. Please send it again in a few minutes.',
    );
    // A question had nothing to save: it could not be answered.
    expect(failureText(fromDatabase(new Error('Connection terminated unexpectedly')), 'Sorry, that failed.', true)).toBe(
      'Sorry — sendbot cannot answer that right now, because sendbot cannot reach its database at the moment. Please ask again in a few minutes.',
    );
    expect(failureText(withCode('read ECONNRESET', 'ECONNRESET'), 'Sorry, that failed.')).toBe('Sorry, that failed.');
  });
});
