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
