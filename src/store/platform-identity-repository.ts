// A person's chat accounts: the Slack and Teams ids they are known by, and the platform they used last.
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { type Person, personRows } from './people-repository.js';
import { get, run } from './statements.js';
import { storeCall } from './unit-of-work.js';

export interface PlatformAccountIds {
  slackUserId?: string;
  teamsUserId?: string;
}

/** Records the given platform ids on the person; returns the person as stored afterwards. */
export function linkPlatformAccounts(db: Db, personId: number, ids: PlatformAccountIds): Promise<Person> {
  return storeCall(db, async () => {
    const raw = await get<Record<string, unknown>>(db, sql`update people set ${personRows.set(ids)} where id = ${personId} returning ${personRows.columns()}`);
    const linked = raw && personRows.toRow(raw);
    if (!linked) throw new Error(`No person with id ${personId} to link platform accounts to`);
    return linked;
  });
}

/** Remembers the platform the person last wrote from, so that nudges reach them there. */
export function recordLastPlatform(db: Db, personId: number, platform: 'slack' | 'teams'): Promise<void> {
  return storeCall(db, async () => {
    await run(db, sql`update people set last_platform = ${platform} where id = ${personId}`);
  });
}
