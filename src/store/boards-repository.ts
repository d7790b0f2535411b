import { sql } from 'drizzle-orm';
import { boards, meetings } from '../../db/schema.js';
import type { LeadTimes, MeetingRef } from '../domain/board-cycle.js';
import type { Db } from './database.js';
import { inList, isFalse } from './dialect.js';
import { all, get } from './statements.js';
import { tableRows } from './table-rows.js';
import { nameKey } from './keys.js';
import { readThenWrite, storeCall } from './unit-of-work.js';

export type Board = typeof boards.$inferSelect;
export type Meeting = typeof meetings.$inferSelect;

const boardRows = tableRows(boards);
const meetingRows = tableRows(meetings);
type Raw = Record<string, unknown>;

const boardWhere = async (db: Db, where: ReturnType<typeof sql>): Promise<Board | undefined> => {
  const raw = await get<Raw>(db, sql`select ${boardRows.columns()} from boards where ${where}`);
  return raw && boardRows.toRow(raw);
};

/** A board's meetings that are not cancelled, oldest first, with `where` further narrowing them. */
const boardMeetings = async (db: Db, boardId: number, where = sql``): Promise<Meeting[]> =>
  (await all<Raw>(db, sql`select ${meetingRows.columns()} from meetings where board_id = ${boardId} and ${isFalse(sql`cancelled`)} ${where} order by starts_at`)).map(
    meetingRows.toRow,
  );

export function findBoard(db: Db, name: string): Promise<Board | undefined> {
  return storeCall(db, async () => {
    return await boardWhere(db, sql`key = ${nameKey(name)}`);
  });
}

export function getBoard(db: Db, id: number): Promise<Board | undefined> {
  return storeCall(db, async () => {
    return await boardWhere(db, sql`id = ${id}`);
  });
}

export function listBoards(db: Db): Promise<(Board & { chairRole: string | null })[]> {
  return storeCall(db, async () => {
    return (await all<Raw>(
      db,
      sql`select ${boardRows.columns('b')}, r.name as "chairRole" from boards b left join roles r on r.id = b.chair_role_id order by b.name`,
    )).map((r) => ({ ...boardRows.toRow(r), chairRole: r.chairRole as string | null }));
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
  return readThenWrite(db, async () => {
    const existing = await findBoard(db, fields.name);
    if (!existing) {
      const raw = (await get<Raw>(
        db,
        sql`insert into boards ${boardRows.insert({
          name: fields.name,
          key: nameKey(fields.name),
          chairRoleId: fields.chairRoleId ?? null,
          slackChannel: fields.slackChannel ?? null,
          teamsChannel: fields.teamsChannel ?? null,
          updateWindowDays: fields.updateWindowDays ?? 10,
          reminderDays: fields.reminderDays ?? 7,
          papersDays: fields.papersDays ?? 5,
          createdAt: at,
        })} returning ${boardRows.columns()}`,
      ))!;
      const board = boardRows.toRow(raw);
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
    const board = boardRows.toRow((await get<Raw>(db, sql`update boards set ${boardRows.set(next)} where id = ${existing.id} returning ${boardRows.columns()}`))!);
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
  return storeCall(db, async () => {
    // Prepared once: a calendar import or a large plan file adds thousands of meetings.
    const found = await get<{ id: number }>(db, sql`select id from meetings where board_id = ${fields.boardId} and starts_at = ${fields.startsAt}`);
    const existingRaw = found ? await get<Raw>(db, sql`select ${meetingRows.columns()} from meetings where id = ${found.id}`) : undefined;
    const existing = existingRaw && meetingRows.toRow(existingRaw);
    if (existing) return { meeting: existing, created: false };
    const raw = (await get<Raw>(
      db,
      sql`insert into meetings ${meetingRows.insert({
        boardId: fields.boardId,
        startsAt: fields.startsAt,
        isSample: fields.isSample ?? false,
        title: fields.title ?? null,
        sourceUid: fields.sourceUid ?? null,
        createdAt: at,
      })} returning ${meetingRows.columns()}`,
    ))!;
    const meeting = meetingRows.toRow(raw);
    return { meeting, created: true };
  });
}

/** Meetings of a board (not cancelled), oldest first. */
export function listMeetings(db: Db, boardId: number): Promise<Meeting[]> {
  return storeCall(db, async () => {
    return await boardMeetings(db, boardId);
  });
}

export function listAllMeetings(db: Db): Promise<Meeting[]> {
  return storeCall(db, async () => {
    return (await all<Raw>(db, sql`select ${meetingRows.columns()} from meetings where ${isFalse(sql`cancelled`)} order by starts_at`)).map(meetingRows.toRow);
  });
}

export function nextMeeting(db: Db, boardId: number, afterInstant: string): Promise<Meeting | undefined> {
  return storeCall(db, async () => {
    const raw = await get<Raw>(
      db,
      sql`select ${meetingRows.columns()} from meetings where board_id = ${boardId} and ${isFalse(sql`cancelled`)} and starts_at > ${afterInstant}
       order by starts_at limit 1`,
    );
    return raw && meetingRows.toRow(raw);
  });
}

export function previousMeeting(db: Db, boardId: number, beforeInstant: string): Promise<Meeting | undefined> {
  return storeCall(db, async () => {
    const rows = await boardMeetings(db, boardId, sql`and starts_at < ${beforeInstant}`);
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
  return storeCall(db, async () => {
    if (boardIds.length === 0) return new Map<number, BoardSchedule>();
    // The ids are bound as one list parameter (dialect.ts), so the statement's text, and so its cached
    // preparation, is the same whatever the number of boards: it runs on every `/send mine`.
    const rows = await all<ScheduleRow>(
      db,
      sql`select b.id as "boardId", b.update_window_days as "updateWindowDays", b.reminder_days as "reminderDays", b.papers_days as "papersDays",
         m.id as "meetingId", m.starts_at as "startsAt", m.is_sample as "isSample"
       from boards b left join meetings m on m.board_id = b.id and ${isFalse(sql`m.cancelled`)}
       where ${inList(sql`b.id`, boardIds)} order by b.id, m.starts_at`,
    );
    return schedulesByBoard(rows);
  });
}

/** Schedule rows (a board's meetings oldest first) by board id. */
export function schedulesByBoard(rows: Iterable<ScheduleRow>): Map<number, BoardSchedule> {
  const schedules = new Map<number, BoardSchedule>();
  for (const r of rows) {
    let schedule = schedules.get(r.boardId);
    if (!schedule) {
      schedule = { lead: { updateWindowDays: r.updateWindowDays, reminderDays: r.reminderDays, papersDays: r.papersDays }, meetings: [] };
      schedules.set(r.boardId, schedule);
    }
    if (r.meetingId !== null && r.startsAt !== null) schedule.meetings.push({ id: r.meetingId, startsAt: r.startsAt, isSample: r.isSample === 1 });
  }
  return schedules;
}

/** One board and one of its meetings (none: meetingId null), as listBoardSchedules reads them. */
export interface ScheduleRow {
  boardId: number;
  updateWindowDays: number;
  reminderDays: number;
  papersDays: number;
  meetingId: number | null;
  startsAt: string | null;
  isSample: number | null;
}
