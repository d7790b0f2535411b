// Fault: the Slack Web API answers HTTP 500 to everything for a simulated hour, then recovers.
//
// In-process with a manual clock: the real tick (runTick) and delivery loop (deliverDue) every five
// minutes, as the scheduler runs them, through the real Slack delivery adapter and WebClient to the
// fake Slack Web API over loopback. The service starts on Mon 25 Nov 2024 at 08:00 on the demo plan
// with an empty outbox, so every owner's 20 Nov window nudge is waiting (one message each: a nudge
// sent that late stands in for the 25 Nov reminder). Twelve owners are away and have named one of six
// colleagues as their delegate, so each delegate has two nudges waiting, in a known order: enough to
// see whether order per person survives retries. Slack is down 09:00–10:00 (the office opens at
// 09:00), and the run goes on until 13:00.
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, manualClock } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { deliverDue } from '../../src/jobs/deliver.js';
import { runTick } from '../../src/jobs/tick.js';
import { slackClientOptions } from '../../src/platforms/slack/slack-client-options.js';
import { createSlackDelivery } from '../../src/platforms/slack/slack-delivery.js';
import { closeDatabase, type Db } from '../../src/store/database.js';
import { listOutbox, type OutboxListRow } from '../../src/store/outbox-repository.js';
import { findPersonByEmail, type Person } from '../../src/store/people-repository.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type RecordedCall, type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { integrityCheck, removeDatabaseCopy, report } from './support/sqlite.js';

const TOKEN = 'xoxb-outage';

/** Delegate → owners away until after the 4 Dec meeting who named them. */
const DELEGATIONS: [string, string[]][] = [
  ['chris.mockett@example.org', ['morgan.demo@example.org', 'leah.testbury@example.org']],
  ['sam.specimen@example.org', ['hannah.placeholder@example.org', 'nadia.sampleton@example.org']],
  ['taylor.exemplar@example.org', ['ivy.demoford@example.org', 'priya.testwell@example.org']],
  ['riley.fictum@example.org', ['lucy.placeford@example.org', 'ben.examplesby@example.org']],
  ['dana.samplewood@example.org', ['zara.sampleford@example.org', 'yusuf.mockley@example.org']],
  ['owen.mockridge@example.org', ['fiona.testcombe@example.org', 'gareth.sampleby@example.org']],
];

/** A small deterministic PRNG (mulberry32) for the delivery jitter, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Delivered {
  key: string;
  part: number;
  parts: number;
  channel: string;
}

const delivered = (calls: readonly RecordedCall[]): Delivered[] =>
  calls
    .filter((c) => c.method === 'chat.postMessage' && c.response.status === 200 && (c.response.body as { ok?: boolean }).ok === true)
    .map((c) => {
      const payload = (c.body.metadata as { event_payload?: { key: string; part: number; parts: number } } | undefined)?.event_payload;
      return { key: payload?.key ?? '?', part: payload?.part ?? 0, parts: payload?.parts ?? 0, channel: String(c.body.channel) };
    });

// Three jitter seeds (RELIABILITY_SEED adds another). Before the fixes in src (12 attempts instead of
// 8; claims keep each recipient's queue order), seeds 1 and 3 each lost a nudge to 'dead' during the
// hour, and seed 20241125 delivered several reminders before the window nudges they follow.
const SEEDS = [20241125, 1, 3, ...(process.env.RELIABILITY_SEED ? [Number(process.env.RELIABILITY_SEED)] : [])];

describe('fault: the Slack Web API answers 500 for an hour, then recovers', () => {
  let api: SlackApiServer;
  let db: Db;
  let dbPath: string;

  beforeAll(async () => {
    api = await startSlackApiServer({ token: TOKEN });
  });
  afterEach(async () => {
    await closeDatabase(db);
    removeDatabaseCopy(dbPath);
  });
  afterAll(async () => {
    await api.close();
  });

  it.each(SEEDS)('delivers every pending message exactly once after the outage, in order per person (jitter seed %i)', async (seed) => {
    api.reset();
    ({ db, path: dbPath } = await demoPlanDb());
    for (const [delegate, owners] of DELEGATIONS) {
      for (const owner of owners) {
        const away = await runCommandText({ db, clock: fixedClock('2024-11-22T10:00') }, (await findPersonByEmail(db, owner)) as Person, 'console', `away 6 December 2024 delegate ${delegate}`);
        expect(away.tone).toBe('success');
      }
    }
    const clock = manualClock('2024-11-25T08:00');
    const client = new WebClient(TOKEN, slackClientOptions({ apiUrl: api.apiUrl }));
    const adapters = [createSlackDelivery({ client })];
    const random = seeded(seed);
    // Each row as the planner first queued it (retries move not_before; the order per person must not move).
    const firstSeen = new Map<string, OutboxListRow>();
    const cycle = async () => {
      await runTick({ db, clock });
      for (const r of await listOutbox(db)) if (!firstSeen.has(r.key)) firstSeen.set(r.key, r);
      return deliverDue({ db, clock, adapters, random, workerId: 'outage-test' });
    };

    // 08:00: the backlog is enqueued; nothing is sent before the office opens.
    await cycle();
    expect(firstSeen.size).toBeGreaterThan(10);
    expect(api.callsTo('chat.postMessage')).toHaveLength(0);

    // 09:00–10:00: every Web API call answers HTTP 500.
    clock.set('2024-11-25T09:00');
    api.respond('chat.postMessage', () => ({ status: 500 }));
    let outageAttempts = 0;
    while (clock.now() < manualClock('2024-11-25T10:00').now()) {
      const r = await cycle();
      outageAttempts += r.results.length;
      expect(r.results.filter((x) => x.outcome === 'sent')).toEqual([]);
      clock.advance({ minutes: 5 });
    }
    const outageCalls = [...api.calls];
    const initial = [...firstSeen.values()];
    // 13 window nudges and the week's digest (channel and two subscribers).
    expect(initial.length).toBeGreaterThanOrEqual(16);
    const duringOutage = await listOutbox(db);
    const deadDuringOutage = duringOutage.filter((r) => r.status === 'dead').map((r) => `${r.key} (${r.attempts} attempts: ${r.lastError})`);

    // 10:00: Slack is back. Keep ticking every five minutes until 13:00.
    api.reset();
    while (clock.now() < manualClock('2024-11-25T13:00').now()) {
      await cycle();
      clock.advance({ minutes: 5 });
    }
    const after = await listOutbox(db);
    const sends = delivered(api.calls);

    const byStatus: Record<string, number> = {};
    for (const r of after) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const maxAttempts = Math.max(...after.map((r) => r.attempts));
    const lastSent = after.map((r) => r.sentAt ?? '').sort().at(-1);
    report(`slack 500 for an hour (seed ${seed})`, {
      rowsEnqueued: initial.length,
      failedCallsDuringOutage: outageCalls.length,
      deliveryAttemptsDuringOutage: outageAttempts,
      deadDuringOutage: deadDuringOutage.length,
      statusesAfterRecovery: byStatus,
      successfulPosts: sends.length,
      maxAttemptsOnARow: maxAttempts,
      lastSentAtUtc: lastSent,
    });

    // Nothing gave up during the outage: no row went dead, so no admin notices either.
    expect(deadDuringOutage).toEqual([]);
    expect(after.filter((r) => r.kind === 'dead_letter')).toEqual([]);
    // Every message that was waiting is now sent…
    expect(after.filter((r) => r.status !== 'sent').map((r) => `${r.key}: ${r.status} ${r.lastError ?? ''}`)).toEqual([]);
    // …exactly once: one accepted chat.postMessage per (outbox key, part), and none for other keys.
    const perPart = new Map<string, number>();
    for (const s of sends) perPart.set(`${s.key}#${s.part}`, (perPart.get(`${s.key}#${s.part}`) ?? 0) + 1);
    expect([...perPart].filter(([, n]) => n !== 1)).toEqual([]);
    const expectedParts = new Set(sends.map((s) => `${s.key}#${s.parts}`));
    expect(new Set(sends.map((s) => s.key))).toEqual(new Set(initial.map((r) => r.key)));
    for (const kp of expectedParts) {
      const [key, parts] = kp.split('#') as [string, string];
      expect(sends.filter((s) => s.key === key).map((s) => s.part)).toEqual(Array.from({ length: Number(parts) }, (_, i) => i + 1));
    }
    // In order per person (and per channel): the order the planner queued them in (not_before, then id).
    const queuedOrder = new Map<string, string[]>();
    for (const r of [...initial].sort((a, b) => a.notBefore.localeCompare(b.notBefore) || a.id - b.id)) {
      const who = r.recipientChannel ?? `person:${r.recipientPersonId}`;
      queuedOrder.set(who, [...(queuedOrder.get(who) ?? []), r.key]);
    }
    const recipientOf = new Map(initial.map((r) => [r.key, r.recipientChannel ?? `person:${r.recipientPersonId}`]));
    const sentOrder = new Map<string, string[]>();
    for (const s of sends) {
      if (s.part !== 1) continue;
      const who = recipientOf.get(s.key) as string;
      sentOrder.set(who, [...(sentOrder.get(who) ?? []), s.key]);
    }
    const multi = [...queuedOrder].filter(([, keys]) => keys.length > 1);
    expect(multi.length).toBeGreaterThanOrEqual(DELEGATIONS.length);
    expect(Object.fromEntries(sentOrder)).toEqual(Object.fromEntries(queuedOrder));

    expect(integrityCheck(dbPath)).toBe('ok');
  });
});
