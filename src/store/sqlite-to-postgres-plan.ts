// How an SQLite sendbot database's rows become PostgreSQL rows (`sendbot migrate-to-postgres`),
// worked out from the two databases' own column definitions, not from a hand list: the source's
// `pragma table_info` and the target's information_schema after its migrations. A column added to
// both schemas is copied without touching this file; a column or table only the source has stops
// the copy (its data would be left behind). Pure: no I/O.
import { createHash } from 'node:crypto';

export interface SourceTable {
  name: string;
  columns: string[];
}

export interface TargetColumn {
  name: string;
  /** information_schema's data_type: boolean, jsonb, integer, bigint, double precision, text… */
  dataType: string;
  /** A generated column (action_search's tsvector): computed by PostgreSQL, never copied. */
  generated: boolean;
  identity: boolean;
  /** Nullable, or has a default: may be left out when the source has no such column. */
  optional: boolean;
}

export interface TargetTable {
  name: string;
  columns: TargetColumn[];
}

/** child table → the tables its foreign keys point at. */
export type ForeignKeys = ReadonlyMap<string, readonly string[]>;

/** How one column's SQLite values are written: flags as booleans, JSON text as jsonb, the rest as they are. */
export type Conversion = 'boolean' | 'json' | 'text' | 'as-is';

export interface TableCopy {
  name: string;
  columns: { name: string; conversion: Conversion }[];
  /** The identity column to move on past the largest copied id, if the table has one. */
  identity: string | undefined;
}

/** Tables that are SQLite's or drizzle's own, or the FTS5 search index and its shadow tables: never copied. */
const SQLITE_INTERNAL = /^(sqlite_|__drizzle_migrations$|action_search($|_))/;

/**
 * Tables PostgreSQL builds itself rather than receiving rows: the search index (rebuilt from the
 * actions) and its count of actions per word (kept by action_search's triggers).
 */
export const REBUILT_TABLES = new Set(['action_search', 'action_search_lexemes']);

export function conversionFor(dataType: string): Conversion {
  if (dataType === 'boolean') return 'boolean';
  if (dataType === 'jsonb' || dataType === 'json') return 'json';
  if (dataType === 'text' || dataType === 'character varying') return 'text';
  return 'as-is';
}

/**
 * The tables to copy, parents before children, with each column's conversion; or the reasons the
 * two schemas do not line up (a table or column only one side has), each as a sentence.
 */
export function planCopy(source: readonly SourceTable[], target: readonly TargetTable[], foreignKeys: ForeignKeys): { tables: TableCopy[]; problems: string[] } {
  const problems: string[] = [];
  const sourceByName = new Map(source.map((t) => [t.name, t]));
  const copied = target.filter((t) => !REBUILT_TABLES.has(t.name));
  const targetNames = new Set(target.map((t) => t.name));
  for (const table of source) {
    if (!SQLITE_INTERNAL.test(table.name) && !targetNames.has(table.name)) {
      problems.push(`The SQLite database has a table "${table.name}" that the PostgreSQL schema lacks (is this sendbot older than the database?).`);
    }
  }
  const tables: TableCopy[] = [];
  for (const table of copied) {
    const from = sourceByName.get(table.name);
    if (!from) {
      problems.push(`The SQLite database has no table "${table.name}", which the PostgreSQL schema has.`);
      continue;
    }
    const targetColumns = new Map(table.columns.map((c) => [c.name, c]));
    const columns: TableCopy['columns'] = [];
    for (const name of from.columns) {
      const column = targetColumns.get(name);
      if (!column || column.generated) problems.push(`The SQLite column ${table.name}.${name} has no place in PostgreSQL's ${table.name} table.`);
      else columns.push({ name, conversion: conversionFor(column.dataType) });
    }
    for (const column of table.columns) {
      if (!column.generated && !column.optional && !from.columns.includes(column.name)) {
        problems.push(`PostgreSQL's ${table.name}.${column.name} must have a value, and the SQLite database has no such column.`);
      }
    }
    const identity = table.columns.find((c) => c.identity && from.columns.includes(c.name))?.name;
    tables.push({ name: table.name, columns, identity });
  }
  return { tables: inForeignKeyOrder(tables, foreignKeys, problems), problems };
}

/** Parents before children (a table's references to itself are its own business: rows go in id order). */
function inForeignKeyOrder(tables: TableCopy[], foreignKeys: ForeignKeys, problems: string[]): TableCopy[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: TableCopy[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      problems.push(`The tables ${[...path, name].join(' → ')} refer to each other in a circle, so no order of copying satisfies their foreign keys.`);
      return;
    }
    state.set(name, 'visiting');
    for (const parent of [...(foreignKeys.get(name) ?? [])].sort()) if (parent !== name && byName.has(parent)) visit(parent, [...path, name]);
    state.set(name, 'done');
    const table = byName.get(name);
    if (table) ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table.name, []);
  return ordered;
}

/** Why a value cannot be written to PostgreSQL (thrown by toPostgres, named with its table, column and row there). */
export class UnconvertibleValue extends Error {}

/** One SQLite value as PostgreSQL's column takes it. */
export function toPostgres(value: unknown, conversion: Conversion): unknown {
  if (value === null || value === undefined) return null;
  switch (conversion) {
    case 'boolean':
      if (value === 0 || value === 1 || value === 0n || value === 1n) return Number(value) === 1;
      throw new UnconvertibleValue(`holds ${JSON.stringify(String(value))}, not a 0/1 flag`);
    case 'json': {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      try {
        JSON.parse(text);
      } catch {
        throw new UnconvertibleValue(`holds text that is not JSON (${JSON.stringify(text.slice(0, 40))})`);
      }
      return text;
    }
    case 'text':
      if (Buffer.isBuffer(value)) throw new UnconvertibleValue('holds binary data where text belongs');
      if (typeof value === 'string' && value.includes('\u0000')) throw new UnconvertibleValue('holds a NUL character, which PostgreSQL text cannot store');
      return String(value);
    default:
      return typeof value === 'bigint' ? value.toString() : value;
  }
}

/**
 * A value as the verification compares it, the same from either database: flags as true/false
 * (PostgreSQL's store reads them back as 1/0), JSON with its keys sorted (jsonb does not keep key
 * order or spacing), numbers and text as they are.
 */
export function comparable(value: unknown, conversion: Conversion): unknown {
  if (value === null || value === undefined) return null;
  if (conversion === 'boolean') return Number(value) === 1 || value === true;
  if (conversion === 'json') return canonicalJson(JSON.parse(typeof value === 'string' ? value : JSON.stringify(value)));
  if (conversion === 'text') return String(value);
  return typeof value === 'bigint' ? Number(value) : value;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A checksum of a table's rows that does not depend on their order: the sum (mod 2^64) of each
 * row's SHA-256. Two tables with the same rows, in any order, have the same checksum.
 */
export class TableChecksum {
  private sum = 0n;
  rows = 0;

  add(values: readonly unknown[], conversions: readonly Conversion[]): void {
    const row = JSON.stringify(values.map((v, i) => comparable(v, conversions[i] ?? 'as-is')));
    this.sum = (this.sum + createHash('sha256').update(row).digest().readBigUInt64BE(0)) & 0xffff_ffff_ffff_ffffn;
    this.rows += 1;
  }

  get value(): string {
    return this.sum.toString(16).padStart(16, '0');
  }
}
