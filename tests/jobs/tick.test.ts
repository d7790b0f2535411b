// The tick's dry run (`sendbot jobs tick --dry-run`) reads the outbox like the real tick, through the
// store's entry points: every statement in its turn on the connection, never inside another unit of
// work that holds it (which the connection guard refuses with StatementOutsideUnitError).
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runTick } from '../../src/jobs/tick.js';
import { listOutbox } from '../../src/store/outbox-repository.js';
import { withConnection } from '../../src/store/unit-of-work.js';
import { demoDb } from '../helpers/demo-db.js';

const NOW = '2024-11-20T09:05';

describe('runTick with dryRun', () => {
  it('plans the same while another unit of work keeps taking the connection, and writes nothing', async () => {
    const { db } = await demoDb();
    const clock = fixedClock(NOW);
    const quiet = await runTick({ db, clock, dryRun: true });
    expect(quiet.enqueued.length).toBeGreaterThan(0);

    // Another request's unit of work takes the connection again and again, each time holding it
    // across a turn of the event loop: the dry run's reads must wait for their turns between them.
    let busy = true;
    let otherUnits = 0;
    const other = (async () => {
      while (busy) {
        await withConnection(db, () => new Promise<void>((resolve) => setImmediate(resolve)));
        otherUnits += 1;
      }
    })();
    let contended: Awaited<ReturnType<typeof runTick>>;
    try {
      contended = await runTick({ db, clock, dryRun: true });
    } finally {
      busy = false;
      await other;
    }
    expect(otherUnits).toBeGreaterThan(0);
    expect(contended.enqueued.map((p) => p.key)).toEqual(quiet.enqueued.map((p) => p.key));
    expect(contended.skipped).toEqual(quiet.skipped);
    expect(await listOutbox(db)).toEqual([]);

    // The real tick queues exactly what the dry run said it would.
    const real = await runTick({ db, clock });
    expect(real.enqueued.map((p) => p.key)).toEqual(quiet.enqueued.map((p) => p.key));
    expect((await listOutbox(db)).map((r) => r.key).sort()).toEqual(quiet.enqueued.map((p) => p.key).sort());
  });
});
