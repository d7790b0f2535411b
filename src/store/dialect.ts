// The few SQL forms that SQLite and PostgreSQL spell differently, as drizzle `sql` fragment builders.
// Every query in src/store writes these forms through this file, so moving to another database
// changes the helpers here, not the call sites. This is the only file that knows SQLite's spelling
// of them (FTS5 search, pragmas, backups and WAL checkpoints are SQLite-only by nature and stay in
// search-repository.ts, database.ts and wal-checkpoints.ts).
import { type SQL, type SQLChunk, type SQLWrapper, sql } from 'drizzle-orm';

/** Which database's SQL a query is being compiled for (set by statements.ts around each compile). */
export type DialectName = 'sqlite' | 'postgres';

let compilingFor: DialectName = 'sqlite';

/**
 * Compiles with every {@link spelled} fragment in `dialect`'s spelling. Compiling is synchronous,
 * so the setting cannot leak into another query's compile.
 */
export function compileFor<T>(dialect: DialectName, compile: () => T): T {
  const before = compilingFor;
  compilingFor = dialect;
  try {
    return compile();
  } finally {
    compilingFor = before;
  }
}

/** A fragment with one spelling per database, chosen when the query is compiled (drizzle asks late). */
class Spelling implements SQLWrapper {
  constructor(
    private readonly sqlite: SQL,
    private readonly postgres: SQL,
  ) {}

  getSQL(): SQL {
    return compilingFor === 'postgres' ? this.postgres : this.sqlite;
  }

  shouldOmitSQLParens(): boolean {
    return true;
  }
}

/** `sqlite` on SQLite, `postgres` on PostgreSQL: for the forms the two spell differently. */
export function spelled(sqlite: SQL, postgres: SQL): SQL {
  return sql`${new Spelling(sqlite, postgres)}`;
}

/** Compiles a fragment to text for one database (statements.ts and postgres-statements.ts register theirs). */
type Compiler = (query: SQL) => { sql: string; params: unknown[] };

const compilers = new Map<DialectName, Compiler>();

export function registerCompiler(dialect: DialectName, compile: Compiler): void {
  compilers.set(dialect, compile);
}

/** A fragment compiled once per database into fixed text (see {@link fixedText}). */
class FixedText implements SQLWrapper {
  readonly #text = new Map<DialectName, SQL>();

  constructor(private readonly query: SQL) {}

  getSQL(): SQL {
    let raw = this.#text.get(compilingFor);
    if (!raw) {
      const compile = compilers.get(compilingFor);
      if (!compile) throw new Error(`No SQL compiler registered for ${compilingFor}`);
      const compiled = compile(this.query);
      if (compiled.params.length > 0) throw new Error('fixedText() is for fragments with no bound values');
      raw = sql.raw(compiled.sql);
      this.#text.set(compilingFor, raw);
    }
    return raw;
  }

  shouldOmitSQLParens(): boolean {
    return true;
  }
}

/**
 * A large fragment with no bound values (the action view's select list and joins), compiled to text
 * once per database instead of on every query that includes it: drizzle rebuilds a fragment's text
 * each time, which for the action view was most of the allocation of an `update` (about 56 of 139 kB).
 */
export function fixedText(query: SQL): SQL {
  return sql`${new FixedText(query)}`;
}

/** What a list's values are, for PostgreSQL's types (SQLite's json_each needs no telling). */
export type JsonValueKind = 'number' | 'text' | 'json';

function kindOf(values: readonly unknown[]): JsonValueKind {
  const first = values[0];
  if (first === undefined || typeof first === 'number') return 'number';
  return typeof first === 'string' ? 'text' : 'json';
}

/** PostgreSQL: the elements of a JSON array bound as one parameter, as a one-column table `value` of their kind. */
function pgJsonElements(values: readonly unknown[], kind: JsonValueKind): SQL {
  const list = JSON.stringify(values);
  if (kind === 'json') return sql`(select e as value from json_array_elements(${list}::json) as e)`;
  const type = kind === 'number' ? sql.raw('double precision') : sql.raw('text');
  return sql`(select e::${type} as value from json_array_elements_text(${list}::json) as e)`;
}

/** A column, or any expression, as a fragment. */
export type Expr = SQL | SQLChunk;

/**
 * `expr in (values…)` with the whole list bound as ONE parameter, so the statement's text does not
 * depend on the list's length (it stays cached, and a long list never runs into the bound-parameter
 * limit). SQLite: `in (select value from json_each(?))`; PostgreSQL would be `= any(?)`.
 */
export function inList(expr: Expr, values: readonly (string | number)[]): SQL {
  return spelled(sql`${expr} in (select value from json_each(${JSON.stringify(values)}))`, sql`${expr} = any(${sql.param(values)})`);
}

/** `expr not in (values…)`, bound as one parameter (see {@link inList}). */
export function notInList(expr: Expr, values: readonly (string | number)[]): SQL {
  return spelled(sql`${expr} not in (select value from json_each(${JSON.stringify(values)}))`, sql`not (${expr} = any(${sql.param(values)}))`);
}

/**
 * The rows of a JSON array bound as one parameter, as a one-column table named `value`: what a
 * query joins against when it is given a list. SQLite: `json_each(?)`; PostgreSQL would be
 * `json_array_elements_text(?)`.
 */
export function jsonValues(values: readonly unknown[], kind: JsonValueKind = kindOf(values)): SQL {
  return spelled(sql`(select value from json_each(${JSON.stringify(values)}))`, pgJsonElements(values, kind));
}

/**
 * Aggregate: a JSON array text of `expr` over the group, in `orderBy` order when given.
 * PostgreSQL: `json_agg(expr order by …)::text`.
 */
export function jsonArrayAgg(expr: Expr, orderBy?: SQL): SQL<string> {
  return spelled(
    orderBy ? sql`json_group_array(${expr} order by ${orderBy})` : sql`json_group_array(${expr})`,
    orderBy ? sql`coalesce(json_agg(${expr} order by ${orderBy}), '[]')::text` : sql`coalesce(json_agg(${expr}), '[]')::text`,
  ) as SQL<string>;
}

/** A JSON array of the given expressions (one row's values). PostgreSQL: `json_build_array(…)`. */
export function jsonArray(...exprs: Expr[]): SQL {
  return spelled(sql`json_array(${sql.join(exprs, sql`, `)})`, sql`json_build_array(${sql.join(exprs, sql`, `)})`);
}

/** Aggregate: a JSON object text of key → value over the group. PostgreSQL: `json_object_agg(…)::text`. */
export function jsonObjectAgg(key: Expr, value: Expr): SQL<string> {
  return spelled(sql`json_group_object(${key}, ${value})`, sql`coalesce(json_object_agg(${key}, ${value}), '{}')::text`) as SQL<string>;
}

/**
 * A JSON object built from name → expression pairs (names are fixed by the code, never user input).
 * PostgreSQL: `json_build_object(…)`.
 */
export function jsonObject(fields: Record<string, Expr>): SQL {
  const parts = Object.entries(fields).map(([name, value]) => sql`${name}, ${value}`);
  return spelled(sql`json_object(${sql.join(parts, sql`, `)})`, sql`json_build_object(${sql.join(parts, sql`, `)})`);
}

/**
 * One top-level field of a JSON text column, as SQL's own value (text, number, or null).
 * SQLite: `json_extract(column, '$.key')`; PostgreSQL would be `(column::jsonb ->> 'key')`.
 * `key` is fixed by the code, never user input.
 */
export function jsonField(column: Expr, key: string): SQL {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`jsonField: "${key}" is not a plain field name`);
  return spelled(sql`json_extract(${column}, ${sql.raw(`'$.${key}'`)})`, sql`(${column}::jsonb ->> ${sql.raw(`'${key}'`)})`);
}

/** Whether a JSON text is well formed. PostgreSQL would be `pg_input_is_valid(x, 'jsonb')`. */
export function isJson(expr: Expr): SQL<boolean> {
  return spelled(sql`json_valid(${expr})`, sql`(pg_input_is_valid(${expr}, 'jsonb'))::int`) as SQL<boolean>;
}

/**
 * A boolean as the database stores it. SQLite keeps flags as integers 1/0 (and better-sqlite3 cannot
 * bind a JS boolean); PostgreSQL would bind `true`/`false`.
 */
export function boolValue(value: boolean): SQL {
  return spelled(value ? sql`1` : sql`0`, value ? sql`true` : sql`false`);
}

/** The parameter to bind for a flag column (see {@link boolValue}). */
export function boolParam(value: boolean): number {
  return value ? 1 : 0;
}

/**
 * A flag column as 1/0, for where the driver does not convert it (inside a JSON value the database
 * builds). SQLite: the column as it is; PostgreSQL: `column::int` (a JSON `true` otherwise).
 */
export function flagNumber(column: Expr): SQL {
  return spelled(sql`${column}`, sql`${column}::int`);
}

/**
 * A JSON column's text, for where it is nested in a JSON value the database builds (so it stays a
 * string there, as on SQLite, where JSON columns are text). PostgreSQL: `expr::text`, else jsonb
 * would nest as the array or object itself.
 */
export function jsonText(expr: Expr): SQL {
  return spelled(sql`${expr}`, sql`(${expr})::text`);
}

/** A flag column is set. */
export function isTrue(column: Expr): SQL {
  return spelled(sql`${column} = 1`, sql`${column} = true`);
}

/** A flag column is not set. */
export function isFalse(column: Expr): SQL {
  return spelled(sql`${column} = 0`, sql`${column} = false`);
}

/**
 * A hint to use a named index, written after a table name. SQLite's planner picks a worse index for
 * a few queries over a large plan (measured); PostgreSQL has no such hint and plans these well, so
 * there it is empty.
 */
export function indexHint(name: string): SQL {
  return spelled(sql`indexed by ${sql.identifier(name)}`, sql``);
}

/**
 * A column that the planner must not use an index for in this condition: SQLite's unary `+`
 * (used with {@link indexHint} to steer it to the selective index). Elsewhere the column as it is.
 */
export function noIndex(column: Expr): SQL {
  return spelled(sql`+${column}`, sql`${column}`);
}

/**
 * The order rows were inserted in, as a last sort key for tables without an id column (the supporting
 * roles of a workstream or action, where `position` decides and this only breaks ties). SQLite:
 * `rowid`; PostgreSQL has no stable equivalent, so those tables would need an identity column.
 */
export function insertionOrder(): SQL {
  return spelled(sql`rowid`, sql`ctid`);
}

/** The last `count` characters of a text. SQLite: `substr(x, -n)`; PostgreSQL: `right(x, n)`. */
export function lastChars(expr: Expr, count: number): SQL {
  const n = sql.raw(String(Math.trunc(count)));
  return spelled(sql`substr(${expr}, -${n})`, sql`right(${expr}, ${n})`);
}

/**
 * Written after a SELECT that claims rows (the outbox's due rows, the inbox sweep): on PostgreSQL,
 * `for update … skip locked`, so rows another instance's transaction is claiming are passed over,
 * never waited for nor taken twice. SQLite has one writer and no row locks: nothing.
 * `of` names the table alias to lock when the query joins or has subqueries.
 */
export function forUpdateSkipLocked(of?: string): SQL {
  if (of !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(of)) throw new Error(`forUpdateSkipLocked: "${of}" is not a plain alias`);
  return spelled(sql``, of ? sql`for update of ${sql.raw(of)} skip locked` : sql`for update skip locked`);
}
