// The Slack inbox: requests acknowledged before their work ran (see slackInbox in db/schema.ts).
// Writing a row is one prepared INSERT, committed before the acknowledgement; claiming it is a
// DELETE in the same transaction as the work's own writes, so the work happens exactly once even if
// the process dies in between or a second process replays the same row.
//
// Several instances share one inbox (issue 21). A row is written with a lease (`lease_until`, Unix
// seconds): the instance that acknowledged it has that long to do the work. Only rows whose lease
// has run out are replayed (by the sweep, on any instance), and taking one for a replay renews its
// lease in one guarded UPDATE, so two sweeps never replay the same row at once and a live
// instance's in-flight rows are left alone.
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { forUpdateSkipLocked } from './dialect.js';
import { prepared } from './statements.js';
import { storeCall } from './unit-of-work.js';

export interface InboxItem {
  id: number;
  receivedAt: string;
  /** The request body as Bolt parsed it, JSON. */
  body: string;
}

/** How long (seconds) the instance that acknowledged a request has to do it before another may replay it. */
export const INBOX_LEASE_SECONDS = 60;

/**
 * Adds a request and returns its id. `receivedAt` is a stored (UTC ISO) instant; `leaseUntil` (Unix
 * seconds) keeps the sweep off it while this instance works on it (null: replayable at once).
 */
export function addToInbox(db: Db, receivedAt: string, body: string, leaseUntil: number | null = null): Promise<number> {
  return storeCall(db, async () => {
    return (await ADD.get(db, { receivedAt, body, leaseUntil }))!.id;
  });
}

/**
 * Takes up to `limit` pending items whose lease ran out by `nowSeconds` for a replay, renewing their
 * lease to `leaseUntil`: one guarded UPDATE (rows locked by another taker are skipped on
 * PostgreSQL), so each item is taken by one caller. Oldest first.
 */
export function takeExpiredInboxItems(db: Db, nowSeconds: number, leaseUntil: number, limit = 50): Promise<InboxItem[]> {
  return storeCall(db, async () => {
    const rows = await TAKE_EXPIRED.all(db, { nowSeconds, leaseUntil, limit });
    return rows.sort((a, b) => a.id - b.id);
  });
}

/**
 * Takes a pending item: true when this caller got it (and must do its work in the same
 * transaction), false when it was already done or given up on.
 */
export function claimInboxItem(db: Db, id: number): Promise<boolean> {
  return storeCall(db, async () => {
    return (await CLAIM.run(db, { id })).changes === 1;
  });
}

/** Makes a pending item replayable by the next sweep at once (its instance is stopping before starting it). */
export function releaseInboxItem(db: Db, id: number): Promise<void> {
  return storeCall(db, async () => {
    await RELEASE.run(db, { id });
  });
}

/** Keeps an item whose work failed, so what the person sent is not lost (and not replayed forever). */
export function markInboxItemFailed(db: Db, id: number, at: string): Promise<void> {
  return storeCall(db, async () => {
    await MARK_FAILED.run(db, { at, id });
  });
}

/** Items acknowledged but never finished, oldest first: what a restart must replay. */
export function pendingInboxItems(db: Db): Promise<InboxItem[]> {
  return storeCall(db, async () => {
    return await PENDING.all(db);
  });
}

// On the path of every Slack acknowledgement: compiled once, prepared once per connection.
const $ = (name: string) => sql.placeholder(name);
const ADD = prepared<{ id: number }>(sql`insert into slack_inbox (received_at, body, lease_until) values (${$('receivedAt')}, ${$('body')}, ${$('leaseUntil')}) returning id`);
const TAKE_EXPIRED = prepared<InboxItem>(
  sql`update slack_inbox set lease_until = ${$('leaseUntil')}
   where id in (select id from slack_inbox where state = 'pending' and (lease_until is null or lease_until <= ${$('nowSeconds')})
                order by id limit ${$('limit')} ${forUpdateSkipLocked()})
     and state = 'pending' and (lease_until is null or lease_until <= ${$('nowSeconds')})
   returning id, received_at as "receivedAt", body`,
);
const CLAIM = prepared(sql`delete from slack_inbox where id = ${$('id')} and state = 'pending'`);
const RELEASE = prepared(sql`update slack_inbox set lease_until = null where id = ${$('id')} and state = 'pending'`);
const MARK_FAILED = prepared(sql`update slack_inbox set state = 'failed', failed_at = ${$('at')} where id = ${$('id')} and state = 'pending'`);
const PENDING = prepared<InboxItem>(sql`select id, received_at as "receivedAt", body from slack_inbox where state = 'pending' order by id`);
