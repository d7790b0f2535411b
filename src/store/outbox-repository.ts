// The transactional outbox: the planner's rows under a unique key, and the delivery loop's bookkeeping
// (lease, attempts, backoff, outcome). Raw SQL because these statements run on every tick and every
// delivery, and `insert … on conflict do nothing` plus the lease update read more plainly as SQL.
import type { OutboxStatus } from '../../db/schema.js';
import type { OutboxKeyScope, QueuedMessage } from '../domain/notification-planner.js';
import type { NotificationKind, NotificationPayload } from '../jobs/delivery-types.js';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, inTransaction } from './database.js';
import { forUpdateSkipLocked, inList, jsonField, jsonValues, lastChars } from './dialect.js';
import { all, get, run, values } from './statements.js';
import { storeCall, withConnection } from './unit-of-work.js';

/** What a row's payload column holds: the notification plus when it stops being worth sending. */
export type OutboxPayload = NotificationPayload & { expiresAt?: string | null };

export interface OutboxRow {
  id: number;
  key: string;
  kind: NotificationKind;
  recipientPersonId: number | null;
  recipientChannel: string | null;
  payload: OutboxPayload;
  notBefore: string;
  attempts: number;
  status: OutboxStatus;
  lastError: string | null;
  platform: string | null;
  platformMessageId: string | null;
  leaseUntil: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface NewOutboxRow {
  key: string;
  kind: NotificationKind;
  recipientPersonId: number | null;
  recipientChannel: string | null;
  payload: OutboxPayload;
  notBefore: string;
  createdAt: string;
}

/** Rows still to be delivered: never tried, or tried and waiting for a retry. */
export const OPEN_STATUSES = ['pending', 'failed'] as const satisfies readonly OutboxStatus[];
const OPEN = sql`status in ('pending', 'failed')`;

function columns(t = ''): SQL {
  const c = (name: string, as?: string) => `${t}${name}${as ? ` as "${as}"` : ''}`;
  const names = [
    c('id'),
    c('key'),
    c('kind'),
    c('recipient_person_id', 'recipientPersonId'),
    c('recipient_channel', 'recipientChannel'),
    c('payload'),
    c('not_before', 'notBefore'),
    c('attempts'),
    c('status'),
    c('last_error', 'lastError'),
    c('platform'),
    c('platform_message_id', 'platformMessageId'),
    c('lease_until', 'leaseUntil'),
    c('created_at', 'createdAt'),
    c('sent_at', 'sentAt'),
  ];
  return sql.raw(names.join(', '));
}
const COLUMNS = columns();

type RawRow = Omit<OutboxRow, 'payload'> & { payload: string };
const toRow = (r: RawRow): OutboxRow => ({ ...r, payload: JSON.parse(r.payload) as OutboxPayload });

/** Inserts the row unless its key is already in the outbox (whatever its status). True when inserted. */
export function enqueueNotification(db: Db, row: NewOutboxRow): Promise<boolean> {
  return storeCall(db, async () => {
    const result = await run(
      db,
      sql`insert into outbox (key, kind, recipient_person_id, recipient_channel, payload, not_before, created_at)
       values (${row.key}, ${row.kind}, ${row.recipientPersonId}, ${row.recipientChannel}, ${JSON.stringify(row.payload)}, ${row.notBefore}, ${row.createdAt})
       on conflict(key) do nothing`,
    );
    return result.changes === 1;
  });
}

export interface KeyState {
  id: number;
  status: OutboxStatus;
  notBefore: string;
  attempts: number;
  leaseUntil: string | null;
}

/**
 * The rows under `keys`, for the tick, which asks about every planned key: only the keys already in
 * the outbox are in the map. One statement with the keys bound as one list (a round trip per key
 * would cost hundreds on a networked database). Read whole, not handed out as a look-up function,
 * so no statement runs after this call's turn has ended.
 */
export function findOutboxKeyStates(db: Db, keys: readonly string[]): Promise<Map<string, KeyState>> {
  return storeCall(db, async () => {
    const found = new Map<string, KeyState>();
    if (keys.length === 0) return found;
    const rows = await all<KeyState & { key: string }>(
      db,
      sql`select key, id, status, not_before as "notBefore", attempts, lease_until as "leaseUntil" from outbox where ${inList(sql`key`, keys)}`,
    );
    for (const { key, ...state } of rows) found.set(key, state);
    return found;
  });
}

/**
 * The rows under the keys a plan may ask about (the planner's OutboxKeyScope), by key, in one query:
 * whether and when each went out, how often it was tried, and the refs it listed. Each prefix is a
 * range on the unique key index; the chasers' keys end with their occasion day.
 */
export function loadQueuedMessages(db: Db, scope: OutboxKeyScope): Promise<Map<string, QueuedMessage>> {
  return storeCall(db, async () => {
    // Keys are ASCII and every prefix ends with ':', so ';' (the next character) bounds its range.
    const ranges = scope.prefixes.map((p) => ({ lo: p, hi: `${p.slice(0, -1)};` }));
    const refs = sql`coalesce(${jsonField(sql`o.payload`, 'refs')}, '[]')`;
    const rows = await values<[string, OutboxStatus, string, string | null, number, string]>(
      db,
      sql`select o.key, o.status, o.not_before, o.sent_at, o.attempts, ${refs}
          from ${jsonValues(ranges, 'json')} r join outbox o on o.key >= ${jsonField(sql`r.value`, 'lo')} and o.key < ${jsonField(sql`r.value`, 'hi')}
        union all
        select o.key, o.status, o.not_before, o.sent_at, o.attempts, ${refs}
          from outbox o
         where o.key > 'overdue:' and o.key < 'overdue;' and ${lastChars(sql`o.key`, 10)} in ${jsonValues(scope.overdueDays, 'text')}`,
    );
    const out = new Map<string, QueuedMessage>();
    for (const [key, status, notBefore, sentAt, attempts, refsText] of rows) {
      out.set(key, { status, notBefore, sentAt, attempts, refs: JSON.parse(refsText) as string[] });
    }
    return out;
  });
}

export function findOutboxByKey(db: Db, key: string): Promise<OutboxRow | undefined> {
  return storeCall(db, async () => {
    const row = await get<RawRow>(db, sql`select ${COLUMNS} from outbox where key = ${key}`);
    return row ? toRow(row) : undefined;
  });
}

export interface OutboxFilter {
  status?: OutboxStatus;
  kind?: string;
  /** Only keys starting with this, e.g. 'nudge:3:'. */
  keyPrefix?: string;
  limit?: number;
}

export interface OutboxListRow extends OutboxRow {
  recipientEmail: string | null;
  recipientName: string | null;
}

/** Rows oldest first, with the recipient's email and name for listings. */
export function listOutbox(db: Db, filter: OutboxFilter = {}): Promise<OutboxListRow[]> {
  return storeCall(db, async () => {
    const where: SQL[] = [];
    if (filter.status) where.push(sql`o.status = ${filter.status}`);
    if (filter.kind) where.push(sql`o.kind = ${filter.kind}`);
    if (filter.keyPrefix) where.push(sql`substr(o.key, 1, ${filter.keyPrefix.length}) = ${filter.keyPrefix}`);
    const query = sql`select ${columns('o.')}, p.email as "recipientEmail", p.name as "recipientName"
    from outbox o left join people p on p.id = o.recipient_person_id
    ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``} order by o.not_before, o.id ${filter.limit ? sql`limit ${filter.limit}` : sql``}`;
    return (await all<RawRow & { recipientEmail: string | null; recipientName: string | null }>(db, query)).map(
      (r) => ({ ...toRow(r), recipientEmail: r.recipientEmail, recipientName: r.recipientName }),
    );
  });
}

export interface ClaimOptions {
  /** Stored UTC instant. */
  now: string;
  limit: number;
  /** The lease end (stored UTC instant): until then no other worker may claim the rows. */
  leaseUntil: string;
  /** Who is claiming (for logs; the lease itself is what keeps workers apart). */
  workerId: string;
}

export interface ClaimedRow extends OutboxRow {
  /** The lease this worker holds; completions are conditional on it still being this worker's. */
  leaseUntil: string;
  claimedBy: string;
}

/**
 * Claims up to `limit` due rows. Selecting and leasing happen in one write transaction, which takes
 * the write lock first (SQLite's IMMEDIATE; PostgreSQL's advisory write lock), and on PostgreSQL the
 * rows are also locked as they are selected (`for update skip locked`), so two processes or
 * instances can never both claim the same row.
 *
 * Messages reach each recipient in the order they were queued: a row waits while an older open row
 * for the same person or channel is due, being sent, or backing off after a failure. (Retries are
 * jittered, so without this a reminder could overtake the nudge it follows after an outage.) Older
 * rows held for later — someone away — do not hold newer ones back.
 */
export function claimDue(db: Db, options: ClaimOptions): Promise<ClaimedRow[]> {
  return withConnection(db, async () => {
    return await inTransaction(db, async () => {
      const rows = await all<RawRow>(
        db,
        sql`select ${COLUMNS} from outbox o
         where ${OPEN} and not_before <= ${options.now} and (lease_until is null or lease_until <= ${options.now})
           and not exists (
             select 1 from outbox e
             where e.status in ('pending', 'failed') and e.id < o.id and (e.attempts > 0 or e.not_before <= ${options.now})
               and (e.recipient_person_id = o.recipient_person_id or e.recipient_channel = o.recipient_channel))
         order by not_before, id limit ${options.limit} ${forUpdateSkipLocked('o')}`,
      );
      // One statement for the batch (a round trip each would cost on a network database).
      if (rows.length > 0) await run(db, sql`update outbox set lease_until = ${options.leaseUntil} where ${inList(sql`id`, rows.map((r) => r.id))}`);
      return rows.map((r) => ({ ...toRow(r), leaseUntil: options.leaseUntil, claimedBy: options.workerId }));
    });
  });
}

/**
 * Extends this worker's lease on `rows` (all claimed together, so holding the same lease) to
 * `leaseUntil`, for those still held; returns the ids whose lease was extended. A row another
 * worker took over is left alone.
 */
export function renewLease(db: Db, rows: readonly ClaimedRow[], leaseUntil: string): Promise<Set<number>> {
  return withConnection(db, async () => {
    return await inTransaction(db, async () => {
      const renewed = new Set<number>();
      for (const row of rows) {
        if ((await run(db, sql`update outbox set lease_until = ${leaseUntil} where id = ${row.id} and lease_until = ${row.leaseUntil}`)).changes === 1) renewed.add(row.id);
      }
      return renewed;
    });
  });
}

/** Only after the platform accepted the message. Recorded even if the lease ran out: it was sent. */
export function markSent(db: Db, id: number, sent: { at: string; platform: string; platformMessageId: string | null }): Promise<void> {
  return storeCall(db, async () => {
    await run(
      db,
      sql`update outbox set status = 'sent', sent_at = ${sent.at}, platform = ${sent.platform}, platform_message_id = ${sent.platformMessageId},
         attempts = attempts + 1, last_error = null, lease_until = null where id = ${id}`,
    );
  });
}

/** A failed attempt to be retried at `notBefore`. False when the lease was lost to another worker. */
export function markRetry(db: Db, row: ClaimedRow, retry: { notBefore: string; error: string; platform?: string | null }): Promise<boolean> {
  return storeCall(db, async () => {
    const result = await run(
      db,
      sql`update outbox set status = 'failed', attempts = attempts + 1, not_before = ${retry.notBefore}, last_error = ${retry.error},
         platform = coalesce(${retry.platform ?? null}, platform), lease_until = null where id = ${row.id} and lease_until = ${row.leaseUntil}`,
    );
    return result.changes === 1;
  });
}

/** Gives up on a row (permanent error, or too many attempts). False when the lease was lost. */
export function markDead(db: Db, row: ClaimedRow, dead: { error: string; platform?: string | null }): Promise<boolean> {
  return storeCall(db, async () => {
    const result = await run(
      db,
      sql`update outbox set status = 'dead', attempts = attempts + 1, last_error = ${dead.error}, platform = coalesce(${dead.platform ?? null}, platform),
         lease_until = null where id = ${row.id} and lease_until = ${row.leaseUntil}`,
    );
    return result.changes === 1;
  });
}

/** No longer worth sending (its meeting has passed, or it was overtaken). Leaves leased rows alone. */
export function markSkipped(db: Db, id: number, reason: string, now: string): Promise<boolean> {
  return storeCall(db, async () => {
    const result = await run(db, sql`update outbox set status = 'skipped', last_error = ${reason} where id = ${id} and ${OPEN} and (lease_until is null or lease_until <= ${now})`);
    return result.changes === 1;
  });
}

export interface OpenRowSummary {
  id: number;
  key: string;
  kind: NotificationKind;
  meetingId: number | null;
  expiresAt: string | null;
}

/** Undelivered rows no worker is sending right now: the ones the tick checks for staleness. */
export function listOpenUnleased(db: Db, now: string): Promise<OpenRowSummary[]> {
  return storeCall(db, async () => {
    return await all<OpenRowSummary>(
      db,
      sql`select id, key, kind, ${jsonField(sql`payload`, 'meetingId')} as "meetingId", ${jsonField(sql`payload`, 'expiresAt')} as "expiresAt"
       from outbox where ${OPEN} and (lease_until is null or lease_until <= ${now}) order by id`,
    );
  });
}

/**
 * Brings a held message forward (its recipient came back early, or a delegate was named): only for a
 * row that has never been tried and is not being sent. True when the row changed.
 */
export function releaseHeld(db: Db, key: string, next: { notBefore: string; recipientPersonId: number | null; payload: OutboxPayload }, now: string): Promise<boolean> {
  return storeCall(db, async () => {
    const result = await run(
      db,
      sql`update outbox set not_before = ${next.notBefore}, recipient_person_id = ${next.recipientPersonId}, payload = ${JSON.stringify(next.payload)}
       where key = ${key} and status = 'pending' and attempts = 0 and not_before > ${next.notBefore} and (lease_until is null or lease_until <= ${now})`,
    );
    return result.changes === 1;
  });
}

/**
 * Skips every undelivered row whose key starts with `keyPrefix` (e.g. the notices of a date-change
 * request once it has been decided). Leased rows are left to finish. Returns how many were skipped.
 */
export function skipOpenByKeyPrefix(db: Db, keyPrefix: string, reason: string, now: string): Promise<number> {
  return storeCall(db, async () => {
    return (await run(
      db,
      sql`update outbox set status = 'skipped', last_error = ${reason}
       where substr(key, 1, ${keyPrefix.length}) = ${keyPrefix} and ${OPEN} and (lease_until is null or lease_until <= ${now})`,
    )).changes;
  });
}

