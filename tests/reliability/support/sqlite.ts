// Looking at a database file from the outside: integrity checks and counts through a separate
// connection (as an operator would), never through the application's own.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Deletes the temporary directory holding a test's copy of the database (demoPlanDb makes one
 * directory per copy), once nothing has it open. Only ever a directory directly under the OS temp dir.
 */
export function removeDatabaseCopy(path: string | undefined): void {
  if (!path) return;
  const dir = dirname(path);
  if (dirname(dir) !== tmpdir() || !basename(dir).startsWith('sendbot-')) return;
  rmSync(dir, { recursive: true, force: true });
}

/** `PRAGMA integrity_check` on the file through a fresh connection: 'ok' or the problems. */
export function integrityCheck(path: string): string {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** Runs `read` on a read-only connection to the file. */
export function withReadOnly<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    return read(db);
  } finally {
    db.close();
  }
}

export interface OutboxSummary {
  key: string;
  status: string;
  attempts: number;
  notBefore: string;
  createdAt: string;
  recipientPersonId: number | null;
  recipientChannel: string | null;
  lastError: string | null;
  leaseUntil: string | null;
  sentAt: string | null;
  id: number;
}

export function outboxRows(path: string): OutboxSummary[] {
  return withReadOnly(
    path,
    (db) =>
      db
        .prepare(
          `select id, key, status, attempts, not_before as notBefore, created_at as createdAt, recipient_person_id as recipientPersonId,
             recipient_channel as recipientChannel, last_error as lastError, lease_until as leaseUntil, sent_at as sentAt from outbox order by id`,
        )
        .all() as OutboxSummary[],
  );
}

/** Logs a measured figure so it shows in the vitest output (and in CI logs). */
export function report(test: string, figures: Record<string, unknown>): void {
  console.info(`[reliability] ${test}: ${JSON.stringify(figures)}`);
}
