import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardDigest, WeeklyDigest } from '../../src/domain/digest-model.js';
import { renderText } from '../../src/render/text.js';
import type { Db } from '../../src/store/database.js';
import { sendbot } from '../helpers/cli.js';
import { ALEX, DIGEST_NOW, ELAINE, MORGAN, say, scriptedDemoDb } from '../helpers/digest-demo.js';
import { closeTestDb, testDbAt } from '../helpers/test-db.js';

const BOARDS = 'Child Friendly Board, Health and Wellbeing Board, SEND Partnership Board, Scrutiny Panel';

let path: string;

beforeAll(async () => {
  path = await scriptedDemoDb();
});

describe('sendbot digest', () => {
  it('--format json prints the digest model for the board’s next meeting after --now', async () => {
    const result = await sendbot(path, 'digest', '--board', 'send partnership board', '--now', DIGEST_NOW, '--format', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const digest = JSON.parse(result.stdout) as BoardDigest;
    expect(digest).toMatchObject({
      kind: 'board-digest',
      schemaVersion: 1,
      generatedAt: '2024-11-27T09:00:00.000Z',
      today: '2024-11-27',
      partnership: 'Southampton Local Area SEND Partnership',
      board: { name: 'SEND Partnership Board' },
      chair: { role: 'Director of Children’s Services', people: ['Elaine Demoster'] },
      meeting: { date: '2024-12-04', papersDeadline: '2024-11-27', updateWindowOpens: '2024-11-20', reminderOn: '2024-11-25' },
      previousMeeting: { date: '2024-10-16' },
      totals: { actions: 91, overdue: 5, missingUpdates: 83, dateChangeRequests: 1, exceptions: 6, noDate: 1, updates: 6 },
    });
    expect(digest.plans.map((p) => p.code)).toEqual(['ND', 'TR', 'HCP', 'QA', 'WD']);
    // JSON is never cut: every missing update is there.
    expect(digest.plans.reduce((n, p) => n + p.missingUpdates.length, 0)).toBe(83);
  });

  it('--json is the same as --format json', async () => {
    const a = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--board', 'partnership', '--json');
    const b = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--board', 'SEND Partnership Board', '--format', 'json');
    expect(a.stdout).toBe(b.stdout);
  });

  it('an unknown board exits 1 and names the boards', async () => {
    const result = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--board', 'Schools Forum');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`No board matches "Schools Forum". Boards: ${BOARDS}.\n`);
  });

  it('a name matching several boards exits 1 and lists them', async () => {
    const result = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--board', 'board');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"board" matches several boards: Child Friendly Board, Health and Wellbeing Board, SEND Partnership Board.');
  });

  it('without --board or --weekly exits 1 and says how', async () => {
    const result = await sendbot(path, '--now', DIGEST_NOW, 'digest');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Say which board: sendbot digest --board <name>. Boards: ${BOARDS}.`);
  });

  it('rejects an unknown format', async () => {
    const result = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--board', 'scrutiny', '--format', 'pdf');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Allowed choices are text, md, html, json");
  });

  it('prints Markdown and HTML for board papers', async () => {
    const md = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--board', 'SEND Partnership Board', '--format', 'md');
    expect(md.stdout.startsWith('# SEND Partnership Board: digest for the meeting on Wed 4 Dec 2024, 14:00\n')).toBe(true);
    const html = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--board', 'SEND Partnership Board', '--format', 'html');
    expect(html.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(html.stdout).toContain('<h2>ND: Neurodiversity Waiting List Improvement Plan (16 actions)</h2>');
  });

  it('--full lists everything the chair’s version cuts', async () => {
    const short = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--board', 'SEND Partnership Board');
    const full = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--board', 'SEND Partnership Board', '--full');
    expect(short.stdout).toContain('TR-2.6, and 4 more)');
    expect(full.stdout).not.toContain('more)');
    expect(full.stdout).toContain('TR-2.10)');
  });

  it('a board whose next meeting has no actions still gets a digest', async () => {
    const result = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--board', 'child friendly', '--json');
    const digest = JSON.parse(result.stdout) as BoardDigest;
    expect(digest.meeting?.date).toBe('2024-12-12');
    expect(digest.plans).toEqual([]);
    expect(digest.totals.actions).toBe(0);
  });

  it('--weekly prints the weekly digest across boards', async () => {
    const result = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--weekly', '--json');
    const weekly = JSON.parse(result.stdout) as WeeklyDigest;
    expect(weekly.kind).toBe('weekly-digest');
    expect(weekly.updates).toHaveLength(5);
    expect(weekly.meetings[0]?.board.name).toBe('SEND Partnership Board');
    const both = await sendbot(path, '--now', DIGEST_NOW, 'digest', '--weekly', '--board', 'scrutiny');
    expect(both.code).toBe(1);
  });
});

describe('/send digest', () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDbAt(path);
  });
  afterAll(() => closeTestDb(db));

  it('previews the named board’s next digest, matching any case or a unique part of the name', async () => {
    for (const typed of ['/send digest SEND Partnership Board', '/send digest send partnership board', '/send digest partnership']) {
      const answer = await say(db, DIGEST_NOW, MORGAN, typed);
      expect(answer.tone).toBe('info');
      expect(answer.summary).toBe('SEND Partnership Board: digest for the meeting on Wed 4 Dec 2024, 14:00');
    }
    const text = renderText(await say(db, DIGEST_NOW, MORGAN, '/send digest partnership'));
    expect(text).toContain('Missing updates (14), by owner:');
    expect(text).toContain('Head of SEND (Morgan Demo) · red in its last two updates (10 Oct 2024, 21 Nov 2024)');
  });

  it('without a board: the chair gets the board they chair', async () => {
    // Elaine chairs both the Partnership Board and the Child Friendly Board; the first has the plan.
    expect((await say(db, DIGEST_NOW, ELAINE, '/send digest')).summary).toBe('SEND Partnership Board: digest for the meeting on Wed 4 Dec 2024, 14:00');
  });

  it('without a board: an owner gets the board most of their actions report to', async () => {
    expect((await say(db, DIGEST_NOW, MORGAN, 'digest')).summary).toContain('SEND Partnership Board');
  });

  it('without a board and with no actions: lists the boards', async () => {
    const answer = await say(db, DIGEST_NOW, ALEX, '/send digest');
    expect(answer.summary).toBe('Which board’s digest?');
    expect(answer.blocks).toContainEqual({ type: 'list', items: BOARDS.split(', ') });
  });

  it('explains an unknown or ambiguous board and changes nothing', async () => {
    const unknown = await say(db, DIGEST_NOW, MORGAN, '/send digest schools forum');
    expect(unknown.tone).toBe('error');
    expect(unknown.summary).toBe('No board matches "schools forum".');
    expect(renderText(unknown)).toContain(`Boards: ${BOARDS}.`);
    const ambiguous = await say(db, DIGEST_NOW, MORGAN, '/send digest board');
    expect(ambiguous.tone).toBe('error');
    expect(ambiguous.summary).toContain('matches several boards');
  });
});
