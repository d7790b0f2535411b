// What the digests say in a council's first weeks: an import is the starting point (no "+91" in the
// first chair's digest), the weekly digest lists the week's date decisions, and "Updates received"
// (the digest and the dashboard) says what became of a requested date.
import { describe, expect, it } from 'vitest';
import { parseInstant, toStoredInstant } from '../../src/clock.js';
import { digestToReply, weeklyDigestToReply } from '../../src/render/digest-reply.js';
import { renderDashboardPage } from '../../src/render/dashboard-page.js';
import { renderText } from '../../src/render/text.js';
import { listBoards } from '../../src/store/boards-repository.js';
import type { Db } from '../../src/store/database.js';
import { loadBoardDashboard } from '../../src/store/dashboard-loader.js';
import { loadBoardDigest, loadWeeklyDigest } from '../../src/store/digest-loader.js';
import { ALEX, MORGAN, say } from '../helpers/digest-demo.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';

const utc = (london: string) => toStoredInstant(parseInstant(london));
const boardId = async (db: Db) => (await listBoards(db)).find((b) => b.name === 'SEND Partnership Board')?.id as number;
const chairsDigest = async (db: Db, at: string) => renderText(digestToReply(await loadBoardDigest(db, await boardId(db), utc(at))));

describe('the first chair’s digest after an import', () => {
  it('counts the imported plan as the starting point, and only owners’ reports as change', async () => {
    // Imported after the board's 16 October meeting: "since the previous meeting" predates the plan.
    const { db } = await demoPlanDb('2024-11-01T09:00');
    const first = await chairsDigest(db, '2024-11-27T09:00');
    expect(first).toContain('Changes since: previous meeting, Wed 16 Oct 2024');
    expect(first).toMatch(/Not started: \d+\n/);
    expect(first).not.toMatch(/\([+\u2212]\d+\)/);

    expect((await say(db, '2024-11-20T10:00', MORGAN, '/send update ND-1.2 amber 60% pilot extended')).tone).toBe('success');
    const after = await chairsDigest(db, '2024-11-27T09:00');
    expect(after).toContain('Amber: 1 (+1)');
    expect(after).toMatch(/Not started: \d+ \(\u22121\)/);
  });
});

describe('date-change decisions', () => {
  async function decidedWeek(): Promise<Db> {
    const { db } = await demoPlanDb('2024-09-02T09:00');
    const steps: [string, string, string][] = [
      ['2024-11-18T10:00', MORGAN, '/send update WD-2.1 due:"30 June 25" trainer availability'],
      ['2024-11-19T10:00', ALEX, '/send approve WD-2.1'],
      ['2024-11-20T10:00', MORGAN, '/send update ND-1.2 due:"31 March 25" waiting for funding'],
      ['2024-11-21T10:00', ALEX, '/send reject ND-1.2 no capacity until April'],
    ];
    for (const [at, who, typed] of steps) expect((await say(db, at, who, typed)).tone, typed).toBe('success');
    return db;
  }

  it('the weekly digest lists the week’s approvals and rejections, with who, dates and reason', async () => {
    const db = await decidedWeek();
    const weekly = await loadWeeklyDigest(db, utc('2024-11-25T09:00'));
    expect(weekly.dateDecisions.map((d) => [d.action.ref, d.decision])).toEqual([
      ['ND-1.2', 'rejected'],
      ['WD-2.1', 'approved'],
    ]);
    const out = renderText(weeklyDigestToReply(weekly));
    expect(out).toContain('Date decisions this week (2):');
    expect(out).toMatch(/ND-1\.2 · rejected by Alex Sample on Thu 21 Nov 2024, 10:00, asked by Morgan Demo · stays due .*, not 31 Mar 2025: no capacity until April/);
    expect(out).toMatch(/WD-2\.1 · approved by Alex Sample on Tue 19 Nov 2024, 10:00, asked by Morgan Demo · due 30 Jun 2025 \(was .*\)/);
    // A week later they are last week's news.
    expect((await loadWeeklyDigest(db, utc('2024-12-02T09:00'))).dateDecisions).toEqual([]);
  });

  it('"Updates received" in the digest and on the dashboard says a request was rejected, and why', async () => {
    const db = await decidedWeek();
    const digest = await chairsDigest(db, '2024-11-27T09:00');
    expect(digest).toContain('asked for a new due date, 31 Mar 2025 (rejected: no capacity until April)');
    const html = renderDashboardPage(await loadBoardDashboard(db, await boardId(db), utc('2024-11-27T09:00')), { linkExpiresAt: utc('2024-12-04T09:00') });
    expect(html).toContain('asked for a new due date, 31 Mar 2025 (rejected: no capacity until April)');
    // One moved date is "1 due date", not "1 due dates".
    expect(html).toContain('<span class="n">1</span><span class="l">due date moved from the plan</span>');
    // As it stood then: before the decision the same report was still waiting for one.
    expect(await chairsDigest(db, '2024-11-20T12:00')).toContain('asked for a new due date, 31 Mar 2025 (waiting for a decision)');
  });
});
