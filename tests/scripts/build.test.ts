// scripts/build.mjs: `npm start` compiles only when a source changed since the last build.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A tiny project laid out like sendbot (same script, tsconfig shape and outputs), using sendbot's TypeScript. */
function tinyProject(): string {
  const dir = tempDir('sendbot-build-');
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'db'));
  copyFileSync(join(ROOT, 'scripts', 'build.mjs'), join(dir, 'scripts', 'build.mjs'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tiny', type: 'module' }));
  // No standard library (a few declarations instead): the real one takes tsc seconds to load.
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, rootDir: '.', outDir: 'dist', types: [], noLib: true } }),
  );
  writeFileSync(
    join(dir, 'src', 'lib.d.ts'),
    ['Array<T> { length: number; [n: number]: T }', 'Boolean {}', 'CallableFunction {}', 'Function {}', 'IArguments {}', 'NewableFunction {}', 'Number {}', 'Object {}', 'RegExp {}', 'String {}']
      .map((d) => `interface ${d}\n`)
      .join(''),
  );
  writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src', 'db/schema.ts'] }));
  writeFileSync(join(dir, 'db', 'schema.ts'), 'export const schema = 1;\n');
  writeFileSync(join(dir, 'src', 'cli.ts'), 'export const cli = 1;\n');
  writeFileSync(join(dir, 'src', 'main.ts'), "export const greeting = 'one';\n");
  return dir;
}

const prestart = (dir: string) => execFileSync(process.execPath, [join(dir, 'scripts', 'build.mjs'), '--if-stale'], { cwd: dir, encoding: 'utf8' });
const builtMain = (dir: string) => readFileSync(join(dir, 'dist', 'src', 'main.js'), 'utf8');
const builtAt = (dir: string) => statSync(join(dir, 'dist', 'src', 'main.js')).mtimeMs;
/** Sets a file's modification time `seconds` from now (later than any build so far). */
const touch = (path: string, seconds = 2) => {
  const at = new Date(Date.now() + seconds * 1000);
  utimesSync(path, at, at);
};

// Each step runs tsc in a child process: give a busy machine room.
describe('scripts/build.mjs --if-stale', { timeout: 120_000 }, () => {
  it('builds a fresh clone, then skips while nothing changed, and rebuilds after an edit, a new file or a deletion', () => {
    const dir = tinyProject();
    prestart(dir);
    expect(builtMain(dir)).toContain("'one'");
    expect(existsSync(join(dir, 'dist', '.build-stamp'))).toBe(true);

    const first = builtAt(dir);
    prestart(dir);
    expect(builtAt(dir)).toBe(first);

    writeFileSync(join(dir, 'src', 'main.ts'), "export const greeting = 'two';\n");
    touch(join(dir, 'src', 'main.ts'));
    prestart(dir);
    expect(builtMain(dir)).toContain("'two'");

    writeFileSync(join(dir, 'src', 'extra.ts'), 'export const extra = 3;\n');
    touch(join(dir, 'src', 'extra.ts'), 4);
    touch(join(dir, 'src'), 4);
    prestart(dir);
    expect(existsSync(join(dir, 'dist', 'src', 'extra.js'))).toBe(true);

    // A deletion shows only in the directory's time; the build then runs again (and still succeeds).
    rmSync(join(dir, 'src', 'extra.ts'));
    rmSync(join(dir, 'dist', 'src', 'extra.js'));
    touch(join(dir, 'src'), 6);
    prestart(dir);
    expect(existsSync(join(dir, 'dist', 'src', 'extra.js'))).toBe(false);
    expect(statSync(join(dir, 'dist', '.build-stamp')).mtimeMs).toBeGreaterThan(first);
  });

  it('builds again when an output is missing, and leaves no stamp when the compiler fails', () => {
    const dir = tinyProject();
    prestart(dir);
    rmSync(join(dir, 'dist', 'src', 'main.js'));
    prestart(dir);
    expect(builtMain(dir)).toContain("'one'");

    writeFileSync(join(dir, 'src', 'main.ts'), 'export const broken: number = "text";\n');
    touch(join(dir, 'src', 'main.ts'));
    rmSync(join(dir, 'dist', '.build-stamp'));
    expect(() => prestart(dir)).toThrow();
    expect(existsSync(join(dir, 'dist', '.build-stamp'))).toBe(false);
  });
});
