import type { CallerFacts } from '../domain/permissions.js';
import { cachedStatement, type Db } from './database.js';
import type { Person } from './people-repository.js';

/** The facts permission rules need about a caller, as of `today` (ISO date). */
export function loadCallerFacts(db: Db, person: Person, today: string): CallerFacts {
  const client = db.$client;
  const roleIds = (
    cachedStatement(db, 'select role_id as id from role_assignments where person_id = ? and ended_at is null').all(person.id) as { id: number }[]
  ).map((r) => r.id);
  const delegators = (
    cachedStatement(db, 'select id from people where delegate_id = ? and away_until is not null and away_until >= ?').all(person.id, today) as {
      id: number;
    }[]
  ).map((r) => r.id);
  const delegatedRoleIds =
    delegators.length === 0
      ? []
      : (
          cachedStatement(
            db, `select role_id as id from role_assignments where ended_at is null and person_id in (${delegators.map(() => '?').join(',')})`)
            .all(...delegators) as { id: number }[]
        ).map((r) => r.id);
  const chairedBoardIds =
    roleIds.length === 0
      ? []
      : (
          cachedStatement(db, `select id from boards where chair_role_id in (${roleIds.map(() => '?').join(',')})`).all(...roleIds) as { id: number }[]
        ).map((r) => r.id);
  return {
    personId: person.id,
    isAdmin: person.isAdmin,
    roleIds,
    delegatedRoleIds,
    delegatedPersonIds: delegators,
    chairedBoardIds,
  };
}

/** An away person who named `delegateId` as their delegate, as of `today`. */
export interface Delegator {
  id: number;
  name: string;
  awayUntil: string;
}

/** Everyone away today who named this person as their delegate. */
export function listDelegators(db: Db, delegateId: number, today: string): Delegator[] {
  return cachedStatement(db, 'select id, name, away_until as awayUntil from people where delegate_id = ? and away_until is not null and away_until >= ? order by name').all(
    delegateId,
    today,
  ) as Delegator[];
}

/**
 * The away owner a delegate covers for on this action: the person it is assigned to by name, else
 * a holder of its owner role who delegated to them.
 */
export function coveredOwner(db: Db, delegateId: number, action: { ownerPersonId: number | null; ownerRoleId: number | null }, today: string): Delegator | undefined {
  const delegators = listDelegators(db, delegateId, today);
  if (action.ownerPersonId !== null) return delegators.find((d) => d.id === action.ownerPersonId);
  if (action.ownerRoleId === null) return undefined;
  const holders = new Set(
    (cachedStatement(db, 'select person_id as id from role_assignments where role_id = ? and ended_at is null').all(action.ownerRoleId) as { id: number }[]).map((r) => r.id),
  );
  return delegators.find((d) => holders.has(d.id));
}
