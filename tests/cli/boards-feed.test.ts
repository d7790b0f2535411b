// A board that follows its committee's calendar feed, against a feed server the test runs on
// loopback: `boards import <url> --follow`, the scheduler's daily refresh (new, moved and cancelled
// meetings, each change reported to programme officers through the outbox), and a feed that breaks
// (reported once per outage, never wiping known meetings). HTTPS with a certificate made here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { fetchFeed } from '../../src/feeds/fetch-feed.js';
import { refreshFollowedFeeds } from '../../src/jobs/refresh-feeds.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { listOutbox } from '../../src/store/outbox-repository.js';
import { sendbot } from '../helpers/cli.js';
import { tempDbPath, tempDir, writeTemp } from '../helpers/temp.js';
import { closeTestDb, rows, run, sql, testDbAt } from '../helpers/test-db.js';

const BOARD = 'SEND Partnership Board';
const PLAN = `
people:
  - { name: Pat Officer, email: pat@council.example, admin: true }
  - { name: Sam Officer, email: sam@council.example, admin: true }
  - { name: Lee Lead, email: lee@council.example }
boards:
  - name: ${BOARD}
    meetings:
      - { at: "2025-03-05T10:00" }
plans: []
`;

function calendar(...events: string[][]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//ModernGov//EN', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');
}
function event(uid: string, summary: string, ...props: string[]): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20250101T000000Z', `SUMMARY:${summary}`, ...props, 'END:VEVENT'];
}

/** A committee system's feed: what it serves can be changed, or broken, between requests. */
interface FeedServer {
  url: string;
  serve: (status: number, body: string) => void;
  requests: number;
  close: () => Promise<void>;
}

const servers: FeedServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function startFeedServer(create: (handler: http.RequestListener) => http.Server = (h) => http.createServer(h), scheme = 'http'): Promise<FeedServer> {
  let status = 200;
  let body = calendar();
  const state = {
    requests: 0,
  };
  const server = create((req, res) => {
    state.requests += 1;
    res.writeHead(status, { 'content-type': 'text/calendar; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const feed: FeedServer = {
    url: `${scheme}://127.0.0.1:${port}/mgCalendarAgendaView.ics?CID=123`,
    serve: (s, b) => {
      status = s;
      body = b;
    },
    get requests() {
      return state.requests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  servers.push(feed);
  return feed;
}

async function meetings(db: string): Promise<{ at: string; cancelled: number; title: string | null }[]> {
  const conn = await testDbAt(db);
  const found = await rows(conn, sql`select starts_at as at, cancelled, title from meetings order by starts_at`) as {
    at: string;
    cancelled: number;
    title: string | null;
  }[];
  await closeTestDb(conn);
  return found;
}

async function feedReports(db: string) {
  const conn = await testDbAt(db);
  const reports = await listOutbox(conn, { kind: 'feed_report' });
  const emails = new Map((await rows(conn, sql`select id, email from people`) as { id: number; email: string }[]).map((p) => [p.id, p.email]));
  await closeTestDb(conn);
  return reports.map((r) => ({ key: r.key, to: emails.get(r.recipientPersonId ?? -1), summary: r.payload.reply.summary, reply: r.payload.reply }));
}

async function refreshAt(db: string, now: string) {
  const conn = await testDbAt(db);
  try {
    return await refreshFollowedFeeds({ db: conn, clock: manualClock(now) });
  } finally {
    await closeTestDb(conn);
  }
}

const FIRST = calendar(
  event('spb-1@moderngov', BOARD, 'DTSTART;TZID=Europe/London:20250205T100000'),
  event('spb-2@moderngov', BOARD, 'DTSTART;TZID=Europe/London:20250305T100000'),
  event('spb-3@moderngov', BOARD, 'DTSTART;TZID=Europe/London:20250402T100000'),
);

async function following(feed: FeedServer): Promise<string> {
  const db = tempDbPath();
  expect((await sendbot(db, 'import', writeTemp('plan.yaml', PLAN))).code).toBe(0);
  feed.serve(200, FIRST);
  const result = await sendbot(db, '--now', '2025-01-10T09:00', 'boards', 'import', feed.url, '--board', BOARD, '--follow');
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain(`${BOARD}: 2 meetings added, 1 already known, 0 moved, 0 cancelled.`);
  expect(result.stdout).toContain(`${BOARD} now follows this feed: its meetings are refreshed daily`);
  return db;
}

describe('boards import from a feed URL, and following it', () => {
  it('imports from an http(s) address; --dry-run lists what it would add and writes nothing', async () => {
    const feed = await startFeedServer();
    const db = tempDbPath();
    await sendbot(db, 'import', writeTemp('plan.yaml', PLAN));
    feed.serve(200, FIRST);
    const dry = await sendbot(db, '--now', '2025-01-10T09:00', 'boards', 'import', feed.url, '--board', BOARD, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Would add: SEND Partnership Board on Wed 5 Feb 2025 10:00.');
    expect(dry.stdout).toContain('Would add: SEND Partnership Board on Wed 2 Apr 2025 10:00.');
    expect(await meetings(db)).toHaveLength(1);
    const listed = JSON.parse((await sendbot(db, 'boards', '--json')).stdout) as { feed_url: string | null }[];
    expect(listed[0]?.feed_url).toBeNull();
  });

  it('refreshes daily: new, moved and cancelled meetings appear, and each admin is told once, with every change', async () => {
    const feed = await startFeedServer();
    const db = await following(feed);
    const listed = JSON.parse((await sendbot(db, 'boards', '--json')).stdout) as { feed_url: string | null }[];
    expect(listed[0]?.feed_url).toBe(feed.url);

    // The same day: already checked at import, nothing fetched.
    const requestsBefore = feed.requests;
    expect(await refreshAt(db, '2025-01-10T18:00')).toEqual([]);
    expect(feed.requests).toBe(requestsBefore);

    // Next day the committee moved February, cancelled March, dropped April and added May.
    feed.serve(
      200,
      calendar(
        event('spb-1@moderngov', BOARD, 'DTSTART;TZID=Europe/London:20250212T100000'),
        event('spb-2@moderngov', BOARD, 'STATUS:CANCELLED', 'DTSTART;TZID=Europe/London:20250305T100000'),
        event('spb-4@moderngov', `${BOARD} (budget)`, 'DTSTART;TZID=Europe/London:20250507T100000'),
      ),
    );
    expect(await refreshAt(db, '2025-01-11T06:00')).toEqual([{ board: BOARD, outcome: 'changed' }]);
    expect((await meetings(db)).map((m) => [m.at, m.cancelled])).toEqual([
      ['2025-02-12T10:00:00.000Z', 0],
      ['2025-03-05T10:00:00.000Z', 1],
      ['2025-04-02T09:00:00.000Z', 1],
      ['2025-05-07T09:00:00.000Z', 0],
    ]);
    const reports = await feedReports(db);
    expect(reports.map((r) => r.to).sort()).toEqual(['pat@council.example', 'sam@council.example']);
    expect(reports[0]?.summary).toBe(`${BOARD}: the committee calendar changed 4 meetings.`);
    expect(reports[0]?.reply.blocks[0]).toEqual({
      type: 'list',
      items: [
        `Moved: ${BOARD} from Wed 5 Feb 2025 10:00 to Wed 12 Feb 2025 10:00.`,
        `Cancelled: ${BOARD} on Wed 5 Mar 2025 10:00 (cancelled in the feed).`,
        `Added: ${BOARD} (budget) on Wed 7 May 2025 10:00.`,
        'Cancelled: the meeting on Wed 2 Apr 2025 10:00 is no longer in the feed.',
      ],
    });

    // The day after, nothing changed: checked, nobody told.
    expect(await refreshAt(db, '2025-01-12T06:00')).toEqual([{ board: BOARD, outcome: 'unchanged' }]);
    expect(await feedReports(db)).toHaveLength(2);
  });

  it('an unreachable or broken feed is reported once per outage and never wipes known meetings', async () => {
    const feed = await startFeedServer();
    const db = await following(feed);
    const known = await meetings(db);

    feed.serve(500, 'Internal Server Error');
    expect(await refreshAt(db, '2025-01-11T06:00')).toEqual([
      { board: BOARD, outcome: 'failed', problem: 'the server answered 500 Internal Server Error (expected 200 with the calendar)' },
    ]);
    expect(await meetings(db)).toEqual(known);
    let reports = await feedReports(db);
    expect(reports).toHaveLength(2);
    expect(reports[0]?.summary).toBe(`${BOARD}: the committee calendar feed could not be read; the board's meetings were left as they are.`);

    // Still broken the next days, in other ways: no more messages, nothing changed.
    feed.serve(200, '<html><body>Service unavailable</body></html>');
    expect((await refreshAt(db, '2025-01-12T06:00'))[0]?.outcome).toBe('failed');
    feed.serve(200, calendar());
    expect(await refreshAt(db, '2025-01-13T06:00')).toEqual([
      { board: BOARD, outcome: 'failed', problem: 'the feed came back with no events at all, while the board has meetings to come from it' },
    ]);
    await feed.close();
    servers.splice(servers.indexOf(feed), 1);
    expect((await refreshAt(db, '2025-01-14T06:00'))[0]?.problem).toMatch(/^nothing answered at 127\.0\.0\.1:\d+ \(connection refused\)$/);
    expect(await feedReports(db)).toHaveLength(2);
    expect(await meetings(db)).toEqual(known);

    // It works again, then breaks again: a new outage, reported again (once).
    const back = await startFeedServer();
    const conn = await testDbAt(db);
    await run(conn, sql`update boards set feed_url = ${back.url}`);
    await closeTestDb(conn);
    back.serve(200, FIRST);
    expect(await refreshAt(db, '2025-01-15T06:00')).toEqual([{ board: BOARD, outcome: 'unchanged' }]);
    back.serve(404, 'gone');
    await refreshAt(db, '2025-01-16T06:00');
    await refreshAt(db, '2025-01-17T06:00');
    reports = await feedReports(db);
    expect(reports).toHaveLength(4);
    expect(new Set(reports.map((r) => r.key)).size).toBe(4);
    expect(await meetings(db)).toEqual(known);
  });

  it('the scheduler refreshes followed feeds in its cycle, and `boards refresh` checks now; unfollow stops it', async () => {
    const feed = await startFeedServer();
    const db = await following(feed);
    feed.serve(200, calendar(...FIRST.split('END:VCALENDAR')[0]!.split('\r\n').slice(3).filter(Boolean).map((l) => [l]), event('spb-9@moderngov', BOARD, 'DTSTART:20250604T090000Z')));
    const conn = await testDbAt(db);
    const scheduler = startScheduler({ db: conn, clock: manualClock('2025-01-11T07:00'), adapters: [], cronExpression: '0 3 1 1 *' });
    await scheduler.ready;
    const report = await scheduler.runNow();
    await scheduler.stop();
    await closeTestDb(conn);
    expect((await meetings(db)).some((m) => m.at === '2025-06-04T09:00:00.000Z' && m.cancelled === 0)).toBe(true);
    expect(report?.feeds).toEqual([]); // the startup run did it; the second run the same day fetches nothing

    feed.serve(500, 'down');
    const now = await sendbot(db, '--now', '2025-01-11T08:00', 'boards', 'refresh');
    // Exit 1 and on stderr, so cron can tell.
    expect(now.code).toBe(1);
    expect(now.stdout).toBe('');
    expect(now.stderr).toBe(`${BOARD}: the feed could not be read (the server answered 500 Internal Server Error (expected 200 with the calendar)); its meetings were left as they are.\n`);
    feed.serve(200, FIRST);
    const back = await sendbot(db, '--now', '2025-01-11T08:30', 'boards', 'refresh');
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toBe('');

    const off = await sendbot(db, 'boards', 'unfollow', BOARD);
    expect(off.stdout).toBe(`${BOARD} no longer follows ${feed.url}; its meetings stay as they are.\n`);
    const requests = feed.requests;
    expect(await refreshAt(db, '2025-01-20T06:00')).toEqual([]);
    expect(feed.requests).toBe(requests);
  });

  it('a followed feed cancels only meetings it gave: not those an earlier calendar file gave the board, at the import or at any refresh', async () => {
    const feed = await startFeedServer();
    const db = tempDbPath();
    expect((await sendbot(db, 'import', writeTemp('plan.yaml', PLAN))).code).toBe(0);
    const other = calendar(event('good-one@elsewhere', 'Good one', 'DTSTART;TZID=Europe/London:20250301T100000'));
    const fromFile = await sendbot(db, '--now', '2025-01-10T09:00', 'boards', 'import', writeTemp('a.ics', other), '--board', BOARD);
    expect(fromFile.stdout).toContain(`${BOARD}: 1 meeting added`);
    feed.serve(200, FIRST);
    const followed = await sendbot(db, '--now', '2025-01-10T09:00', 'boards', 'import', feed.url, '--board', BOARD, '--follow');
    expect(followed.stdout).toContain(`${BOARD}: 2 meetings added, 1 already known, 0 moved, 0 cancelled.`);

    // The feed unchanged: the refresh agrees with the import.
    const refresh = await sendbot(db, '--now', '2025-01-11T06:00', 'boards', 'refresh');
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(refresh.stdout).toBe(`${BOARD}: no change.\n`);
    expect(await feedReports(db)).toEqual([]);
    expect((await meetings(db)).find((m) => m.title === 'Good one')).toEqual({ at: '2025-03-01T10:00:00.000Z', cancelled: 0, title: 'Good one' });

    // The feed drops one of its own events: that meeting is cancelled, "Good one" still is not.
    feed.serve(200, calendar(event('spb-1@moderngov', BOARD, 'DTSTART;TZID=Europe/London:20250205T100000'), event('spb-2@moderngov', BOARD, 'DTSTART;TZID=Europe/London:20250305T100000')));
    expect(await refreshAt(db, '2025-01-12T06:00')).toEqual([{ board: BOARD, outcome: 'changed' }]);
    expect((await meetings(db)).map((m) => [m.at, m.cancelled, m.title])).toEqual([
      ['2025-02-05T10:00:00.000Z', 0, BOARD],
      ['2025-03-01T10:00:00.000Z', 0, 'Good one'],
      ['2025-03-05T10:00:00.000Z', 0, null],
      ['2025-04-02T09:00:00.000Z', 1, BOARD],
    ]);
    expect((await feedReports(db))[0]?.reply.blocks[0]).toEqual({ type: 'list', items: ['Cancelled: the meeting on Wed 2 Apr 2025 10:00 is no longer in the feed.'] });
  });

  it('importing a feed with --follow cancels what the daily refresh would: the meetings it gave earlier and no longer lists', async () => {
    const feed = await startFeedServer();
    const db = tempDbPath();
    expect((await sendbot(db, 'import', writeTemp('plan.yaml', PLAN))).code).toBe(0);
    feed.serve(200, FIRST);
    expect((await sendbot(db, '--now', '2025-01-10T09:00', 'boards', 'import', feed.url, '--board', BOARD)).code).toBe(0);
    feed.serve(200, calendar(event('spb-1@moderngov', BOARD, 'DTSTART;TZID=Europe/London:20250205T100000'), event('spb-2@moderngov', BOARD, 'DTSTART;TZID=Europe/London:20250305T100000')));
    const followed = await sendbot(db, '--now', '2025-01-10T10:00', 'boards', 'import', feed.url, '--board', BOARD, '--follow');
    expect(followed.stdout).toContain(`${BOARD}: 0 meetings added, 2 already known, 0 moved, 1 cancelled.`);
    expect((await meetings(db)).map((m) => [m.at, m.cancelled])).toEqual([
      ['2025-02-05T10:00:00.000Z', 0],
      ['2025-03-05T10:00:00.000Z', 0],
      ['2025-04-02T09:00:00.000Z', 1],
    ]);
    expect((await sendbot(db, '--now', '2025-01-11T06:00', 'boards', 'refresh')).stdout).toBe(`${BOARD}: no change.\n`);
  });

  it('`sendbot boards` shows each board\'s feed in full, and `none` for a board that follows none', async () => {
    const feed = await startFeedServer();
    const db = await following(feed);
    const plain = await sendbot(db, '--now', '2025-01-10T09:30', 'boards');
    const [header, , row] = plain.stdout.split('\n');
    expect(header).toMatch(/^board\s+chair\s+channel\s+next meeting\s+calendar feed$/);
    expect(row?.startsWith(BOARD)).toBe(true);
    expect(row?.trimEnd().endsWith(feed.url)).toBe(true);
    await sendbot(db, 'boards', 'unfollow', BOARD);
    const after = await sendbot(db, '--now', '2025-01-10T09:30', 'boards');
    expect(after.stdout.split('\n')[2]?.trimEnd()).toMatch(/\snone$/);
  });

  it('takes a unique part of a board\'s name, as other commands do; several fits or a slip are refused with the names', async () => {
    const db = tempDbPath();
    const plan = `${PLAN.replace('plans: []', '')}  - name: SEND Scrutiny Board\nplans: []\n`;
    const imported = await sendbot(db, 'import', writeTemp('plan.yaml', plan));
    expect(imported.code, imported.stderr).toBe(0);
    const ics = writeTemp('s.ics', calendar(event('scr-1@moderngov', 'Scrutiny', 'DTSTART;TZID=Europe/London:20250310T140000')));
    const part = await sendbot(db, '--now', '2025-01-10T09:00', 'boards', 'import', ics, '--board', 'scrutiny');
    expect(part.code, part.stderr).toBe(0);
    expect(part.stdout).toContain('SEND Scrutiny Board: 1 meeting added');
    const several = await sendbot(db, '--now', '2025-01-10T09:00', 'boards', 'import', ics, '--board', 'send board');
    expect(several.code).toBe(1);
    expect(several.stderr).toBe('"send board" fits several boards: "SEND Partnership Board", "SEND Scrutiny Board". Give more of the name. Nothing was changed.\n');
    const slip = await sendbot(db, '--now', '2025-01-10T09:00', 'boards', 'import', ics, '--board', 'SEND Scrutny Board');
    expect(slip.code).toBe(1);
    expect(slip.stderr).toContain('Did you mean "SEND Scrutiny Board"?');
    expect((await meetings(db)).filter((m) => m.title === 'Scrutiny')).toHaveLength(1);
  });

  it('refuses --follow for a file, and an unreachable address, plainly and without changes', async () => {
    const db = tempDbPath();
    await sendbot(db, 'import', writeTemp('plan.yaml', PLAN));
    const file = await sendbot(db, 'boards', 'import', writeTemp('c.ics', FIRST), '--board', BOARD, '--follow');
    expect(file.code).toBe(1);
    expect(file.stderr).toContain("--follow needs the feed's web address");
    const feed = await startFeedServer();
    feed.serve(404, 'not here');
    const missing = await sendbot(db, 'boards', 'import', feed.url, '--board', BOARD, '--follow');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`Cannot fetch ${feed.url}: the server answered 404 Not Found (expected 200 with the calendar). Nothing was changed.\n`);
    const listed = JSON.parse((await sendbot(db, 'boards', '--json')).stdout) as { feed_url: string | null }[];
    expect(listed[0]?.feed_url).toBeNull();
    expect(await meetings(db)).toHaveLength(1);
  });

  it('downloads over HTTPS from a server whose certificate authority it is told to trust, and refuses one it is not', async () => {
    const dir = tempDir();
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
      stdio: 'ignore',
    });
    const feed = await startFeedServer((h) => https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, h), 'https');
    feed.serve(200, FIRST);
    const body = await fetchFeed(feed.url, { ca: readFileSync(cert) });
    expect(body.toString('utf8')).toBe(FIRST);
    await expect(fetchFeed(feed.url)).rejects.toThrow("the server's certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)");
    await expect(fetchFeed(feed.url.replace('https:', 'webcal:'), { ca: readFileSync(cert) })).resolves.toHaveLength(FIRST.length);
  });
});
