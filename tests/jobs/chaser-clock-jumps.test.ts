// Overdue chasers when the clock jumps, through the real tick, outbox and delivery on the demo plan:
// a jump of a week forward must not send one person two chasers in one tick (occasions "today" and
// "the working day before" for actions due on different dates), and a jump back must not chase
// occasions older than the last message the person was sent.
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { demoDb, recordingAdapter, runSchedule, type Sent } from '../helpers/demo-db.js';
import { one, run, sql } from '../helpers/test-db.js';

const overduePerPerson = (sent: readonly Sent[]) => {
  const counts = new Map<string, number>();
  for (const s of sent) if (s.kind === 'overdue') counts.set(s.to, (counts.get(s.to) ?? 0) + 1);
  return counts;
};

describe('overdue chasers across clock jumps', () => {
  it('a jump forward: one chaser per person in the tick, listing every action being chased', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    // Two of one owner's actions, chased on different weekdays: ND-1.1 due Fri 29 Nov (chased on
    // Mondays), another due Mon 2 Dec (chased on Tuesdays).
    // (Same workstream, same accountable lead; no own owner.)
    const other = await one(db, sql`select b.ref from actions a join actions b on b.workstream_id = a.workstream_id and b.id <> a.id where a.ref = 'ND-1.1' and b.owner_role_id is null and b.owner_person_id is null and b.removed_at is null order by b.id limit 1`) as { ref: string };
    await run(db, sql`update actions set due = '2024-11-29', status = 'amber' where ref = 'ND-1.1'`);
    await run(db, sql`update actions set due = '2024-12-02', status = 'amber' where ref = ${other.ref}`);
    const clock = manualClock('2024-11-25T09:00');
    const adapter = recordingAdapter(clock);
    await runSchedule({ db, clock, until: '2024-11-25T09:10', adapters: [adapter] });
    const before = adapter.sent.length;
    // The clock jumps to Tue 10 Dec: Monday 9 Dec's occasion (ND-1.1) and Tuesday's (the other)
    // both fall within the two days the planner looks at.
    clock.set('2024-12-10T09:00');
    await runSchedule({ db, clock, until: '2024-12-10T09:05', adapters: [adapter] });
    const jumped = adapter.sent.slice(before).filter((s) => s.kind === 'overdue');
    const counts = overduePerPerson(jumped);
    expect(counts.size).toBeGreaterThan(0);
    for (const [person, n] of counts) expect(n, person).toBe(1);
    // Nothing was dropped: both actions are in the owner's one message.
    const refs = jumped.flatMap((s) => s.refs);
    expect(refs).toEqual(expect.arrayContaining(['ND-1.1', other.ref]));
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('a week back: no chaser for an occasion older than the last message the person was sent', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const clock = manualClock('2024-12-09T09:00');
    const adapter = recordingAdapter(clock);
    // Running a week ahead: people are sent chasers and nudges dated 9 Dec.
    await runSchedule({ db, clock, until: '2024-12-09T09:10', adapters: [adapter] });
    const lastSentDay = new Map<string, string>();
    for (const s of adapter.sent) lastSentDay.set(s.to, s.at.slice(0, 10));
    expect(lastSentDay.size).toBeGreaterThan(0);
    const before = adapter.sent.length;
    // The clock is put back to Tue 3 Dec.
    clock.set('2024-12-03T09:00');
    await runSchedule({ db, clock, until: '2024-12-03T09:10', adapters: [adapter] });
    const back = adapter.sent.slice(before).filter((s) => s.kind === 'overdue');
    for (const s of back) {
      const day = s.key.split(':')[2] as string;
      const last = lastSentDay.get(s.to);
      if (last) expect(day >= last, `${s.to} chased for ${day} after a message on ${last}`).toBe(true);
    }
    for (const [person, n] of overduePerPerson(back)) expect(n, person).toBe(1);
  });
});
