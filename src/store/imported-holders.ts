// Who holds a role, as an import file says it (plan YAML `people`, or people.csv). A file is a
// snapshot an officer keeps; chat (`/send handover`) and `sendbot role assign` change holders between
// imports. So a re-import compares the file with what the file said last time (roles.imported_holders),
// not with who holds the role now:
// - the file still names the same people: nothing changes, whoever holds the role now keeps it;
// - the file names different people (someone edited it): the file's people hold the role from now,
//   everyone else's assignment ends (kept in the history), and the change is reported;
// - no file has named holders for this role before, but someone holds it: kept, and reported, since
//   it cannot be told whether the file or the holder is newer (`sendbot role assign` settles it).
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { all, get, run } from './statements.js';
import { addHolder, currentHolders, type Holder } from './roles-repository.js';
import { storeCall, withConnection } from './unit-of-work.js';

export interface FilePerson {
  id: number;
  name: string;
  email: string;
}

export interface HolderOutcome {
  role: string;
  /** Holders before the import. */
  before: Holder[];
  /** The people the file names. */
  file: FilePerson[];
  /**
   * 'unchanged': the holders are the file's. 'applied': the file changed them. 'kept': the file's
   * people were not applied, because the holders changed since the last import ('handed-over') or
   * no import has named this role's holders before ('first-time').
   */
  outcome: 'unchanged' | 'applied' | 'kept';
  why?: 'handed-over' | 'first-time';
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Applies one role's holders from an import file, as described above. Writes nothing when unchanged. */
export function applyImportedHolders(db: Db, roleId: number, file: FilePerson[], at: string): Promise<HolderOutcome> {
  return withConnection(db, async () => {
    const role = (await get<{ name: string; recorded: string | null }>(db, sql`select name, imported_holders as recorded from roles where id = ${roleId}`))!;
    const fileEmails = [...new Set(file.map((p) => p.email))].sort();
    const recorded = role.recorded === null ? null : (JSON.parse(role.recorded) as string[]);
    const before = await currentHolders(db, roleId);
    const beforeEmails = before.map((h) => h.email);
    const record = async () => {
      if (recorded === null || !sameSet(recorded, fileEmails)) {
        await run(db, sql`update roles set imported_holders = ${JSON.stringify(fileEmails)} where id = ${roleId}`);
      }
    };
    const result = (outcome: HolderOutcome['outcome'], why?: HolderOutcome['why']): HolderOutcome => ({
      role: role.name,
      before,
      file,
      outcome,
      ...(why ? { why } : {}),
    });

    if (recorded !== null && sameSet(recorded, fileEmails)) {
      return sameSet(beforeEmails, fileEmails) ? result('unchanged') : result('kept', 'handed-over');
    }
    if (recorded === null && before.length > 0 && !sameSet(beforeEmails, fileEmails)) {
      await record();
      return result('kept', 'first-time');
    }
    await record();
    if (sameSet(beforeEmails, fileEmails)) return result('unchanged');
    const keep = new Set(file.map((p) => p.id));
    for (const h of before) {
      if (!keep.has(h.personId)) {
        await run(db, sql`update role_assignments set ended_at = ${at} where role_id = ${roleId} and person_id = ${h.personId} and ended_at is null`);
      }
    }
    for (const p of file) await addHolder(db, roleId, p.id, at);
    return result(before.length === 0 ? 'unchanged' : 'applied');
  });
}

/** "Sam Send", "Sam Send and Riley New", "nobody". */
export function namesOf(people: ReadonlyArray<{ name: string }>): string {
  if (people.length === 0) return 'nobody';
  const names = people.map((p) => p.name);
  return names.length === 1 ? (names[0] as string) : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One line for an import report, or undefined when there is nothing to say. */
export function describeHolderOutcome(o: HolderOutcome): string | undefined {
  if (o.outcome === 'unchanged') return undefined;
  if (o.outcome === 'applied') return `${o.role}: ${namesOf(o.before)} → ${namesOf(o.file)} (the file changed who holds it)`;
  if (o.why === 'handed-over') {
    return `${o.role}: kept ${namesOf(o.before)}, who took it over since the last import; the file still names ${namesOf(o.file)}`;
  }
  return (
    `${o.role}: kept ${namesOf(o.before)}; the file names ${namesOf(o.file)}, but no earlier import named this role's holder, so it cannot tell which is newer. ` +
    `If the file is right: sendbot role assign "${o.role}" ${o.file[0]?.email ?? '<email>'}`
  );
}

/** Roles an earlier import named holders for, with those holders' emails. */
export function recordedRoles(db: Db): Promise<{ id: number; name: string; recorded: string[] }[]> {
  return storeCall(db, async () => {
    const rows = await all<{ id: number; name: string; recorded: string }>(db, sql`select id, name, imported_holders as recorded from roles where imported_holders is not null`);
    return rows.map((r) => ({ id: r.id, name: r.name, recorded: JSON.parse(r.recorded) as string[] }));
  });
}

/** Open actions whose accountable role is this one (not assigned to a person by name). */
export function openActionRefsOfRole(db: Db, roleId: number): Promise<string[]> {
  return storeCall(db, async () => {
    const rows = await all<{ ref: string }>(
      db,
      sql`select a.ref from actions a join workstreams w on w.id = a.workstream_id
      where coalesce(a.owner_role_id, w.lead_role_id) = ${roleId} and a.owner_person_id is null
        and a.status <> 'blue' and a.removed_at is null and w.removed_at is null
      order by a.ref`,
    );
    return rows.map((r) => r.ref);
  });
}

/** Remembers which holders the file named for a role, without changing who holds it. */
export function recordImportedHolders(db: Db, roleId: number, emails: string[]): Promise<void> {
  return storeCall(db, async () => {
    await run(db, sql`update roles set imported_holders = ${JSON.stringify([...new Set(emails)].sort())} where id = ${roleId}`);
  });
}
