// The actions a person is accountable for, with what a list of them shows beside each: the owner
// roles' current holders and the boards' schedules (`/send mine`).
//
// PostgreSQL: two statements side by side, both starting from the person alone: the list, and the
// holders and schedules together in one (as JSON arrays). Waiting for the list before asking for its
// holders and boards cost a second round trip, and each statement costs this process and the server
// CPU of its own (at 100k actions `mine` made four round trips, two after the other; now two at once).
// SQLite: the list first, then its roles and boards by id: there a statement costs no round trip,
// and finding the roles and boards again from the person took about 100 µs each against a few µs
// by id (measured at 100k).
import { sql } from 'drizzle-orm';
import type { ActionView } from './actions-repository.js';
import { accountableRolesAndBoards, listActionViews } from './actions-repository.js';
import { type BoardSchedule, listBoardSchedules, schedulesByBoard } from './boards-repository.js';
import { type Db, isPostgres } from './database.js';
import { currentHoldersOfRoles, type Holder, holdersByRole } from './roles-repository.js';
import { get } from './statements.js';
import { withConnection } from './unit-of-work.js';

export interface AccountableActions {
  /** Every action the person is accountable for (complete ones too), in plan order. */
  views: ActionView[];
  /** Current holders of those actions' owner roles (actions assigned by name have none), by role id. */
  holders: Map<number, Holder[]>;
  /** The schedules of those actions' boards, by board id. */
  schedules: Map<number, BoardSchedule>;
}

export function loadAccountableActions(db: Db, personId: number): Promise<AccountableActions> {
  return withConnection(db, async () => {
    if (isPostgres(db)) {
      const [views, beside] = await Promise.all([listActionViews(db, { accountablePersonId: personId }), holdersAndSchedulesFor(db, personId)]);
      return { views, ...beside };
    }
    const views = await listActionViews(db, { accountablePersonId: personId });
    const roleIds = views.filter((a) => a.ownerPersonId === null && a.ownerRoleId !== null).map((a) => a.ownerRoleId as number);
    const boardIds = [...new Set(views.map((a) => a.boardId).filter((id): id is number => id !== null))];
    const holders = await currentHoldersOfRoles(db, roleIds);
    const schedules = await listBoardSchedules(db, boardIds);
    return { views, holders, schedules };
  });
}

type HolderTuple = [roleId: number, personId: number, name: string, email: string, since: string];
type ScheduleTuple = [boardId: number, updateWindowDays: number, reminderDays: number, papersDays: number, meetingId: number | null, startsAt: string | null, isSample: boolean | null];

/**
 * PostgreSQL: currentHoldersOfRoles and listBoardSchedules for the person's actions' owner roles
 * and boards, in one statement: the same rows, in the same order, as arrays in two JSON columns.
 */
async function holdersAndSchedulesFor(db: Db, personId: number): Promise<Omit<AccountableActions, 'views'>> {
  const row = await get<{ holders: string; schedules: string }>(
    db,
    // `theirs` is found once (materialized) for both lists.
    sql`with theirs as materialized (${accountableRolesAndBoards(personId)})
    select
      (select coalesce(json_agg(json_build_array(ra.role_id, p.id, p.name, p.email, ra.started_at) order by ra.role_id, ra.started_at, ra.id), '[]')
         from role_assignments ra join people p on p.id = ra.person_id
        where ra.role_id in (select role_id from theirs where owner_person_id is null) and ra.ended_at is null) as holders,
      (select coalesce(json_agg(json_build_array(b.id, b.update_window_days, b.reminder_days, b.papers_days, m.id, m.starts_at, m.is_sample) order by b.id, m.starts_at), '[]')
         from boards b left join meetings m on m.board_id = b.id and not m.cancelled
        where b.id in (select board_id from theirs)) as schedules`,
  );
  const holders = (JSON.parse(row?.holders ?? '[]') as HolderTuple[]).map(([roleId, id, name, email, since]) => ({ roleId, personId: id, name, email, since }));
  const schedules = (JSON.parse(row?.schedules ?? '[]') as ScheduleTuple[]).map(([boardId, updateWindowDays, reminderDays, papersDays, meetingId, startsAt, isSample]) => ({
    boardId,
    updateWindowDays,
    reminderDays,
    papersDays,
    meetingId,
    startsAt,
    isSample: isSample === null ? null : isSample ? 1 : 0,
  }));
  return { holders: holdersByRole(holders), schedules: schedulesByBoard(schedules) };
}
