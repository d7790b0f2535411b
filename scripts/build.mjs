#!/usr/bin/env node
// Compiles src/ to dist/ (`npm run build`), or with --if-stale (`npm start`'s prestart) only when a
// source is newer than the last successful build. tsc's own --incremental check still spends about
// seven seconds loading and checking the whole program to find that nothing changed; comparing
// modification times takes a few milliseconds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Written after each successful build, with the time the build started as its modification time. */
const STAMP = join('dist', '.build-stamp');
/** What the build reads (tsconfig.build.json's include, its settings, and the installed compiler and types). */
const INPUTS = ['src', 'db/schema.ts', 'db/types.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
/** Files the built app needs; if one is missing, build whatever the times say. */
const OUTPUTS = ['dist/src/main.js', 'dist/src/cli.js'];

/** The newest modification time under `path`. Directories count too: deleting or renaming a file changes its directory's time. */
function newestChange(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** True when `root`'s dist/ was built from the sources as they are now. */
export function isBuildCurrent(root = ROOT) {
  const stamp = statSync(join(root, STAMP), { throwIfNoEntry: false });
  if (!stamp || OUTPUTS.some((file) => !existsSync(join(root, file)))) return false;
  return INPUTS.every((input) => newestChange(join(root, input)) <= stamp.mtimeMs);
}

function build(root = ROOT) {
  // The stamp gets the start time, so a file saved while tsc runs makes the next start build again.
  const started = new Date();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) return result.status ?? 1;
  writeFileSync(join(root, STAMP), `built from the sources as of ${started.toISOString()}\n`);
  utimesSync(join(root, STAMP), started, started);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  process.exitCode = ifStale && isBuildCurrent() ? 0 : build();
}
