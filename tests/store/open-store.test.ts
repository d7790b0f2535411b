// Where the store is, from one setting: a mistyped or malformed address is refused in one sentence
// that never shows the password, and nothing is created (a misspelt scheme once became an SQLite
// file named after the address, password and all). Needs no server: each is refused before connecting.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DatabaseOpenError } from '../../src/store/database.js';
import { openStore, openStoreDryRun } from '../../src/store/open-store.js';
import { tempDir } from '../helpers/temp.js';

async function refusal(open: () => Promise<unknown>): Promise<string> {
  const error = await open().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatabaseOpenError);
  const message = (error as Error).message;
  expect(message).not.toContain('s3cret');
  return message;
}

describe('openStore refuses an address it cannot use', () => {
  it('a misspelt scheme, without creating any file where the process runs', async () => {
    const dir = tempDir();
    const before = process.cwd();
    process.chdir(dir);
    try {
      for (const address of ['postgress://sendbot:s3cret@127.0.0.1:5432/wm1', 'mysql://sendbot:s3cret@db/wm1']) {
        expect(await refusal(() => openStore(address))).toMatch(/is not a PostgreSQL address: DATABASE_URL and --db take postgres:\/\//);
        expect(await refusal(() => openStoreDryRun(address))).toContain('sendbot:***@');
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(before);
    }
  });

  it('a malformed port, a missing database name or an unknown sslmode, each said plainly', async () => {
    expect(await refusal(() => openStore('postgres://sendbot:s3cret@127.0.0.1:3332x/wm1'))).toContain('is not a valid address');
    expect(await refusal(() => openStore('postgres://sendbot:s3cret@127.0.0.1:5432'))).toContain('names no database');
    expect(await refusal(() => openStore('postgres://sendbot:s3cret@127.0.0.1:5432/wm1?sslmode=requir'))).toContain('sslmode=requir, which PostgreSQL does not know');
  });

  it('a CA file that cannot be read, naming DATABASE_CA_FILE', async () => {
    const message = await refusal(() => openStore('postgres://sendbot:s3cret@127.0.0.1:5432/wm1?sslmode=require', { caFile: '/no/such/ca.pem' }));
    expect(message).toContain('DATABASE_CA_FILE names /no/such/ca.pem, which cannot be read (ENOENT)');
  });
});
