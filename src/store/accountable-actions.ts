// The actions a person is accountable for, with what a list of them shows beside each: the owner
// roles' current holders and the boards' schedules (`/send mine`).
//
// PostgreSQL: the three reads start from the person alone and go side by side (each is a round
// trip; waiting for the list before asking for its holders and boards cost a second one, about a
// millisecond at 100k actions, measured). SQLite: the list first, then its roles and boards by id:
// there a statement costs no round trip, and finding the roles and boards again from the person took
// about 100 µs each against a few µs by id (measured at 100k).
import type { ActionView } from './actions-repository.js';
import { accountableBoardIds, accountableOwnerRoleIds, listActionViews } from './actions-repository.js';
import { type BoardSchedule, listBoardSchedules } from './boards-repository.js';
import { type Db, isPostgres } from './database.js';
import { currentHoldersOfRoles, type Holder } from './roles-repository.js';
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
      const [views, holders, schedules] = await Promise.all([
        listActionViews(db, { accountablePersonId: personId }),
        currentHoldersOfRoles(db, accountableOwnerRoleIds(personId)),
        listBoardSchedules(db, accountableBoardIds(personId)),
      ]);
      return { views, holders, schedules };
    }
    const views = await listActionViews(db, { accountablePersonId: personId });
    const roleIds = views.filter((a) => a.ownerPersonId === null && a.ownerRoleId !== null).map((a) => a.ownerRoleId as number);
    const boardIds = [...new Set(views.map((a) => a.boardId).filter((id): id is number => id !== null))];
    const holders = await currentHoldersOfRoles(db, roleIds);
    const schedules = await listBoardSchedules(db, boardIds);
    return { views, holders, schedules };
  });
}
