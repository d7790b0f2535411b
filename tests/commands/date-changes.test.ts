// Date-change requests through the real command router and the real delivery loop (console adapter):
// the decision keeps who, when and why; `history` shows both the request and the decision; the chair
// is told a request arrived and the requester is told the decision, one message each.
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { deliverDue } from '../../src/jobs/deliver.js';
import { createConsoleDelivery } from '../../src/platforms/console/console-delivery.js';
import type { Db } from '../../src/store/database.js';
import { listOutbox } from '../../src/store/outbox-repository.js';
import { runCommandText } from '../../src/commands/router.js';
import { renderText } from '../../src/render/text.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { ask, askText, DEMO, dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';
import { one, run, sql } from '../helpers/test-db.js';

let db: Db;
beforeEach(async () => {
  ({ db } = await demoPlanDb());
});

const id = async (email: string) => (await one(db, sql`select id from people where email = ${email}`) as { id: number }).id;
const change = async () =>
  await one(db, sql`select c.id, c.state, c.decided_at as decidedAt, p.email as decidedBy, c.decision_note as note from due_date_changes c left join people p on p.id = c.decided_by order by c.id desc limit 1`) as { id: number; state: string; decidedAt: string | null; decidedBy: string | null; note: string | null };

/** Runs the delivery loop once with a console adapter; returns what it printed. */
async function deliver(at = '2024-11-19T09:30'): Promise<string> {
  let printed = '';
  await deliverDue({ db, clock: fixedClock(at), adapters: [createConsoleDelivery({ write: (s: string) => (printed += s) })], random: () => 0 });
  return printed;
}

describe('approve and reject', () => {
  it('reject keeps who decided, when and the reason; history shows request and decision; each side is told once', async () => {
    expect((await ask(db, DEMO.headOfSend, 'update ND-3.5 amber due:"30 April 25" evaluation delayed by the provider', '2024-11-18T10:00')).tone).toBe('success');
    const requested = await change();
    // The chair of the SEND Partnership Board (the DCS) is told, once, through the outbox.
    expect((await listOutbox(db)).map((r) => [r.key, r.kind, r.recipientEmail, r.status])).toEqual([
      [`date-request:${requested.id}:${await id(DEMO.dcs)}`, 'date_request', DEMO.dcs, 'pending'],
    ]);
    const toChair = await deliver();
    expect(toChair).toContain(`sendbot → Elaine Demoster <${DEMO.dcs}> (date request)`);
    expect(toChair).toContain('Morgan Demo asks to move ND-3.5 from 28 Feb 2025 to 30 Apr 2025');
    expect(toChair).toContain('Reason: evaluation delayed by the provider');
    expect(toChair).toContain('To approve: /send approve ND-3.5 to:2025-04-30');

    // A rejection needs a reason: the requester is told it.
    const before = await dbFingerprint(db);
    const bare = await ask(db, DEMO.dcs, 'reject ND-3.5', '2024-11-19T14:00');
    expect(bare.summary).toBe('Say why you are rejecting the new date for ND-3.5: Morgan Demo is told your reason.');
    expect(await dbFingerprint(db)).toBe(before);

    expect((await ask(db, DEMO.dcs, 'reject ND-3.5 no capacity until April', '2024-11-19T14:00')).summary).toBe('Rejected: ND-3.5 stays due 28 Feb 2025. Morgan Demo will be told.');
    expect(await change()).toEqual({ id: requested.id, state: 'rejected', decidedAt: '2024-11-19T14:00:00.000Z', decidedBy: DEMO.dcs, note: 'no capacity until April' });

    const history = await askText(db, DEMO.clinicalLeadSolent, 'history ND-3.5', '2024-11-20T10:00');
    expect(history).toContain('18 Nov 2024 10:00 · date change requested by Morgan Demo: 28 Feb 2025 → 30 Apr 2025 (reason: evaluation delayed by the provider)');
    expect(history).toContain('19 Nov 2024 14:00 · date change rejected by Elaine Demoster: 28 Feb 2025 → 30 Apr 2025 (reason: no capacity until April)');
    expect(history.indexOf('date change requested')).toBeLessThan(history.indexOf('date change rejected'));

    const toRequester = await deliver('2024-11-19T14:05');
    expect(toRequester).toContain(`sendbot → Morgan Demo <${DEMO.headOfSend}> (date decision)`);
    expect(toRequester).toContain('Elaine Demoster rejected your new date for ND-3.5: it stays due 28 Feb 2025');
    expect(toRequester).toContain('Reason: no capacity until April');
    expect(toRequester).not.toContain('(date request)');
    expect(await deliver('2024-11-19T14:10')).toBe('');
    expect((await listOutbox(db)).map((r) => [r.kind, r.recipientEmail, r.status])).toEqual([
      ['date_request', DEMO.dcs, 'sent'],
      ['date_decision', DEMO.headOfSend, 'sent'],
    ]);
  });

  it('approve keeps an optional note, and drops the chair’s notice if the request was decided before it went out', async () => {
    await ask(db, DEMO.headOfSend, 'update ND-3.5 due:"30 April 25" evaluation delayed', '2024-11-18T10:00');
    // Decided by a programme officer in the evening, before the chair's notice could go out.
    expect((await ask(db, DEMO.admin, 'approve ND-3.5 agreed with the chair by phone', '2024-11-18T19:00')).tone).toBe('success');
    expect(await change()).toMatchObject({ state: 'approved', decidedBy: DEMO.admin, note: 'agreed with the chair by phone' });
    expect(await askText(db, DEMO.admin, 'history ND-3.5', '2024-11-20T10:00')).toContain(
      '18 Nov 2024 19:00 · date change approved by Alex Sample: 28 Feb 2025 → 30 Apr 2025 (note: agreed with the chair by phone)',
    );
    expect((await listOutbox(db)).map((r) => [r.kind, r.recipientEmail, r.status, r.lastError])).toEqual([
      ['date_request', DEMO.dcs, 'skipped', 'approved by Alex Sample before it was sent'],
      ['date_decision', DEMO.headOfSend, 'pending', null],
    ]);
  });

  it('an Approve button from an older request cannot approve a newer one', async () => {
    await ask(db, DEMO.headOfSend, 'update ND-3.5 due:"30 April 25" evaluation delayed', '2024-11-18T10:00');
    await ask(db, DEMO.headOfSend, 'update ND-3.5 due:"30 June 25" delayed again', '2024-11-18T11:00');
    const before = await dbFingerprint(db);
    const stale = await ask(db, DEMO.dcs, 'approve ND-3.5 to:2025-04-30', '2024-11-18T12:00');
    expect(stale.summary).toBe('The request for ND-3.5 has changed: it now asks for 30 Jun 2025, not 30 Apr 2025.');
    expect(await dbFingerprint(db)).toBe(before);
    expect((await ask(db, DEMO.dcs, 'approve ND-3.5 to:2025-06-30', '2024-11-18T12:00')).summary).toMatch(/^Approved: ND-3\.5 is now due 30 Jun 2025/);
    // One notice per request to the chair; the superseded request's history says so.
    expect((await listOutbox(db)).filter((r) => r.kind === 'date_request')).toHaveLength(2);
    expect(await askText(db, DEMO.admin, 'history ND-3.5', '2024-11-20T10:00')).toContain('28 Feb 2025 → 30 Apr 2025 (reason: evaluation delayed), replaced by a later request');
  });

  it.each(['no', 'No.', 'none', 'n/a', '-', 'x', 'rejected', 'cost', 'no no no', 'nope nope nope', 'No. No! no', 'n/a - n/a', 'rejected, rejected', 'x x x x x x', 'none - nope', 'no, sorry, no', 'Rejected. Declined.'])('"reject ND-3.5 %s" is not a reason: refused, saying what is expected', async (typed) => {
    await ask(db, DEMO.headOfSend, 'update ND-3.5 amber due:"30 April 25" evaluation delayed by the provider', '2024-11-18T10:00');
    const before = await dbFingerprint(db);
    const r = await ask(db, DEMO.dcs, `reject ND-3.5 ${typed}`, '2024-11-19T14:00');
    expect(r.tone).toBe('error');
    expect(r.summary).toBe(`"${typed}" isn't a reason for ND-3.5: Morgan Demo is told your reason.`);
    expect(await askText(db, DEMO.dcs, `reject ND-3.5 ${typed}`, '2024-11-19T14:00')).toContain('Give a few words they can act on (at least 6 letters, not just "no" or "n/a")');
    expect(await dbFingerprint(db)).toBe(before);
    expect((await ask(db, DEMO.dcs, 'reject ND-3.5 no budget', '2024-11-19T14:00')).tone).toBe('success');
  });

  it.each(['no budget', 'no capacity until April', 'not agreed by the board', 'no - the panel wants the evaluation first', 'nope: funding ends in March'])(
    '"reject ND-3.5 %s" gives a reason, even when it begins with a filler word',
    async (typed) => {
      await ask(db, DEMO.headOfSend, 'update ND-3.5 amber due:"30 April 25" evaluation delayed by the provider', '2024-11-18T10:00');
      expect((await ask(db, DEMO.dcs, `reject ND-3.5 ${typed}`, '2024-11-19T14:00')).tone).toBe('success');
      expect(await change()).toMatchObject({ state: 'rejected', note: typed });
    },
  );

  it('nobody is told their own decision, and a chair who asks is not sent their own request', async () => {
    // An admin asks and another admin approves: the chair is still told of the request, the admin of the decision.
    await ask(db, DEMO.admin, 'update ND-3.5 due:"30 April 25" agreed at the October board', '2024-11-18T10:00');
    expect((await ask(db, DEMO.admin2, 'approve ND-3.5', '2024-11-18T10:05')).tone).toBe('success');
    expect((await listOutbox(db)).map((r) => [r.kind, r.recipientEmail])).toEqual([
      ['date_request', DEMO.dcs],
      ['date_decision', DEMO.admin],
    ]);
  });
});

describe('decisions the record can trust', () => {
  const asWith = async (email: string, typed: string, at: string, policy?: { allowSelfApproval: boolean }) => {
    const caller = await findPersonByEmail(db, email);
    if (!caller) throw new Error(email);
    return await runCommandText({ db, clock: fixedClock(at), ...(policy ? { policy } : {}) }, caller, 'console', typed);
  };

  it.each(['approve', 'reject'])('nobody %ss their own request, admins included; the reply names who can', async (verb) => {
    await ask(db, DEMO.admin, 'update ND-3.5 due:"30 April 25" agreed at the October board', '2024-11-18T10:00');
    const before = await dbFingerprint(db);
    const r = await ask(db, DEMO.admin, `${verb} ND-3.5 agreed with the provider in writing`, '2024-11-18T10:05');
    expect(r.tone).toBe('error');
    expect(r.summary).toBe(
      `You asked for this new date for ND-3.5, so someone else must ${verb} it: Elaine Demoster (chair); or Jamie Example (programme officer). Nothing was changed.`,
    );
    expect(await dbFingerprint(db)).toBe(before);
  });

  it('ALLOW_SELF_APPROVAL lets a one-officer partnership decide its own request, marked self-approved in history and digest', async () => {
    await ask(db, DEMO.admin, 'update ND-3.5 due:"30 April 25" agreed at the October board', '2024-11-18T10:00');
    const r = await asWith(DEMO.admin, 'approve ND-3.5', '2024-11-18T10:05', { allowSelfApproval: true });
    expect(r.summary).toBe('Approved: ND-3.5 is now due 30 Apr 2025 (was 28 Feb 2025; baseline 28 Feb 2025 kept). Marked self-approved in the history and the digest.');
    expect(await askText(db, DEMO.admin, 'history ND-3.5', '2024-11-20T10:00')).toContain('date change approved by Alex Sample (self-approved): 28 Feb 2025 → 30 Apr 2025');
    expect(await askText(db, DEMO.dcs, 'digest', '2024-11-20T10:00')).toMatch(/ND-3\.5[^\n]*self-approved/);
    // Without the setting the same request by someone else is still decided normally.
    expect((await asWith(DEMO.admin, 'approve ND-3.5', '2024-11-18T10:06')).summary).toBe('ND-3.5 has no date change waiting for a decision.');
  });

  it('a request replaced by a newer one is withdrawn: its unsent message to the chair is skipped, and the chair is sent only the current one', async () => {
    const first = await ask(db, DEMO.headOfSend, 'update ND-3.5 due:"30 April 25" provider late', '2024-11-18T10:00');
    expect(renderText(first)).toContain('The chair of SEND Partnership Board (Elaine Demoster) has been sent it with your reason');
    const second = await ask(db, DEMO.headOfSend, 'update ND-3.5 due:"31 May 25" provider later still', '2024-11-18T11:00');
    expect(renderText(second)).toContain('(it replaces your earlier request, which is withdrawn)');
    expect((await listOutbox(db)).map((r) => [r.kind, r.status, r.lastError])).toEqual([
      ['date_request', 'skipped', 'withdrawn: replaced by a newer request before it was sent'],
      ['date_request', 'pending', null],
    ]);
    const toChair = await deliver('2024-11-18T11:30');
    expect(toChair).toContain('to 31 May 2025');
    expect(toChair).not.toContain('30 Apr 2025');
  });

  it('"the chair has been sent it" only when the board has a chair; otherwise it names the programme officers', async () => {
    await run(db, sql`update boards set chair_role_id = null`);
    const r = await ask(db, DEMO.headOfSend, 'update ND-3.5 due:"30 April 25" provider late', '2024-11-18T10:00');
    const said = renderText(r);
    expect(said).not.toContain('The chair');
    expect(said).toContain('SEND Partnership Board has no chair in sendbot who can decide it, so the programme officers (Alex Sample and Jamie Example) have been sent it with your reason');
    expect((await listOutbox(db)).map((r) => r.recipientEmail).sort()).toEqual([DEMO.admin, DEMO.admin2].sort());
  });
});
