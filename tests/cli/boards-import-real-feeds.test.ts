// `sendbot boards import` on calendar files shaped the way real writers make them, each case written
// here: Calendar Labs' 8-digit DTSTART without VALUE=DATE, Cyrus's two RRULEs on one event, an EXDATE
// in UTC against a Berlin series, Google's and Apple's X-WR-TIMEZONE, Microsoft CDO's "BYDAY=MO, TU"
// and an empty RRULE, impossible date fields, and feeds far bigger than a board's calendar.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { MAX_EVENTS } from '../../src/importers/ics-scan.js';
import { readIcs } from '../../src/importers/read-ics.js';
import { sendbot } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { closeTestDb, one, rows, sql, testDbAt } from '../helpers/test-db.js';

const BOARD = 'SEND Partnership Board';
const PLAN = `
boards:
  - name: ${BOARD}
plans: []
`;

function calendar(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

function event(uid: string, summary: string, ...props: string[]): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20200101T000000Z', `SUMMARY:${summary}`, ...props, 'END:VEVENT'];
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

async function fingerprint(db: string): Promise<string> {
  const conn = await testDbAt(db);
  const out = JSON.stringify([await rows(conn, sql`select * from meetings order by id`), await one(conn, sql`select count(*) from audit_log`)]);
  await closeTestDb(conn);
  return out;
}

async function setUp(): Promise<string> {
  const db = tempDbPath();
  expect((await sendbot(db, 'import', writeTemp('plan.yaml', PLAN))).code).toBe(0);
  return db;
}

const NOW = ['--now', '2020-03-01T10:00'];
const importFile = (db: string, content: string, ...extra: string[]) =>
  sendbot(db, ...NOW, 'boards', 'import', writeTemp('feed.ics', content), '--board', BOARD, ...extra);

describe('boards import: calendars as real writers make them', () => {
  it('reads an 8-digit DTSTART without VALUE=DATE as the all-day entry it is: skipped and listed, no crash', async () => {
    const db = await setUp();
    const result = await importFile(
      db,
      calendar(...event('ny@labs', "New Year's Day", 'DTSTART:20200101', 'DTEND:20200102'), ...event('board@x', 'Board', 'DTSTART:20200415T130000Z')),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Skipped 1 all-day event, which has no time to plan nudges from: New Year's Day (1 Jan 2020)");
    expect((await meetings(db)).map((m) => m.at)).toEqual(['2020-04-15T13:00:00.000Z']);
  });

  it('expands every RRULE of an event with two and merges them (22 meetings, not 12)', async () => {
    const db = await setUp();
    const result = await importFile(
      db,
      calendar(...event('two@cyrus', 'Two rules', 'DTSTART:20200106T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=10', 'RRULE:FREQ=DAILY;COUNT=12;BYHOUR=15')),
    );
    expect(result.code, result.stderr).toBe(0);
    const rows = await meetings(db);
    expect(rows).toHaveLength(22);
    // Every Monday at 10:00 for ten weeks, and every day at 15:00 for twelve days.
    expect(rows.filter((m) => m.at.endsWith('T10:00:00.000Z')).map((m) => m.at.slice(0, 10))).toEqual([
      '2020-01-06', '2020-01-13', '2020-01-20', '2020-01-27', '2020-02-03', '2020-02-10', '2020-02-17', '2020-02-24', '2020-03-02', '2020-03-09',
    ]);
    expect(rows.filter((m) => m.at.endsWith('T15:00:00.000Z'))).toHaveLength(12);
  });

  it('compares an EXDATE with the occurrences as instants, across zones', async () => {
    const db = await setUp();
    const result = await importFile(
      db,
      calendar(...event('berlin@x', 'Berlin', 'DTSTART;TZID=Europe/Berlin:20200420T140000', 'RRULE:FREQ=WEEKLY;COUNT=3', 'EXDATE:20200427T120000Z')),
    );
    expect(result.code, result.stderr).toBe(0);
    // 14:00 in Berlin (summer) is 12:00 UTC: 27 April is the one excluded.
    expect((await meetings(db)).map((m) => m.at)).toEqual(['2020-04-20T12:00:00.000Z', '2020-05-04T12:00:00.000Z']);
  });

  it("reads floating times in the calendar's X-WR-TIMEZONE, and says so", async () => {
    const db = await setUp();
    const result = await importFile(
      db,
      calendar('X-WR-TIMEZONE:America/New_York', ...event('float@google', 'Floating', 'DTSTART:20200420T140000'), ...event('utc@google', 'UTC', 'DTSTART:20200421T140000Z')),
    );
    expect(result.code, result.stderr).toBe(0);
    expect((await meetings(db)).map((m) => m.at)).toEqual(['2020-04-20T18:00:00.000Z', '2020-04-21T14:00:00.000Z']);
    expect(result.stdout).toContain("Times written without a zone were read in America/New_York, the calendar's own time zone (X-WR-TIMEZONE).");
  });

  it('without X-WR-TIMEZONE (or with a name that is no zone) floating times are London time, and a bad name is reported', async () => {
    const db = await setUp();
    const result = await importFile(db, calendar('X-WR-TIMEZONE:Somewhere/Else', ...event('float@x', 'Floating', 'DTSTART:20200420T140000')));
    expect(result.code, result.stderr).toBe(0);
    expect((await meetings(db)).map((m) => m.at)).toEqual(['2020-04-20T13:00:00.000Z']); // 14:00 BST
    expect(result.stdout).toContain('The calendar names its time zone "Somewhere/Else" (X-WR-TIMEZONE), which is not a zone name');
  });

  it('sets aside an event with an unreadable rule, naming it and its line, imports the rest, and says so', async () => {
    const db = await setUp();
    const feed = calendar(
      ...event('cdo@ms', 'CDO meeting', 'DTSTART:20200420T140000Z', 'RRULE:FREQ=WEEKLY;BYDAY=MO, TU'),
      ...event('empty@x', 'Empty rule', 'DTSTART:20200421T140000Z', 'RRULE:'),
      ...event('ok@x', 'Readable', 'DTSTART:20200422T140000Z'),
    );
    const result = await importFile(db, feed);
    expect(result.code, result.stderr).toBe(0);
    expect((await meetings(db)).map((m) => m.title)).toEqual(['Readable']);
    expect(result.stdout).toContain('Skipped 2 events that could not be read; the rest of the feed was imported');
    expect(result.stdout).toContain('"CDO meeting" (UID cdo@ms), line 9 (RRULE:FREQ=WEEKLY;BYDAY=MO, TU): the repeat rule cannot be read');
    expect(result.stdout).toContain('"Empty rule" (UID empty@x), line 16 (RRULE:): the repeat rule is empty');
    expect(result.stdout).not.toMatch(/Cannot read properties/);
  });

  it('keeps the meetings already known from an event that cannot be read this time', async () => {
    const db = await setUp();
    const good = calendar(...event('series@x', 'Board', 'DTSTART:20200401T130000Z', 'RRULE:FREQ=MONTHLY;COUNT=3'));
    expect((await importFile(db, good)).code).toBe(0);
    const broken = calendar(...event('series@x', 'Board', 'DTSTART:20200401T130000Z', 'RRULE:FREQ=MONTHLY;BYDAY=MO, TU'), ...event('other@x', 'Other', 'DTSTART:20200410T130000Z'));
    const result = await importFile(db, broken);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('0 cancelled');
    expect((await meetings(db)).filter((m) => m.title === 'Board' && m.cancelled === 0)).toHaveLength(3);
  });

  it.each([
    ['month 13 and hour 99', 'DTSTART;TZID=Europe/London:20241399T990000', /"20241399T990000" has month 13; months run from 01 to 12/],
    ['30 February', 'DTSTART:20250230T100000Z', /"20250230T100000Z" has day 30; February 2025 has days 01 to 28/],
    ['hour 24', 'DTSTART:20250203T240000Z', /"20250203T240000Z" has hour 24; hours run from 00 to 23/],
    ['an impossible EXDATE', 'DTSTART:20250203T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\nEXDATE:20250232T100000Z', /"20250232T100000Z" has day 32/],
    ['an impossible UNTIL', 'DTSTART:20250203T100000Z\r\nRRULE:FREQ=WEEKLY;UNTIL=20251399T000000Z', /the repeat rule's UNTIL "20251399T000000Z" has month 13/],
  ])('refuses an event with an out-of-range date field (%s), naming its line', async (_label, props, message) => {
    const db = await setUp();
    const before = await fingerprint(db);
    const alone = await importFile(db, calendar(...event('bad@x', 'Bad', ...props.split('\r\n'))));
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/"Bad" \(UID bad@x\), line \d+ \(/);
    expect(alone.stderr).toMatch(message);
    expect(alone.stderr).not.toMatch(/\n\s+at /);
    expect(await fingerprint(db)).toBe(before);

    const withOthers = await importFile(db, calendar(...event('bad@x', 'Bad', ...props.split('\r\n')), ...event('ok@x', 'Fine', 'DTSTART:20250210T100000Z')));
    expect(withOthers.code, withOthers.stderr).toBe(0);
    expect(withOthers.stdout).toMatch(message);
    expect((await meetings(db)).map((m) => m.title)).toEqual(['Fine']);
  });

  it(`refuses a feed of more than ${MAX_EVENTS.toLocaleString('en-GB')} events plainly, before reading it, and writes nothing`, async () => {
    const db = await setUp();
    const before = await fingerprint(db);
    const lines: string[] = [];
    for (let i = 0; i <= MAX_EVENTS; i++) lines.push(...event(`e${i}@x`, `Meeting ${i}`, 'DTSTART:20200401T130000Z'));
    const result = await importFile(db, ['BEGIN:VCALENDAR', 'VERSION:2.0', lines.join('\r\n'), 'END:VCALENDAR', ''].join('\r\n'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the feed holds ${(MAX_EVENTS + 1).toLocaleString('en-GB')} events; sendbot reads at most ${MAX_EVENTS.toLocaleString('en-GB')}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await fingerprint(db)).toBe(before);
  });

  it('refuses a calendar file bigger than 10 MB before reading it', async () => {
    const db = await setUp();
    const before = await fingerprint(db);
    const big = writeTemp('huge.ics', Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
    const result = await sendbot(db, ...NOW, 'boards', 'import', big, '--board', BOARD);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${big} is 10.0 MB; sendbot reads calendars up to 10 MB. A board's calendar is far smaller: export just this board's committee. Nothing was changed.\n`);
    expect(await fingerprint(db)).toBe(before);
  });

  it('reads many changed occurrences of one series in time linear in their number (the step that was quadratic)', () => {
    // 20,000 overrides sharing one UID, whose series is not in the feed: each is still a meeting.
    const now = DateTime.fromISO('2024-03-01T10:00', { zone: 'Europe/London' });
    const lines: string[] = [];
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const at = DateTime.fromISO('2024-01-01T10:00Z').plus({ hours: i }).toUTC().toFormat("yyyyLLdd'T'HHmmss'Z'");
      lines.push(...event('series@x', `Meeting ${i}`, `RECURRENCE-ID:${at}`, `DTSTART:${at}`));
    }
    const started = performance.now();
    const feed = readIcs(['BEGIN:VCALENDAR', 'VERSION:2.0', lines.join('\r\n'), 'END:VCALENDAR', ''].join('\r\n'), { now });
    // A figure for the record, not a timed assertion.
    console.info(`readIcs: ${n.toLocaleString('en-GB')} overrides of one series in ${Math.round(performance.now() - started)} ms`);
    expect(feed.meetings).toHaveLength(n);
    expect(new Set(feed.meetings.map((m) => m.key)).size).toBe(n);
  });

  it('--dry-run lists each meeting it would add, move and cancel, and writes nothing', async () => {
    const db = await setUp();
    const first = calendar(...event('a@x', 'Board A', 'DTSTART:20200401T130000Z'), ...event('b@x', 'Board B', 'DTSTART:20200501T130000Z'));
    expect((await importFile(db, first)).code).toBe(0);
    const later = calendar(
      ...event('a@x', 'Board A', 'DTSTART:20200408T130000Z'),
      ...event('b@x', 'Board B', 'STATUS:CANCELLED', 'DTSTART:20200501T130000Z'),
      ...event('c@x', 'Board C', 'DTSTART:20200601T130000Z'),
    );
    const before = await fingerprint(db);
    const dry = await importFile(db, later, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.split('\n')).toEqual([
      `Dry run — nothing written. ${BOARD}: 1 meeting added, 0 already known, 1 moved, 1 cancelled.`,
      'Would move: Board A from Wed 1 Apr 2020 14:00 to Wed 8 Apr 2020 14:00.',
      'Would cancel: Board B on Fri 1 May 2020 14:00 (cancelled in the feed).',
      'Would add: Board C on Mon 1 Jun 2020 14:00.',
      '',
    ]);
    expect(await fingerprint(db)).toBe(before);
    const real = await importFile(db, later);
    expect(real.stdout).toContain('Added: Board C on Mon 1 Jun 2020 14:00.');
    expect(real.stdout).toContain('Moved: Board A from Wed 1 Apr 2020 14:00 to Wed 8 Apr 2020 14:00.');
  });

  it('suggests the board meant when the name has a slip, and changes nothing', async () => {
    const db = await setUp();
    const before = await fingerprint(db);
    const result = await sendbot(db, 'boards', 'import', writeTemp('c.ics', calendar()), '--board', 'SEND Partnershp Bord');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`No board called "SEND Partnershp Bord". Did you mean "${BOARD}"? Boards: ${BOARD}\n`);
    const far = await sendbot(db, 'boards', 'import', writeTemp('c.ics', calendar()), '--board', 'Scrutiny Panel');
    expect(far.stderr).toBe(`No board called "Scrutiny Panel". Boards: ${BOARD}\n`);
    expect(await fingerprint(db)).toBe(before);
  });
});
