import { beforeAll, describe, expect, it } from 'vitest';
import { manualClock, parseInstant, toStoredInstant } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { planNotifications, planningNeeds } from '../../src/domain/notification-planner.js';
import { currentOccasion, occasionDay } from '../../src/domain/notifications/overdue-occasions.js';
import { addressPerson } from '../../src/domain/notifications/recipients.js';
import type { PersonState, PlanningState } from '../../src/domain/planning-state.js';
import { runTick } from '../../src/jobs/tick.js';
import { addMeeting, findBoard } from '../../src/store/boards-repository.js';
import type { Db } from '../../src/store/database.js';
import { listOutbox } from '../../src/store/outbox-repository.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { loadPlanningState } from '../../src/store/planning-state-repository.js';
import {
  byDay,
  demoDb,
  emailLookup,
  PEOPLE,
  personId,
  recordingAdapter,
  recordReports,
  runSchedule,
  type Sent,
  simulatePlanner,
} from '../helpers/demo-db.js';
import { one, sql } from '../helpers/test-db.js';

const SPB = 'SEND Partnership Board';
const HWB = 'Health and Wellbeing Board';

async function meetingId(db: Db, board: string, startsAtUtc: string): Promise<number> {
  const b = await findBoard(db, board);
  const row = await one(db, sql`select id from meetings where board_id = ${b?.id} and starts_at = ${startsAtUtc}`) as { id: number } | undefined;
  if (!row) throw new Error(`no meeting of ${board} at ${startsAtUtc}`);
  return row.id;
}

/** Refs of the open actions a role owns on a board, in plan order: what a window nudge must list. */
function openRefs(state: PlanningState, boardName: string, email: string): string[] {
  const board = state.boards.find((b) => b.name === boardName);
  const person = state.people.find((p) => p.email === email);
  return state.actions
    .filter((a) => a.boardId === board?.id && a.status !== 'blue' && a.ownerRoleId !== null && (state.holders.get(a.ownerRoleId) ?? []).includes(person?.id ?? -1))
    .map((a) => a.ref);
}

const weekday = (londonMinute: string) => new Date(`${londonMinute.slice(0, 10)}T12:00:00Z`).getUTCDay();

function expectOfficeMornings(sent: readonly Sent[]) {
  for (const s of sent) {
    expect(s.at.slice(11), `${s.key} at ${s.at}`).toBe('09:00');
    expect([0, 6], `${s.key} on a weekend`).not.toContain(weekday(s.at));
  }
  expect(new Set(sent.map((s) => s.key)).size, 'a key was delivered twice').toBe(sent.length);
}

describe('a whole SEND Partnership Board cycle of the demo plan (meeting Wed 4 Dec 2024, 14:00)', () => {
  let db: Db;
  let sent: Sent[];
  let state: PlanningState;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    ({ db } = await demoDb('2024-11-01T09:00'));
    for (const [name, email] of Object.entries({ ...PEOPLE, rahul: 'rahul.fakeley@example.org', pat: 'pat.example-jones@example.org', mia: 'mia.dummett@example.org', nadia: 'nadia.sampleton@example.org' })) {
      ids[name] = await personId(db, email);
    }
    ids.spb = await meetingId(db, SPB, '2024-12-04T14:00:00.000Z');
    ids.hwb = await meetingId(db, HWB, '2024-12-11T10:00:00.000Z');
    state = await loadPlanningState(db);
    let leahReported = false;
    // Ticks every 5 minutes, Fri 15 Nov to Thu 5 Dec. Leah reports on all her actions on Fri 22 Nov.
    ({ sent } = await simulatePlanner({
      from: '2024-11-15T00:00',
      until: '2024-12-05T00:00',
      loadState: async () => await loadPlanningState(db),
      emailOf: emailLookup(db),
      beforeTick: async (now) => {
        if (leahReported || now < '2024-11-22T10:00:00.000Z') return false;
        await recordReports(db, PEOPLE.leah, ['ND-4.1', 'ND-4.2', 'ND-4.3', 'ND-4.4'], '2024-11-22T10:00');
        leahReported = true;
        return true;
      },
    }));
  });

  it('gives every owner ONE window nudge on Wed 20 Nov at 09:00, listing all of their in-scope actions', () => {
    const window = sent.filter((s) => s.key.startsWith(`nudge:${ids.spb}:`) && s.key.endsWith(':window'));
    expect(window).toHaveLength(13);
    expect(new Set(window.map((s) => s.to)).size).toBe(13);
    expect(new Set(window.map((s) => s.at))).toEqual(new Set(['2024-11-20 09:00']));
    const morgan = window.filter((s) => s.to === PEOPLE.morgan);
    expect(morgan).toHaveLength(1);
    expect(morgan[0]?.key).toBe(`nudge:${ids.spb}:${ids.morgan}:window`);
    expect(morgan[0]?.refs).toEqual(openRefs(state, SPB, PEOPLE.morgan));
    expect(morgan[0]?.refs).toHaveLength(23);
    expect(morgan[0]?.summary).toBe('SEND Partnership Board on Wed 4 Dec: 23 of your actions need an update by Wed 27 Nov');
    // Marcus Dummyfield's only action is complete: nothing to ask him.
    expect(window.map((s) => s.to)).not.toContain('marcus.dummyfield@example.org');
  });

  it('reminds on Mon 25 Nov only the owners still missing an update (Leah, who reported on Fri 22 Nov, only for her KPI)', () => {
    const window = sent.filter((s) => s.key.startsWith(`nudge:${ids.spb}:`) && s.key.endsWith(':window'));
    const reminders = sent.filter((s) => s.key.startsWith(`nudge:${ids.spb}:`) && s.key.endsWith(':reminder'));
    expect(new Set(reminders.map((s) => s.at))).toEqual(new Set(['2024-11-25 09:00']));
    expect(reminders.map((s) => s.to).sort()).toEqual(window.map((s) => s.to).sort());
    expect(reminders.every((s) => s.kind === 'reminder')).toBe(true);
    // Her actions are reported; the ND waiting list (her KPI) still has no reading for September.
    const leah = reminders.find((s) => s.to === PEOPLE.leah);
    expect(leah?.refs).toEqual([]);
    expect(leah?.summary).toBe('Reminder: SEND Partnership Board on Wed 4 Dec: 1 KPI reading is missing still, needed by Wed 27 Nov');
  });

  it('sends the chair’s digest at the papers deadline (Wed 27 Nov) to the DCS and the board channel', () => {
    const digests = sent.filter((s) => s.key.startsWith(`digest:${ids.spb}:`));
    expect(digests.map((s) => [s.key, s.kind, s.to, s.at])).toEqual([
      [`digest:${ids.spb}:chair:${ids.dcs}`, 'chair_digest', PEOPLE.dcs, '2024-11-27 09:00'],
      [`digest:${ids.spb}:channel`, 'channel_digest', 'slack:C0SENDPB', '2024-11-27 09:00'],
    ]);
  });

  it('sends exactly the expected messages on the expected days, each once, on weekday mornings', () => {
    const spbOwners = sent.filter((s) => s.key.startsWith(`nudge:${ids.spb}:`) && s.key.endsWith(':window')).map((s) => s.key);
    const weekly = (w: string) => [`weekly:${w}:channel`, `weekly:${w}:${ids.admin}`, `weekly:${w}:${ids.admin2}`];
    expect(byDay(sent)).toEqual({
      // The first tick catches up on the week's digest and Friday's chaser.
      '2024-11-15': [...weekly('2024-W46'), `overdue:${ids.nadia}:2024-11-15`],
      '2024-11-18': weekly('2024-W47'),
      // Overdue since 30 Sep (chased on Tuesdays): ND-4.1, TR-4.2/4.3/4.5, HCP-1.1.
      '2024-11-19': [`overdue:${ids.leah}:2024-11-19`, `overdue:${ids.priya}:2024-11-19`, `overdue:${ids.rahul}:2024-11-19`],
      '2024-11-20': spbOwners,
      '2024-11-22': [`overdue:${ids.nadia}:2024-11-22`],
      // Everyone nudged is reminded: Leah for her KPI reading only (her actions were reported on 22 Nov).
      '2024-11-25': [...spbOwners.map((k) => k.replace(':window', ':reminder')), ...weekly('2024-W48')],
      // Leah reported on 22 Nov, so ND-4.1 is not chased on 26 Nov (but is again on 3 Dec).
      '2024-11-26': [`overdue:${ids.priya}:2024-11-26`, `overdue:${ids.rahul}:2024-11-26`],
      '2024-11-27': [`nudge:${ids.hwb}:${ids.rahul}:window`, `digest:${ids.spb}:chair:${ids.dcs}`, `digest:${ids.spb}:channel`],
      '2024-11-29': [`overdue:${ids.nadia}:2024-11-29`],
      // WD-1.x were due Sat 30 Nov: first chased on the next working day.
      '2024-12-02': [`nudge:${ids.hwb}:${ids.rahul}:reminder`, `overdue:${ids.mia}:2024-12-02`, ...weekly('2024-W49')],
      '2024-12-03': [`overdue:${ids.leah}:2024-12-03`, `overdue:${ids.priya}:2024-12-03`, `overdue:${ids.rahul}:2024-12-03`],
      '2024-12-04': [`digest:${ids.hwb}:chair:${ids.pat}`],
    });
    expectOfficeMornings(sent);
  });
});

describe('bank holidays', () => {
  it('skips 25–26 December and 1 January: a meeting on 13 Jan 2025 opens its window on Fri 27 Dec', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const hwb = await findBoard(db, HWB);
    const { meeting } = await addMeeting(db, { boardId: hwb?.id as number, startsAt: toStoredInstant(parseInstant('2025-01-13T10:00')) }, '2024-12-01T09:00:00.000Z');
    const rahul = await personId(db, 'rahul.fakeley@example.org');
    const pat = await personId(db, 'pat.example-jones@example.org');
    const { sent } = await simulatePlanner({ from: '2024-12-20T00:00', until: '2025-01-08T00:00', loadState: async () => await loadPlanningState(db), emailOf: emailLookup(db) });

    const forMeeting = sent.filter((s) => s.key.includes(`:${meeting.id}:`)).map((s) => [s.key, s.at]);
    expect(forMeeting).toEqual([
      // 10 working days back from Mon 13 Jan skips Christmas Day, Boxing Day and New Year's Day.
      [`nudge:${meeting.id}:${rahul}:window`, '2024-12-27 09:00'],
      [`nudge:${meeting.id}:${rahul}:reminder`, '2025-01-02 09:00'],
      [`digest:${meeting.id}:chair:${pat}`, '2025-01-06 09:00'],
    ]);
    const days = new Set(sent.map((s) => s.at.slice(0, 10)));
    for (const holiday of ['2024-12-25', '2024-12-26', '2025-01-01']) expect(days).not.toContain(holiday);
    // Actions due on New Year's Eve are first chased on Thu 2 Jan, the first working day after.
    const person1 = await personId(db, 'yusuf.mockley@example.org');
    expect(sent.find((s) => s.key === `overdue:${person1}:2025-01-02`)?.at).toBe('2025-01-02 09:00');
    expectOfficeMornings(sent);
  });

  it('skips Good Friday and Easter Monday 2025: Monday’s weekly digest and chasers go on Tuesday', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const { sent } = await simulatePlanner({ from: '2025-04-14T00:00', until: '2025-04-24T00:00', loadState: async () => await loadPlanningState(db), emailOf: emailLookup(db) });
    const days = new Set(sent.map((s) => s.at.slice(0, 10)));
    expect(days).not.toContain('2025-04-18');
    expect(days).not.toContain('2025-04-21');
    expect(sent.filter((s) => s.key.startsWith('weekly:2025-W17:')).map((s) => s.at)).toEqual(['2025-04-22 09:00', '2025-04-22 09:00', '2025-04-22 09:00']);
    // ND-3.5 (due Fri 28 Feb) is chased on Mondays; Easter Monday's occasion moves to Tuesday.
    const person2 = await personId(db, PEOPLE.morgan);
    const morganChaser = sent.find((s) => s.key === `overdue:${person2}:2025-04-22`);
    expect(morganChaser?.refs).toContain('ND-3.5');
    // TR-2.2 (chased on Fridays) moves from Good Friday to Tuesday too, into the same message as
    // Nadia's actions that are chased on Tuesdays: one message per person per day.
    const nadia = await personId(db, 'nadia.sampleton@example.org');
    expect(sent.find((s) => s.key === `overdue:${nadia}:2025-04-15`)?.refs).not.toContain('TR-2.2');
    expect(sent.find((s) => s.key === `overdue:${nadia}:2025-04-22`)?.refs).toEqual(['TR-2.2', 'TR-2.3', 'TR-2.4', 'TR-2.5', 'TR-2.6', 'TR-2.7', 'TR-2.8', 'TR-2.9', 'TR-2.10']);
    expect(sent.filter((s) => /:2025-04-(18|21)$/.test(s.key))).toEqual([]);
    expectOfficeMornings(sent);
  });
});

describe('clock changes (real tick and outbox, a tick every 5 minutes)', () => {
  it('spring forward (Sun 30 Mar 2025): each message once, at 09:00 BST on Monday', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const clock = manualClock('2025-03-28T08:00');
    const adapter = recordingAdapter(clock);
    await runSchedule({ db, clock, until: '2025-03-31T12:00', adapters: [adapter] });
    expectOfficeMornings(adapter.sent);
    const monday = adapter.sent.filter((s) => s.at.startsWith('2025-03-31'));
    expect(monday.map((s) => s.key)).toEqual(expect.arrayContaining(['weekly:2025-W14:channel', `overdue:${await personId(db, PEOPLE.morgan)}:2025-03-31`]));
    const sentAt = (await listOutbox(db, { status: 'sent' })).filter((r) => r.sentAt?.startsWith('2025-03-31')).map((r) => r.sentAt);
    expect(new Set(sentAt)).toEqual(new Set(['2025-03-31T08:00:00.000Z']));
  });

  it('fall back (Sun 26 Oct 2025): each message once, at 09:00 GMT on Monday', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const clock = manualClock('2025-10-24T08:00');
    const adapter = recordingAdapter(clock);
    await runSchedule({ db, clock, until: '2025-10-27T12:00', adapters: [adapter] });
    expectOfficeMornings(adapter.sent);
    const spb = await meetingId(db, SPB, toStoredInstant(parseInstant('2025-11-05T14:00')));
    // The 5 Nov meeting's reminders fall on Mon 27 Oct, the day after the clocks go back.
    const reminders = adapter.sent.filter((s) => s.key.startsWith(`nudge:${spb}:`) && s.key.endsWith(':reminder'));
    expect(reminders.length).toBeGreaterThan(5);
    expect(new Set(reminders.map((s) => s.at))).toEqual(new Set(['2025-10-27 09:00']));
    const sentAt = (await listOutbox(db, { status: 'sent' })).filter((r) => r.sentAt?.startsWith('2025-10-27')).map((r) => r.sentAt);
    expect(new Set(sentAt)).toEqual(new Set(['2025-10-27T09:00:00.000Z']));
  });
});

describe('missed ticks and restarts (real tick and outbox)', () => {
  it('after three days with no ticks, sends the still-relevant messages once (a late window nudge instead of nudge and reminder) and skips those whose meeting has passed', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const spb = await meetingId(db, SPB, '2024-12-04T14:00:00.000Z');
    const hwb = await meetingId(db, HWB, '2024-12-11T10:00:00.000Z');
    // Mon 2 Dec 09:00: the first tick enqueues everything still relevant, then the process dies before delivering.
    const clock = manualClock('2024-12-02T09:00');
    const first = await runTick({ db, clock });
    expect(first.enqueued.some((p) => p.key.startsWith(`nudge:${spb}:`))).toBe(true);
    // Nothing runs until Thu 5 Dec 09:00: the SEND Partnership Board met on Wed 4 Dec at 14:00.
    clock.set('2024-12-05T09:00');
    const adapter = recordingAdapter(clock);
    await runSchedule({ db, clock, until: '2024-12-05T12:00', adapters: [adapter] });

    const rows = await listOutbox(db);
    const spbRows = rows.filter((r) => r.key.startsWith(`nudge:${spb}:`) || r.key.startsWith(`digest:${spb}:`));
    // Monday's tick caught up on the 20 Nov window (13 owners) and the chair's digest (DCS and channel);
    // the 25 Nov reminders were never planned, since each owner's late window nudge was their message.
    expect(spbRows).toHaveLength(15);
    expect(spbRows.filter((r) => r.key.endsWith(':reminder'))).toEqual([]);
    for (const r of spbRows) expect([r.status, r.lastError]).toEqual(['skipped', 'meeting has passed']);
    const sentKeys = adapter.sent.map((s) => s.key);
    const rahul = await personId(db, 'rahul.fakeley@example.org');
    // The Health and Wellbeing Board's window (27 Nov) and reminder (2 Dec) both fell in the gap: one message.
    expect(sentKeys).not.toContain(`nudge:${hwb}:${rahul}:reminder`);
    expect(sentKeys).toEqual(
      expect.arrayContaining([
        `nudge:${hwb}:${rahul}:window`,
        `digest:${hwb}:chair:${await personId(db, 'pat.example-jones@example.org')}`,
        'weekly:2024-W49:channel',
      ]),
    );
    // Mia's WD-1.x (due Sat 30 Nov) were listed in Monday's catch-up window nudge, so Monday's chaser
    // for them was not planned beside it; that nudge went stale with its meeting, and they are chased
    // at their next occasion (Mon 9 Dec) instead.
    const person3 = await personId(db, 'mia.dummett@example.org');
    expect(sentKeys.some((k) => k.startsWith(`overdue:${person3}:`))).toBe(false);
    expect(sentKeys.some((k) => k.includes(`:${spb}:`))).toBe(false);
    expect(new Set(adapter.sent.map((s) => s.at))).toEqual(new Set(['2024-12-05 09:00']));
    expectOfficeMornings(adapter.sent);
    // Every row enqueued on Monday was either sent once or skipped; nothing is left waiting.
    expect((await listOutbox(db)).filter((r) => r.status === 'pending' || r.status === 'failed')).toEqual([]);
  });
});

describe('one message per owner per occasion', () => {
  // The SEND Partnership Board meets Wed 4 Dec 2024: window Wed 20 Nov (−10 working days), reminder
  // Mon 25 Nov (−7), papers Wed 27 Nov (−5). Down from Tue 19 Nov 17:00 (−11) to Tue 26 Nov 10:00 (−6).
  const DOWN_FROM = '2024-11-19T17:00:00.000Z';
  const BACK_AT = '2024-11-26T10:00:00.000Z';

  /** Messages per recipient on one London day. */
  const perPerson = (sent: readonly Sent[], day: string) => {
    const out = new Map<string, string[]>();
    for (const s of sent.filter((x) => x.at.startsWith(day))) out.set(s.to, [...(out.get(s.to) ?? []), s.key]);
    return out;
  };

  it('planner over the demo plan: after the restart each owner gets the window nudge alone, and no chaser beside it for the same actions', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const spb = await meetingId(db, SPB, '2024-12-04T14:00:00.000Z');
    const { sent } = await simulatePlanner({
      from: '2024-11-18T00:00',
      until: '2024-12-05T00:00',
      loadState: async () => await loadPlanningState(db),
      emailOf: emailLookup(db),
      isDown: (now) => now >= DOWN_FROM && now < BACK_AT,
    });
    const spbMessages = sent.filter((s) => s.key.startsWith(`nudge:${spb}:`));
    expect(spbMessages).toHaveLength(13);
    expect(spbMessages.every((s) => s.key.endsWith(':window') && s.at === '2024-11-26 10:00')).toBe(true);
    // On the day of the restart nobody gets two messages.
    for (const [to, keys] of perPerson(sent, '2024-11-26')) expect(keys, to).toHaveLength(1);
    // Priya's and Leah's Tuesday chasers (TR-4.2/4.3/4.5, ND-4.1) are in their window nudges that day …
    const priya = sent.find((s) => s.to === PEOPLE.priya && s.at.startsWith('2024-11-26'));
    expect(priya?.key).toBe(`nudge:${spb}:${await personId(db, PEOPLE.priya)}:window`);
    expect(priya?.refs).toEqual(expect.arrayContaining(['TR-4.2', 'TR-4.3', 'TR-4.5']));
    expect(sent.map((s) => s.key)).not.toContain(`overdue:${await personId(db, PEOPLE.priya)}:2024-11-26`);
    expect(sent.map((s) => s.key)).not.toContain(`overdue:${await personId(db, PEOPLE.leah)}:2024-11-26`);
    // … and are chased again at their next occasion, a week later.
    const person4 = await personId(db, PEOPLE.priya);
    expect(sent.find((s) => s.key === `overdue:${person4}:2024-12-03`)?.refs).toEqual(['TR-4.2', 'TR-4.3', 'TR-4.5']);
    expectOfficeMornings(sent.filter((s) => s.at !== '2024-11-26 10:00'));
  });

  it('real tick and outbox: the same restart sends one message per owner, and later ticks add no reminder', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const spb = await meetingId(db, SPB, '2024-12-04T14:00:00.000Z');
    const clock = manualClock('2024-11-18T08:00');
    const adapter = recordingAdapter(clock);
    await runSchedule({ db, clock, until: '2024-11-19T17:01', adapters: [adapter] });
    clock.set('2024-11-26T10:00');
    await runSchedule({ db, clock, until: '2024-11-27T12:00', adapters: [adapter] });

    const restart = perPerson(adapter.sent, '2024-11-26');
    expect(restart.size).toBeGreaterThan(13);
    for (const [to, keys] of restart) expect(keys, to).toHaveLength(1);
    const spbRows = await listOutbox(db, { keyPrefix: `nudge:${spb}:` });
    expect(spbRows).toHaveLength(13);
    expect(spbRows.every((r) => r.key.endsWith(':window') && r.status === 'sent' && r.sentAt === '2024-11-26T10:00:00.000Z')).toBe(true);
    expect((await listOutbox(db)).map((r) => r.key)).not.toContain(`overdue:${await personId(db, PEOPLE.priya)}:2024-11-26`);
    expect(adapter.sent.filter((s) => s.key.endsWith(':reminder'))).toEqual([]);
  });

  it('without downtime too: an owner whose chase day is a window day gets one message, not the nudge and a chaser', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const hwb = await findBoard(db, HWB);
    // Window Tue 10 Dec, the day HCP-1.1 (due 30 Sep, chased on Tuesdays) is chased.
    const { meeting } = await addMeeting(db, { boardId: hwb?.id as number, startsAt: toStoredInstant(parseInstant('2024-12-24T10:00')) }, '2024-12-01T09:00:00.000Z');
    const rahul = await personId(db, 'rahul.fakeley@example.org');
    const { sent } = await simulatePlanner({ from: '2024-12-09T00:00', until: '2024-12-12T00:00', loadState: async () => await loadPlanningState(db), emailOf: emailLookup(db) });
    const toRahul = sent.filter((s) => s.to === 'rahul.fakeley@example.org' && s.at.startsWith('2024-12-10'));
    expect(toRahul.map((s) => [s.key, s.refs])).toEqual([[`nudge:${meeting.id}:${rahul}:window`, ['HCP-1.1']]]);
  });
});

describe('people who are away', () => {
  it('sends an away person’s nudge to their delegate, holds it for someone with no delegate, and drops it past the meeting', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const spb = await meetingId(db, SPB, '2024-12-04T14:00:00.000Z');
    const say = async (email: string, text: string) =>
      await runCommandText({ db, clock: manualClock('2024-11-19T10:00') }, (await findPersonByEmail(db, email)) as NonNullable<Awaited<ReturnType<typeof findPersonByEmail>>>, 'console', text);
    expect((await say(PEOPLE.morgan, `/send away 2024-11-22 delegate ${PEOPLE.admin2}`)).tone).toBe('success');
    expect((await say(PEOPLE.leah, '/send away 2024-11-21')).tone).toBe('success');
    expect((await say(PEOPLE.hannah, '/send away 2024-12-10')).tone).toBe('success');

    const clock = manualClock('2024-11-20T08:00');
    const adapter = recordingAdapter(clock);
    await runSchedule({ db, clock, until: '2024-11-22T12:00', adapters: [adapter] });

    const morgan = await personId(db, PEOPLE.morgan);
    const toJamie = adapter.sent.find((s) => s.key === `nudge:${spb}:${morgan}:window`);
    expect(toJamie).toMatchObject({ to: PEOPLE.admin2, at: '2024-11-20 09:00', onBehalfOfPersonId: morgan });
    expect(toJamie?.summary).toMatch(/^On behalf of Morgan Demo: SEND Partnership Board on Wed 4 Dec: 23 of your actions/);
    expect((await listOutbox(db)).find((r) => r.key === `nudge:${spb}:${morgan}:window`)?.recipientPersonId).toBe(await personId(db, PEOPLE.admin2));
    // Leah is back on Fri 22 Nov: her nudge waited until the office opened that day.
    const person5 = await personId(db, PEOPLE.leah);
    expect(adapter.sent.find((s) => s.key === `nudge:${spb}:${person5}:window`)).toMatchObject({ to: PEOPLE.leah, at: '2024-11-22 09:00' });
    // Hannah is away until after the meeting and named nobody: no nudge at all.
    const person6 = await personId(db, PEOPLE.hannah);
    expect((await listOutbox(db)).some((r) => r.key.startsWith(`nudge:${spb}:${person6}:`))).toBe(false);
  });

  it('brings a held nudge forward when the person comes back early', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const spb = await meetingId(db, SPB, '2024-12-04T14:00:00.000Z');
    const leah = (await findPersonByEmail(db, PEOPLE.leah)) as NonNullable<Awaited<ReturnType<typeof findPersonByEmail>>>;
    await runCommandText({ db, clock: manualClock('2024-11-19T10:00') }, leah, 'console', '/send away 2024-11-28');
    const clock = manualClock('2024-11-20T09:00');
    const adapter = recordingAdapter(clock);
    await runSchedule({ db, clock, until: '2024-11-20T10:00', adapters: [adapter] });
    const key = `nudge:${spb}:${leah.id}:window`;
    expect((await listOutbox(db)).find((r) => r.key === key)).toMatchObject({ status: 'pending', notBefore: '2024-11-29T09:00:00.000Z' });
    await runCommandText({ db, clock }, { ...leah, awayUntil: '2024-11-28' }, 'console', '/send back');
    await runSchedule({ db, clock, until: '2024-11-20T10:10', adapters: [adapter] });
    expect(adapter.sent.filter((s) => s.key === key).map((s) => s.at)).toEqual(['2024-11-20 10:00']);
  });
});

describe('overdue occasions', () => {
  it.each([
    // due, today, occasion day, k
    ['2024-09-30', '2024-10-01', '2024-10-01', 0],
    ['2024-09-30', '2024-10-07', '2024-10-01', 0],
    ['2024-09-30', '2024-10-08', '2024-10-08', 1],
    ['2024-11-30', '2024-12-02', '2024-12-02', 0], // due on a Saturday: Monday
    ['2024-12-24', '2024-12-27', '2024-12-27', 0], // Christmas and Boxing Day skipped
    ['2024-12-17', '2024-12-27', '2024-12-27', 1], // D0 + 7 is Christmas Day: the next working day
    ['2025-02-28', '2025-04-21', '2025-04-14', 6], // Easter Monday's occasion has not come yet
    ['2025-02-28', '2025-04-22', '2025-04-22', 7],
  ])('due %s, on %s: occasion %s (k=%i)', (due, today, day, k) => {
    expect(currentOccasion(due, today)).toMatchObject({ day, k });
  });

  it('is not chased before the first working day after the due date', () => {
    expect(currentOccasion('2024-11-29', '2024-11-29')).toBeUndefined();
    expect(currentOccasion('2024-11-29', '2024-11-30')).toBeUndefined();
  });

  it('counts a report after the due date (k=0) or since the previous occasion (k≥1)', () => {
    expect(currentOccasion('2024-09-30', '2024-10-01')?.reportedSince).toBe('2024-09-30T23:00:00.000Z'); // 1 Oct 00:00 BST
    expect(currentOccasion('2024-09-30', '2024-11-19')?.reportedSince).toBe(`${occasionDay('2024-09-30', 6)}T00:00:00.000Z`);
    expect(occasionDay('2024-09-30', 6)).toBe('2024-11-12');
  });
});

describe('recipients', () => {
  const person = (over: Partial<PersonState>): PersonState => ({
    id: 1,
    name: 'Owner',
    email: 'o@example.org',
    isAdmin: false,
    awayUntil: null,
    delegateId: null,
    weeklyDigest: false,
    slackUserId: null,
    teamsUserId: null,
    lastPlatform: null,
    ...over,
  });
  const hours = { start: '09:00', end: '17:30' };
  const opts = { notBefore: '2024-11-20T09:00:00.000Z', expiresAt: '2024-12-04T14:00:00.000Z', allowDelegate: true };

  it('delegates, holds or drops', () => {
    const delegate = person({ id: 2, name: 'Delegate' });
    const people = new Map([[2, delegate]]);
    expect(addressPerson(person({}), people, '2024-11-20', hours, opts)).toMatchObject({ recipient: { id: 1 }, onBehalfOf: null });
    expect(addressPerson(person({ awayUntil: '2024-11-20', delegateId: 2 }), people, '2024-11-20', hours, opts)).toMatchObject({ recipient: { id: 2 }, onBehalfOf: { id: 1 } });
    // Back on Fri 22 Nov: held until 09:00 on Monday 25 Nov (the first working day after).
    expect(addressPerson(person({ awayUntil: '2024-11-22' }), people, '2024-11-20', hours, opts)?.notBefore).toBe('2024-11-25T09:00:00.000Z');
    expect(addressPerson(person({ awayUntil: '2024-12-04' }), people, '2024-11-20', hours, opts)).toBeNull();
    // A delegate who is away too does not pass it on: the message waits for the owner.
    const awayDelegate = new Map([[2, person({ id: 2, awayUntil: '2024-12-01' })]]);
    expect(addressPerson(person({ awayUntil: '2024-11-21', delegateId: 2 }), awayDelegate, '2024-11-20', hours, opts)).toMatchObject({ recipient: { id: 1 }, notBefore: '2024-11-22T09:00:00.000Z' });
  });
});

describe('planNotifications', () => {
  it('plans nothing before the office opens on a milestone day, and is pure (same input, same plan)', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const state = await loadPlanningState(db);
    expect(planNotifications(state, '2024-11-20T08:55:00.000Z').filter((p) => p.kind === 'nudge')).toEqual([]);
    const a = planNotifications(state, '2024-11-20T09:00:00.000Z');
    expect(a.filter((p) => p.kind === 'nudge')).toHaveLength(13);
    expect(planNotifications(state, '2024-11-20T09:00:00.000Z')).toEqual(a);
  });

  it('lists an owner’s overdue and soon-due actions at the window even when they are all reported on, and sends no reminder', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const state = await loadPlanningState(db);
    const refs = openRefs(state, SPB, PEOPLE.morgan);
    await recordReports(db, PEOPLE.morgan, refs, '2024-11-01T10:00'); // after the 16 Oct meeting
    const fresh = await loadPlanningState(db);
    const spb = await meetingId(db, SPB, '2024-12-04T14:00:00.000Z');
    const morgan = await personId(db, PEOPLE.morgan);
    const window = planNotifications(fresh, '2024-11-20T09:00:00.000Z').find((p) => p.key === `nudge:${spb}:${morgan}:window`);
    // Only QA-3.1 and QA-3.2 (due 31 Dec) fall before the following meeting (29 Jan 2025).
    expect(window?.refs).toEqual(['QA-3.1', 'QA-3.2']);
    expect(window?.payload.reply.summary).toBe('SEND Partnership Board on Wed 4 Dec: please check 2 actions (overdue or due soon) before Wed 27 Nov');
    expect(planNotifications(fresh, '2024-11-25T09:00:00.000Z').some((p) => p.key === `nudge:${spb}:${morgan}:reminder`)).toBe(false);
  });

  it('asks for updates by the meeting, not by a papers deadline already past, when the nudge is planned late', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const state = await loadPlanningState(db);
    const spb = await meetingId(db, SPB, '2024-12-04T14:00:00.000Z');
    const morgan = await personId(db, PEOPLE.morgan);
    // Papers for the 4 Dec meeting were due Wed 27 Nov; the first tick runs on Thu 28 Nov (a late install, or downtime).
    const late = planNotifications(state, '2024-11-28T09:00:00.000Z').find((p) => p.key.startsWith(`nudge:${spb}:${morgan}:`));
    expect(late?.payload.reply.summary).toBe('SEND Partnership Board on Wed 4 Dec: 23 of your actions need an update by Wed 4 Dec');
    expect(JSON.stringify(late?.payload.reply.blocks)).toContain('The papers deadline (Wed 27 Nov) has passed, so an update now may not be in the board papers; it is still recorded for the meeting.');
    // On time, the papers deadline as before.
    const onTime = planNotifications(state, '2024-11-20T09:00:00.000Z').find((p) => p.key === `nudge:${spb}:${morgan}:window`);
    expect(onTime?.payload.reply.summary).toBe('SEND Partnership Board on Wed 4 Dec: 23 of your actions need an update by Wed 27 Nov');
  });

  it('leaves out keys the caller already has, and builds a digest only when a copy is still missing', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const state = await loadPlanningState(db);
    const now = '2024-11-27T09:00:00.000Z';
    const spbMeeting = await meetingId(db, SPB, '2024-12-04T14:00:00.000Z');
    const spbId = state.boards.find((b) => b.name === SPB)?.id;
    // The digest the caller built, counted each time the planner takes it.
    let built = 0;
    const digestReplies = {
      get: () => {
        built += 1;
        return { tone: 'info' as const, summary: 'digest', blocks: [] };
      },
    };
    expect(planningNeeds(state, now).digests).toEqual([{ boardId: spbId, meetingId: spbMeeting }]);
    const all = planNotifications(state, now, { digestReplies });
    expect(built).toBe(1); // one digest for the chair and the channel
    const queued = new Set(all.filter((p) => p.kind !== 'chair_digest').map((p) => p.key));
    // As the outbox would have them: sent at 09:00 that morning.
    const refs = new Map(all.map((p) => [p.key, p.refs]));
    const sent = { get: (k: string) => (queued.has(k) ? { status: 'sent' as const, notBefore: now, sentAt: now, refs: refs.get(k) ?? [] } : undefined) };
    expect(planningNeeds(state, now, sent).digests).toEqual([{ boardId: spbId, meetingId: spbMeeting }]);
    const rest = planNotifications(state, now, { digestReplies, queued: sent });
    expect(rest.map((p) => p.key)).toEqual([`digest:${spbMeeting}:chair:${await personId(db, PEOPLE.dcs)}`]);
    expect(built).toBe(2);
    const everything = { get: () => ({ status: 'sent' as const, notBefore: now, sentAt: now, refs: [] }) };
    expect(planningNeeds(state, now, everything)).toEqual({ digests: [], weekly: false });
    expect(planNotifications(state, now, { digestReplies, queued: everything })).toEqual([]);
    expect(built).toBe(2);
  });
});
