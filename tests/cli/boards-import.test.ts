// `sendbot boards import <file.ics> --board <name>` through the real CLI, on feeds shaped like the ones
// council committee systems, Outlook and Google publish: time zones (VTIMEZONE for Europe/London,
// America/New_York, Outlook's "GMT Standard Time"; an IANA TZID with no VTIMEZONE; UTC), repeating
// events with EXDATE and RDATE, moved and cancelled occurrences (RECURRENCE-ID), all-day entries.
import { describe, expect, it } from 'vitest';
import { sendbot } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { closeTestDb, one, rows, sql, testDbAt } from '../helpers/test-db.js';

const LONDON_TZ = `BEGIN:VTIMEZONE
TZID:Europe/London
X-LIC-LOCATION:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE`;

const NEW_YORK_TZ = `BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE`;

/** Outlook's own name for UK time, with its definition. */
const OUTLOOK_TZ = `BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T010000
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE`;

function feed(...parts: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Testshire Council//Committee System//EN', ...parts, 'END:VCALENDAR', ''].join('\r\n');
}

const SERIES = `BEGIN:VEVENT
UID:spb-2024@testshire.gov.uk
DTSTAMP:20240801T000000Z
SUMMARY:SEND Partnership Board
DTSTART;TZID=Europe/London:20241002T140000
DTEND;TZID=Europe/London:20241002T160000
RRULE:FREQ=MONTHLY;BYDAY=1WE;COUNT=8
EXDATE;TZID=Europe/London:20250101T140000
RDATE;TZID=Europe/London:20250115T140000
END:VEVENT
BEGIN:VEVENT
UID:spb-2024@testshire.gov.uk
DTSTAMP:20240801T000000Z
RECURRENCE-ID;TZID=Europe/London:20250205T140000
SUMMARY:SEND Partnership Board (moved)
DTSTART;TZID=Europe/London:20250212T100000
DTEND;TZID=Europe/London:20250212T120000
END:VEVENT
BEGIN:VEVENT
UID:spb-2024@testshire.gov.uk
DTSTAMP:20240801T000000Z
RECURRENCE-ID;TZID=Europe/London:20250305T140000
SUMMARY:SEND Partnership Board
STATUS:CANCELLED
DTSTART;TZID=Europe/London:20250305T140000
END:VEVENT`;

const OTHERS = `BEGIN:VEVENT
UID:utc-1@testshire.gov.uk
DTSTAMP:20240801T000000Z
SUMMARY:Extraordinary meeting (UTC)
DTSTART:20250618T090000Z
END:VEVENT
BEGIN:VEVENT
UID:ny-1@testshire.gov.uk
DTSTAMP:20240801T000000Z
SUMMARY:Call with the New York visitors
DTSTART;TZID=America/New_York:20250310T090000
END:VEVENT
BEGIN:VEVENT
UID:paris-1@testshire.gov.uk
DTSTAMP:20240801T000000Z
SUMMARY:Paris (IANA zone, no VTIMEZONE)
DTSTART;TZID=Europe/Paris:20250701T100000
END:VEVENT
BEGIN:VEVENT
UID:outlook-1@testshire.gov.uk
DTSTAMP:20240801T000000Z
SUMMARY:Outlook-made meeting in summer
DTSTART;TZID=GMT Standard Time:20250716T143000
END:VEVENT
BEGIN:VEVENT
UID:cancelled-1@testshire.gov.uk
DTSTAMP:20240801T000000Z
SUMMARY:Cancelled one-off
STATUS:CANCELLED
DTSTART;TZID=Europe/London:20250415T100000
END:VEVENT
BEGIN:VEVENT
UID:recess-1@testshire.gov.uk
DTSTAMP:20240801T000000Z
SUMMARY:Recess
DTSTART;VALUE=DATE:20250501
DTEND;VALUE=DATE:20250502
END:VEVENT`;

const PLAN = `
boards:
  - name: SEND Partnership Board
    meetings:
      - { at: "2024-11-06T14:00" }
plans: []
`;

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

const NOW = ['--now', '2024-09-15T10:00'];

describe('sendbot boards import (iCalendar)', () => {
  it('expands repeats, honours every kind of time zone, applies changed and cancelled occurrences, skips all-day events', async () => {
    const db = await setUp();
    const file = writeTemp('committee.ics', feed(LONDON_TZ, NEW_YORK_TZ, OUTLOOK_TZ, SERIES, OTHERS));
    const result = await sendbot(db, ...NOW, 'boards', 'import', file, '--board', 'SEND Partnership Board');
    expect(result.code, result.stderr).toBe(0);

    expect((await meetings(db)).map((m) => [m.at, m.cancelled])).toEqual([
      ['2024-10-02T13:00:00.000Z', 0], // 14:00 BST
      ['2024-11-06T14:00:00.000Z', 0], // 14:00 GMT: the plan file's meeting, now known by the feed
      ['2024-12-04T14:00:00.000Z', 0],
      // 1 January excluded (EXDATE); 15 January added (RDATE)
      ['2025-01-15T14:00:00.000Z', 0],
      ['2025-02-12T10:00:00.000Z', 0], // 5 Feb moved to 12 Feb 10:00 (RECURRENCE-ID)
      ['2025-03-10T13:00:00.000Z', 0], // 09:00 in New York, after the US clocks changed
      ['2025-04-02T13:00:00.000Z', 0], // 14:00 BST
      ['2025-05-07T13:00:00.000Z', 0],
      ['2025-06-18T09:00:00.000Z', 0], // written in UTC
      ['2025-07-01T08:00:00.000Z', 0], // 10:00 in Paris
      ['2025-07-16T13:30:00.000Z', 0], // 14:30 BST, Outlook's "GMT Standard Time"
    ]);
    // 5 March cancelled and the cancelled one-off were never meetings here: nothing to cancel.
    expect(result.stdout).toContain('SEND Partnership Board: 10 meetings added, 1 already known, 0 moved, 0 cancelled.');
    expect(result.stdout).toMatch(/Repeating events were expanded from 15 Sep 2023 to 15 Sep 2026; import the feed again later/);
    expect(result.stdout).toContain('Skipped 1 all-day event, which has no time to plan nudges from: Recess (1 May 2025)');
    expect((await meetings(db)).some((m) => m.at.startsWith('2025-05-01'))).toBe(false);
  });

  it('re-importing the same feed changes nothing', async () => {
    const db = await setUp();
    const file = writeTemp('committee.ics', feed(LONDON_TZ, NEW_YORK_TZ, OUTLOOK_TZ, SERIES, OTHERS));
    await sendbot(db, ...NOW, 'boards', 'import', file, '--board', 'SEND Partnership Board');
    const before = await fingerprint(db);
    const again = await sendbot(db, ...NOW, 'boards', 'import', file, '--board', 'SEND Partnership Board');
    expect(again.stdout).toContain('0 meetings added, 11 already known, 0 moved, 0 cancelled.');
    expect(await fingerprint(db)).toBe(before);
  });

  it('a later version of the feed moves, cancels and drops occurrences, and says so (--dry-run first)', async () => {
    const db = await setUp();
    await sendbot(db, ...NOW, 'boards', 'import', writeTemp('committee.ics', feed(LONDON_TZ, SERIES)), '--board', 'SEND Partnership Board');
    const later = SERIES.replace(
      'RDATE;TZID=Europe/London:20250115T140000',
      'RDATE;TZID=Europe/London:20250115T140000\r\nEXDATE;TZID=Europe/London:20250507T140000',
    ).concat(`
BEGIN:VEVENT
UID:spb-2024@testshire.gov.uk
DTSTAMP:20241001T000000Z
RECURRENCE-ID;TZID=Europe/London:20250402T140000
SUMMARY:SEND Partnership Board
DTSTART;TZID=Europe/London:20250409T140000
END:VEVENT
BEGIN:VEVENT
UID:spb-2024@testshire.gov.uk
DTSTAMP:20241001T000000Z
RECURRENCE-ID;TZID=Europe/London:20241204T140000
SUMMARY:SEND Partnership Board
STATUS:CANCELLED
DTSTART;TZID=Europe/London:20241204T140000
END:VEVENT`);
    const file = writeTemp('committee.ics', feed(LONDON_TZ, later));
    const before = await fingerprint(db);
    const dry = await sendbot(db, '--now', '2024-10-10T10:00', 'boards', 'import', file, '--board', 'SEND Partnership Board', '--dry-run');
    expect(dry.stdout).toContain('Dry run — nothing written. SEND Partnership Board: 0 meetings added, 4 already known, 1 moved, 2 cancelled.');
    expect(await fingerprint(db)).toBe(before);

    const result = await sendbot(db, '--now', '2024-10-10T10:00', 'boards', 'import', file, '--board', 'SEND Partnership Board');
    expect(result.stdout).toContain('Moved: SEND Partnership Board from Wed 2 Apr 2025 14:00 to Wed 9 Apr 2025 14:00.');
    expect(result.stdout).toContain('Cancelled: the meeting on Wed 7 May 2025 14:00 is no longer in the feed.');
    const rows = await meetings(db);
    expect(rows.find((m) => m.at === '2024-12-04T14:00:00.000Z')?.cancelled).toBe(1);
    expect(rows.find((m) => m.at === '2025-05-07T13:00:00.000Z')?.cancelled).toBe(1);
    expect(rows.some((m) => m.at === '2025-04-09T13:00:00.000Z' && m.cancelled === 0)).toBe(true);
    expect(rows.some((m) => m.at === '2025-04-02T13:00:00.000Z')).toBe(false);
    // The boards listing no longer shows the cancelled meetings.
    const listed = await sendbot(db, '--now', '2024-11-20T10:00', 'boards', '--json');
    const next = (JSON.parse(listed.stdout) as { next_meetings: { at: string }[] }[])[0]?.next_meetings.map((m) => m.at);
    expect(next).toEqual(['2025-01-15T14:00:00.000Z', '2025-02-12T10:00:00.000Z', '2025-04-09T13:00:00.000Z']);
  });

  it("reads a TZID by the feed's own VTIMEZONE, and one feed's definitions never leak into the next", async () => {
    const db = await setUp();
    const odd = `BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0500\r\nTZOFFSETTO:+0500\r\nEND:STANDARD\r\nEND:VTIMEZONE`;
    const event = (uid: string, day: string) =>
      `BEGIN:VEVENT\r\nUID:${uid}\r\nSUMMARY:Board\r\nDTSTART;TZID=Europe/London:202507${day}T140000\r\nEND:VEVENT`;
    await sendbot(db, ...NOW, 'boards', 'import', writeTemp('a.ics', feed(odd, event('a@x', '01'))), '--board', 'SEND Partnership Board');
    await sendbot(db, ...NOW, 'boards', 'import', writeTemp('b.ics', feed(event('b@x', '02'))), '--board', 'SEND Partnership Board');
    const rows = (await meetings(db)).filter((m) => m.at.startsWith('2025-07'));
    expect(rows.map((m) => m.at)).toEqual([
      '2025-07-01T09:00:00.000Z', // the first feed's own (odd) definition: +05:00
      '2025-07-02T13:00:00.000Z', // the real Europe/London in summer, not the first feed's
    ]);
  });

  it('expands an endless repeat up to the horizon only', async () => {
    const db = await setUp();
    const endless = `BEGIN:VEVENT
UID:weekly@testshire.gov.uk
DTSTAMP:20240801T000000Z
SUMMARY:Weekly huddle
DTSTART;TZID=Europe/London:20200106T093000
RRULE:FREQ=WEEKLY
END:VEVENT`;
    const result = await sendbot(db, ...NOW, 'boards', 'import', writeTemp('weekly.ics', feed(LONDON_TZ, endless)), '--board', 'SEND Partnership Board');
    expect(result.code, result.stderr).toBe(0);
    const rows = (await meetings(db)).filter((m) => m.title === 'Weekly huddle');
    expect(rows[0]?.at).toBe('2023-09-18T08:30:00.000Z'); // first Monday within 12 months before 15 Sep 2024
    expect(rows[rows.length - 1]?.at).toBe('2026-09-14T08:30:00.000Z'); // last Monday before 15 Sep 2026
    expect(rows).toHaveLength(157);
  });

  it.each([
    ['an unknown time zone', feed('BEGIN:VEVENT\r\nUID:x@y\r\nSUMMARY:Board\r\nDTSTART;TZID=Mars/Olympus:20250101T100000\r\nEND:VEVENT'), /"Board" \(UID x@y\), line 4: uses the time zone "Mars\/Olympus", which the feed does not define/],
    ['an event with no start', feed('BEGIN:VEVENT\r\nUID:x@y\r\nSUMMARY:Board\r\nEND:VEVENT'), /"Board" \(UID x@y\), line 4: has no start time \(DTSTART\); nothing else in the feed could be read/],
    ['not iCalendar', 'hello, world', /committee\.ics: not a valid iCalendar file/],
    ['an hourly repeat', feed('BEGIN:VEVENT\r\nUID:x@y\r\nSUMMARY:Board\r\nDTSTART:20240901T100000Z\r\nRRULE:FREQ=HOURLY\r\nEND:VEVENT'), /repeats more than 400 times/],
  ])('refuses %s with a plain message, exit 1, and writes nothing', async (_label, content, message) => {
    const db = await setUp();
    const before = await fingerprint(db);
    const result = await sendbot(db, ...NOW, 'boards', 'import', writeTemp('committee.ics', content), '--board', 'SEND Partnership Board');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await fingerprint(db)).toBe(before);
  });

  it('says which boards exist when the board is unknown, and when the file is missing', async () => {
    const db = await setUp();
    const unknown = await sendbot(db, 'boards', 'import', writeTemp('c.ics', feed()), '--board', 'Scrutiny');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('No board called "Scrutiny". Boards: SEND Partnership Board\n');
    const missing = await sendbot(db, 'boards', 'import', '/nonexistent/c.ics', '--board', 'SEND Partnership Board');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Cannot read /nonexistent/c.ics: there is no such file.\n');
  });
});
