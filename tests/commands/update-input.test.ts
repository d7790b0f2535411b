// What `/send update <ref> …` makes of the words after the ref, through the real command router on
// the demo plan: fields are read, prose is kept as the note, and a word that looks like a mistyped
// field is refused with a specific answer and nothing is stored.
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderText } from '../../src/render/text.js';
import type { Db } from '../../src/store/database.js';
import { ask, askText, DEMO, dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';
import { one, sql } from '../helpers/test-db.js';

let db: Db;
beforeEach(async () => {
  ({ db } = await demoPlanDb());
});

const NOW = '2024-11-18T10:00';
const lastUpdate = async (ref: string) =>
  await one(db, sql`select u.status, u.percent, u.note, u.evidence_url as evidence from updates u join actions a on a.id = u.action_id where a.ref = ${ref} order by u.id desc limit 1`) as { status: string | null; percent: number | null; note: string | null; evidence: string | null } | undefined;

describe('update: what the words after the ref are read as', () => {
  it.each([
    // typed after "update ND-1.2", stored status, percent, note, evidence
    ['amber 60% waiting on green paper', 'amber', 60, 'waiting on green paper', null],
    ['amber green light from the panel', 'amber', null, 'green light from the panel', null],
    ['amber 60% 40% of referrals now triaged', 'amber', 60, '40% of referrals now triaged', null],
    ['green on track', 'green', null, null, null],
    ['Amber, pilot extended', 'amber', null, 'pilot extended', null],
    ['AMBER: 60%. pilot extended', 'amber', 60, 'pilot extended', null],
    ['RAG: amber 60% pilot extended', 'amber', 60, 'pilot extended', null],
    ['rag:red stalled', 'red', null, 'stalled', null],
    ['status at risk recruitment', 'amber', null, 'recruitment', null],
    ['status of the pilot is unchanged', null, null, 'status of the pilot is unchanged', null],
    ['progress:40% halfway through', null, 40, 'halfway through', null],
    ['60% amber order swapped', 'amber', 60, 'order swapped', null],
    ['complete', 'blue', 100, null, null],
    ['done 100% signed off', 'blue', 100, 'signed off', null],
    ['evidence https://docs.example.org/a green 70% link without its colon', 'green', 70, 'link without its colon', 'https://docs.example.org/a'],
    ['green evidence: https://docs.example.org/b space after the colon', 'green', null, 'space after the colon', 'https://docs.example.org/b'],
    ['white paper published', null, null, 'white paper published', null],
    ['due to staff sickness the pilot slipped', null, null, 'due to staff sickness the pilot slipped', null],
    ['in progress with schools', null, null, 'in progress with schools', null],
    ['close to agreement with the ICB', null, null, 'close to agreement with the ICB', null],
    ['red read the evaluation', 'red', null, 'read the evaluation', null],
    ['note: ambr is how the spreadsheet spells it', null, null, 'ambr is how the spreadsheet spells it', null],
    ['amber "greet the new chair" first', 'amber', null, '"greet the new chair" first', null],
    ['amber pilot "extended" to Jan;  two  spaces kept', 'amber', null, 'pilot "extended" to Jan;  two  spaces kept', null],
    ['waiting due:"30 June 25" on the “provider”', null, null, 'waiting on the “provider”', null],
    ['30 schools have signed up', null, null, '30 schools have signed up', null],
    // Percentages read the same way as a KPI reading: the unit may stand apart or be spelt out.
    ['30 percent', null, 30, null, null],
    ['amber 30 pc pilot extended', 'amber', 30, 'pilot extended', null],
    ['amber 30pc', 'amber', 30, null, null],
    ['amber 60 per cent', 'amber', 60, null, null],
    ['amber 60 % pilot extended', 'amber', 60, 'pilot extended', null],
    ['amber 60 pct', 'amber', 60, null, null],
    // R/A/G/B as the plan's RAG column writes them, where a status stands.
    ['R 20% letter red', 'red', 20, 'letter red', null],
    ['G', 'green', null, null, null],
    ['B', 'blue', 100, null, null],
    ['A - on hold until the budget is set', 'amber', null, 'on hold until the budget is set', null],
    ['r 20%', 'red', 20, null, null],
    ['RAG: R provider late', 'red', null, 'provider late', null],
    ['A, waiting for the panel', 'amber', null, 'waiting for the panel', null],
    ['40% G', 'green', 40, null, null],
    // Anywhere else a single letter is prose.
    ['a meeting with schools is booked', null, null, 'a meeting with schools is booked', null],
    ['a 20% rise in referrals', null, null, 'a 20% rise in referrals', null],
    ['amber 40% R&D team involved', 'amber', 40, 'R&D team involved', null],
    ['amber 40% G block refurbished', 'amber', 40, 'G block refurbished', null],
    ['green B team leading', 'green', null, 'B team leading', null],
    ['R team leading the review', null, null, 'R team leading the review', null],
    // Dashes between the fields are punctuation.
    ['Amber - 45% - interviews booked', 'amber', 45, 'interviews booked', null],
    ['green – 70% – two schools left', 'green', 70, 'two schools left', null],
    ['amber 45% - well-being hub - phase 2', 'amber', 45, 'well-being hub - phase 2', null],
    // A status and percent joined by dashes, with no spaces, can be read only one way.
    ['Red-10%-slipping', 'red', 10, 'slipping', null],
    ['amber–45%', 'amber', 45, null, null],
    ['green-70%-two schools left', 'green', 70, 'two schools left', null],
    // Numbers followed by prose, or after a percent, or after note:, are the note.
    ['amber 2 weeks late', 'amber', null, '2 weeks late', null],
    ['amber 30% 2 weeks late', 'amber', 30, '2 weeks late', null],
    ['green 3 red flags raised', 'green', null, '3 red flags raised', null],
    ['amber 40% 4 5 % of schools split by a space', 'amber', 40, '4 5 % of schools split by a space', null],
    ['note: 7 5', null, null, '7 5', null],
    ['amber note: 4 5 % split', 'amber', null, '4 5 % split', null],
  ])('update ND-1.2 %s', async (typed, status, percent, note, evidence) => {
    const reply = await ask(db, DEMO.headOfSend, `update ND-1.2 ${typed}`, NOW);
    expect(reply.tone, renderText(reply)).toBe('success');
    expect(await lastUpdate('ND-1.2')).toEqual({ status, percent, note, evidence });
  });
});

describe('update: a mistyped field is refused, specifically, and nothing is stored', () => {
  it.each([
    // typed after "update ND-1.2", the answer, and a line of advice or the command as probably meant
    ['ambr 60% pilot extended', "'ambr' isn't a status, did you mean amber?", 'Try: /send update ND-1.2 amber 60% pilot extended'],
    ['gren', "'gren' isn't a status, did you mean green?", 'Try: /send update ND-1.2 green'],
    ['amebr 40%', "'amebr' isn't a status, did you mean amber?", 'Try: /send update ND-1.2 amber 40%'],
    ['completd', "'completd' isn't a status, did you mean complete?", 'write note: before it'],
    ['purple', "'purple' isn't a status. Give one of: green (on track), amber (at risk), red (off track), complete (done) or not started.", 'Nothing was saved'],
    ['purple 40% pilot extended', "'purple' isn't a status.", 'Nothing was saved'],
    ['RAG: purple', "'purple' isn't a status.", 'Nothing was saved'],
    ['RAG: ambr', "'ambr' isn't a status, did you mean amber?", 'Try: /send update ND-1.2 amber'],
    ['RAG:', "'RAG:' needs a status after it.", 'Nothing was saved'],
    ['amber/green slipping', "'amber/green' isn't one status.", 'Nothing was saved'],
    ['white', "'white' isn't a status.", 'Nothing was saved'],
    ['ongoing 40%', "'ongoing' isn't a status.", 'Nothing was saved'],
    ['in progress', "'in progress' isn't a status.", 'Nothing was saved'],
    ['amber green', 'You gave two statuses, amber and green. Give one.', 'Nothing was saved'],
    ['60% 70%', 'You gave two percentages, 60% and 70%. Give one.', 'Nothing was saved'],
    ['amber 6 0% split', "'6 0%' has a space inside the percentage: did you mean 60%?", 'Try: /send update ND-1.2 amber 60% split'],
    ['6 5% of schools', "'6 5%' has a space inside the percentage: did you mean 65%?", 'Try: /send update ND-1.2 65% of schools'],
    // The sign or word apart from a split number: still a percent, never a note beside the old one.
    ['amber 4 5 % x', "'4 5 %' has a space inside the percentage: did you mean 45%?", 'Try: /send update ND-1.2 amber 45% x'],
    ['amber 6 0 percent x', "'6 0 percent' has a space inside the percentage: did you mean 60%?", 'Try: /send update ND-1.2 amber 60% x'],
    ['amber 6 0 per cent x', "'6 0 per cent' has a space inside the percentage: did you mean 60%?", 'Try: /send update ND-1.2 amber 60% x'],
    ['amber 4 5 % split again', "'4 5 %' has a space inside the percentage: did you mean 45%?", 'Try: /send update ND-1.2 amber 45% split again'],
    ['amber 6 0pc', "'6 0pc' has a space inside the percentage: did you mean 60%?", 'Try: /send update ND-1.2 amber 60%'],
    ['1 0 0 %', "'1 0 0 %' has a space inside the percentage: did you mean 100%?", 'Try: /send update ND-1.2 100%'],
    // Bare numbers where the percent goes.
    ['green 7 5', "'7 5' stands where the percent goes, but has no % sign: did you mean 75%?", 'Try: /send update ND-1.2 green 75%'],
    ['green 7 5 interviews done', "'7 5' stands where the percent goes, but has no % sign: did you mean 75%?", 'write note: before it'],
    ['green 75', "'75' stands where the percent goes, but has no % sign: did you mean 75%?", 'Try: /send update ND-1.2 green 75%'],
    ['amber 45 - interviews booked', "'45' stands where the percent goes, but has no % sign: did you mean 45%?", 'Try: /send update ND-1.2 amber 45% - interviews booked'],
    ['green 150', "'150' stands where the percent goes, but has no % sign: give percent complete with its sign, like 60%.", 'Nothing was saved'],
    ['Red-150%-slipping', "'150%' is over 100%", 'whole number from 0% to 100%'],
    ['A 20% rise in referrals', "Is 'A' the status amber, or the start of your note", 'write note: before it'],
    ['amber 150 percent', "'150 percent' is over 100%", 'whole number from 0% to 100%'],
    ['-5%', "'-5%' is below 0%: percent complete can't be negative.", 'whole number from 0% to 100%'],
    ['101%', "'101%' is over 100%: percent complete goes from 0% to 100%.", 'whole number from 0% to 100%'],
    ['amber 60.5% pilot', "'60.5%' isn't a whole number: give percent complete as a whole number, e.g. 61%.", 'Try: /send update ND-1.2 amber 61% pilot'],
    ['amber 6o% pilot', "I couldn't read '6o%' as a percentage.", 'whole number from 0% to 100%'],
    ['complete 50%', 'Complete means 100%, but you gave 50%.', 'Usage'],
    ['done 50% nearly there', 'Complete means 100%, but you gave 50%.', 'Usage'],
    ['green 100% finished', '100% means finished, but you said green. If it is finished, say complete', 'Usage'],
    ['100%', '100% means finished. If ND-1.2 is finished, say complete', 'Nothing was saved'],
    ['not started 20%', 'Not started means nothing done yet, but you gave 20%.', 'Usage'],
    ['due 31 March 25 waiting for the provider', 'Did you mean to ask for a new due date, 31 March 25? Write due: with a colon: due:"31 March 25".', 'Try: /send update ND-1.2 due:"31 March 25" waiting for the provider'],
    ['amber due end of June 25 provider', 'Did you mean to ask for a new due date, end of June 25?', 'Try: /send update ND-1.2 amber due:"end of June 25" provider'],
    ['deadline:2025-06-30 provider late', "'deadline:' isn't something I record. Did you mean due:2025-06-30?", 'Try: /send update ND-1.2 due:2025-06-30 provider late'],
    ['link:https://docs.example.org/x', "'link:' isn't something I record. Did you mean evidence:https://docs.example.org/x?", 'Nothing was saved'],
    ['due:', 'due: needs the new date after it', 'Nothing was saved'],
    ['evidence: no link here', 'evidence: needs a web link after it', 'Nothing was saved'],
    ['amber due:2025-06-30 due:2025-07-31 x', 'You gave due: twice.', 'Nothing was saved'],
    ['evidence:ftp://files.example.org/x note', 'Evidence must be a web link starting https://', 'Usage'],
  ])('update ND-1.2 %s', async (typed, summary, detail) => {
    const before = await dbFingerprint(db);
    const reply = await ask(db, DEMO.headOfSend, `update ND-1.2 ${typed}`, NOW);
    expect(reply.tone).toBe('error');
    expect(reply.summary.startsWith(summary), `${reply.summary} should start with ${summary}`).toBe(true);
    expect(renderText(reply)).toContain(detail);
    expect(await dbFingerprint(db)).toBe(before);
  });

  it('refuses a percent below 100 on a completed action without a status, and reopens it with one', async () => {
    expect((await ask(db, DEMO.headOfSend, 'update ND-1.2 complete signed off', NOW)).tone).toBe('success');
    const before = await dbFingerprint(db);
    const reply = await ask(db, DEMO.headOfSend, 'update ND-1.2 80% more to do', NOW);
    expect(reply.summary).toBe('ND-1.2 is marked complete, and complete means 100%. To reopen it, give its status with the percent, e.g. amber 80%.');
    expect(await dbFingerprint(db)).toBe(before);
    expect((await ask(db, DEMO.headOfSend, 'update ND-1.2 amber 80% more to do', NOW)).tone).toBe('success');
    expect(await lastUpdate('ND-1.2')).toMatchObject({ status: 'amber', percent: 80 });
  });

  it('never lets a status word typed first silently become the note (property)', async () => {
    // Near misses of every longer status word: one letter dropped, doubled or two swapped.
    const targets = ['green', 'amber', 'complete'];
    const nearMiss = fc
      .tuple(fc.constantFrom(...targets), fc.nat(20), fc.constantFrom('drop', 'double', 'swap'))
      .map(([w, n, how]) => {
        const i = n % (w.length - 1);
        if (how === 'drop') return w.slice(0, i) + w.slice(i + 1);
        if (how === 'double') return w.slice(0, i) + w[i] + w.slice(i);
        return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
      })
      .filter((w) => !targets.includes(w));
    const prose = fc.array(fc.constantFrom('pilot', 'extended', 'waiting', 'on', 'green', 'paper', 'the', 'panel', 'red', 'flags', '40%', 'of', 'schools'), { maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(nearMiss, fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }), prose, async (typo, percent, rest) => {
        const before = await dbFingerprint(db);
        const typed = [typo, percent === undefined ? null : `${percent}%`, ...rest].filter(Boolean).join(' ');
        const reply = await ask(db, DEMO.headOfSend, `update ND-1.2 ${typed}`, NOW);
        expect(reply.tone, typed).toBe('error');
        expect(reply.summary).toMatch(/isn't a status, did you mean (green|amber|complete)\?$/);
        expect(await dbFingerprint(db)).toBe(before);
      }),
      { numRuns: 150, seed: 10 },
    );
  });

  it('never keeps a percent split by a space as the note beside the old percent (property)', async () => {
    await ask(db, DEMO.headOfSend, 'update ND-1.2 amber 30% pilot', NOW);
    const status = fc.constantFrom('', 'green ', 'amber ', 'red ', 'on track ', 'A ');
    const unit = fc.constantFrom('%', ' %', ' percent', ' per cent', 'pc', ' pc', ' pct');
    const prose = fc.array(fc.constantFrom('x', 'split', 'again', 'schools', '2', 'weeks', 'late', 'green', '40%'), { maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(status, fc.integer({ min: 10, max: 99 }), unit, prose, async (s, p, u, rest) => {
        const before = await dbFingerprint(db);
        const typed = `${s}${String(p).split('').join(' ')}${u} ${rest.join(' ')}`.trim();
        const reply = await ask(db, DEMO.headOfSend, `update ND-1.2 ${typed}`, NOW);
        expect(reply.tone, typed).toBe('error');
        expect(reply.summary, typed).toContain(`did you mean ${p}%?`);
        expect(await dbFingerprint(db)).toBe(before);
      }),
      { numRuns: 150, seed: 13 },
    );
  });

  it('keeps numbers in a note after note: or after a percent (property)', async () => {
    const status = fc.constantFrom('green', 'amber', 'red');
    const numbers = fc.array(fc.integer({ min: 0, max: 99 }).map(String), { minLength: 1, maxLength: 3 });
    const tail = fc.constantFrom('weeks late', '% of schools', 'per cent of plans', 'schools left', '');
    await fc.assert(
      fc.asyncProperty(status, fc.integer({ min: 0, max: 99 }), numbers, tail, fc.boolean(), async (s, p, ns, t, viaNote) => {
        const n = `${ns.join(' ')} ${t}`.trim();
        const typed = viaNote ? `${s} note: ${n}` : `${s} ${p}% ${n}`;
        const reply = await ask(db, DEMO.headOfSend, `update ND-1.2 ${typed}`, NOW);
        expect(reply.tone, typed).toBe('success');
        expect(await lastUpdate('ND-1.2'), typed).toMatchObject({ note: n, ...(viaNote ? {} : { percent: p }) });
      }),
      { numRuns: 120, seed: 14 },
    );
  });

  it('keeps prose after a status and percent word for word (property)', async () => {
    const status = fc.constantFrom('green', 'amber', 'red', 'on track', 'at risk');
    const word = fc.constantFrom('green', 'amber', 'red', 'paper', 'light', 'from', 'the', 'panel', '40%', 'due', 'purple', 'ambr', 'gren', 'of', 'schools', 'complete', '30', 'percent', 'white', 'R', 'A', 'G', 'B', 'a', '-', '6', '0%');
    // The note's first word is ordinary prose; anything may follow it.
    const note = fc.tuple(fc.constantFrom('waiting', 'pilot', 'met', 'schools', 'agreed'), fc.array(word, { maxLength: 6 })).map(([first, rest]) => [first, ...rest].join(' '));
    await fc.assert(
      fc.asyncProperty(status, fc.integer({ min: 0, max: 99 }), note, async (s, p, n) => {
        const reply = await ask(db, DEMO.headOfSend, `update ND-1.2 ${s} ${p}% ${n}`, NOW);
        expect(reply.tone, n).toBe('success');
        expect(await lastUpdate('ND-1.2')).toMatchObject({ percent: p, note: n });
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});

describe('update <ref> alone', () => {
  it('shows where the action stands now (status, %, due, last update with who and when) and the form', async () => {
    await ask(db, DEMO.headOfSend, 'update ND-1.2 amber 60% pilot extended', '2024-11-15T10:00');
    const reply = await ask(db, DEMO.headOfSend, 'update nd1.2', NOW);
    expect(reply.tone).toBe('info');
    expect(reply.summary).toBe('Update ND-1.2');
    expect(reply.form?.ref).toBe('ND-1.2');
    const text = renderText(reply);
    expect(text).toContain('Status: amber (60%)');
    expect(text).toContain('Due: 31 Jul 2025');
    expect(text).toContain('Last update: 15 Nov 2024 by Morgan Demo: amber, 60%, pilot extended');
    expect(await askText(db, DEMO.headOfSend, 'update ND-1.3', NOW)).toContain('Last update: no updates yet');
  });
});

describe('errors speak the user’s words', () => {
  const internal = /\b(typedRef|evidenceUrl|dueReason|noChange|problems|percent:|status:|ref:|typed:|target:|asRole|toDue|Invalid input|expected (string|number|boolean))\b/;

  it.each([
    'update ND-1.2 150%',
    'update ND-1.2 12.5%',
    'update ND-1.2 evidence:not-a-link',
    'update green 50%',
    'due 0',
    'due 400',
    'due soon-ish',
    'status',
    'who',
    'away',
    'assign',
    'assign ND-1.2',
    'handover',
    'approve',
    'reject ND-1.2',
    'digest ' + 'x'.repeat(201),
  ])('%s', async (typed) => {
    const reply = await ask(db, DEMO.admin, typed, NOW);
    expect(reply.tone).toBe('error');
    expect(renderText(reply)).not.toMatch(internal);
  });

  it('for anything typed after a command (property)', async () => {
    const commands = ['update ND-1.2', 'update', 'due', 'overdue', 'status', 'who', 'away', 'assign', 'assign ND-1.2', 'handover', 'approve', 'reject', 'digest', 'help'];
    const junk = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('150%', '-1%', 'evidence:x', 'due:', 'to:2025-01-01', 'role', 'confirm', 'all', '0', '400', '12.5%'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commands), fc.array(junk, { maxLength: 3 }), async (command, words) => {
        const reply = await ask(db, DEMO.admin, `${command} ${words.join(' ')}`, NOW);
        if (reply.tone === 'error') expect(renderText(reply)).not.toMatch(internal);
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});

describe('update: not started, and the same owner again', () => {
  it('"not started" clears an earlier percent rather than showing it stale', async () => {
    await ask(db, DEMO.headOfSend, 'update ND-1.2 amber 40% pilot', NOW);
    const r = await ask(db, DEMO.headOfSend, 'update ND-1.2 not started pilot paused before it began', NOW);
    expect(renderText(r)).toContain('Status: not started\n');
    expect(renderText(r)).not.toContain('40%');
    expect(await one(db, sql`select status, percent from actions where ref = 'ND-1.2'`)).toEqual({ status: 'not_started', percent: null });
  });

  it('assigning an action to whoever already owns it changes nothing and does not say "(was …)"', async () => {
    expect((await ask(db, DEMO.admin, `assign ND-1.2 ${DEMO.admin2}`, NOW)).summary).toBe('ND-1.2 is now owned by Jamie Example, assigned by name (was Morgan Demo, Head of SEND).');
    const before = await dbFingerprint(db);
    const again = await ask(db, DEMO.admin, `assign ND-1.2 ${DEMO.admin2}`, NOW);
    expect(again.summary).toBe('ND-1.2 is already owned by Jamie Example, assigned by name; nothing changed.');
    expect(await dbFingerprint(db)).toBe(before);
  });
});
