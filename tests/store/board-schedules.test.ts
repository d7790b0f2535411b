// listBoardSchedules: several boards' lead times and meetings in one query (what /send mine's
// board cycles are worked out from), on a real migrated SQLite database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addMeeting, listBoardSchedules, upsertBoard } from '../../src/store/boards-repository.js';
import { closeDatabase, type Db, openDatabase } from '../../src/store/database.js';

const AT = '2024-11-01T09:00:00.000Z';

describe('listBoardSchedules', () => {
  let db: Db;
  let exec: number;
  let quiet: number;
  beforeEach(async () => {
    db = await openDatabase(':memory:');
    exec = (await upsertBoard(db, { name: 'SEND Executive Board', updateWindowDays: 12, reminderDays: 8, papersDays: 6 }, AT)).board.id;
    quiet = (await upsertBoard(db, { name: 'Quiet Board' }, AT)).board.id;
    // Added out of order, one sample, one cancelled: the schedule is oldest first, without the cancelled one.
    await addMeeting(db, { boardId: exec, startsAt: '2025-03-10T14:00:00.000Z' }, AT);
    await addMeeting(db, { boardId: exec, startsAt: '2025-01-13T14:00:00.000Z', isSample: true }, AT);
    const cancelled = (await addMeeting(db, { boardId: exec, startsAt: '2025-02-10T14:00:00.000Z' }, AT)).meeting.id;
    db.$client.prepare('update meetings set cancelled = 1 where id = ?').run(cancelled);
  });
  afterEach(async () => await closeDatabase(db));

  it('gives each board its lead times and its meetings, oldest first, without cancelled ones', async () => {
    const schedules = await listBoardSchedules(db, [exec, quiet]);
    expect([...schedules.keys()].sort()).toEqual([exec, quiet].sort());
    expect(schedules.get(exec)?.lead).toEqual({ updateWindowDays: 12, reminderDays: 8, papersDays: 6 });
    expect(schedules.get(exec)?.meetings.map((m) => [m.startsAt, m.isSample])).toEqual([
      ['2025-01-13T14:00:00.000Z', true],
      ['2025-03-10T14:00:00.000Z', false],
    ]);
    expect(schedules.get(quiet)).toEqual({ lead: { updateWindowDays: 10, reminderDays: 7, papersDays: 5 }, meetings: [] });
  });

  it('answers for exactly the boards asked, whatever their number, and leaves out boards that do not exist', async () => {
    expect([...(await listBoardSchedules(db, [quiet])).keys()]).toEqual([quiet]);
    expect([...(await listBoardSchedules(db, [exec])).keys()]).toEqual([exec]);
    expect([...(await listBoardSchedules(db, [exec, 9999])).keys()]).toEqual([exec]);
    expect((await listBoardSchedules(db, [])).size).toBe(0);
  });
});
