// The Slack replay cache: a signed request is accepted once. Slack signs `v0:{timestamp}:{body}`,
// so the signature alone identifies the request (a different body or timestamp gives a different
// signature); it is remembered until the request's five minutes are up, after which the timestamp
// check refuses it anyway. SQLite rather than memory so a restart, or a second process on the same
// database, does not forget what was accepted.
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { prepared } from './statements.js';
import { storeCall } from './unit-of-work.js';

/** How often expired signatures are swept (per connection); each sweep is one indexed DELETE. */
const PRUNE_EVERY_SECONDS = 60;
// Keyed by the connection object the store was given (one Db per connection).
const lastPruned = new WeakMap<Db, number>();

/**
 * Records a request's signature. True the first time; false when it was already seen (a replay).
 * `expiresAt` and `nowSeconds` are Unix seconds.
 */
export function rememberSlackSignature(db: Db, signature: string, expiresAt: number, nowSeconds: number): Promise<boolean> {
  return storeCall(db, async () => {
    await pruneSlackSignaturesWhenDue(db, nowSeconds);
    const inserted = await REMEMBER.run(db, { signature, expiresAt });
    return inserted.changes === 1;
  });
}

/** Deletes expired signatures, at most once a minute per connection (see PRUNE_EVERY_SECONDS). */
export async function pruneSlackSignaturesWhenDue(db: Db, nowSeconds: number): Promise<void> {
  const last = lastPruned.get(db) ?? 0;
  if (nowSeconds - last < PRUNE_EVERY_SECONDS) return;
  lastPruned.set(db, nowSeconds);
  await PRUNE.run(db, { nowSeconds });
}

const PRUNE = prepared(sql`delete from slack_request_signatures where expires_at < ${sql.placeholder('nowSeconds')}`);
const REMEMBER = prepared(
  sql`insert into slack_request_signatures (signature, expires_at) values (${sql.placeholder('signature')}, ${sql.placeholder('expiresAt')}) on conflict (signature) do nothing`,
);
