// Taking in a verified Slack request: its signature goes into the replay cache and, when it is
// acknowledged before its work (slash commands, buttons that write), its body into the durable
// inbox — together. On SQLite that is one transaction (one commit instead of two keeps the
// acknowledgement path at a single WAL append); on PostgreSQL, where each statement is a network
// round trip, it is ONE statement: a CTE inserts the signature and, only when that was new, the
// inbox row. Either way a replayed request is never stored in the inbox.
import { sql } from 'drizzle-orm';
import { type Db, inTransaction, isPostgres } from './database.js';
import { addToInbox, INBOX_LEASE_SECONDS } from './slack-inbox-repository.js';
import { pruneSlackSignaturesWhenDue, rememberSlackSignature } from './slack-replay-cache-repository.js';
import { prepared } from './statements.js';
import { withConnection } from './unit-of-work.js';

export interface SlackIntake {
  signature: string;
  /** Unix seconds after which the signature need not be remembered. */
  expiresAt: number;
  nowSeconds: number;
  /**
   * For requests the durable inbox must hold: when it arrived (stored instant), the parsed body as
   * JSON, and how long this instance keeps other instances' sweeps off it (seconds; default
   * INBOX_LEASE_SECONDS).
   */
  inbox?: { receivedAt: string; body: string; leaseSeconds?: number };
}

export type IntakeResult = { replayed: true } | { replayed: false; inboxId?: number };

/** Remembers the signature (refusing a replay) and stores the inbox row, committed together. */
export function acceptSlackRequest(db: Db, intake: SlackIntake): Promise<IntakeResult> {
  return withConnection(db, async () => {
    const { signature, expiresAt, nowSeconds, inbox } = intake;
    if (!inbox) return await rememberSlackSignature(db, signature, expiresAt, nowSeconds) ? { replayed: false } : { replayed: true };
    const leaseUntil = nowSeconds + (inbox.leaseSeconds ?? INBOX_LEASE_SECONDS);
    if (isPostgres(db)) {
      await pruneSlackSignaturesWhenDue(db, nowSeconds);
      const row = await ACCEPT_WITH_INBOX.get(db, { signature, expiresAt, receivedAt: inbox.receivedAt, body: inbox.body, leaseUntil });
      return row ? { replayed: false, inboxId: row.id } : { replayed: true };
    }
    return await inTransaction(db, async (): Promise<IntakeResult> => {
      if (!await rememberSlackSignature(db, signature, expiresAt, nowSeconds)) return { replayed: true };
      return { replayed: false, inboxId: await addToInbox(db, inbox.receivedAt, inbox.body, leaseUntil) };
    });
  });
}

// PostgreSQL only (SQLite has no data-modifying CTEs): no row back means the signature was known.
const $ = (name: string) => sql.placeholder(name);
const ACCEPT_WITH_INBOX = prepared<{ id: number }>(
  sql`with remembered as (
     insert into slack_request_signatures (signature, expires_at) values (${$('signature')}, ${$('expiresAt')})
     on conflict (signature) do nothing returning 1)
   insert into slack_inbox (received_at, body, lease_until)
   select ${$('receivedAt')}::text, ${$('body')}::text, ${$('leaseUntil')}::bigint where exists (select 1 from remembered)
   returning id`,
);
