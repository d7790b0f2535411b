// The SEND Partnership Board digest for the demo plan on its papers deadline (27 November 2024), after
// a few weeks of scripted updates, as the chair reads it in text and as it goes into a board paper in
// Markdown. Built through the real CLI; nothing in it depends on the wall clock or the temp path.
import { beforeAll, describe, expect, it } from 'vitest';
import { sendbot } from '../helpers/cli.js';
import { DIGEST_NOW, scriptedDemoDb } from '../helpers/digest-demo.js';

let db: string;

beforeAll(async () => {
  db = await scriptedDemoDb();
});

async function digest(...args: string[]): Promise<string> {
  const result = await sendbot(db, '--now', DIGEST_NOW, 'digest', ...args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('SEND Partnership Board digest, demo plan, 27 November 2024', () => {
  it('text (the chair’s preview)', async () => {
    await expect(await digest('--board', 'SEND Partnership Board', '--format', 'text')).toMatchFileSnapshot('./__snapshots__/send-partnership-board.digest.txt');
  });

  it('Markdown (the board paper)', async () => {
    await expect(await digest('--board', 'SEND Partnership Board', '--format', 'md')).toMatchFileSnapshot('./__snapshots__/send-partnership-board.digest.md');
  });

  it('Markdown with every item (--full)', async () => {
    await expect(await digest('--board', 'SEND Partnership Board', '--format', 'md', '--full')).toMatchFileSnapshot(
      './__snapshots__/send-partnership-board.digest.full.md',
    );
  });

  it('weekly digest, text', async () => {
    await expect(await digest('--weekly')).toMatchFileSnapshot('./__snapshots__/weekly.digest.txt');
  });

  it('is the same on every run', async () => {
    expect(await digest('--board', 'send partnership board')).toBe(await digest('--board', 'partnership', '--format', 'text'));
  });
});
