// The tick's one read of the outbox before planning: the rows under the keys a plan may use (the
// meetings in play, this week's digest, the chasers of the recent occasion days), and no others.
import { describe, expect, it } from 'vitest';
import { outboxKeyScope } from '../../src/domain/notification-planner.js';
import { loadPlanningState } from '../../src/store/planning-state-repository.js';
import { loadQueuedMessages } from '../../src/store/outbox-repository.js';
import { demoDb } from '../helpers/demo-db.js';
import { run, sql, value } from '../helpers/test-db.js';

describe('loadQueuedMessages', () => {
  it('reads every row under a prefix or a recent chaser day, with its status, attempts and refs', async () => {
    const { db } = await demoDb();
    const rows: [string, string, string, number, string | null][] = [
      ['nudge:7:3:window', JSON.stringify({ refs: ['ND-1.1', 'ND-1.2'] }), 'sent', 1, '2024-11-20T09:01:00.000Z'],
      ['nudge:7:3:reminder', JSON.stringify({}), 'pending', 0, null],
      ['digest:7:chair:4', JSON.stringify({ refs: [] }), 'failed', 2, null],
      ['nudge:70:3:window', JSON.stringify({ refs: ['X'] }), 'sent', 1, null], // another meeting: 'nudge:7:' must not match it
      ['nudge:8:3:window', JSON.stringify({ refs: ['Y'] }), 'sent', 1, null],
      ['weekly:2024-W48:channel', JSON.stringify({}), 'skipped', 0, null],
      ['overdue:3:2024-11-27', JSON.stringify({ refs: ['QA-1.1'] }), 'sent', 1, null],
      ['overdue:12:2024-11-26', JSON.stringify({ refs: ['QA-1.2'] }), 'dead', 5, null],
      ['overdue:3:2024-11-20', JSON.stringify({ refs: ['QA-1.3'] }), 'sent', 1, null],
    ];
    for (const [key, payload, status, attempts, sentAt] of rows) {
      await run(
        db,
        sql`insert into outbox (key, kind, payload, not_before, status, attempts, sent_at, created_at)
            values (${key}, 'nudge', ${payload}, '2024-11-20T09:00:00.000Z', ${status}, ${attempts}, ${sentAt}, '2024-11-20T09:00:00.000Z')`,
      );
    }
    const got = await loadQueuedMessages(db, { prefixes: ['nudge:7:', 'digest:7:', 'weekly:2024-W48:'], overdueDays: ['2024-11-27', '2024-11-26'] });
    expect([...got.keys()].sort()).toEqual(
      ['digest:7:chair:4', 'nudge:7:3:reminder', 'nudge:7:3:window', 'overdue:12:2024-11-26', 'overdue:3:2024-11-27', 'weekly:2024-W48:channel'].sort(),
    );
    expect(got.get('nudge:7:3:window')).toEqual({ status: 'sent', notBefore: '2024-11-20T09:00:00.000Z', sentAt: '2024-11-20T09:01:00.000Z', attempts: 1, refs: ['ND-1.1', 'ND-1.2'] });
    expect(got.get('nudge:7:3:reminder')?.refs).toEqual([]);
    expect(got.get('digest:7:chair:4')).toMatchObject({ status: 'failed', attempts: 2 });
    expect((await loadQueuedMessages(db, { prefixes: [], overdueDays: [] })).size).toBe(0);
  });

  it('is asked, by the planner, for the meetings in play, the week in play and the last two occasion days', async () => {
    const { db } = await demoDb('2024-11-01T09:00');
    const state = await loadPlanningState(db);
    // Wed 27 Nov 2024: the 4 Dec board's papers are due; week 48's digest went on Monday.
    const scope = outboxKeyScope(state, '2024-11-27T09:00:00.000Z');
    const spb = await value<number>(
      db,
      sql`select m.id from meetings m join boards b on b.id = m.board_id where b.name = 'SEND Partnership Board' and m.starts_at = '2024-12-04T14:00:00.000Z'`,
    );
    expect(scope.prefixes).toContain(`nudge:${spb}:`);
    expect(scope.prefixes).toContain(`digest:${spb}:`);
    expect(scope.prefixes).toContain('weekly:2024-W48:');
    expect(scope.prefixes.every((p) => p.endsWith(':'))).toBe(true);
    expect(scope.overdueDays.sort()).toEqual(['2024-11-26', '2024-11-27']);
  });
});
