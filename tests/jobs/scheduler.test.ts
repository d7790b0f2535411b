import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { runTick } from '../../src/jobs/tick.js';
import { listOutbox } from '../../src/store/outbox-repository.js';
import { demoDb, recordingAdapter } from '../helpers/demo-db.js';
import { run, sql } from '../helpers/test-db.js';

describe('startScheduler', () => {
  it('runs one tick and delivery at startup, joins overlapping runs, and stops cleanly', async () => {
    const { db } = await demoDb();
    const clock = manualClock('2024-11-20T09:05');
    const adapter = recordingAdapter(clock);
    const errors: unknown[] = [];
    // A schedule that never fires during the test (1 Jan, 03:00): only the startup run and runNow.
    const scheduler = startScheduler({ db, clock, adapters: [adapter], cronExpression: '0 3 1 1 *', logger: { info: () => {}, error: (d) => errors.push(d) } });
    await scheduler.ready;
    expect(adapter.sent.filter((s) => s.kind === 'nudge')).toHaveLength(13);
    const [a, b] = [scheduler.runNow(), scheduler.runNow()];
    expect(a).toBe(b);
    expect((await a)?.tick.enqueued).toEqual([]);
    await scheduler.stop();
    expect(await scheduler.runNow()).toBeUndefined();
    expect(errors).toEqual([]);
    expect(await listOutbox(db, { status: 'pending' })).toEqual([]);
  });
});

describe('a scheduler cycle whose plan fails', () => {
  it('still delivers what was already queued, and says why the plan failed', async () => {
    const { db } = await demoDb();
    const clock = manualClock('2024-11-20T09:05');
    // Nudges queued by an earlier tick, not yet sent.
    expect((await runTick({ db, clock })).enqueued.length).toBeGreaterThan(0);
    const queued = (await listOutbox(db, { status: 'pending' })).length;
    // Then planning breaks (here: a table the plan reads and delivery does not is gone).
    await run(db, sql`drop table kpi_readings`);
    await run(db, sql`drop table kpis`);
    const adapter = recordingAdapter(clock);
    const errors: { msg?: string }[] = [];
    const scheduler = startScheduler({ db, clock, adapters: [adapter], cronExpression: '0 3 1 1 *', logger: { info: () => {}, error: (_detail, msg) => errors.push({ msg }) } });
    await scheduler.ready;
    await scheduler.stop();
    expect(errors.map((e) => e.msg)).toEqual(['scheduler tick failed; delivering what was already queued']);
    expect(adapter.sent).toHaveLength(queued);
    expect(await listOutbox(db, { status: 'pending' })).toEqual([]);
  });
});
