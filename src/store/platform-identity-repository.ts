// A person's chat accounts: the Slack and Teams ids they are known by, and the platform they used last.
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema.js';
import type { Db } from './database.js';
import type { Person } from './people-repository.js';
import { storeCall } from './unit-of-work.js';

export interface PlatformAccountIds {
  slackUserId?: string;
  teamsUserId?: string;
}

/** Records the given platform ids on the person; returns the person as stored afterwards. */
export function linkPlatformAccounts(db: Db, personId: number, ids: PlatformAccountIds): Promise<Person> {
  return storeCall(db, () => {
    const linked = db.update(people).set(ids).where(eq(people.id, personId)).returning().get();
    if (!linked) throw new Error(`No person with id ${personId} to link platform accounts to`);
    return linked;
  });
}

/** Remembers the platform the person last wrote from, so that nudges reach them there. */
export function recordLastPlatform(db: Db, personId: number, platform: 'slack' | 'teams'): Promise<void> {
  return storeCall(db, () => {
    db.update(people).set({ lastPlatform: platform }).where(eq(people.id, personId)).run();
  });
}
