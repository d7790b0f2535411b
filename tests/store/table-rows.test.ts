// The repositories moved off drizzle's query builder (issue 21) read whole rows through
// table-rows.ts: callers must see exactly what the builder gave them (camelCase keys, flags as
// booleans, JSON columns parsed, nulls as nulls), and values written through it must read back the same.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actions, boards, meetings, partnership, people, plans, workstreams } from '../../db/schema.js';
import { listAllMeetings, listBoards, listMeetings, nextMeeting, previousMeeting } from '../../src/store/boards-repository.js';
import type { Db } from '../../src/store/database.js';
import { getPartnership, savePartnership } from '../../src/store/partnership-repository.js';
import { listAdmins, listPeople } from '../../src/store/people-repository.js';
import { all, get, run } from '../../src/store/statements.js';
import { tableRows } from '../../src/store/table-rows.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { closeTestDb, sql } from '../helpers/test-db.js';
import { sqliteOf } from '../helpers/test-db.js';

describe('whole rows through sql templates', () => {
  let db: Db;
  beforeEach(async () => {
    ({ db } = await demoPlanDb());
    // Make sure set flags and non-empty JSON are in the data, not only the defaults.
    await run(db, sql`update actions set ongoing = 1, flags = ${JSON.stringify(['carried over'])} where id = (select min(id) from actions)`);
    await run(db, sql`update workstreams set ongoing = 1, flags = ${JSON.stringify(['late'])} where id = (select min(id) from workstreams)`);
    await run(db, sql`update people set is_admin = 1, weekly_digest = 1 where id = (select min(id) from people)`);
  });
  afterEach(() => closeTestDb(db));

  it('read every table the builder read in the same shape', async () => {
    for (const table of [people, boards, meetings, plans, workstreams, actions]) {
      const rows = tableRows(table);
      const expected = sqliteOf(db).select().from(table as typeof people).all();
      expect(expected.length).toBeGreaterThan(0);
      const read = (await all<Record<string, unknown>>(db, sql`select ${rows.columns()} from ${table} order by id`)).map(rows.toRow);
      expect(read).toStrictEqual(expected);
    }
    const action = sqliteOf(db).select().from(actions).orderBy(actions.id).get()!;
    expect(action.ongoing).toBe(true);
    expect(action.flags).toEqual(['carried over']);
  });

  it('give the repositories’ lists exactly what the builder gave', async () => {
    expect(await listPeople(db)).toStrictEqual(sqliteOf(db).select().from(people).orderBy(people.name, people.id).all());
    const admins = await listAdmins(db);
    expect(admins.length).toBeGreaterThan(0);
    expect(admins).toStrictEqual(sqliteOf(db).select().from(people).where(eq(people.isAdmin, true)).orderBy(people.name).all());
    const live = sqliteOf(db).select().from(meetings).where(eq(meetings.cancelled, false)).orderBy(meetings.startsAt).all();
    expect(await listAllMeetings(db)).toStrictEqual(live);
    const board = sqliteOf(db).select().from(boards).orderBy(boards.id).get()!;
    const ofBoard = live.filter((m) => m.boardId === board.id);
    expect(ofBoard.length).toBeGreaterThan(1);
    expect(await listMeetings(db, board.id)).toStrictEqual(ofBoard);
    expect(await nextMeeting(db, board.id, ofBoard[0]!.startsAt)).toStrictEqual(ofBoard[1]);
    expect(await previousMeeting(db, board.id, ofBoard[1]!.startsAt)).toStrictEqual(ofBoard[0]);
    expect((await listBoards(db)).find((b) => b.id === board.id)).toMatchObject(board);
  });

  it('write flags and JSON so that they read back as given', async () => {
    const rows = tableRows(meetings);
    const board = sqliteOf(db).select().from(boards).get()!;
    const inserted = rows.toRow(
      (await get<Record<string, unknown>>(
        db,
        sql`insert into meetings ${rows.insert({ boardId: board.id, startsAt: '2031-01-01T10:00:00.000Z', isSample: true, title: null, createdAt: '2030-01-01T00:00:00.000Z' })}
         returning ${rows.columns()}`,
      ))!,
    );
    expect(inserted).toStrictEqual(sqliteOf(db).select().from(meetings).where(eq(meetings.id, inserted.id)).get());
    expect(inserted).toMatchObject({ isSample: true, cancelled: false, title: null, sourceUid: null });
    await run(db, sql`update meetings set ${rows.set({ cancelled: true, title: 'Moved', sourceUid: undefined })} where id = ${inserted.id}`);
    expect(sqliteOf(db).select().from(meetings).where(eq(meetings.id, inserted.id)).get()).toMatchObject({ cancelled: true, title: 'Moved', isSample: true });

    const terms = [{ name: 'autumn' as const, start: '2030-09-03', end: '2030-12-19' }];
    await savePartnership(db, { name: 'Test Partnership', schoolTerms: terms }, '2030-01-01T00:00:00.000Z');
    expect(sqliteOf(db).select().from(partnership).get()).toMatchObject({ id: 1, name: 'Test Partnership', schoolTerms: terms });
    expect(await getPartnership(db)).toMatchObject({ name: 'Test Partnership', schoolTerms: terms });
    expect(() => rows.set({})).toThrow(/nothing to update/);
  });
});
