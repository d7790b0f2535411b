// Planned notification → outbox row. The payload keeps expiresAt so a later tick can tell, from the
// row alone, when it stopped being worth sending.
import type { PlannedNotification } from '../domain/notification-planner.js';
import type { NewOutboxRow } from '../store/outbox-repository.js';

export function toOutboxRow(p: PlannedNotification, createdAt: string): NewOutboxRow {
  return {
    key: p.key,
    kind: p.kind,
    recipientPersonId: p.recipientPersonId,
    recipientChannel: p.recipientChannel,
    payload: { ...p.payload, expiresAt: p.expiresAt },
    notBefore: p.notBefore,
    createdAt,
  };
}
