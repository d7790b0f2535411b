import { beforeEach, describe, expect, it } from 'vitest';
import { resolveCaller } from '../../src/commands/identity.js';
import { renderText } from '../../src/render/text.js';
import type { Db } from '../../src/store/database.js';
import { ask, askText, DEMO, dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';
import { one, rows, run, sql } from '../helpers/test-db.js';

let db: Db;
beforeEach(async () => {
  ({ db } = await demoPlanDb());
});

const NOW = '2024-11-18T10:00';
const updatesOf = async (ref: string) =>
  await rows(db, sql`select u.status, u.percent, u.note, u.evidence_url as evidence, u.platform, u.kind, u.raw_text as raw, p.email from updates u join actions a on a.id = u.action_id left join people p on p.id = u.person_id where a.ref = ${ref} order by u.id`) as { status: string | null; percent: number | null; note: string | null; evidence: string | null; platform: string; kind: string; raw: string; email: string }[];
const action = async (ref: string) =>
  await one(db, sql`select status, percent, due, baseline_due as baseline, owner_person_id as ownerPerson from actions where ref = ${ref}`) as {
    status: string;
    percent: number | null;
    due: string | null;
    baseline: string | null;
    ownerPerson: number | null;
  };

describe('update', () => {
  it('stores the owner’s update append-only with person, platform and the raw text', async () => {
    const reply = await ask(db, DEMO.headOfSend, '/send update ND-1.2 amber 60% NDPT pilot extended; roll-out from Jan', NOW);
    expect(reply.tone).toBe('success');
    expect(reply.summary).toBe('Update recorded for ND-1.2.');
    expect(await updatesOf('ND-1.2')).toEqual([
      {
        status: 'amber',
        percent: 60,
        note: 'NDPT pilot extended; roll-out from Jan',
        evidence: null,
        platform: 'console',
        kind: 'update',
        raw: '/send update ND-1.2 amber 60% NDPT pilot extended; roll-out from Jan',
        email: DEMO.headOfSend,
      },
    ]);
    expect(await action('ND-1.2')).toMatchObject({ status: 'amber', percent: 60 });
    // A second update is a new row; the first stays as it was.
    await ask(db, DEMO.headOfSend, 'UPDATE nd-1.2 on track 70% back on plan', NOW);
    expect((await updatesOf('ND-1.2')).map((u) => [u.status, u.percent])).toEqual([
      ['amber', 60],
      ['green', 70],
    ]);
  });

  it('accepts status words, percent, evidence and complete (which implies 100%)', async () => {
    await ask(db, DEMO.headOfSend, 'update ND-1.1 done evidence:https://docs.example.org/ndpt rolled out to all schools', NOW);
    expect((await updatesOf('ND-1.1'))[0]).toMatchObject({ status: 'blue', percent: 100, evidence: 'https://docs.example.org/ndpt', note: 'rolled out to all schools' });
    expect(await action('ND-1.1')).toMatchObject({ status: 'blue', percent: 100 });
  });

  it.each(['nd-1.2', 'ND1.2', 'ND 1.2', 'Nd-01.02'])('reads the tolerant ref %s', async (ref) => {
    const reply = await ask(db, DEMO.headOfSend, `update ${ref} red stuck on recruitment`, NOW);
    expect(reply.summary).toBe('Update recorded for ND-1.2.');
  });

  it('lets a supporting role and an admin update, and says so', async () => {
    expect((await ask(db, DEMO.headOfCommissioning, 'update ND-1.3 green', NOW)).summary).toBe('Update recorded for ND-1.3 (as a supporting role).');
    expect((await ask(db, DEMO.admin, 'update ND-1.3 amber correction after call', NOW)).summary).toBe('Update recorded for ND-1.3 (as admin).');
  });

  it('refuses someone who is not owner, supporting or admin, naming who can, and stores nothing', async () => {
    const before = await dbFingerprint(db);
    const reply = await ask(db, DEMO.clinicalLeadSolent, 'update ND-1.1 green all done', NOW);
    expect(reply.tone).toBe('error');
    expect(reply.summary).toContain("You can't update ND-1.1.");
    expect(reply.summary).toContain('Morgan Demo (Head of SEND)');
    expect(reply.summary).toContain('Priya Testwell (SCC Head of Commissioning, supporting)');
    expect(reply.summary).toContain('a programme officer (Alex Sample, Jamie Example)');
    expect(await dbFingerprint(db)).toBe(before);
  });

  it('returns the update form with only a ref, or nothing', async () => {
    const noRef = await ask(db, DEMO.headOfSend, '/send update', NOW);
    expect(noRef.form?.choices.map((c) => c.ref)).toContain('ND-1.1');
    expect(noRef.form?.choices.every((c) => c.status !== 'blue')).toBe(true);
    const withRef = await ask(db, DEMO.headOfSend, '/send update nd 1.4', NOW);
    expect(withRef.form?.ref).toBe('ND-1.4');
  });

  it('records a date change as a request; the due date and baseline hold until the chair approves', async () => {
    const reply = await ask(db, DEMO.headOfSend, 'update ND-3.5 amber due:"30 April 25" evaluation delayed by the provider', NOW);
    expect(reply.tone).toBe('success');
    expect(renderText(reply)).toContain('Date change requested: 28 Feb 2025 → 30 Apr 2025');
    expect(await action('ND-3.5')).toMatchObject({ due: '2025-02-28', baseline: '2025-02-28' });
    const pending = await rows(db, sql`select from_due, to_due, reason, state from due_date_changes where state = 'pending'`);
    expect(pending).toEqual([{ from_due: '2025-02-28', to_due: '2025-04-30', reason: 'evaluation delayed by the provider', state: 'pending' }]);

    // Only the board's chair (or an admin) decides.
    expect((await ask(db, DEMO.headOfSend, 'approve ND-3.5', NOW)).tone).toBe('error');
    const approved = await ask(db, DEMO.dcs, 'approve ND-3.5', NOW);
    expect(approved.summary).toBe('Approved: ND-3.5 is now due 30 Apr 2025 (was 28 Feb 2025; baseline 28 Feb 2025 kept). Morgan Demo will be told.');
    expect(await action('ND-3.5')).toMatchObject({ due: '2025-04-30', baseline: '2025-02-28' });

    // A second move later still keeps the very first baseline.
    await ask(db, DEMO.headOfSend, 'update ND-3.5 due:2025-06-30 provider changed again', NOW);
    await ask(db, DEMO.admin, 'approve ND-3.5', NOW);
    expect(await action('ND-3.5')).toMatchObject({ due: '2025-06-30', baseline: '2025-02-28' });
    const history = await askText(db, DEMO.admin, 'history ND-3.5', NOW);
    expect(history).toContain('date change approved by Elaine Demoster: 28 Feb 2025 → 30 Apr 2025');
    expect(history).toContain('date change approved by Alex Sample: 30 Apr 2025 → 30 Jun 2025');
    expect(history).toContain('Baseline: 28 Feb 2025');
  });

  it('reject leaves the date alone', async () => {
    await ask(db, DEMO.headOfSend, 'update ND-3.5 due:"30 April 25" evaluation delayed', NOW);
    expect((await ask(db, DEMO.dcs, 'reject ND-3.5 no capacity until April', NOW)).summary).toBe('Rejected: ND-3.5 stays due 28 Feb 2025. Morgan Demo will be told.');
    expect((await action('ND-3.5')).due).toBe('2025-02-28');
    expect((await ask(db, DEMO.dcs, 'approve ND-3.5', NOW)).summary).toBe('ND-3.5 has no date change waiting for a decision.');
  });
});

describe('bad input is answered specifically and changes nothing', () => {
  it.each([
    ['unknown subcommand', 'updte ND-1.2 green', /I don't know the command "updte"/, /Did you mean update\?/],
    ['unknown ref', 'update ND-9.9 green', /There is no action ND-9\.9\./, /Did you mean ND-/],
    ['not a ref', 'update green 50%', /"green" is not an action reference/, /Usage/],
    ['percent over 100', 'update ND-1.2 150%', /'150%' is over 100%/, /Nothing was saved/],
    ['evidence not a link', 'update ND-1.2 evidence:ftp://x.example note', /Evidence must be a web link starting https:\/\//, /Usage/],
    ['unreadable new date', 'update ND-1.2 due:"when pigs fly" because', /couldn't read "when pigs fly"/, /Nothing was saved/],
    ['date change without a reason', 'update ND-1.2 due:2025-06-30', /Say why ND-1\.2 needs a new date/, /Example/],
    ['NHS number', 'update ND-1.2 amber child 943 476 5919 waiting', /can’t accept/, /NHS number/],
    ['NHS number without spaces', 'update ND-1.2 amber 9434765919', /can’t accept/, /No personal data about children/],
    ['text over 3,000 characters', `update ND-1.2 amber ${'x'.repeat(3001)}`, /too long/, /limited to 3,000/],
    ['due all for a non-chair', 'due all', /Only board chairs and programme officers/, /.*/],
    ['admin command for a non-admin', 'assign ND-1.2 jamie.example@example.org', /Only programme officers/, /.*/],
  ])('%s', async (_name, command, summary, detail) => {
    const before = await dbFingerprint(db);
    const reply = await ask(db, DEMO.headOfSend, command, NOW);
    expect(reply.tone).toBe('error');
    const all = renderText(reply);
    expect(all).toMatch(summary);
    expect(all).toMatch(detail);
    expect(await dbFingerprint(db)).toBe(before);
  });

  it('accepts ten digits that fail the NHS modulus-11 check', async () => {
    expect((await ask(db, DEMO.headOfSend, 'update ND-1.2 amber budget code 1234567890 agreed', NOW)).tone).toBe('success');
  });
});

describe('who', () => {
  it('describes one action by ref: owner and holders, supporting roles, due, status, last update', async () => {
    await ask(db, DEMO.headOfSend, 'update ND-1.2 amber 60% pilot extended', '2024-11-15T10:00');
    const text = await askText(db, DEMO.clinicalLeadSolent, 'who nd1.2', NOW);
    expect(text).toContain('ND-1.2: Morgan Demo (Head of SEND)');
    expect(text).toContain('Supporting: Priya Testwell (SCC Head of Commissioning)');
    expect(text).toContain('Due: 31 Jul 2025');
    expect(text).toContain('Status: amber (60%)');
    expect(text).toContain('Last update: 15 Nov 2024 by Morgan Demo: amber, 60%, pilot extended');
  });

  it('finds the Annual Health Checks workstream’s actions from free words', async () => {
    const reply = await ask(db, DEMO.clinicalLeadSolent, 'who owns the annual health checks work', NOW);
    const block = reply.blocks.find((b) => b.type === 'actions');
    expect(block?.type).toBe('actions');
    const refs = block?.type === 'actions' ? block.items.map((i) => i.ref) : [];
    expect(refs.length).toBeGreaterThanOrEqual(3);
    expect(refs.every((r) => r.startsWith('TR-6.'))).toBe(true);
    expect(block?.type === 'actions' && block.items[0]?.owner).toBe('NHS Hampshire & IOW Strategic Lead LDA');
  });

  it('says clearly when nothing matches', async () => {
    expect((await ask(db, DEMO.admin, 'who zzzqqq', NOW)).summary).toBe('Nothing in the plan matches "zzzqqq".');
  });
});

describe('mine, due, overdue', () => {
  it('groups my actions: overdue, update needed before a meeting, due soon, the rest', async () => {
    // 2025-01-06: Dec 24 actions are overdue; the 29 Jan board is next.
    await ask(db, DEMO.headOfSend, 'update WD-2.1 green on track', '2024-12-10T10:00');
    const text = await askText(db, DEMO.headOfSend, 'mine', '2025-01-06T10:00');
    expect(text).toMatch(/Overdue \(2\):\n {2}QA-3\.1 .*31 Dec 2024 · not started · 3 working days overdue/);
    expect(text).toContain('Update needed before SEND Partnership Board on Wed 29 Jan 2025, 14:00 (updates open 15 Jan 2025, papers 22 Jan 2025)');
    // WD-2.1 was updated after the 4 Dec meeting: due soon, not "needs update".
    expect(text).toMatch(/Due in the next 30 days \(1\):\n {2}WD-2\.1/);
  });

  it('due N and overdue list my actions; all works for chairs and admins', async () => {
    expect((await ask(db, DEMO.headOfSend, 'due 45', '2024-11-18T10:00')).summary).toBe('Your actions due in the next 45 days: 2');
    expect((await ask(db, DEMO.headOfSend, 'overdue', '2025-01-06T10:00')).summary).toBe('Your overdue actions: 2');
    const all = await ask(db, DEMO.dcs, 'overdue all', '2025-01-06T10:00');
    expect(all.summary).toMatch(/^All overdue actions: \d+$/);
    expect(Number(all.summary.split(': ')[1])).toBeGreaterThan(2);
  });
});

describe('status, boards, help, digest', () => {
  it('status shows the trail in time order', async () => {
    await ask(db, DEMO.headOfSend, 'update ND-1.2 amber first', '2024-11-01T10:00');
    await ask(db, DEMO.headOfSend, 'update ND-1.2 green second', '2024-11-08T10:00');
    const text = await askText(db, DEMO.clinicalLeadSolent, 'status ND-1.2', NOW);
    expect(text.indexOf('amber, first')).toBeLessThan(text.indexOf('green, second'));
    expect(text).toContain('1 Nov 2024 10:00 · Morgan Demo (console): amber, first');
  });

  it('boards lists next meetings with update window and papers deadline', async () => {
    const text = await askText(db, DEMO.clinicalLeadSolent, 'boards', NOW);
    expect(text).toContain('SEND PARTNERSHIP BOARD');
    expect(text).toContain('Wed 4 Dec 2024, 14:00 (sample date): updates open 20 Nov 2024, reminder 25 Nov 2024, papers due 27 Nov 2024');
  });

  it('help lists every subcommand with an example, and help <command> explains one', async () => {
    const text = await askText(db, DEMO.admin, 'help', NOW);
    for (const name of ['update', 'who', 'mine', 'due', 'overdue', 'status', 'boards', 'away', 'back', 'digest', 'help', 'assign', 'handover', 'approve', 'reject']) {
      expect(text).toMatch(new RegExp(`/send ${name}\\b.*e\\.g\\. /send ${name}`));
    }
    // Someone who chairs no board is shown approve without an example they could not run.
    const lead = await askText(db, DEMO.clinicalLeadSolent, 'help', NOW);
    expect(lead).toMatch(/\/send update\b.*e\.g\. \/send update/);
    expect(lead).toMatch(/\/send approve <ref>.*— chairs and admins: approve a requested new due date\.$/m);
    expect(await askText(db, DEMO.admin, 'help update', NOW)).toContain('Usage: /send update <ref>');
  });

  it('digest answers (preview)', async () => {
    expect((await ask(db, DEMO.dcs, 'digest SEND Partnership Board', NOW)).tone).not.toBe('error');
  });
});

describe('away and back', () => {
  it('marks me away with a delegate, who may then update my actions; back clears it', async () => {
    const reply = await ask(db, DEMO.headOfSend, 'away 3 January 2025 delegate jamie.example@example.org', '2024-12-16T10:00');
    expect(reply.summary).toBe('Marked you away until 3 Jan 2025.');
    // Jamie is an admin anyway: use a non-admin delegate to prove the delegation right.
    await ask(db, DEMO.headOfSend, `away 3 January 2025 delegate ${DEMO.clinicalLeadSolent}`, '2024-12-16T10:00');
    expect((await ask(db, DEMO.clinicalLeadSolent, 'update ND-1.1 green covering for Morgan', '2024-12-17T10:00')).summary).toBe(
      'Update recorded for ND-1.1 (as delegate for Morgan Demo).',
    );
    // After the absence ends the delegate has no right.
    expect((await ask(db, DEMO.clinicalLeadSolent, 'update ND-1.1 green again', '2025-01-06T10:00')).tone).toBe('error');
    expect((await ask(db, DEMO.headOfSend, 'back', '2024-12-18T10:00')).summary).toMatch(/^Welcome back/);
    expect(await one(db, sql`select away_until, delegate_id from people where email = ${DEMO.headOfSend}`)).toEqual({ away_until: null, delegate_id: null });
  });

  it('refuses a date in the past or an unknown delegate', async () => {
    expect((await ask(db, DEMO.headOfSend, 'away 1 November 2024', NOW)).summary).toBe('1 Nov 2024 is in the past.');
    expect((await ask(db, DEMO.headOfSend, 'away 3 January 2025 delegate nobody@example.org', NOW)).summary).toBe('Nobody with email nobody@example.org is registered.');
  });
});

describe('admin commands', () => {
  it('assign makes a named person accountable for one action', async () => {
    const reply = await ask(db, DEMO.admin, 'assign ND-1.2 leah.testbury@example.org', NOW);
    expect(reply.summary).toBe('ND-1.2 is now owned by Leah Testbury, assigned by name (was Morgan Demo, Head of SEND).');
    expect((await ask(db, DEMO.clinicalLeadSolent, 'update ND-1.2 green', NOW)).tone).toBe('success');
  });

  it('handover previews and needs confirming; then all the role’s actions move and history is kept', async () => {
    const before = await dbFingerprint(db);
    const preview = await ask(db, DEMO.admin, 'handover Head of SEND to leah.testbury@example.org', NOW);
    expect(preview.summary).toMatch(/^Hand Head of SEND from Morgan Demo to Leah Testbury\? \d+ actions will move\.$/);
    expect(preview.buttons?.[0]?.value).toBe('/send handover Head of SEND to leah.testbury@example.org confirm');
    expect(await dbFingerprint(db)).toBe(before);
    const done = await ask(db, DEMO.admin, 'handover Head of SEND to leah.testbury@example.org confirm', NOW);
    expect(done.tone).toBe('success');
    expect((await ask(db, DEMO.clinicalLeadSolent, 'update ND-1.1 green', NOW)).summary).toBe('Update recorded for ND-1.1.');
    const history = await rows(db, sql`select p.email, ra.ended_at is not null as ended from role_assignments ra join roles r on r.id = ra.role_id join people p on p.id = ra.person_id where r.name = 'Head of SEND' order by ra.id`);
    expect(history).toEqual([
      { email: DEMO.headOfSend, ended: 1 },
      { email: DEMO.clinicalLeadSolent, ended: 0 },
    ]);
  });
});

describe('identity', () => {
  it('resolves by Slack id, Teams id, or email (remembering the new id)', async () => {
    expect((await resolveCaller(db, { slackUserId: 'U0DEMO03' })).person?.email).toBe(DEMO.headOfSend);
    expect((await resolveCaller(db, { teamsUserId: '29:demo-03' })).person?.email).toBe(DEMO.headOfSend);
    await run(db, sql`update people set slack_user_id = null where email = ${DEMO.headOfSend}`);
    expect((await resolveCaller(db, { slackUserId: 'UNEW123', email: 'Morgan.Demo@example.org' })).person?.email).toBe(DEMO.headOfSend);
    expect((await resolveCaller(db, { slackUserId: 'UNEW123' })).person?.email).toBe(DEMO.headOfSend);
  });

  it('tells an unknown caller to ask a programme officer, naming them', async () => {
    const result = await resolveCaller(db, { slackUserId: 'UNOBODY' });
    expect(result.person).toBeUndefined();
    const text = result.person ? '' : renderText(result.reply);
    expect(text).toContain("You're not registered yet — ask a programme officer.");
    expect(text).toContain('Alex Sample (alex.sample@example.org)');
  });
});
