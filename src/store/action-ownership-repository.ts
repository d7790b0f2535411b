// Who is accountable for an action: the writes behind `/send assign` (a role, or a named person).
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { run } from './statements.js';
import { storeCall } from './unit-of-work.js';

/** The action is owned through `roleId` from now on: whoever holds the role answers for it, not a named person. */
export function assignActionToRole(db: Db, actionId: number, roleId: number, at: string): Promise<void> {
  return storeCall(db, async () => {
    await run(db, sql`update actions set owner_role_id = ${roleId}, owner_person_id = null, updated_at = ${at} where id = ${actionId}`);
  });
}

/** The action is owned by `personId` by name; its role stays recorded (a handover of the role no longer moves it). */
export function assignActionToPerson(db: Db, actionId: number, personId: number, at: string): Promise<void> {
  return storeCall(db, async () => {
    await run(db, sql`update actions set owner_person_id = ${personId}, updated_at = ${at} where id = ${actionId}`);
  });
}
