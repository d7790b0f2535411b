// How migrate-to-postgres turns SQLite rows into PostgreSQL rows, decided from the two databases'
// column definitions: parents before children, flags and JSON converted by the target's types, a
// column added to both picked up with no list to edit, and a column or table only SQLite has
// refused (its data would be left behind). The copy itself runs in tests/postgres.
import { describe, expect, it } from 'vitest';
import { comparable, planCopy, type TargetColumn, TableChecksum, toPostgres, UnconvertibleValue } from '../../src/store/sqlite-to-postgres-plan.js';

const col = (name: string, dataType = 'text', extra: Partial<TargetColumn> = {}): TargetColumn => ({ name, dataType, generated: false, identity: false, optional: true, ...extra });

const target = [
  { name: 'actions', columns: [col('id', 'integer', { identity: true }), col('workstream_id', 'integer'), col('ongoing', 'boolean'), col('flags', 'jsonb'), col('percent', 'integer')] },
  { name: 'workstreams', columns: [col('id', 'integer', { identity: true }), col('plan_id', 'integer'), col('title')] },
  { name: 'plans', columns: [col('id', 'integer', { identity: true }), col('title'), col('score', 'double precision')] },
  { name: 'action_search', columns: [col('action_id', 'integer'), col('text'), col('document', 'tsvector', { generated: true })] },
];
const keys = new Map([
  ['actions', ['workstreams']],
  ['workstreams', ['plans']],
]);
const source = [
  { name: 'actions', columns: ['id', 'workstream_id', 'ongoing', 'flags', 'percent'] },
  { name: 'workstreams', columns: ['id', 'plan_id', 'title'] },
  { name: 'plans', columns: ['id', 'title', 'score'] },
  { name: 'action_search', columns: ['ref', 'text'] },
  { name: 'action_search_data', columns: ['id', 'block'] },
  { name: '__drizzle_migrations', columns: ['id', 'hash'] },
  { name: 'sqlite_sequence', columns: ['name', 'seq'] },
];

describe('planCopy', () => {
  it('orders tables parents first and converts each column by its PostgreSQL type', () => {
    const { tables, problems } = planCopy(source, target, keys);
    expect(problems).toEqual([]);
    expect(tables.map((t) => t.name)).toEqual(['plans', 'workstreams', 'actions']);
    expect(tables.find((t) => t.name === 'actions')).toEqual({
      name: 'actions',
      identity: 'id',
      columns: [
        { name: 'id', conversion: 'as-is' },
        { name: 'workstream_id', conversion: 'as-is' },
        { name: 'ongoing', conversion: 'boolean' },
        { name: 'flags', conversion: 'json' },
        { name: 'percent', conversion: 'as-is' },
      ],
    });
  });

  it('picks up a column both schemas gained, with no list to edit', () => {
    const withColumn = target.map((t) => (t.name === 'plans' ? { ...t, columns: [...t.columns, col('archived', 'boolean', { optional: false })] } : t));
    const sourceWith = source.map((t) => (t.name === 'plans' ? { ...t, columns: [...t.columns, 'archived'] } : t));
    const { tables, problems } = planCopy(sourceWith, withColumn, keys);
    expect(problems).toEqual([]);
    expect(tables.find((t) => t.name === 'plans')?.columns).toContainEqual({ name: 'archived', conversion: 'boolean' });
  });

  it('refuses what only one side has, naming it', () => {
    const extra = [...source.map((t) => (t.name === 'plans' ? { ...t, columns: [...t.columns, 'secret_notes'] } : t)), { name: 'legacy_notes', columns: ['id'] }];
    const { problems } = planCopy(extra, [...target, { name: 'kpis', columns: [col('id', 'integer'), col('name', 'text', { optional: false })] }], keys);
    expect(problems).toEqual([
      'The SQLite database has a table "legacy_notes" that the PostgreSQL schema lacks (is this sendbot older than the database?).',
      'The SQLite column plans.secret_notes has no place in PostgreSQL\'s plans table.',
      'The SQLite database has no table "kpis", which the PostgreSQL schema has.',
    ]);
  });

  it('says so when foreign keys go round in a circle', () => {
    const { problems } = planCopy(source, target, new Map([...keys, ['plans', ['actions']]]));
    expect(problems.join('\n')).toMatch(/refer to each other in a circle/);
  });
});

describe('values', () => {
  it('flags become booleans; anything but 0/1 is refused', () => {
    expect(toPostgres(1, 'boolean')).toBe(true);
    expect(toPostgres(0, 'boolean')).toBe(false);
    expect(toPostgres(null, 'boolean')).toBeNull();
    expect(() => toPostgres('yes', 'boolean')).toThrow(UnconvertibleValue);
  });

  it('JSON text passes as it is; text that is not JSON is refused', () => {
    expect(toPostgres('{"a":1}', 'json')).toBe('{"a":1}');
    expect(() => toPostgres('{not json', 'json')).toThrow(/not JSON/);
  });

  it('text PostgreSQL cannot store (NUL, binary) is refused; a number in a text column becomes text', () => {
    expect(() => toPostgres('a\u0000b', 'text')).toThrow(/NUL/);
    expect(() => toPostgres(Buffer.from([1]), 'text')).toThrow(/binary/);
    expect(toPostgres(42, 'text')).toBe('42');
  });

  it('compares JSON whatever its key order and spacing, flags whatever their spelling', () => {
    expect(comparable('{"b": 2, "a": [1, {"d":1,"c":2}]}', 'json')).toBe(comparable('{"a":[1,{"c":2,"d":1}],"b":2}', 'json'));
    expect(comparable(1, 'boolean')).toBe(comparable(true, 'boolean'));
  });

  it('checksums the same rows in any order alike, and a changed value differently', () => {
    const rows = [
      [1, 'a', 1],
      [2, 'b', 0],
      [3, 'c', 1],
    ];
    const conversions = ['as-is', 'text', 'boolean'] as const;
    const sum = (list: unknown[][]) => {
      const checksum = new TableChecksum();
      for (const row of list) checksum.add(row, conversions);
      return checksum.value;
    };
    expect(sum(rows)).toBe(sum([...rows].reverse()));
    expect(sum(rows)).not.toBe(sum([rows[0], rows[1], [3, 'C', 1]] as unknown[][]));
    expect(sum(rows)).not.toBe(sum(rows.slice(0, 2)));
  });
});
