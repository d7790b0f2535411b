// Who may do what. Pure: callers pass in the facts (roles held, admin flag, delegations).

export interface CallerFacts {
  personId: number;
  isAdmin: boolean;
  /** Roles the caller holds now. */
  roleIds: number[];
  /** Roles held by people who are away and have named the caller as their delegate. */
  delegatedRoleIds: number[];
  /** People away who delegated to the caller (for actions assigned to them by name). */
  delegatedPersonIds: number[];
  /** Boards whose chair role the caller holds. */
  chairedBoardIds: number[];
}

export interface ActionFacts {
  ownerRoleId: number | null;
  ownerPersonId: number | null;
  supportingRoleIds: number[];
  boardId: number | null;
}

export type UpdateRight = 'owner' | 'supporting' | 'delegate' | 'admin';

/** Why the caller may update the action, or undefined if they may not. */
export function updateRight(caller: CallerFacts, action: ActionFacts): UpdateRight | undefined {
  if (action.ownerPersonId !== null) {
    if (action.ownerPersonId === caller.personId) return 'owner';
  } else if (action.ownerRoleId !== null && caller.roleIds.includes(action.ownerRoleId)) {
    return 'owner';
  }
  if (action.supportingRoleIds.some((id) => caller.roleIds.includes(id))) return 'supporting';
  if (action.ownerPersonId !== null ? caller.delegatedPersonIds.includes(action.ownerPersonId) : action.ownerRoleId !== null && caller.delegatedRoleIds.includes(action.ownerRoleId)) {
    return 'delegate';
  }
  if (caller.isAdmin) return 'admin';
  return undefined;
}

/** Chairs and admins read everything (e.g. `due all`). */
export function canReadAll(caller: CallerFacts): boolean {
  return caller.isAdmin || caller.chairedBoardIds.length > 0;
}

/** Date-change requests are decided by admins and by the chair of the board the action reports to. */
export function canDecideDateChange(caller: CallerFacts, action: ActionFacts): boolean {
  if (caller.isAdmin) return true;
  return action.boardId !== null && caller.chairedBoardIds.includes(action.boardId);
}
