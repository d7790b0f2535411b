// Who is accountable for an action: the writes behind `/send assign` (a role, or a named person).
import { eq } from 'drizzle-orm';
import { actions } from '../../db/schema.js';
import type { Db } from './database.js';
import { storeCall } from './unit-of-work.js';

/** The action is owned through `roleId` from now on: whoever holds the role answers for it, not a named person. */
export function assignActionToRole(db: Db, actionId: number, roleId: number, at: string): Promise<void> {
  return storeCall(db, () => {
    db.update(actions).set({ ownerRoleId: roleId, ownerPersonId: null, updatedAt: at }).where(eq(actions.id, actionId)).run();
  });
}

/** The action is owned by `personId` by name; its role stays recorded (a handover of the role no longer moves it). */
export function assignActionToPerson(db: Db, actionId: number, personId: number, at: string): Promise<void> {
  return storeCall(db, () => {
    db.update(actions).set({ ownerPersonId: personId, updatedAt: at }).where(eq(actions.id, actionId)).run();
  });
}
