import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { boards, meetings, roles } from '../../db/schema.js';
import type { LeadTimes, MeetingRef } from '../domain/board-cycle.js';
import { cachedStatement, type Db } from './database.js';
import { get } from './statements.js';
import { nameKey } from './keys.js';
import { storeCall, withConnection } from './unit-of-work.js';

export type Board = typeof boards.$inferSelect;
export type Meeting = typeof meetings.$inferSelect;

export function findBoard(db: Db, name: string): Promise<Board | undefined> {
  return storeCall(db, () => {
    return db.select().from(boards).where(eq(boards.key, nameKey(name))).get();
  });
}

export function getBoard(db: Db, id: number): Promise<Board | undefined> {
  return storeCall(db, () => {
    return db.select().from(boards).where(eq(boards.id, id)).get();
  });
}

export function listBoards(db: Db): Promise<(Board & { chairRole: string | null })[]> {
  return storeCall(db, () => {
    return db
      .select({ board: boards, chairRole: roles.name })
      .from(boards)
      .leftJoin(roles, eq(roles.id, boards.chairRoleId))
      .orderBy(asc(boards.name))
      .all()
      .map((r) => ({ ...r.board, chairRole: r.chairRole }));
  });
}

export interface BoardFields {
  name: string;
  chairRoleId?: number | null;
  slackChannel?: string | null;
  teamsChannel?: string | null;
  updateWindowDays?: number;
  reminderDays?: number;
  papersDays?: number;
}

export function upsertBoard(db: Db, fields: BoardFields, at: string): Promise<{ board: Board; outcome: 'created' | 'updated' | 'unchanged' }> {
  return withConnection(db, async () => {
    const existing = await findBoard(db, fields.name);
    if (!existing) {
      const board = db
        .insert(boards)
        .values({
          name: fields.name,
          key: nameKey(fields.name),
          chairRoleId: fields.chairRoleId ?? null,
          slackChannel: fields.slackChannel ?? null,
          teamsChannel: fields.teamsChannel ?? null,
          updateWindowDays: fields.updateWindowDays ?? 10,
          reminderDays: fields.reminderDays ?? 7,
          papersDays: fields.papersDays ?? 5,
          createdAt: at,
        })
        .returning()
        .get();
      return { board, outcome: 'created' };
    }
    const next = {
      name: fields.name,
      chairRoleId: fields.chairRoleId === undefined ? existing.chairRoleId : fields.chairRoleId,
      slackChannel: fields.slackChannel === undefined ? existing.slackChannel : fields.slackChannel,
      teamsChannel: fields.teamsChannel === undefined ? existing.teamsChannel : fields.teamsChannel,
      updateWindowDays: fields.updateWindowDays ?? existing.updateWindowDays,
      reminderDays: fields.reminderDays ?? existing.reminderDays,
      papersDays: fields.papersDays ?? existing.papersDays,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => next[k] !== existing[k]);
    if (!changed) return { board: existing, outcome: 'unchanged' };
    const board = db.update(boards).set(next).where(eq(boards.id, existing.id)).returning().get();
    return { board, outcome: 'updated' };
  });
}

export interface MeetingFields {
  boardId: number;
  startsAt: string;
  isSample?: boolean;
  title?: string | null;
  sourceUid?: string | null;
}

/** Adds a meeting unless the board already meets at that instant. */
export function addMeeting(db: Db, fields: MeetingFields, at: string): Promise<{ meeting: Meeting; created: boolean }> {
  return storeCall(db, () => {
    // Prepared once: a calendar import or a large plan file adds thousands of meetings.
    const found = get<{ id: number }>(db, sql`select id from meetings where board_id = ${fields.boardId} and starts_at = ${fields.startsAt}`);
    const existing = found ? db.select().from(meetings).where(eq(meetings.id, found.id)).get() : undefined;
    if (existing) return { meeting: existing, created: false };
    const meeting = db
      .insert(meetings)
      .values({
        boardId: fields.boardId,
        startsAt: fields.startsAt,
        isSample: fields.isSample ?? false,
        title: fields.title ?? null,
        sourceUid: fields.sourceUid ?? null,
        createdAt: at,
      })
      .returning()
      .get();
    return { meeting, created: true };
  });
}

/** Meetings of a board (not cancelled), oldest first. */
export function listMeetings(db: Db, boardId: number): Promise<Meeting[]> {
  return storeCall(db, () => {
    return db
      .select()
      .from(meetings)
      .where(and(eq(meetings.boardId, boardId), eq(meetings.cancelled, false)))
      .orderBy(asc(meetings.startsAt))
      .all();
  });
}

export function listAllMeetings(db: Db): Promise<Meeting[]> {
  return storeCall(db, () => {
    return db.select().from(meetings).where(eq(meetings.cancelled, false)).orderBy(asc(meetings.startsAt)).all();
  });
}

export function nextMeeting(db: Db, boardId: number, afterInstant: string): Promise<Meeting | undefined> {
  return storeCall(db, () => {
    return db
      .select()
      .from(meetings)
      .where(and(eq(meetings.boardId, boardId), eq(meetings.cancelled, false), gt(meetings.startsAt, afterInstant)))
      .orderBy(asc(meetings.startsAt))
      .get();
  });
}

export function previousMeeting(db: Db, boardId: number, beforeInstant: string): Promise<Meeting | undefined> {
  return storeCall(db, () => {
    const rows = db
      .select()
      .from(meetings)
      .where(and(eq(meetings.boardId, boardId), eq(meetings.cancelled, false), lt(meetings.startsAt, beforeInstant)))
      .orderBy(asc(meetings.startsAt))
      .all();
    return rows[rows.length - 1];
  });
}

/** A board's lead times and its meetings (not cancelled), oldest first: what its cycle is worked out from. */
export interface BoardSchedule {
  lead: LeadTimes;
  meetings: MeetingRef[];
}

/**
 * The schedules of several boards in one query (a command asks for every board its actions belong
 * to at once). Boards that do not exist are left out; a board without meetings has an empty list.
 */
export function listBoardSchedules(db: Db, boardIds: readonly number[]): Promise<Map<number, BoardSchedule>> {
  return storeCall(db, () => {
    const schedules = new Map<number, BoardSchedule>();
    if (boardIds.length === 0) return schedules;
    const rows = boardSchedulesQuery(db, boardIds.length).all(Object.fromEntries(boardIds.map((id, i) => [`board${i}`, id])));
    for (const r of rows) {
      let schedule = schedules.get(r.boardId);
      if (!schedule) {
        schedule = { lead: { updateWindowDays: r.updateWindowDays, reminderDays: r.reminderDays, papersDays: r.papersDays }, meetings: [] };
        schedules.set(r.boardId, schedule);
      }
      if (r.meetingId !== null && r.startsAt !== null) schedule.meetings.push({ id: r.meetingId, startsAt: r.startsAt, isSample: r.isSample === true });
    }
    return schedules;
  });
}

// It runs on every `/send mine`: prepared once per connection and number of boards (building the
// query each time costs more than running it).
const boardSchedulesQueries = new WeakMap<Db, Map<number, ReturnType<typeof prepareBoardSchedules>>>();

function boardSchedulesQuery(db: Db, count: number): ReturnType<typeof prepareBoardSchedules> {
  let byCount = boardSchedulesQueries.get(db);
  if (!byCount) {
    byCount = new Map();
    boardSchedulesQueries.set(db, byCount);
  }
  let query = byCount.get(count);
  if (!query) {
    query = prepareBoardSchedules(db, count);
    byCount.set(count, query);
  }
  return query;
}

function prepareBoardSchedules(db: Db, count: number) {
  const ids = Array.from({ length: count }, (_, i) => sql.placeholder(`board${i}`));
  return db
    .select({
      boardId: boards.id,
      updateWindowDays: boards.updateWindowDays,
      reminderDays: boards.reminderDays,
      papersDays: boards.papersDays,
      meetingId: meetings.id,
      startsAt: meetings.startsAt,
      isSample: meetings.isSample,
    })
    .from(boards)
    .leftJoin(meetings, and(eq(meetings.boardId, boards.id), eq(meetings.cancelled, false)))
    .where(inArray(boards.id, ids))
    .orderBy(asc(boards.id), asc(meetings.startsAt))
    .prepare();
}
