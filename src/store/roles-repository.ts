import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { inList } from './dialect.js';
import { nameKey } from './keys.js';
import { all, prepared, run } from './statements.js';
import { readThenWrite, storeCall } from './unit-of-work.js';

export interface Role {
  id: number;
  name: string;
}

/** Finds a role by name or alias, case-insensitively. */
export function findRole(db: Db, name: string): Promise<Role | undefined> {
  return storeCall(db, async () => {
    return await FIND_ROLE.get(db, { key: nameKey(name) });
  });
}

// Prepared once per connection: imports look roles up thousands of times.
const FIND_ROLE = prepared<Role>(sql`select id, name from roles where key = ${sql.placeholder('key')}
     union all
     select r.id, r.name from role_aliases a join roles r on r.id = a.role_id where a.key = ${sql.placeholder('key')}
     limit 1`);

const INSERT_ROLE = prepared<Role>(
  sql`insert into roles (name, key, created_at) values (${sql.placeholder('name')}, ${sql.placeholder('key')}, ${sql.placeholder('at')}) returning id, name`,
);

/** Finds a role, creating it when the plan names one for the first time. */
export function ensureRole(db: Db, name: string, at: string): Promise<{ role: Role; created: boolean }> {
  return readThenWrite(db, async () => {
    const existing = await findRole(db, name);
    if (existing) return { role: existing, created: false };
    // Prepared once per connection, like findRole: a large plan names thousands of roles.
    const row = (await INSERT_ROLE.get(db, { name: name.replace(/\s+/g, ' ').trim(), key: nameKey(name), at }))!;
    return { role: row, created: true };
  });
}

/** Records another spelling of a role. Returns false when the alias already means a different role. */
export function addRoleAlias(db: Db, roleId: number, alias: string): Promise<boolean> {
  return readThenWrite(db, async () => {
    const key = nameKey(alias);
    const other = await findRole(db, alias);
    if (other && other.id !== roleId) return false;
    if (other) return true;
    await run(db, sql`insert into role_aliases (key, alias, role_id) values (${key}, ${alias}, ${roleId})`);
    return true;
  });
}

export function listRoles(db: Db): Promise<Role[]> {
  return storeCall(db, async () => {
    return await all<Role>(db, sql`select id, name from roles order by name`);
  });
}

export interface Holder {
  personId: number;
  name: string;
  email: string;
  since: string;
}

export function currentHolders(db: Db, roleId: number): Promise<Holder[]> {
  return storeCall(db, async () => {
    return await all<Holder>(
      db,
      sql`select p.id as "personId", p.name, p.email, ra.started_at as since
     from role_assignments ra join people p on p.id = ra.person_id
     where ra.role_id = ${roleId} and ra.ended_at is null order by ra.started_at, ra.id`,
    );
  });
}

/**
 * The current holders of several roles in one statement (a reply naming the holders of every
 * action's role would otherwise ask once per role): by role id, each in currentHolders' order; a
 * role nobody holds is absent.
 */
export function currentHoldersOfRoles(db: Db, roleIds: readonly number[]): Promise<Map<number, Holder[]>> {
  return storeCall(db, async () => {
    if (roleIds.length === 0) return new Map<number, Holder[]>();
    const rows = await all<Holder & { roleId: number }>(
      db,
      sql`select ra.role_id as "roleId", p.id as "personId", p.name, p.email, ra.started_at as since
     from role_assignments ra join people p on p.id = ra.person_id
     where ${inList(sql`ra.role_id`, [...new Set(roleIds)])} and ra.ended_at is null order by ra.role_id, ra.started_at, ra.id`,
    );
    return holdersByRole(rows);
  });
}

/** Holder rows (in currentHolders' order within each role) by role id. */
export function holdersByRole(rows: Iterable<Holder & { roleId: number }>): Map<number, Holder[]> {
  const byRole = new Map<number, Holder[]>();
  for (const { roleId, ...holder } of rows) {
    const list = byRole.get(roleId);
    if (list) list.push(holder);
    else byRole.set(roleId, [holder]);
  }
  return byRole;
}

export function currentRolesOf(db: Db, personId: number): Promise<Role[]> {
  return storeCall(db, async () => {
    return await all<Role>(
      db,
      sql`select r.id, r.name from role_assignments ra join roles r on r.id = ra.role_id
     where ra.person_id = ${personId} and ra.ended_at is null order by r.name`,
    );
  });
}

export interface AssignmentHistoryRow {
  personId: number;
  name: string;
  email: string;
  startedAt: string;
  endedAt: string | null;
}

export function assignmentHistory(db: Db, roleId: number): Promise<AssignmentHistoryRow[]> {
  return storeCall(db, async () => {
    return await all<AssignmentHistoryRow>(
      db,
      sql`select p.id as "personId", p.name, p.email, ra.started_at as "startedAt", ra.ended_at as "endedAt"
     from role_assignments ra join people p on p.id = ra.person_id
     where ra.role_id = ${roleId} order by ra.started_at, ra.id`,
    );
  });
}

/** Adds a holder without ending anyone else's assignment (a role can be shared). No-op if already held. */
export function addHolder(db: Db, roleId: number, personId: number, at: string): Promise<boolean> {
  return storeCall(db, async () => {
    // One statement, guarded by the unique index on current assignments: of two callers adding the
    // same holder at once (two instances), one inserts and the other is told it was held already.
    const inserted = await run(
      db,
      sql`insert into role_assignments (role_id, person_id, started_at) values (${roleId}, ${personId}, ${at})
       on conflict (role_id, person_id) where ended_at is null do nothing`,
    );
    return inserted.changes === 1;
  });
}

/**
 * Hands a role to one person: every other current holder's assignment ends now, the new one starts
 * now. Earlier rows stay, so "who held this role in March?" can still be answered.
 */
export function handOverRole(db: Db, roleId: number, personId: number, at: string): Promise<{ ended: Holder[]; started: boolean }> {
  return readThenWrite(db, async () => {
    const holders = await currentHolders(db, roleId);
    const ended = holders.filter((h) => h.personId !== personId);
    for (const h of ended) {
      await run(db, sql`update role_assignments set ended_at = ${at} where role_id = ${roleId} and person_id = ${h.personId} and ended_at is null`);
    }
    const started = await addHolder(db, roleId, personId, at);
    return { ended, started };
  });
}
