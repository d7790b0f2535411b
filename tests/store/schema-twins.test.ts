// db/schema.ts (SQLite) and db/schema.pg.ts (PostgreSQL) describe one database twice, because drizzle
// is dialect-specific. This reads both from drizzle's own table objects and fails when they drift:
// a table, column, default, primary key, foreign key or index added to one and not the other, a
// nullability that differs, or a column type with no agreed twin.
import { SQL, StringChunk, is } from 'drizzle-orm';
import { PgTable, getTableConfig as getPgTableConfig } from 'drizzle-orm/pg-core';
import { SQLiteTable, getTableConfig as getSqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../../db/schema.pg.js';
import * as sqliteSchema from '../../db/schema.js';

/**
 * SQLite column type → the PostgreSQL column types agreed as its twin (drizzle's columnType names).
 * Why each: see the header of db/schema.pg.ts.
 */
const TYPE_TWINS: Record<string, readonly string[]> = {
  SQLiteInteger: ['PgInteger', 'PgBigInt53'], // bigint (mode 'number') where int4 would overflow
  SQLiteReal: ['PgDoublePrecision'], // PostgreSQL's real is 4 bytes: it would round
  SQLiteBoolean: ['PgBoolean'], // integer 0/1 on SQLite
  SQLiteText: ['PgText'],
  SQLiteTextJson: ['PgJsonb'],
};

/** What the two schemas must agree on for one column, in a form both dialects produce. */
interface ColumnShape {
  type: string;
  notNull: boolean;
  primaryKey: boolean;
  default: string | null;
}

/** One index: its columns in order, unique or not, and its partial-index condition if any. */
interface IndexShape {
  columns: string[];
  unique: boolean;
  where: string | null;
}

interface TableShape {
  columns: Record<string, ColumnShape>;
  indexes: Record<string, IndexShape>;
  /** "column → table.column" for each foreign key. */
  foreignKeys: string[];
}

/** The text of a static SQL fragment (a default or an index condition), less PostgreSQL's `::type` cast. */
function sqlText(fragment: SQL): string {
  const text = fragment.queryChunks
    .map((chunk) => {
      if (!is(chunk, StringChunk)) throw new Error('expected a static SQL fragment (only text, no parameters or columns)');
      return chunk.value.join('');
    })
    .join('');
  return text.replace(/::[a-z ]+$/i, '');
}

function defaultShape(value: unknown, hasDefault: boolean): string | null {
  if (!hasDefault || value === undefined) return null;
  return is(value, SQL) ? sqlText(value) : JSON.stringify(value);
}

type AnyConfig = ReturnType<typeof getSqliteTableConfig> | ReturnType<typeof getPgTableConfig>;

function shapeOf(config: AnyConfig, typeOf: (columnType: string) => string): TableShape {
  const columns: Record<string, ColumnShape> = {};
  for (const column of config.columns) {
    columns[column.name] = {
      type: typeOf(column.columnType),
      notNull: column.notNull,
      primaryKey: column.primary,
      // An identity (PostgreSQL) or rowid alias (SQLite) id counts as a default on both.
      default: column.primary ? null : defaultShape(column.default, column.hasDefault),
    };
  }
  const indexes: Record<string, IndexShape> = {};
  for (const index of config.indexes) {
    indexes[index.config.name ?? '(unnamed)'] = {
      columns: index.config.columns.map((c) => ('name' in c ? String(c.name) : '(expression)')),
      unique: index.config.unique ?? false,
      where: index.config.where ? sqlText(index.config.where) : null,
    };
  }
  const foreignKeys = config.foreignKeys
    .map((fk) => {
      const ref = fk.reference();
      const target = is(ref.foreignTable, SQLiteTable) ? getSqliteTableConfig(ref.foreignTable).name : getPgTableConfig(ref.foreignTable as PgTable).name;
      return `${ref.columns.map((c) => c.name).join(',')} → ${target}.${ref.foreignColumns.map((c) => c.name).join(',')}`;
    })
    .sort();
  return { columns, indexes, foreignKeys };
}

/** The SQLite twin's types are written as the PostgreSQL types they may become, to compare with. */
function sqliteShapes(): Record<string, TableShape> {
  const shapes: Record<string, TableShape> = {};
  for (const value of Object.values(sqliteSchema)) {
    if (!is(value, SQLiteTable)) continue;
    const config = getSqliteTableConfig(value);
    shapes[config.name] = shapeOf(config, (type) => {
      const twins = TYPE_TWINS[type];
      if (!twins) throw new Error(`${config.name}: SQLite column type ${type} has no agreed PostgreSQL twin; add one to TYPE_TWINS`);
      return twins.join(' | ');
    });
  }
  return shapes;
}

function pgShapes(): Record<string, TableShape> {
  const shapes: Record<string, TableShape> = {};
  for (const value of Object.values(pgSchema)) {
    if (!is(value, PgTable)) continue;
    const config = getPgTableConfig(value);
    shapes[config.name] = shapeOf(config, (type) => type);
  }
  return shapes;
}

const sqlite = sqliteShapes();
const pg = pgShapes();

describe('the SQLite and PostgreSQL schemas', () => {
  it('have the same tables', () => {
    expect(Object.keys(pg).sort()).toEqual(Object.keys(sqlite).sort());
    expect(Object.keys(sqlite).length).toBeGreaterThan(20);
  });

  describe.each(Object.keys(sqlite).sort())('table %s', (name) => {
    const ours = sqlite[name] as TableShape;
    const twin = () => pg[name] ?? { columns: {}, indexes: {}, foreignKeys: [] };

    it('has the same columns, nullability, primary key and defaults, with twin types', () => {
      const theirs = twin().columns;
      expect(Object.keys(theirs).sort()).toEqual(Object.keys(ours.columns).sort());
      for (const [column, shape] of Object.entries(ours.columns)) {
        const other = theirs[column];
        // Compared as one object so a failure names the column and every field that differs.
        expect({ column, ...other, type: other && shape.type.split(' | ').includes(other.type) ? shape.type : other?.type }).toEqual({ column, ...shape });
      }
    });

    it('has the same unique and plain indexes', () => {
      expect(twin().indexes).toEqual(ours.indexes);
    });

    it('has the same foreign keys', () => {
      expect(twin().foreignKeys).toEqual(ours.foreignKeys);
    });
  });

  it('map a real to double precision and an integer boolean to boolean (the agreed twins are in use)', () => {
    expect(pg.kpi_readings?.columns.value?.type).toBe('PgDoublePrecision');
    expect(pg.people?.columns.is_admin?.type).toBe('PgBoolean');
    expect(pg.outbox?.columns.payload?.type).toBe('PgJsonb');
    expect(pg.updates?.indexes.updates_reported?.where).toBe("kind <> 'import'");
  });
});
