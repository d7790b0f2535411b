// Whether a person is away (`/send away`, `/send back`), and who stands in for them meanwhile.
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema.js';
import type { Db } from './database.js';
import { storeCall } from './unit-of-work.js';

/** Marks the person away until `until` (a London date, inclusive), with `delegateId` standing in, or nobody. */
export function markPersonAway(db: Db, personId: number, until: string, delegateId: number | null): Promise<void> {
  return storeCall(db, () => {
    db.update(people).set({ awayUntil: until, delegateId }).where(eq(people.id, personId)).run();
  });
}

/** The person is back: no longer away, and no delegate. */
export function markPersonBack(db: Db, personId: number): Promise<void> {
  return storeCall(db, () => {
    db.update(people).set({ awayUntil: null, delegateId: null }).where(eq(people.id, personId)).run();
  });
}
