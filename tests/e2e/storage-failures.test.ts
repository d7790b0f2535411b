// Uses openDatabase and $client directly on purpose (not tests/helpers/test-db.ts): it fills the
// disk with SQLite's max_page_count, makes the file read-only with query_only, and copies real files.
// When the database cannot be written: /healthz says 503 and why, and a person whose update failed
// is told plainly it was NOT saved — in Slack (real Bolt app over HTTP), Teams (real botbuilder
// adapter over HTTP) and the console. Two real ways to fail: a full disk (a small tmpfs filled up;
// where this process may not mount one, the database's own page limit, PRAGMA max_page_count,
// which fails writes with the same SQLITE_FULL), and a read-only database (PRAGMA query_only).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { runConsoleChat } from '../../src/platforms/console/console-chat.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/slack-app.js';
import { createTeamsBot, mountTeamsMessages } from '../../src/platforms/teams/teams-app.js';
import { closeDatabase, type Db, openDatabase } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { type BotConnectorServer, startBotConnectorServer } from '../helpers/bot-connector-server.js';
import { DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { postSlashCommand } from '../helpers/slack-requests.js';
import { personalMessage, postActivity, type TeamsUser } from '../helpers/teams-activities.js';
import { tempDir } from '../helpers/temp.js';
import { sqliteOf } from '../helpers/test-db.js';

const SIGNING = 'storage-e2e-signing-secret';
const NOW = '2024-11-18T10:00';
const MORGAN_SLACK = 'U0DEMO03';
const MORGAN_TEAMS: TeamsUser = { id: '29:demo-03', aadObjectId: 'aad-demo-03', name: 'Morgan Demo' };
const logger = pino({ level: 'silent' });

interface Running {
  db: Db;
  http: HttpServer;
  slack: SlackApp;
  url: string;
}

let api: SlackApiServer;
let connector: BotConnectorServer;
const running: Running[] = [];
const mounts: string[] = [];

beforeAll(async () => {
  api = await startSlackApiServer({ token: 'xoxb-storage' });
  connector = await startBotConnectorServer();
});
afterAll(async () => {
  await api?.close();
  await connector?.close();
});
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.slack.stop();
    await r.http.close();
    await closeDatabase(r.db);
  }
  for (const dir of mounts.splice(0)) execFileSync('umount', ['-l', dir]);
});

async function start(db: Db): Promise<Running> {
  const clock = fixedClock(NOW);
  const http = createHttpServer({ db, logger });
  const slack = await createSlackApp({ db, clock, config: { botToken: 'xoxb-storage', signingSecret: SIGNING, apiUrl: api.apiUrl }, logger });
  await slack.start(http);
  mountTeamsMessages(http, createTeamsBot({ db, clock, config: { appType: 'MultiTenant', allowUnauthenticated: true }, logger }));
  const { url } = await http.listen(0, '127.0.0.1');
  const r = { db, http, slack, url };
  running.push(r);
  return r;
}

const updates = (db: Db): number => (sqliteOf(db).$client.prepare('select count(*) as n from updates').get() as { n: number }).n;
/** /healthz after the one-second reuse of the previous probe has passed. */
async function healthz(url: string): Promise<{ status: number; body: { ok: boolean; db: string; reason?: string } }> {
  await new Promise((r) => setTimeout(r, 1_100));
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; db: string; reason?: string } };
}

/** The text a person sees after `/send <text>` in Slack: the acknowledgement's own message, or the response_url reply. */
async function slackAnswer(url: string, typed: string): Promise<string> {
  api.reset();
  const ack = await postSlashCommand(url, SIGNING, { text: typed, user_id: MORGAN_SLACK, response_url: api.responseUrl() });
  expect(ack.status).toBe(200);
  if (ack.body) return String((ack.json as { text?: string }).text);
  const [answer] = await api.waitForCalls('response_url', 1, 5000);
  return JSON.stringify(answer?.body);
}

async function teamsAnswer(url: string, typed: string): Promise<string> {
  connector.reset();
  const res = await postActivity(url, personalMessage({ serviceUrl: connector.url, user: MORGAN_TEAMS, text: typed }));
  expect(res.status).toBeLessThan(300);
  const [sent] = await connector.waitForRequests((r) => r.method === 'POST' && r.path.includes('/activities'), 1, 5000);
  return JSON.stringify(sent?.body);
}

async function consoleAnswer(db: Db, typed: string): Promise<string> {
  const caller = await findPersonByEmail(db, DEMO.headOfSend);
  if (!caller) throw new Error('no Morgan');
  const input = new PassThrough();
  let out = '';
  const chat = runConsoleChat({ db, clock: fixedClock(NOW), caller, input, output: { write: (t: string) => (out += t) } });
  input.end(`${typed}\n`);
  await chat;
  return out;
}

/** A tmpfs just big enough for a copy of the demo database and its WAL, or undefined where mounting is not allowed. */
function mountSmallDisk(databaseBytes: number): string | undefined {
  const dir = join(tempDir(), 'small-disk');
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(databaseBytes / 4096) * 4096 + 2 * 1024 * 1024}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

/** Writes a file until the disk has no space left. */
function fillDisk(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

/** Without a disk to fill: cap the database's pages a little above what it has, and fill them. */
function fillToPageLimit(db: Db): void {
  sqliteOf(db).$client.pragma(`max_page_count = ${(sqliteOf(db).$client.pragma('page_count', { simple: true }) as number) + 8}`);
  sqliteOf(db).$client.exec('create table test_filler (x blob)');
  // Smaller and smaller rows, until not even one byte fits.
  for (let size = 4096; size >= 1; size = Math.floor(size / 2)) {
    try {
      for (;;) sqliteOf(db).$client.prepare('insert into test_filler values (randomblob(?))').run(size);
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_FULL') throw error;
    }
  }
}

describe('a full disk', () => {
  it('makes /healthz answer 503 saying the disk is full, and each platform says the update was NOT saved', async () => {
    const { db: template, path } = await demoPlanDb();
    await closeDatabase(template);
    const disk = mountSmallDisk(statSync(path).size);
    let db: Db;
    if (disk) {
      const onDisk = join(disk, 'sendbot.db');
      copyFileSync(path, onDisk);
      db = await openDatabase(onDisk);
    } else {
      db = await openDatabase(path);
    }
    const { url } = await start(db);
    expect((await healthz(url)).status).toBe(200);
    const before = updates(db);

    if (disk) fillDisk(disk);
    else fillToPageLimit(db);

    const health = await healthz(url);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, db: 'error' });
    expect(health.body.reason).toContain('disk holding the database is full');

    // Without a tmpfs the page limit shows in /healthz, but SQLite can still reuse pages the
    // commands free (the replay cache, the inbox): the replies are proven on a real full disk.
    if (!disk) return;
    const note = 'Contract extended to March; '.repeat(30);
    expect(await slackAnswer(url, `update ND-1.1 amber 40% ${note}`)).toContain('was NOT saved, because the disk that holds sendbot’s records is full');
    expect(await teamsAnswer(url, `update ND-1.1 amber 40% ${note}`)).toContain('was NOT saved, because the disk that holds sendbot’s records is full');
    expect(await consoleAnswer(db, `update ND-1.1 amber 40% ${note}`)).toContain('was NOT saved, because the disk that holds sendbot’s records is full');
    expect(updates(db)).toBe(before);
  });
});

describe('a read-only database', () => {
  it('makes /healthz answer 503 saying so, each platform says NOT saved, and all is well again once writable', async () => {
    const { db } = await demoPlanDb();
    const { url } = await start(db);
    const before = updates(db);
    sqliteOf(db).$client.pragma('query_only = 1');

    const health = await healthz(url);
    expect(health.status).toBe(503);
    expect(health.body.reason).toContain('read-only');
    expect(await slackAnswer(url, 'update ND-1.1 amber 40% contract extended')).toContain('was NOT saved, because sendbot’s records cannot be written at the moment');
    expect(await teamsAnswer(url, 'update ND-1.1 amber 40% contract extended')).toContain('was NOT saved');
    expect(await consoleAnswer(db, 'update ND-1.1 amber 40% contract extended')).toContain('was NOT saved');
    expect(updates(db)).toBe(before);

    sqliteOf(db).$client.pragma('query_only = 0');
    expect((await healthz(url)).status).toBe(200);
    expect(await consoleAnswer(db, 'update ND-1.1 amber 40% contract extended')).toContain('Update recorded for ND-1.1');
    expect(updates(db)).toBe(before + 1);
  });
});
