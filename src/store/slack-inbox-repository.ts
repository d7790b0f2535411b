// The Slack inbox: requests acknowledged before their work ran (see slackInbox in db/schema.ts).
// Writing a row is one prepared INSERT, committed before the acknowledgement; claiming it is a
// DELETE in the same transaction as the work's own writes, so the work happens exactly once even if
// the process dies in between or a second process replays the same row.
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { prepared } from './statements.js';
import { storeCall } from './unit-of-work.js';

export interface InboxItem {
  id: number;
  receivedAt: string;
  /** The request body as Bolt parsed it, JSON. */
  body: string;
}

/** Adds a request and returns its id. `receivedAt` is a stored (UTC ISO) instant. */
export function addToInbox(db: Db, receivedAt: string, body: string): Promise<number> {
  return storeCall(db, async () => {
    return (await ADD.get(db, { receivedAt, body }))!.id;
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
const ADD = prepared<{ id: number }>(sql`insert into slack_inbox (received_at, body) values (${$('receivedAt')}, ${$('body')}) returning id`);
const CLAIM = prepared(sql`delete from slack_inbox where id = ${$('id')} and state = 'pending'`);
const MARK_FAILED = prepared(sql`update slack_inbox set state = 'failed', failed_at = ${$('at')} where id = ${$('id')} and state = 'pending'`);
const PENDING = prepared<InboxItem>(sql`select id, received_at as "receivedAt", body from slack_inbox where state = 'pending' order by id`);
