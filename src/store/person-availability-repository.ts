// Whether a person is away (`/send away`, `/send back`), and who stands in for them meanwhile.
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { run } from './statements.js';
import { storeCall } from './unit-of-work.js';

/** Marks the person away until `until` (a London date, inclusive), with `delegateId` standing in, or nobody. */
export function markPersonAway(db: Db, personId: number, until: string, delegateId: number | null): Promise<void> {
  return storeCall(db, async () => {
    await run(db, sql`update people set away_until = ${until}, delegate_id = ${delegateId} where id = ${personId}`);
  });
}

/** The person is back: no longer away, and no delegate. */
export function markPersonBack(db: Db, personId: number): Promise<void> {
  return storeCall(db, async () => {
    await run(db, sql`update people set away_until = null, delegate_id = null where id = ${personId}`);
  });
}
