// bin/sendbot.js, the launcher npm links as `sendbot`: without a build it says how to make one (one
// sentence, exit 1) rather than node's module-resolution trace. Run from a copy of the launcher in
// a folder with no dist/, since this checkout has one.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const launcher = join(import.meta.dirname, '..', '..', 'bin', 'sendbot.js');

describe('bin/sendbot.js', () => {
  it('before a build: one sentence naming npm run build, exit 1, no trace', () => {
    const root = tempDir();
    mkdirSync(join(root, 'bin'));
    copyFileSync(launcher, join(root, 'bin', 'sendbot.js'));
    // A package.json of type module, as the real one, so node reads the copy as ESM.
    copyFileSync(join(import.meta.dirname, '..', '..', 'package.json'), join(root, 'package.json'));
    const result = spawnSync(process.execPath, [join(root, 'bin', 'sendbot.js'), 'people'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('sendbot is not built yet: run `npm run build` in its folder (`npm install` does it too), then run this again.\n');
    expect(result.stdout).toBe('');
  });

  it('with the build: runs the CLI', () => {
    // npm install builds dist/ (prepare), so the checkout the tests run in has one.
    const result = spawnSync(process.execPath, [launcher, '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sendbot \[options\] \[command\]/);
  });
});
