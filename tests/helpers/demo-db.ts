// The demo plan in a real SQLite file (real migrations, real importer), plus two ways to run the
// scheduler over simulated time: the real tick and delivery loop against that file, or the pure
// planner against an in-memory outbox (a Map keyed by key: insert-or-ignore) when weeks of
// five-minute ticks would make the real one slow.
import { DateTime } from 'luxon';
import { LONDON, type ManualClock, parseInstant, toStoredInstant } from '../../src/clock.js';
import { planNotifications, type PlannedNotification } from '../../src/domain/notification-planner.js';
import { officeMomentAtOrAfter } from '../../src/domain/notifications/calendar-memo.js';
import { staleReason } from '../../src/domain/notifications/staleness.js';
import type { PlanningState } from '../../src/domain/planning-state.js';
import { loadPlanFile } from '../../src/importers/load-plan-file.js';
import { deliverDue } from '../../src/jobs/deliver.js';
import type { DeliveryAdapter, DeliveryOutcome, OutgoingMessage } from '../../src/jobs/delivery-types.js';
import { runTick } from '../../src/jobs/tick.js';
import { demoPlanPath } from '../../src/paths.js';
import type { Db } from '../../src/store/database.js';
import { getActionView } from '../../src/store/actions-repository.js';
import { findPersonByEmail, getPerson } from '../../src/store/people-repository.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { recordUpdate } from '../../src/store/updates-repository.js';
import { templateCopy } from './test-db.js';

export const PEOPLE = {
  admin: 'alex.sample@example.org',
  admin2: 'jamie.example@example.org',
  morgan: 'morgan.demo@example.org',
  leah: 'leah.testbury@example.org',
  hannah: 'hannah.placeholder@example.org',
  priya: 'priya.testwell@example.org',
  dcs: 'elaine.demoster@example.org',
} as const;

/** A temp copy of the demo plan imported at `importedAt` (London); the import runs once per test file. */
export async function demoDb(importedAt = '2024-11-01T09:00'): Promise<{ db: Db; path: string }> {
  return templateCopy(
    `demo@${importedAt}`,
    async (db) => {
      const loaded = await loadPlanFile(demoPlanPath());
      await importPlanDocument(db, loaded.document, { now: parseInstant(importedAt), file: loaded.file, lineOf: loaded.lineOf, actorLabel: 'test' });
    },
    'sendbot-demo-',
  );
}

export async function personId(db: Db, email: string): Promise<number> {
  const p = await findPersonByEmail(db, email);
  if (!p) throw new Error(`no demo person ${email}`);
  return p.id;
}

/** An owner's report on some actions at `at` (London), as /send update would record it. */
export async function recordReports(db: Db, email: string, refs: string[], at: string): Promise<void> {
  const person = await personId(db, email);
  for (const ref of refs) {
    const row = await getActionView(db, ref);
    if (!row) throw new Error(`no action ${ref}`);
    await recordUpdate(db, { actionId: row.id, personId: person, at: toStoredInstant(parseInstant(at)), platform: 'console', kind: 'update', status: 'amber', rawText: `update ${ref} amber` });
  }
}

/** One delivered message, with London local send time for readable assertions. */
export interface Sent {
  key: string;
  kind: string;
  /** Email of the person, or the channel address. */
  to: string;
  /** London local time, "yyyy-MM-dd HH:mm". */
  at: string;
  refs: string[];
  onBehalfOfPersonId: number | null;
  summary: string;
}

export const londonMinute = (utcOrDateTime: string | DateTime): string =>
  (typeof utcOrDateTime === 'string' ? DateTime.fromISO(utcOrDateTime, { zone: 'utc' }) : utcOrDateTime).setZone(LONDON).toFormat('yyyy-MM-dd HH:mm');

export interface RecordingAdapter extends DeliveryAdapter {
  sent: Sent[];
  /** Answers for the next attempts, in order; then ok. */
  script: DeliveryOutcome[];
}

/** A delivery adapter that records what it sent and when (by the clock), answering from `script` first. */
export function recordingAdapter(clock: ManualClock, platform: DeliveryAdapter['platform'] = 'console'): RecordingAdapter {
  const adapter: RecordingAdapter = {
    platform,
    sent: [],
    script: [],
    canReach: async () => true,
    deliver: async (m: OutgoingMessage) => {
      const scripted = adapter.script.shift();
      if (scripted && !scripted.ok) return scripted;
      adapter.sent.push({
        key: m.key,
        kind: m.payload.kind,
        to: m.recipient.person?.email ?? m.recipient.channel ?? '?',
        at: londonMinute(clock.now()),
        refs: m.payload.refs,
        onBehalfOfPersonId: m.payload.onBehalfOfPersonId ?? null,
        summary: m.payload.reply.summary,
      });
      return { ok: true, platformMessageId: `rec-${m.outboxId}` };
    },
  };
  return adapter;
}

export interface ScheduleRun {
  db: Db;
  clock: ManualClock;
  /** London local date-time; the last tick is the one before it. */
  until: string;
  adapters: DeliveryAdapter[];
  stepMinutes?: number;
  /** Runs before the tick at each step (change data at a given moment). */
  beforeTick?: (now: DateTime) => void;
}

/** The real scheduler cycle (tick, then deliver) every `stepMinutes` on the manual clock. */
export async function runSchedule(run: ScheduleRun): Promise<void> {
  const end = parseInstant(run.until);
  while (run.clock.now() < end) {
    run.beforeTick?.(run.clock.now());
    await runTick({ db: run.db, clock: run.clock });
    await deliverDue({ db: run.db, clock: run.clock, adapters: run.adapters, random: () => 0 });
    run.clock.advance({ minutes: run.stepMinutes ?? 5 });
  }
}

interface SimRow {
  planned: PlannedNotification;
  status: 'pending' | 'sent' | 'skipped';
  sentAt?: string;
}

export interface PlannerSimulation {
  from: string;
  until: string;
  stepMinutes?: number;
  /** The state to plan from; called again after `beforeTick` returns true (the data changed). */
  loadState: () => Promise<PlanningState>;
  /** Runs before each tick with now (UTC ISO); return true when it changed the data. */
  beforeTick?: (nowUtc: string) => boolean | void | Promise<boolean | void>;
  /** Looks up recipient emails for the Sent records. */
  emailOf: (personId: number) => Promise<string>;
  /** True while the service is down (UTC ISO now): no tick runs and nothing is delivered. */
  isDown?: (nowUtc: string) => boolean;
}

/**
 * The tick and delivery loop in memory: the pure planner every `stepMinutes`, insert-or-ignore into
 * a Map by key, stale rows skipped, and due rows "delivered" only inside office hours. Returns what
 * was delivered and the final outbox.
 */
export async function simulatePlanner(sim: PlannerSimulation): Promise<{ sent: Sent[]; outbox: Map<string, SimRow> }> {
  const outbox = new Map<string, SimRow>();
  const sent: Sent[] = [];
  let state = await sim.loadState();
  // Plain milliseconds: luxon per step would dominate the run time.
  const step = (sim.stepMinutes ?? 5) * 60_000;
  const end = parseInstant(sim.until).toMillis();
  for (let ms = parseInstant(sim.from).toMillis(); ms < end; ms += step) {
    const now = new Date(ms).toISOString();
    if (sim.isDown?.(now)) continue;
    if (await sim.beforeTick?.(now)) state = await sim.loadState();
    const starts = new Map(state.boards.flatMap((b) => b.meetings.map((m) => [m.id, m.startsAt] as const)));
    for (const row of outbox.values()) {
      if (row.status === 'pending' && staleReason({ meetingId: row.planned.meetingId, expiresAt: row.planned.expiresAt }, starts, now)) row.status = 'skipped';
    }
    const planned = planNotifications(state, now, {
      queued: {
        get: (key: string) => {
          const row = outbox.get(key);
          return row && { status: row.status, notBefore: row.planned.notBefore, sentAt: row.sentAt ?? null, refs: row.planned.refs };
        },
      },
    });
    for (const p of planned) {
      const row = outbox.get(p.key);
      if (!row) outbox.set(p.key, { planned: p, status: 'pending' });
      else if (row.status === 'pending' && p.notBefore < row.planned.notBefore) row.planned = p;
    }
    if (officeMomentAtOrAfter(now, state.officeHours) === now) {
      for (const row of outbox.values()) {
        if (row.status !== 'pending' || row.planned.notBefore > now) continue;
        row.status = 'sent';
        row.sentAt = now;
        const p = row.planned;
        sent.push({
          key: p.key,
          kind: p.kind,
          to: p.recipientChannel ?? (await sim.emailOf(p.recipientPersonId as number)),
          at: londonMinute(now),
          refs: p.refs,
          onBehalfOfPersonId: p.payload.onBehalfOfPersonId ?? null,
          summary: p.payload.reply.summary,
        });
      }
    }
  }
  return { sent, outbox };
}

/** Email lookup for simulations. */
export function emailLookup(db: Db): (id: number) => Promise<string> {
  return async (id) => (await getPerson(db, id))?.email ?? `person-${id}`;
}

/** Messages grouped by the London day they went out: { '2024-11-20': ['nudge:…', …] }. */
export function byDay(sent: readonly Sent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of sent) (out[s.at.slice(0, 10)] ??= []).push(s.key);
  return out;
}
