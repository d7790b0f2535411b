// `sendbot ask --as <chair> dashboard` makes the link the running service would: PUBLIC_URL, and the
// key in DASHBOARD_SECRET or else the one kept in the database.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/clock.js';
import { verifyBoardLink } from '../../src/domain/dashboard-links.js';
import { dashboardSecret } from '../../src/store/secrets-repository.js';
import { sendbotWithEnv } from '../helpers/cli.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { closeTestDb, one, sql, testDbAt } from '../helpers/test-db.js';

const NOW = '2024-11-27T09:00';
const CHAIR = 'elaine.demoster@example.org';
let path: string;

beforeAll(async () => {
  const demo = await demoPlanDb();
  path = demo.path;
  await closeTestDb(demo.db);
});

function linkIn(stdout: string): URL {
  const found = /Open the dashboard: (\S+)/.exec(stdout)?.[1];
  if (!found) throw new Error(`no link in:\n${stdout}`);
  return new URL(found);
}

async function verdict(url: URL, secret: string) {
  const db = await testDbAt(path);
  try {
    const board = await one(db, sql`select id from boards where name = 'SEND Partnership Board'`) as { id: number };
    return verifyBoardLink(secret, board.id, url.searchParams.get('exp'), url.searchParams.get('sig'), Math.floor(parseInstant(NOW).toSeconds()));
  } finally {
    await closeTestDb(db);
  }
}

describe('sendbot ask … dashboard', () => {
  it('signs with the key kept in the database when DASHBOARD_SECRET is not set, and keeps using it', async () => {
    const first = await sendbotWithEnv({ PUBLIC_URL: 'https://sendbot.example.org/' }, path, '--now', NOW, 'ask', '--as', CHAIR, 'dashboard');
    expect(first.code).toBe(0);
    const url = linkIn(first.stdout);
    expect(`${url.origin}${url.pathname}`).toBe('https://sendbot.example.org/board/send-partnership-board');
    const db = await testDbAt(path);
    const stored = await dashboardSecret(db, undefined, '2024-11-27T09:00:00.000Z');
    await closeTestDb(db);
    expect(stored).toMatch(/^[\w-]{43}$/);
    expect(await verdict(url, stored)).toMatchObject({ ok: true });
    const again = await sendbotWithEnv({ PUBLIC_URL: 'https://sendbot.example.org' }, path, '--now', NOW, 'ask', '--as', CHAIR, 'dashboard');
    expect(linkIn(again.stdout).toString()).toBe(url.toString());
  });

  it('signs with DASHBOARD_SECRET when it is set (links made before then stop working)', async () => {
    const secret = 'c'.repeat(48);
    const result = await sendbotWithEnv({ PUBLIC_URL: 'https://sendbot.example.org', DASHBOARD_SECRET: secret }, path, '--now', NOW, 'ask', '--as', CHAIR, 'dashboard');
    const url = linkIn(result.stdout);
    expect(await verdict(url, secret)).toMatchObject({ ok: true });
    const db = await testDbAt(path);
    const stored = await dashboardSecret(db, undefined, '2024-11-27T09:00:00.000Z');
    await closeTestDb(db);
    expect(await verdict(url, stored)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('says PUBLIC_URL is needed when it is not set', async () => {
    const result = await sendbotWithEnv({}, path, '--now', NOW, 'ask', '--as', CHAIR, 'dashboard');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The dashboard is not available here yet.');
    expect(result.stdout).toContain('set PUBLIC_URL');
  });
});
