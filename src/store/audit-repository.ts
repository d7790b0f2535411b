import { auditLog } from '../../db/schema.js';
import type { Db } from './database.js';
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
  return storeCall(db, () => {
    db.insert(auditLog)
      .values({
        at: entry.at,
        actorPersonId: entry.actorPersonId ?? null,
        actorLabel: entry.actorLabel ?? null,
        event: entry.event,
        entity: entry.entity ?? null,
        detail: entry.detail ?? null,
        platform: entry.platform ?? null,
        platformUserId: entry.platformUserId ?? null,
      })
      .run();
  });
}
