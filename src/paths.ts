import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, found by walking up from this file. Code runs both from `src/` (tests) and from
 * `dist/src/` (the built CLI), so fixed relative paths would differ between the two.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('sendbot: cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const migrationsFolder = (): string => join(packageRoot(), 'db', 'migrations');
/** PostgreSQL's migrations (db/schema.pg.ts), for the PostgreSQL store in progress (issue 21). */
export const postgresMigrationsFolder = (): string => join(packageRoot(), 'db', 'migrations-pg');
export const demoPlanPath = (): string => join(packageRoot(), 'db', 'seeds', 'southampton-2024.yaml');
