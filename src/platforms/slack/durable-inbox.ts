// Acknowledged means stored. Slack must be answered within 3 seconds, so slash commands and the
// buttons that write are acknowledged first and worked on after — and a crash in between would lose
// a command the person saw accepted. So, before the acknowledgement:
//
//   1. the request is written to the inbox (one prepared INSERT of the parsed body, committed; tens
//      of microseconds in WAL mode) and its id put in Bolt's context: in HTTP mode by our route, in
//      the same commit as the replay-cache entry (slack-events-route.ts), otherwise (Socket Mode)
//      by this global middleware;
//   2. the listener acknowledges, then does its work with `runOnce`: one transaction that deletes
//      the inbox row and makes the work's own writes, so they commit together or not at all (work
//      that changes nothing runs without the write lock, and the claim after it decides who answers);
//   3. when the listener is done the row is gone (read-only work, refusals: the middleware deletes
//      it), or kept as `failed` when the work threw, so what the person sent is never lost (kept
//      pending instead when the database did not answer: kept-commands.ts replays it);
//   4. an app that is stopping starts no more of this work: the row is left pending and made
//      replayable at once (work-gate.ts), for the step below;
//   5. on start and then every 5 s, the sweep (`replayInbox`) feeds back through Bolt,
//      with a no-op acknowledgement and the row's id, every pending row whose lease ran out — rows
//      the instance that acknowledged them (this one before a crash, or another one that died) did
//      not finish within a minute. Taking a row renews its lease in one guarded UPDATE, so two
//      instances' sweeps never replay the same row, and a live instance's in-flight rows are left
//      alone. The same listener runs it, `runOnce` claims it, and the answer goes to the request's
//      response_url (valid for 30 minutes).
//
// Why this design rather than writing before the acknowledgement: the ack path stays one small
// INSERT whatever the command costs (a 100k-action `mine` or free-text `who` would otherwise delay
// every acknowledgement, and issue 13 wants Slack latency near a bare Bolt app's); and a row that
// outlives its process is exactly the record a restart needs. Exactly once holds even with two
// processes on one database: the claim is a DELETE … WHERE state = 'pending' inside the work's
// IMMEDIATE transaction, so a second claimant finds nothing and writes nothing.
//
// The modal submission needs none of this: it writes before it acknowledges (its errors must go
// back in the acknowledgement), well inside the 3 seconds.
import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import { type Clock, fixedClock, toStoredInstant } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { inReadTransaction, inTransaction, readsApartFromWrites, type Db } from '../../store/database.js';
import { addToInbox, claimInboxItem, INBOX_LEASE_SECONDS, markInboxItemFailed, releaseInboxItem, takeExpiredInboxItems } from '../../store/slack-inbox-repository.js';
import { isPassingStorageFailure } from '../../store/storage-failures.js';
import type { KeptCommands } from './kept-commands.js';
import type { WorkGate } from './work-gate.js';
import { ACTION_IDS } from '../../render/block-kit.js';

/** What the middleware (or a replay) puts in Bolt's context for the listener. */
export interface InboxContext {
  inboxId?: number;
  /** When the request first arrived (stored UTC instant). */
  inboxReceivedAt?: string;
  /** Set when the request is being replayed after a restart. */
  inboxReplay?: boolean;
  /** Set by runOnce once the row is dealt with (claimed, found gone, or kept as failed). */
  inboxSettled?: boolean;
  /** Set when the app stopped before this request's work began: the row is left for a replay (work-gate.ts). */
  inboxLeftForReplay?: boolean;
  /** Set when the work lost the database: the row is kept for a replay as soon as it is back (kept-commands.ts). */
  inboxKept?: boolean;
}

/** Buttons whose listener writes after acknowledging (the update button only opens a modal). */
const WRITING_BUTTONS = new Set([ACTION_IDS.noChange, `${ACTION_IDS.buttonPrefix}no_change`, `${ACTION_IDS.buttonPrefix}confirm`]);

/** True for the requests that are acknowledged before their work: slash commands and writing buttons. */
export function needsInbox(body: unknown): boolean {
  const b = body as { command?: unknown; type?: unknown; actions?: unknown } | null;
  if (typeof b !== 'object' || b === null) return false;
  if (typeof b.command === 'string') return true;
  if (b.type !== 'block_actions' || !Array.isArray(b.actions)) return false;
  return b.actions.some((a) => typeof a === 'object' && a !== null && WRITING_BUTTONS.has((a as { action_id?: string }).action_id ?? ''));
}

/** The lease on inbox rows (how long an instance has to finish what it acknowledged) and the wall clock it runs on. */
export interface InboxLease {
  seconds: number;
  /** Wall-clock milliseconds (not the app's clock, which a test may hold still). */
  nowMs: () => number;
}

export const DEFAULT_INBOX_LEASE: InboxLease = { seconds: INBOX_LEASE_SECONDS, nowMs: Date.now };

export function durableInbox(db: Db, clock: Clock, gate: WorkGate, kept: KeptCommands, lease: InboxLease = DEFAULT_INBOX_LEASE): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    if (!needsInbox(body)) {
      await gate.track(next());
      return;
    }
    const inbox = context as InboxContext;
    // Stored already by the HTTP route, or a replay of a stored row.
    if (inbox.inboxId === undefined) {
      inbox.inboxReceivedAt = toStoredInstant(clock.now());
      inbox.inboxId = await addToInbox(db, inbox.inboxReceivedAt, JSON.stringify(body), Math.floor(lease.nowMs() / 1000) + lease.seconds);
    }
    const id = inbox.inboxId;
    try {
      await gate.track(next());
    } finally {
      // Work that ran through runOnce has dealt with the row already; this removes the rest
      // (read-only work, refusals, requests no listener took). A row left because the app is
      // stopping is made replayable at once, for the next sweep on any instance.
      if (inbox.inboxKept) kept.add(id);
      else if (inbox.inboxLeftForReplay) await releaseInboxItem(db, id);
      else if (!inbox.inboxSettled) await claimInboxItem(db, id);
    }
  };
}

export type OnceResult<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `work` (synchronous: it is one transaction) exactly once for the request in `context`: the
 * inbox row is claimed in the same transaction. `{ ran: false }` when another run already did it.
 * Without an inbox row (Socket Mode replays aside, every inboxed request has one) `work` just runs.
 */
export async function runOnce<T>(db: Db, context: InboxContext, clock: Clock, work: () => Promise<T>, options: { changesNothing?: boolean } = {}): Promise<OnceResult<T>> {
  const id = context.inboxId;
  if (id === undefined) return { ran: true, value: await work() };
  try {
    // Work that changes nothing needs no write lock (on PostgreSQL one lock serialises every writer
    // across instances): it runs in a read transaction, and then the claim decides whether this
    // run answers. A second run of the same row (a replay racing the first) finds it claimed. On
    // SQLite it runs inside the claim's transaction instead: one transaction rather than two.
    const result = options.changesNothing && readsApartFromWrites(db)
      ? await (async (): Promise<OnceResult<T>> => {
          const value = await inReadTransaction(db, work);
          return (await claimInboxItem(db, id)) ? { ran: true, value } : { ran: false };
        })()
      : await inTransaction(db, async (): Promise<OnceResult<T>> => (await claimInboxItem(db, id) ? { ran: true, value: await work() } : { ran: false }));
    context.inboxSettled = true;
    return result;
  } catch (error) {
    // Kept as failed, so it is not replayed forever; but a database that could not be reached is
    // not the request's fault: the row stays pending and the sweep runs it once the database is back.
    if (!isPassingStorageFailure(error)) await markInboxItemFailed(db, id, toStoredInstant(clock.now()));
    context.inboxSettled = true;
    throw error;
  }
}

/**
 * After a listener's work failed: true when it failed because the database could not be reached
 * and the request has an inbox row. The row is then left pending (not deleted as read-only work
 * would be), the sweep carries it out once the database is back, and the person is told it is kept.
 */
export function keptForReplay(context: InboxContext, error: unknown): boolean {
  if (context.inboxId === undefined || !isPassingStorageFailure(error)) return false;
  context.inboxSettled = true;
  context.inboxKept = true;
  return true;
}


/**
 * The clock a listener works on: for a replay, the moment the request first arrived ("update … due
 * next Friday" means the Friday after it was sent); otherwise the app's clock.
 */
export function workClock(context: InboxContext, clock: Clock): Clock {
  return context.inboxReplay && context.inboxReceivedAt ? fixedClock(context.inboxReceivedAt) : clock;
}

/**
 * The sweep: feeds every pending inbox row whose lease ran out back through Bolt, oldest first, each
 * acknowledged with a no-op (Slack was answered long ago). Each batch is taken with its lease
 * renewed (see takeExpiredInboxItems), so another instance's sweep skips it. Returns how many were
 * replayed.
 */
export async function replayInbox(app: App, db: Db, clock: Clock, logger: Logger, lease: InboxLease = DEFAULT_INBOX_LEASE): Promise<number> {
  let replayed = 0;
  const inboxIds: number[] = [];
  for (;;) {
    const nowSeconds = Math.floor(lease.nowMs() / 1000);
    const items = await takeExpiredInboxItems(db, nowSeconds, nowSeconds + lease.seconds);
    if (items.length === 0) break;
    for (const item of items) {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(item.body) as Record<string, unknown>;
      } catch {
        await markInboxItemFailed(db, item.id, toStoredInstant(clock.now()));
        continue;
      }
      const customProperties: InboxContext = { inboxId: item.id, inboxReceivedAt: item.receivedAt, inboxReplay: true };
      try {
        await app.processEvent({ body, ack: async () => {}, customProperties: { ...customProperties } });
      } catch (error) {
        logger.error({ err: error, inboxId: item.id }, 'replaying an acknowledged Slack request failed');
      }
      replayed += 1;
      inboxIds.push(item.id);
    }
  }
  if (replayed > 0) logger.info({ replayed, inboxIds }, 'replayed acknowledged Slack requests from the inbox (left by a stopping or stopped instance, or kept while the database did not answer)');
  return replayed;
}
