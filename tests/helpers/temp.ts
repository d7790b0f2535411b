import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temp dir. */
export function tempDir(prefix = 'sendbot-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A path for a new (not yet created) SQLite file. */
export function tempDbPath(): string {
  return join(tempDir(), 'sendbot.db');
}

export function writeTemp(name: string, content: string | Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}
