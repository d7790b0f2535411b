// Many rows into one table, for the plan import's bulk writes. On PostgreSQL each statement is a
// round trip, so a batch is one INSERT … SELECT over unnest(one array per column) per few thousand
// rows; the rows are inserted in the order given, so identities are handed out in that order, as
// one INSERT per row would. On SQLite a statement costs no round trip and the one-row prepared
// statement per row stays the fastest form, so it runs that.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { PostgresDb } from './postgres-database.js';
import { all, type Prepared, prepared } from './statements.js';

/** A column's PostgreSQL type: its values are sent as one array of it (jsonb as text, cast back). */
export type BatchColumnType = 'integer' | 'text' | 'boolean' | 'jsonb';

export interface BatchColumn {
  column: string;
  /** The row's field that holds the column's value (several columns may share one, e.g. created_at and updated_at). */
  key: string;
  type: BatchColumnType;
}

/** Rows per PostgreSQL statement: large enough that round trips do not count, small enough to bound one message. */
const ROWS_PER_STATEMENT = 5000;

export class BatchedInsert {
  private readonly one: Prepared;

  constructor(
    private readonly table: string,
    private readonly columns: readonly BatchColumn[],
  ) {
    this.one = prepared(
      sql`insert into ${sql.identifier(table)} (${this.columnList()}) values (${sql.join(
        columns.map((c) => sql.placeholder(c.key)),
        sql`, `,
      )})`,
    );
  }

  /** Inserts the rows in order and gives their new ids, in the same order. */
  async insert(db: Db, rows: readonly Record<string, unknown>[]): Promise<number[]> {
    const ids: number[] = [];
    if (db instanceof PostgresDb) {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = await all<{ id: number }>(db, this.pgInsert(rows.slice(i, i + ROWS_PER_STATEMENT), sql` returning id`));
        // Identities are handed out in insertion order, which is the rows' order (order by ord).
        ids.push(...chunk.map((r) => Number(r.id)).sort((a, b) => a - b));
      }
      return ids;
    }
    for (const row of rows) {
      // SQLite answers at once: no await per row (100k rows at a time).
      const id = this.one.insert(db, row);
      ids.push(typeof id === 'number' ? id : await id);
    }
    return ids;
  }

  /**
   * PostgreSQL: the next `count` ids of the table's identity, in one statement, for rows that
   * name each other before they are written (the same ids one insert per row would have been
   * given; writers are serialised, so nobody takes one in between). SQLite: undefined, as its
   * rows are inserted one at a time when made.
   */
  async reserveIds(db: Db, count: number): Promise<number[] | undefined> {
    if (!(db instanceof PostgresDb)) return undefined;
    if (count === 0) return [];
    const rows = await all<{ id: number }>(
      db,
      sql`select nextval(pg_get_serial_sequence(${this.table}, 'id')) as id from generate_series(1, ${count}::integer)`,
    );
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /** Inserts the rows in order (a table without ids, or ids not needed). */
  async run(db: Db, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (db instanceof PostgresDb) {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await all(db, this.pgInsert(rows.slice(i, i + ROWS_PER_STATEMENT), sql``));
      return;
    }
    for (const row of rows) {
      const done = this.one.run(db, row);
      if (done instanceof Promise) await done;
    }
  }

  private columnList(): SQL {
    return sql.join(
      this.columns.map((c) => sql.identifier(c.column)),
      sql`, `,
    );
  }

  private pgInsert(rows: readonly Record<string, unknown>[], returning: SQL): SQL {
    const arrays = this.columns.map((c) => {
      const values = rows.map((row) => {
        if (!(c.key in row)) throw new Error(`No value for column ${this.table}.${c.column} ("${c.key}")`);
        const value = row[c.key];
        if (value === undefined || value === null) return null;
        // SQLite's flags are 1/0 (boolParam): PostgreSQL's boolean array takes them as booleans.
        return c.type === 'boolean' ? Boolean(value) : value;
      });
      const type = sql.raw(c.type === 'jsonb' ? 'text[]' : `${c.type}[]`);
      return sql`${sql.param(values)}::${type}`;
    });
    const names = this.columns.map((_, i) => sql.raw(`c${i}`));
    const selected = this.columns.map((c, i) => (c.type === 'jsonb' ? sql`r.${names[i]}::jsonb` : sql`r.${names[i]}`));
    return sql`insert into ${sql.identifier(this.table)} (${this.columnList()})
      select ${sql.join(selected, sql`, `)} from unnest(${sql.join(arrays, sql`, `)}) with ordinality as r(${sql.join(names, sql`, `)}, ord)
      order by r.ord${returning}`;
  }
}
