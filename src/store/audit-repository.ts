import { type SQL, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { run } from './statements.js';
import { storeCall } from './unit-of-work.js';

export interface AuditEntry {
  at: string;
  actorPersonId?: number | null;
  actorLabel?: string;
  event: string;
  entity?: string;
  detail?: unknown;
  /** Where the actor acted from, and their id there (Slack U…, Teams 29:…). */
  platform?: string;
  platformUserId?: string | null;
}

/** Appends to the audit log: who changed what, for the partnership's governance trail. */
export function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  return storeCall(db, async () => {
    await run(db, auditInsert(entry, sql`${entry.detail === undefined || entry.detail === null ? null : JSON.stringify(entry.detail)}`));
  });
}

/**
 * The INSERT of one audit row, with its detail as an SQL expression: for a statement that writes the
 * audit row together with what it records (recordUpdate on PostgreSQL, as a data-modifying CTE).
 */
export function auditInsert(entry: Omit<AuditEntry, 'detail'>, detail: SQL): SQL {
  return sql`insert into audit_log (at, actor_person_id, actor_label, event, entity, detail, platform, platform_user_id)
       values (${entry.at}, ${entry.actorPersonId ?? null}, ${entry.actorLabel ?? null}, ${entry.event}, ${entry.entity ?? null},
         ${detail}, ${entry.platform ?? null}, ${entry.platformUserId ?? null})`;
}
