import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStoredInstant, parseInstant } from '../../src/clock.js';
import { boardForCaller, matchBoard } from '../../src/domain/board-match.js';
import { buildBoardDigest, buildWeeklyDigest, digestMeetings, unusableDateReasons, weeklyWindowStart } from '../../src/domain/digest.js';
import type { BoardDigest, PlanDigest } from '../../src/domain/digest-model.js';
import type { PlanningState } from '../../src/domain/planning-state.js';
import { digestToReply } from '../../src/render/digest-reply.js';
import type { Db } from '../../src/store/database.js';
import { loadDigestHistory } from '../../src/store/digest-history-repository.js';
import { loadPlanningState } from '../../src/store/planning-state-repository.js';
import { DIGEST_NOW, scriptedDemoDb } from '../helpers/digest-demo.js';
import { closeTestDb, testDbAt } from '../helpers/test-db.js';

const at = (local: string) => toStoredInstant(parseInstant(local));

let db: Db;
let state: PlanningState;
let boardId: number;

/** The digest the way the CLI and the scheduler build it: history from the previous meeting. */
async function digestAt(local: string, opts: { meetingId?: number } = {}): Promise<BoardDigest> {
  const now = at(local);
  const board = state.boards.find((b) => b.id === boardId)!;
  const { previous } = digestMeetings(board, now, opts.meetingId);
  const history = await loadDigestHistory(db, { boardId, sinceUtcIso: previous?.startsAt ?? null, nowUtcIso: now });
  return buildBoardDigest(state, boardId, now, history, opts);
}

function plan(digest: BoardDigest, code: string): PlanDigest {
  const found = digest.plans.find((p) => p.code === code);
  if (!found) throw new Error(`no plan ${code} in the digest`);
  return found;
}

beforeAll(async () => {
  db = await testDbAt(await scriptedDemoDb());
  state = await loadPlanningState(db);
  boardId = state.boards.find((b) => b.name === 'SEND Partnership Board')!.id;
});

afterAll(() => closeTestDb(db));

describe('buildBoardDigest: the SEND Partnership Board before its 4 December 2024 meeting', () => {
  it('is for the next meeting after now, counting changes from the previous meeting', async () => {
    const d = await digestAt(DIGEST_NOW);
    expect(d.kind).toBe('board-digest');
    expect(d.board.name).toBe('SEND Partnership Board');
    expect(d.chair).toEqual({ role: 'Director of Children’s Services', people: ['Elaine Demoster'] });
    expect(d.meeting).toMatchObject({ date: '2024-12-04', startsAt: '2024-12-04T14:00:00.000Z', isSample: true, papersDeadline: '2024-11-27' });
    expect(d.previousMeeting).toMatchObject({ date: '2024-10-16', startsAt: '2024-10-16T13:00:00.000Z' });
    expect(d.generatedAt).toBe('2024-11-27T09:00:00.000Z');
    // Plans in plan order; HCP-1 reports to the Health and Wellbeing Board, so HCP has 13 here, not 14.
    expect(d.plans.map((p) => [p.code, p.rag.total])).toEqual([
      ['ND', 16],
      ['TR', 32],
      ['HCP', 13],
      ['QA', 15],
      ['WD', 15],
    ]);
  });

  it('counts RAG now and the change since the previous meeting', async () => {
    const d = await digestAt(DIGEST_NOW);
    // ND-1.2 went amber; ND-3.1 was already red at the October meeting and is red again.
    expect(plan(d, 'ND').rag).toEqual({ green: 0, amber: 1, red: 1, complete: 0, notStarted: 14, total: 16 });
    expect(plan(d, 'ND').ragChange).toEqual({ green: 0, amber: 1, red: 0, complete: 0, notStarted: -1, total: 0 });
    expect(plan(d, 'HCP').ragChange).toMatchObject({ green: 1, notStarted: -1 });
    expect(plan(d, 'TR').rag).toMatchObject({ amber: 1, complete: 2 });
    expect(d.totals.rag).toEqual({ green: 1, amber: 2, red: 1, complete: 2, notStarted: 85, total: 91 });
    expect(d.totals.ragChange).toEqual({ green: 1, amber: 2, red: 0, complete: 0, notStarted: -3, total: 0 });
  });

  it('lists the updates received since the previous meeting, newest first, with who and when', async () => {
    const d = await digestAt(DIGEST_NOW);
    const nd = plan(d, 'ND').updates;
    // The 10 October red on ND-3.1 was before the October meeting: not "since the last meeting".
    expect(nd.map((u) => [u.action.ref, u.person, u.at, u.status, u.percent])).toEqual([
      ['ND-3.1', 'Morgan Demo', '2024-11-21T11:30:00.000Z', 'red', 15],
      ['ND-1.2', 'Morgan Demo', '2024-11-20T10:00:00.000Z', 'amber', 60],
    ]);
    expect(nd[1]).toMatchObject({ platform: 'slack', kind: 'update', note: 'NDPT pilot extended; roll-out from Jan' });
    const qa = plan(d, 'QA').updates;
    expect(qa).toHaveLength(1);
    expect(qa[0]).toMatchObject({ status: null, requestedDue: '2025-06-30', note: 'waiting for the new QA lead to start' });
    expect(d.totals.updates).toBe(6);
  });

  it('names the owners of missing updates and leaves out actions reported on or complete', async () => {
    const d = await digestAt(DIGEST_NOW);
    const missing = plan(d, 'ND').missingUpdates;
    expect(missing).toHaveLength(14);
    expect(missing.map((a) => a.ref)).not.toContain('ND-1.2');
    expect(missing.map((a) => a.ref)).not.toContain('ND-3.1');
    expect(missing.find((a) => a.ref === 'ND-1.1')).toMatchObject({ owner: 'Head of SEND', ownerHolders: ['Morgan Demo'], ownerAssignedByName: false });
    expect(missing.find((a) => a.ref === 'ND-4.2')).toMatchObject({ owner: 'SEND Clinical Lead Solent', ownerHolders: ['Leah Testbury'] });
    // TR-1.1 and TR-6.1 are complete in the plan file: nothing to chase.
    expect(plan(d, 'TR').missingUpdates.map((a) => a.ref)).not.toContain('TR-1.1');
    expect(d.totals.missingUpdates).toBe(83);
  });

  it('lists overdue actions, most overdue first, in working days', async () => {
    const d = await digestAt(DIGEST_NOW);
    expect(plan(d, 'TR').overdue.map((a) => [a.ref, a.daysOverdue])).toEqual([
      ['TR-4.2', 42],
      ['TR-4.3', 42],
      ['TR-4.5', 42],
      ['TR-2.2', 19],
    ]);
    expect(plan(d, 'ND').overdue.map((a) => [a.ref, a.daysOverdue, a.owner])).toEqual([['ND-4.1', 42, 'SEND Clinical Lead Solent']]);
    // An update does not stop an action being overdue: TR-4.2 is amber but still past its date.
    expect(plan(d, 'TR').overdue[0]).toMatchObject({ status: 'amber' });
    expect(d.totals.overdue).toBe(5);
  });

  it('raises the three exceptions: long overdue, red twice running, date moved more than once', async () => {
    const d = await digestAt(DIGEST_NOW);
    const all = d.plans.flatMap((p) => p.exceptions.map((e) => [e.action.ref, e.codes]));
    expect(all).toEqual([
      ['ND-3.1', ['red_in_consecutive_updates']],
      ['ND-4.1', ['overdue_over_20_working_days']],
      ['TR-4.2', ['overdue_over_20_working_days']],
      ['TR-4.3', ['overdue_over_20_working_days']],
      ['TR-4.5', ['overdue_over_20_working_days']],
      ['WD-2.1', ['due_date_moved_more_than_once']],
    ]);
    expect(plan(d, 'ND').exceptions[0]?.redReportedAt).toEqual(['2024-11-21T11:30:00.000Z', '2024-10-10T09:00:00.000Z']);
    expect(plan(d, 'WD').exceptions[0]?.moveCount).toBe(2);
    // TR-2.2 is overdue by 19 working days: not yet an exception.
    expect(all.map(([ref]) => ref)).not.toContain('TR-2.2');
  });

  it('shows pending date-change requests and dates moved against the original baseline', async () => {
    const d = await digestAt(DIGEST_NOW);
    expect(plan(d, 'QA').dateChangeRequests).toEqual([
      expect.objectContaining({
        requestedBy: 'Morgan Demo',
        requestedAt: '2024-11-25T14:00:00.000Z',
        fromDue: '2024-12-31',
        toDue: '2025-06-30',
        phrase: '30 June 25',
        reason: 'waiting for the new QA lead to start',
      }),
    ]);
    // Pending: the action keeps its date until the chair decides.
    expect(plan(d, 'QA').dateChangeRequests[0]?.action).toMatchObject({ ref: 'QA-3.1', due: '2024-12-31', baselineDue: '2024-12-31' });
    const moved = plan(d, 'WD').movedDates;
    expect(moved).toHaveLength(1);
    expect(moved[0]?.action).toMatchObject({ ref: 'WD-2.1', due: '2025-06-30', baselineDue: '2025-01-31' });
    expect(moved[0]?.slipDays).toBe(150);
    expect(moved[0]?.moves.map((m) => [m.fromDue, m.toDue, m.how])).toEqual([
      ['2025-01-31', '2025-03-31', 'approved'],
      ['2025-03-31', '2025-06-30', 'approved'],
    ]);
  });

  it('lists actions with no usable date, with the reason', async () => {
    const d = await digestAt(DIGEST_NOW);
    expect(d.plans.flatMap((p) => p.noDate.map((n) => [n.action.ref, n.reasons]))).toEqual([['TR-2.2', ['partly-read', 'vague']]]);
    expect(unusableDateReasons({ status: 'not_started', due: null, flags: [] })).toEqual(['no-date']);
    expect(unusableDateReasons({ status: 'blue', due: null, flags: ['unreadable'] })).toEqual([]);
    expect(unusableDateReasons({ status: 'amber', due: '2025-01-31', flags: ['year-from-context'] })).toEqual([]);
  });

  it('sees nothing recorded after now', async () => {
    // Before Morgan's second red: one red report is not yet an exception, and 21 Nov is not listed.
    const d = await digestAt('2024-11-21T09:00');
    expect(plan(d, 'ND').updates.map((u) => u.action.ref)).toEqual(['ND-1.2']);
    expect(plan(d, 'ND').exceptions.map((e) => e.action.ref)).toEqual(['ND-4.1']);
    expect(plan(d, 'QA').dateChangeRequests).toEqual([]);
    // On the morning of 19 November WD-2.1's second move was still a request.
    const before = await digestAt('2024-11-19T09:00');
    expect(plan(before, 'WD').movedDates[0]?.moves).toHaveLength(1);
    expect(plan(before, 'WD').exceptions).toEqual([]);
    expect(plan(before, 'WD').dateChangeRequests.map((r) => [r.action.ref, r.fromDue, r.toDue])).toEqual([['WD-2.1', '2025-03-31', '2025-06-30']]);
  });

  it('builds for a chosen meeting, counting from the meeting before it', async () => {
    const jan = state.boards.find((b) => b.id === boardId)!.meetings.find((m) => m.startsAt.startsWith('2025-01-29'))!;
    const d = await digestAt(DIGEST_NOW, { meetingId: jan.id });
    expect(d.meeting?.date).toBe('2025-01-29');
    expect(d.previousMeeting?.date).toBe('2024-12-04');
    // Nothing happened after 4 December, so nothing changed and everyone open is missing an update.
    expect(d.totals.ragChange).toEqual({ green: 0, amber: 0, red: 0, complete: 0, notStarted: 0, total: 0 });
    expect(d.totals.updates).toBe(0);
    expect(d.totals.missingUpdates).toBe(89);
  });

  it('has no change figures before the board has ever met', async () => {
    const d = await digestAt('2024-09-05T09:00');
    expect(d.meeting?.date).toBe('2024-09-11');
    expect(d.previousMeeting).toBeNull();
    expect(d.totals.ragChange).toBeNull();
    expect(d.plans.every((p) => p.ragChange === null)).toBe(true);
  });

  it('counts an action created since the previous meeting as new, not as a change of status', async () => {
    const now = at(DIGEST_NOW);
    const history = await loadDigestHistory(db, { boardId, sinceUtcIso: '2024-10-16T13:00:00.000Z', nowUtcIso: now });
    const nd11 = state.actions.find((a) => a.ref === 'ND-1.1')!;
    history.statusAtSince.set(nd11.id, null);
    const d = buildBoardDigest(state, boardId, now, history);
    // At the October meeting ND had 15 actions (ND-1.1 did not exist yet): 14 not started then and now.
    expect(plan(d, 'ND').ragChange).toEqual({ green: 0, amber: 1, red: 0, complete: 0, notStarted: 0, total: 1 });
  });
});

describe('buildWeeklyDigest', () => {
  it('covers the last seven days across all boards, overdue per plan and the next meetings', async () => {
    const now = at(DIGEST_NOW);
    const history = await loadDigestHistory(db, { boardId: null, sinceUtcIso: weeklyWindowStart(now), nowUtcIso: now });
    const w = buildWeeklyDigest(state, now, history);
    expect(w.since).toBe('2024-11-20T09:00:00.000Z');
    // WD-2.1's request on 18 November is more than a week old.
    expect(w.updates.map((u) => u.action.ref)).toEqual(['HCP-2.1', 'QA-3.1', 'TR-4.2', 'ND-3.1', 'ND-1.2']);
    expect(w.plans.map((p) => [p.code, p.overdue, p.updates, p.board])).toEqual([
      ['ND', 1, 2, 'SEND Partnership Board'],
      ['TR', 4, 1, 'SEND Partnership Board'],
      ['HCP', 1, 1, 'SEND Partnership Board'],
      ['QA', 0, 1, 'SEND Partnership Board'],
      ['WD', 0, 0, 'SEND Partnership Board'],
    ]);
    expect(w.meetings.map((m) => [m.board.name, m.meeting.date, m.meeting.papersDeadline])).toEqual([
      ['SEND Partnership Board', '2024-12-04', '2024-11-27'],
      ['Health and Wellbeing Board', '2024-12-11', '2024-12-04'],
      ['Child Friendly Board', '2024-12-12', '2024-12-05'],
      ['Scrutiny Panel', '2025-01-16', '2025-01-09'],
    ]);
  });
});

describe('digestToReply', () => {
  it('cuts long lists for the chair and says how many more; full keeps everything', async () => {
    const d = await digestAt(DIGEST_NOW);
    const short = digestToReply(d);
    const full = digestToReply(d, { full: true });
    const missingLines = (r: ReturnType<typeof digestToReply>) =>
      r.blocks.flatMap((b) => (b.type === 'list' ? b.items : [])).filter((i) => i.startsWith('Nadia Sampleton'));
    expect(missingLines(short)[0]).toBe('Nadia Sampleton (SEND Strategic Lead): 10 (TR-2.1, TR-2.2, TR-2.3, TR-2.4, TR-2.5, TR-2.6, and 4 more)');
    expect(missingLines(full)[0]).toContain('TR-2.10)');
    const capped = digestToReply(d, { cap: 1 });
    const tr = capped.blocks.find((b) => b.type === 'actions' && b.heading === 'Exceptions (3)');
    expect(tr && tr.type === 'actions' ? tr.items.map((i) => i.ref) : []).toEqual(['TR-4.2']);
    expect(capped.blocks.some((b) => b.type === 'text' && b.text.startsWith('and 2 more'))).toBe(true);
    // RAG fields carry the change since the last meeting.
    const nd = short.blocks[short.blocks.findIndex((b) => b.type === 'heading' && b.text.startsWith('ND:')) + 1];
    expect(nd).toEqual({
      type: 'fields',
      fields: [
        { label: 'Green', value: '0' },
        { label: 'Amber', value: '1 (+1)' },
        { label: 'Red', value: '1' },
        { label: 'Complete', value: '0' },
        { label: 'Not started', value: '14 (\u22121)' },
      ],
    });
  });
});

describe('choosing a board', () => {
  const boards = [{ name: 'SEND Partnership Board' }, { name: 'Child Friendly Board' }, { name: 'Health and Wellbeing Board' }, { name: 'Scrutiny Panel' }];

  it.each([
    ['send partnership board', 'SEND Partnership Board'],
    ['  SEND   PARTNERSHIP board ', 'SEND Partnership Board'],
    ['partnership', 'SEND Partnership Board'],
    ['send board', 'SEND Partnership Board'],
    ['scrutiny', 'Scrutiny Panel'],
    ['health', 'Health and Wellbeing Board'],
  ])('"%s" finds %s', (typed, name) => {
    expect(matchBoard(boards, typed)).toEqual({ kind: 'found', board: { name } });
  });

  it('reports several matches instead of guessing, and no match as none', () => {
    expect(matchBoard(boards, 'board')).toMatchObject({ kind: 'ambiguous', candidates: [{ name: 'SEND Partnership Board' }, { name: 'Child Friendly Board' }, { name: 'Health and Wellbeing Board' }] });
    expect(matchBoard(boards, 'cabinet')).toEqual({ kind: 'none' });
    expect(matchBoard(boards, '   ')).toEqual({ kind: 'none' });
  });

  it('picks the chaired board with most actions, else the board of most of the caller’s actions', () => {
    const now = at(DIGEST_NOW);
    const spb = state.boards.find((b) => b.name === 'SEND Partnership Board')!;
    const cfb = state.boards.find((b) => b.name === 'Child Friendly Board')!;
    // The DCS chairs both; the Child Friendly Board has no actions of its own.
    expect(boardForCaller(state, { personId: 0, roleIds: [], chairedBoardIds: [cfb.id, spb.id] }, now)?.name).toBe('SEND Partnership Board');
    const roleOf = (ref: string) => state.actions.find((a) => a.ref === ref)!.ownerRoleId!;
    // Solent 0-19 Service Manager: twelve HCP actions for the Partnership Board.
    expect(boardForCaller(state, { personId: 0, roleIds: [roleOf('HCP-2.1')], chairedBoardIds: [] }, now)?.name).toBe('SEND Partnership Board');
    // Director of Public Health: HCP-1.1 only, which reports to the Health and Wellbeing Board.
    expect(boardForCaller(state, { personId: 0, roleIds: [roleOf('HCP-1.1')], chairedBoardIds: [] }, now)?.name).toBe('Health and Wellbeing Board');
    expect(boardForCaller(state, { personId: 0, roleIds: [], chairedBoardIds: [] }, now)).toBeUndefined();
  });
});
