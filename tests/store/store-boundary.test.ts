// Every query lives in src/store: no file under src outside it may import the database libraries
// or the schema, or reach the driver through `$client`. Row and enum types come from db/types.ts
// or a store repository's exported interfaces. This keeps a second database a change to the store.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
const STORE = join(SRC, 'store');

/** Module specifiers that belong to the store alone: the ORM, the driver, and the tables. */
const STORE_ONLY_MODULES: { pattern: RegExp; what: string }[] = [
  { pattern: /^drizzle-orm(\/|$)/, what: 'drizzle-orm' },
  { pattern: /^better-sqlite3(\/|$)/, what: 'better-sqlite3' },
  { pattern: /^pg(\/|$)/, what: 'pg' },
  { pattern: /(^|\/)db\/schema(\.pg)?(\.js|\.ts)?$/, what: 'db/schema' },
];

// Static imports and re-exports (`from '…'`), side-effect imports (`import '…'`), dynamic imports
// and require calls.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"`])([^'"`]+)\1/g;

/** The boundary problems in one file's text, each as "path: what". */
function boundaryViolations(path: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[2] ?? '';
    const rule = STORE_ONLY_MODULES.find((r) => r.pattern.test(specifier));
    if (rule) found.push(`${path}: imports ${rule.what} ('${specifier}')`);
  }
  if (text.includes('$client')) found.push(`${path}: mentions $client (the database driver)`);
  return found;
}

function sourceFilesOutsideStore(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== STORE) files.push(...sourceFilesOutsideStore(path));
    } else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name)) files.push(path);
  }
  return files;
}

describe('the store boundary', () => {
  it('no file under src outside src/store imports drizzle-orm, better-sqlite3, pg or either db/schema, or mentions $client', () => {
    const files = sourceFilesOutsideStore(SRC);
    // The walk found the code it guards (commands, platforms, jobs…), not an empty folder.
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.startsWith(STORE + sep))).toBe(false);
    const violations = files.flatMap((file) => boundaryViolations(relative(ROOT, file), readFileSync(file, 'utf8')));
    expect(violations).toEqual([]);
  });

  it('recognises each way of crossing it', () => {
    const crossings = [
      "import { eq } from 'drizzle-orm';",
      "import { sqliteTable } from 'drizzle-orm/sqlite-core';",
      'import Database from "better-sqlite3";',
      "import type { ActionStatus } from '../../db/schema.js';",
      "export { actions } from '../db/schema';",
      "const { people } = await import('../../db/schema.js');",
      "const Database = require('better-sqlite3');",
      "import pg from 'pg';",
      "import { actions } from '../../db/schema.pg.js';",
      'db.$client.prepare("select 1").get();',
    ];
    for (const line of crossings) expect(boundaryViolations('src/example.ts', line), line).toHaveLength(1);
    const allowed = [
      "import type { ActionStatus } from '../../db/types.js';",
      "import { type Db, inTransaction } from '../store/database.js';",
      "import { listActionViews } from '../store/actions-repository.js';",
      "import { z } from 'zod';",
      "import { pgpass } from 'pgpass-helper';",
    ];
    for (const line of allowed) expect(boundaryViolations('src/example.ts', line), line).toEqual([]);
  });
});
