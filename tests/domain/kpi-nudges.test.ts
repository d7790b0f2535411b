// KPI readings in the pre-board nudges: the real planner on the demo plan (real SQLite), fixed clocks.
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { planNotifications, type PlannedNotification } from '../../src/domain/notification-planner.js';
import type { KpiLine, Reply } from '../../src/render/reply.js';
import { renderText } from '../../src/render/text.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { loadPlanningState } from '../../src/store/planning-state-repository.js';
import { demoDb, personId } from '../helpers/demo-db.js';
import { run, sql, value } from '../helpers/test-db.js';

const LEAH = 'leah.testbury@example.org'; // owns ND-WAIT (no readings) and ND-MEDS
const LUCY = 'lucy.placeford@example.org'; // owns TR-AHC (no readings)
const ZARA = 'zara.sampleford@example.org'; // owns HCP-HR1/HR2 (Q1 and Q2 sample readings)
const KIM = 'kim.analyst@example.org'; // added below: owns a KPI and no actions
// SEND Partnership Board meets Wed 4 Dec 2024: window Wed 20 Nov, reminder Mon 25 Nov, papers Wed 27 Nov.
const WINDOW = '2024-11-20T09:00:00.000Z';
const REMINDER = '2024-11-25T09:00:00.000Z';

let db: Db;
let spb: number;
beforeEach(async () => {
  ({ db } = await demoDb('2024-11-01T09:00'));
  spb = await value(db, sql`select m.id from meetings m join boards b on b.id = m.board_id where b.name = 'SEND Partnership Board' and m.starts_at = '2024-12-04T14:00:00.000Z'`) as number;
  // A BI analyst who owns the annual health check KPI and no action.
  await run(db, sql`insert into roles (name, key, created_at) values ('BI Analyst', 'bi analyst', 'x')`);
  await run(db, sql`insert into people (name, email, created_at) values ('Kim Analyst', ${KIM}, 'x')`);
  await run(db, sql`insert into role_assignments (role_id, person_id, started_at) select r.id, p.id, 'x' from roles r, people p where r.key = 'bi analyst' and p.email = ${KIM}`);
  await run(db, sql`update kpis set owner_role_id = (select id from roles where key = 'bi analyst') where code = 'TR-AHC'`);
});

const plan = async (now: string) => planNotifications(await loadPlanningState(db), now);
/** The reminder's planning, as the tick sees it: every window nudge went out on 20 Nov. */
const planReminder = async () => {
  const window = (key: string) => key.startsWith(`nudge:${spb}:`) && key.endsWith(':window');
  return planNotifications(await loadPlanningState(db), REMINDER, {
    queued: { get: (key: string) => (window(key) ? { status: 'sent', notBefore: WINDOW, sentAt: WINDOW, refs: [] } : undefined) },
  });
};
const nudgeFor = async (planned: PlannedNotification[], email: string, stage: 'window' | 'reminder') => {
  const key = `nudge:${spb}:${await personId(db, email)}:${stage}`;
  const found = planned.filter((p) => p.key === key);
  expect(found, key).toHaveLength(1);
  return found[0] as PlannedNotification;
};
const kpiItems = (reply: Reply): KpiLine[] => reply.blocks.flatMap((b) => (b.type === 'kpis' ? b.items : []));
const say = async (email: string, at: string, text: string) => await runCommandText({ db, clock: fixedClock(at) }, (await findPersonByEmail(db, email)) as NonNullable<Awaited<ReturnType<typeof findPersonByEmail>>>, 'console', text);

describe('pre-board nudges list the recipient’s KPIs missing a reading, in the same one message', () => {
  it('adds the missing KPI to an owner’s window nudge with their actions, under the same key', async () => {
    const planned = await plan(WINDOW);
    const leah = await nudgeFor(planned, LEAH, 'window');
    expect(leah.refs.length).toBeGreaterThan(0);
    expect(kpiItems(leah.payload.reply).map((k) => [k.code, k.position, k.detail])).toEqual([
      ['ND-WAIT', 'no_reading', 'figure for September 2024 not recorded'],
    ]);
    expect(leah.payload.reply.summary).toMatch(/^SEND Partnership Board on Wed 4 Dec: \d+ of your actions need an update by Wed 27 Nov; 1 KPI reading is missing$/);
    const text = renderText(leah.payload.reply);
    expect(text).toContain('Your KPIs missing a reading:');
    expect(text).toContain('e.g. /send kpi ND-WAIT 140 for September 2024');
    // One message per person per occasion: no separate KPI message.
    const person1 = await personId(db, LEAH);
    expect(planned.filter((p) => p.recipientPersonId === person1 && p.meetingId === spb)).toHaveLength(1);
  });

  it('does not list KPIs that have their reading (ND-MEDS, HCP-HR1/HR2)', async () => {
    const planned = await plan(WINDOW);
    expect(kpiItems((await nudgeFor(planned, ZARA, 'window')).payload.reply)).toEqual([]);
    expect(renderText((await nudgeFor(planned, ZARA, 'window')).payload.reply)).not.toContain('KPI');
  });

  it('someone with only a KPI to report gets a nudge for it alone', async () => {
    const kim = await nudgeFor(await plan(WINDOW), KIM, 'window');
    expect(kim.refs).toEqual([]);
    expect(kim.kind).toBe('nudge');
    expect(kim.payload.reply.summary).toBe('SEND Partnership Board on Wed 4 Dec: 1 KPI reading is missing, needed by Wed 27 Nov');
    expect(kpiItems(kim.payload.reply).map((k) => k.code)).toEqual(['TR-AHC']);
    expect(kim.payload.reply.blocks.some((b) => b.type === 'actions')).toBe(false);
    // Lucy still owns her annual health check actions, not the KPI any more.
    expect(kpiItems((await nudgeFor(await plan(WINDOW), LUCY, 'window')).payload.reply)).toEqual([]);
  });

  it('a reading recorded before the reminder takes the KPI off it; no reminder for someone with nothing left', async () => {
    await say(LEAH, '2024-11-22T10:00', 'kpi ND-WAIT 1,240 for September 2024');
    await say(KIM, '2024-11-22T10:00', 'kpi TR-AHC 58% for 2023/24');
    const planned = await planReminder();
    expect(kpiItems((await nudgeFor(planned, LEAH, 'reminder')).payload.reply)).toEqual([]);
    const person2 = await personId(db, KIM);
    expect(planned.filter((p) => p.key === `nudge:${spb}:${person2}:reminder`)).toEqual([]);
  });

  it('the reminder still lists a KPI reading that is still missing', async () => {
    const kim = await nudgeFor(await planReminder(), KIM, 'reminder');
    expect(kim.kind).toBe('reminder');
    expect(kim.payload.reply.summary).toBe('Reminder: SEND Partnership Board on Wed 4 Dec: 1 KPI reading is missing still, needed by Wed 27 Nov');
  });

  it('the period asked for is the one due on the nudge’s day: by the March 2025 meeting, Q3 coverage is due', async () => {
    const march = await value(db, sql`select m.id from meetings m join boards b on b.id = m.board_id where b.name = 'SEND Partnership Board' and m.starts_at like '2025-03-19%'`);
    const planned = planNotifications(await loadPlanningState(db), '2025-03-05T09:00:00.000Z');
    const person3 = await personId(db, ZARA);
    const zara = planned.find((p) => p.key === `nudge:${march}:${person3}:window`);
    expect(kpiItems(zara?.payload.reply as Reply).map((k) => [k.code, k.detail])).toEqual([
      ['HCP-HR1', 'figure for Q3 2024/25 not recorded; sample figures, not published statistics'],
      ['HCP-HR2', 'figure for Q3 2024/25 not recorded; sample figures, not published statistics'],
    ]);
  });
});
