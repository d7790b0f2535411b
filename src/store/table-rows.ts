// Whole rows of one table through `sql` templates, in the shape drizzle's query builder gave them:
// camelCase keys, flags as booleans, JSON columns parsed. The repositories that read or write a whole
// row (a person, a board, a meeting, a plan…) share this instead of each spelling out its columns,
// so a column added to db/schema.ts is read and written here too. Aliases are double-quoted: PostgreSQL
// lower-cases unquoted ones.
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { boolParam } from './dialect.js';

export interface TableRows<Row> {
  /** The select list: every column under its camelCase key (`"is_admin" as "isAdmin", …`), qualified by `alias` when given. */
  columns(alias?: string): SQL;
  /** A row read with {@link columns} as the builder gave it: flags as booleans, JSON columns parsed. */
  toRow(raw: Record<string, unknown>): Row;
  /** `"col" = value, …` for an update, from the fields given (undefined ones are left out, as the builder did). */
  set(fields: Partial<Row>): SQL;
  /** `("col", …) values (value, …)` for an insert, from the fields given (undefined ones take the default). */
  insert(fields: Partial<Row>): SQL;
}

export function tableRows<T extends SQLiteTable>(table: T): TableRows<T['$inferSelect']> {
  type Row = T['$inferSelect'];
  const columns = Object.entries(getTableColumns(table)) as [string, SQLiteColumn][];
  const byKey = new Map(columns);

  // What to bind for a field: flags through dialect.ts (the driver cannot bind a JS boolean), JSON as text.
  const param = (key: string, value: unknown): unknown => {
    const column = byKey.get(key);
    if (!column) throw new Error(`${key} is not a column of this table`);
    if (value === null) return null;
    if (column.columnType === 'SQLiteBoolean') return boolParam(value as boolean);
    if (column.columnType === 'SQLiteTextJson') return JSON.stringify(value);
    return value;
  };
  const given = (fields: Partial<Row>) => Object.entries(fields).filter(([, value]) => value !== undefined);
  const name = (key: string) => sql.identifier(byKey.get(key)!.name);

  return {
    columns(alias?: string): SQL {
      const qualifier = alias ? `"${alias}".` : '';
      return sql.raw(columns.map(([key, column]) => `${qualifier}"${column.name}" as "${key}"`).join(', '));
    },
    toRow(raw: Record<string, unknown>): Row {
      const row: Record<string, unknown> = {};
      for (const [key, column] of columns) {
        const value = raw[key];
        row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
      }
      return row as Row;
    },
    set(fields: Partial<Row>): SQL {
      const pairs = given(fields).map(([key, value]) => sql`${name(key)} = ${param(key, value)}`);
      if (pairs.length === 0) throw new Error('nothing to update');
      return sql.join(pairs, sql`, `);
    },
    insert(fields: Partial<Row>): SQL {
      const entries = given(fields);
      const names = sql.join(entries.map(([key]) => name(key)), sql`, `);
      const values = sql.join(entries.map(([key, value]) => sql`${param(key, value)}`), sql`, `);
      return sql`(${names}) values (${values})`;
    },
  };
}
