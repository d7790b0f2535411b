import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { listOutbox } from '../../src/store/outbox-repository.js';
import { demoDb, recordingAdapter } from '../helpers/demo-db.js';

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
