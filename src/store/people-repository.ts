import { sql } from 'drizzle-orm';
import { people } from '../../db/schema.js';
import { stripUnsafeCharacters } from '../domain/text-safety.js';
import type { Db } from './database.js';
import { isTrue } from './dialect.js';
import { all, get } from './statements.js';
import { tableRows } from './table-rows.js';
import { readThenWrite, storeCall, withConnection } from './unit-of-work.js';

export type Person = typeof people.$inferSelect;

export function findPersonByEmail(db: Db, email: string): Promise<Person | undefined> {
  return withConnection(db, async () => {
    const row = await get<{ id: number }>(db, sql`select id from people where email = ${email.trim().toLowerCase()}`);
    return row ? await getPerson(db, row.id) : undefined;
  });
}

/** A person row through `sql`, in the builder's shape (flags as booleans); shared with platform-identity-repository. */
export const personRows = tableRows(people);

// Who is calling is looked up on every chat command: one statement prepared once per connection
// (drizzle's builder compiled the SQL again on each call, several times the cost of the lookup).
// The columns come from the schema, so a column added there is read here too.
const SELECT_PERSON = sql`select ${personRows.columns()} from people`;

function toPerson(row: Record<string, unknown> | undefined): Person | undefined {
  return row && personRows.toRow(row);
}

const personWhere = async (db: Db, condition: string, value: string | number): Promise<Person | undefined> =>
  toPerson(await get<Record<string, unknown>>(db, sql`${SELECT_PERSON} where ${sql.identifier(condition)} = ${value}`));

export function findPersonBySlackId(db: Db, slackUserId: string): Promise<Person | undefined> {
  return storeCall(db, async () => {
    return await personWhere(db, 'slack_user_id', slackUserId);
  });
}

export function findPersonByTeamsId(db: Db, teamsUserId: string): Promise<Person | undefined> {
  return storeCall(db, async () => {
    return await personWhere(db, 'teams_user_id', teamsUserId);
  });
}

export function getPerson(db: Db, id: number): Promise<Person | undefined> {
  return storeCall(db, async () => {
    return await personWhere(db, 'id', id);
  });
}

export function listPeople(db: Db): Promise<Person[]> {
  return storeCall(db, async () => {
    return (await all<Record<string, unknown>>(db, sql`${SELECT_PERSON} order by name, id`)).map(personRows.toRow);
  });
}

export function listAdmins(db: Db): Promise<Person[]> {
  return storeCall(db, async () => {
    return (await all<Record<string, unknown>>(db, sql`${SELECT_PERSON} where ${isTrue(sql`is_admin`)} order by name`)).map(personRows.toRow);
  });
}

export interface PersonFields {
  name: string;
  email: string;
  slackUserId?: string | null;
  teamsUserId?: string | null;
  isAdmin?: boolean;
  weeklyDigest?: boolean;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** Creates or updates a person by email. Fields left undefined keep their stored value. */
export function upsertPerson(db: Db, given: PersonFields, at: string): Promise<{ person: Person; outcome: UpsertOutcome }> {
  return readThenWrite(db, async () => {
    // Names appear in board papers: no control or bidi-override characters (see text-safety.ts).
    const fields = { ...given, name: stripUnsafeCharacters(given.name) };
    const email = fields.email.trim().toLowerCase();
    const existing = await findPersonByEmail(db, email);
    if (!existing) {
      const raw = (await get<Record<string, unknown>>(
        db,
        sql`insert into people ${personRows.insert({
          name: fields.name,
          email,
          slackUserId: fields.slackUserId ?? null,
          teamsUserId: fields.teamsUserId ?? null,
          isAdmin: fields.isAdmin ?? false,
          weeklyDigest: fields.weeklyDigest ?? false,
          createdAt: at,
        })} returning ${personRows.columns()}`,
      ))!;
      const person = personRows.toRow(raw);
      return { person, outcome: 'created' };
    }
    const next = {
      name: fields.name,
      slackUserId: fields.slackUserId === undefined ? existing.slackUserId : fields.slackUserId,
      teamsUserId: fields.teamsUserId === undefined ? existing.teamsUserId : fields.teamsUserId,
      isAdmin: fields.isAdmin ?? existing.isAdmin,
      weeklyDigest: fields.weeklyDigest ?? existing.weeklyDigest,
    };
    const changed =
      next.name !== existing.name ||
      next.slackUserId !== existing.slackUserId ||
      next.teamsUserId !== existing.teamsUserId ||
      next.isAdmin !== existing.isAdmin ||
      next.weeklyDigest !== existing.weeklyDigest;
    if (!changed) return { person: existing, outcome: 'unchanged' };
    const person = personRows.toRow((await get<Record<string, unknown>>(db, sql`update people set ${personRows.set(next)} where id = ${existing.id} returning ${personRows.columns()}`))!);
    return { person, outcome: 'updated' };
  });
}
