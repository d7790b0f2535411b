// The delivery loop: claims due outbox rows (inside office hours only), sends each through the
// recipient's platform in its own try/catch, and records the outcome. A row is marked sent only after
// the adapter said the platform accepted it; failures back off (honouring Retry-After) and, when they
// are permanent or keep failing, the row goes dead and every admin is told once.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import { toStoredInstant } from '../clock.js';
import { deadLetterReply } from '../domain/notifications/messages.js';
import { isWithinOfficeHours } from '../domain/working-calendar.js';
import { type Db, inTransaction } from '../store/database.js';
import { type ClaimedRow, claimDue, enqueueNotification, markDead, markRetry, markSent, renewLease } from '../store/outbox-repository.js';
import { getPartnership } from '../store/partnership-repository.js';
import { getPerson, listAdmins } from '../store/people-repository.js';
import type { DeliveryAdapter, DeliveryOutcome, Recipient } from './delivery-types.js';
import { plural } from '../render/format.js';

export interface DeliverOptions {
  db: Db;
  clock: Clock;
  adapters: DeliveryAdapter[];
  /**
   * Attempts before a row goes dead (the first send counts). The default, 12, spans at least about
   * 2.5 hours of transient failures with the backoff below (at most about 5 hours): a platform
   * outage of an hour or two delays messages but does not lose them.
   */
  maxAttempts?: number;
  /** Names this worker in claims; two workers never hold the same row. */
  workerId?: string;
  /** Rows claimed per batch: small, so a slow platform cannot outlast the lease on the last rows. */
  batchSize?: number;
  /**
   * How long a claimed row stays this worker's before another may take it over (default 1 min). The
   * lease is renewed while the batch is being sent (every third of it), so a slow platform does not
   * lose it, and a killed worker's rows are taken over within a minute.
   */
  leaseMs?: number;
  /** Upper bound on rows handled per call, so one call cannot run forever. */
  maxRows?: number;
  /** Source of jitter in [0, 1); injectable so tests are exact. */
  random?: () => number;
}

export interface DeliveryResult {
  id: number;
  key: string;
  outcome: 'sent' | 'retry' | 'dead';
  platform: string | null;
  error?: string;
  /** When a retried row is due again (UTC ISO). */
  retryAt?: string;
}

export interface DeliveryReport {
  /** False when now is outside office hours, so nothing was claimed. */
  officeOpen: boolean;
  results: DeliveryResult[];
  /** Admin notices enqueued for rows that went dead. */
  deadLetters: number;
}

export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 60 * 60_000;
/**
 * With 8 (the old default) the eighth attempt could fall 32 minutes after the first, so an hour-long
 * Slack outage turned some nudges dead; 12 attempts cannot be used up in less than about 2.5 hours.
 */
export const DEFAULT_MAX_ATTEMPTS = 12;

/**
 * Exponential backoff with "equal jitter" (half fixed, half random) so many failed rows do not retry
 * in lockstep; a platform's Retry-After is a floor, honoured exactly.
 */
export function retryDelayMs(previousAttempts: number, retryAfterMs: number | undefined, random: () => number): number {
  const backoff = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** previousAttempts);
  const jittered = Math.round(backoff / 2 + (random() * backoff) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

const PLATFORM_ORDER: DeliveryAdapter['platform'][] = ['slack', 'teams', 'console'];

/** The adapter for a recipient: a channel's own platform; for a person the platform they last used, else the first that can reach them. */
export async function pickAdapter(adapters: readonly DeliveryAdapter[], recipient: Recipient): Promise<DeliveryAdapter | undefined> {
  const ordered = PLATFORM_ORDER.flatMap((p) => adapters.filter((a) => a.platform === p));
  const preferred = recipient.channel ? recipient.channel.split(':')[0] : recipient.person?.lastPlatform;
  for (const adapter of ordered) if (adapter.platform === preferred && (await adapter.canReach(recipient))) return adapter;
  for (const adapter of ordered) if (await adapter.canReach(recipient)) return adapter;
  return undefined;
}

export async function deliverDue(options: DeliverOptions): Promise<DeliveryReport> {
  const { db, clock } = options;
  const hours = (await getPartnership(db)).officeHours;
  const report: DeliveryReport = { officeOpen: true, results: [], deadLetters: 0 };
  const maxRows = options.maxRows ?? 1000;
  // Nothing goes out in the evening, at weekends or on bank holidays: due rows wait for the office.
  if (!isWithinOfficeHours(clock.now(), hours)) return { ...report, officeOpen: false };
  while (report.results.length < maxRows) {
    const now = clock.now();
    if (!isWithinOfficeHours(now, hours)) break; // the office closed during a long run
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const claimed = await claimDue(db, {
      now: toStoredInstant(now),
      limit: Math.min(options.batchSize ?? 10, maxRows - report.results.length),
      leaseUntil: toStoredInstant(now.plus({ milliseconds: leaseMs })),
      workerId: options.workerId ?? DEFAULT_WORKER_ID,
    });
    if (claimed.length === 0) break;
    const lease = keepLease(db, clock, claimed, leaseMs);
    try {
      for (const row of claimed) {
        // Taken over by another worker (this one stalled past its lease): theirs to send now.
        if (!lease.holds(row)) continue;
        report.results.push(await deliverRow(options, row, report));
        lease.done(row);
      }
    } finally {
      lease.stop();
    }
  }
  return report;
}

export const DEFAULT_LEASE_MS = 60_000;

/**
 * Who this process is, for leases and logs: host name, pid and a random suffix. The pid alone is 1
 * in every container, and a host name alone is shared by a restarted process.
 */
export const DEFAULT_WORKER_ID = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;

/**
 * Renews the lease on a batch's unsent rows every third of the lease while it is being sent. The
 * rows' `leaseUntil` is updated in place, as completions are conditional on it.
 */
function keepLease(db: Db, clock: Clock, rows: ClaimedRow[], leaseMs: number) {
  const pending = new Set(rows);
  const lost = new Set<number>();
  const renew = async (): Promise<void> => {
    const held = [...pending].filter((r) => !lost.has(r.id));
    if (held.length === 0) return;
    const until = toStoredInstant(clock.now().plus({ milliseconds: leaseMs }));
    try {
      const renewed = await renewLease(db, held, until);
      for (const row of held) {
        if (renewed.has(row.id)) row.leaseUntil = until;
        else lost.add(row.id);
      }
    } catch {
      // The database is busy or failing: the lease runs out and another worker takes the rows over.
    }
  };
  const timer = setInterval(renew, Math.max(1_000, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    holds: (row: ClaimedRow) => !lost.has(row.id),
    done: (row: ClaimedRow) => pending.delete(row),
    stop: () => clearInterval(timer),
  };
}

async function deliverRow(options: DeliverOptions, row: ClaimedRow, report: DeliveryReport): Promise<DeliveryResult> {
  const { db, clock } = options;
  const done = (outcome: DeliveryResult['outcome'], platform: string | null, extra: Partial<DeliveryResult> = {}): DeliveryResult => ({
    id: row.id,
    key: row.key,
    outcome,
    platform,
    ...extra,
  });
  let platform: string | null = null;
  let outcome: DeliveryOutcome;
  try {
    const recipient = await recipientOf(db, row);
    const adapter = recipient ? await pickAdapter(options.adapters, recipient) : undefined;
    if (!recipient) outcome = { ok: false, permanent: true, error: 'the recipient no longer exists' };
    else if (!adapter) outcome = { ok: false, permanent: true, error: `no configured platform can reach ${describeRecipient(recipient)}` };
    else {
      platform = adapter.platform;
      outcome = await adapter.deliver({ outboxId: row.id, key: row.key, recipient, payload: row.payload, attempt: row.attempts + 1 });
    }
  } catch (error) {
    // A throwing adapter (network error, bug) is treated as a transient failure: the row is retried.
    outcome = { ok: false, permanent: false, error: error instanceof Error ? error.message : String(error) };
  }
  const now = clock.now();
  if (outcome.ok) {
    await markSent(db, row.id, { at: toStoredInstant(now), platform: platform as string, platformMessageId: outcome.platformMessageId });
    return done('sent', platform);
  }
  const attempts = row.attempts + 1;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (outcome.permanent || attempts >= maxAttempts) {
    const error = outcome.permanent ? outcome.error : `${outcome.error} (gave up after ${plural(attempts, 'attempt')})`;
    await inTransaction(db, async () => {
      if (await markDead(db, row, { error, platform })) report.deadLetters += await notifyAdmins(db, row, attempts, error, now);
    });
    return done('dead', platform, { error });
  }
  const delay = retryDelayMs(row.attempts, outcome.retryAfterMs, options.random ?? Math.random);
  const retryAt = toStoredInstant(now.plus({ milliseconds: delay }));
  await markRetry(db, row, { notBefore: retryAt, error: outcome.error, platform });
  return done('retry', platform, { error: outcome.error, retryAt });
}

async function recipientOf(db: Db, row: ClaimedRow): Promise<Recipient | undefined> {
  if (row.recipientChannel) return { channel: row.recipientChannel };
  if (row.recipientPersonId === null) return undefined;
  const p = await getPerson(db, row.recipientPersonId);
  if (!p) return undefined;
  return { person: { id: p.id, name: p.name, email: p.email, slackUserId: p.slackUserId, teamsUserId: p.teamsUserId, lastPlatform: p.lastPlatform } };
}

function describeRecipient(r: Recipient): string {
  return r.person ? `${r.person.name} <${r.person.email}>` : (r.channel ?? 'nobody');
}

/** One notice per admin per dead row; never about a notice itself, so a broken admin channel cannot loop. */
async function notifyAdmins(db: Db, row: ClaimedRow, attempts: number, error: string, now: DateTime): Promise<number> {
  if (row.kind === 'dead_letter') return 0;
  const recipient = await recipientOf(db, row);
  const reply = deadLetterReply({ key: row.key, kind: row.kind, recipient: recipient ? describeRecipient(recipient) : 'a removed recipient', attempts, error });
  const at = toStoredInstant(now);
  let added = 0;
  for (const admin of await listAdmins(db)) {
    const inserted = await enqueueNotification(db, {
      key: `dead:${row.id}:${admin.id}`,
      kind: 'dead_letter',
      recipientPersonId: admin.id,
      recipientChannel: null,
      payload: { kind: 'dead_letter', reply, refs: [], boardId: row.payload.boardId ?? null, meetingId: null, onBehalfOfPersonId: null, expiresAt: null },
      notBefore: at,
      createdAt: at,
    });
    if (inserted) added += 1;
  }
  return added;
}
