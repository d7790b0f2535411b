// Property tests: whatever people type, the command layer answers with a reply and never throws;
// refused input changes nothing.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { splitWords } from '../../src/commands/words.js';
import { normaliseRef } from '../../src/domain/plan-codes.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail, type Person } from '../../src/store/people-repository.js';
import { DEMO, dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';

let db: Db;
let owner: Person;
let outsider: Person;
const clock = fixedClock('2024-11-18T10:00');

beforeAll(async () => {
  ({ db } = await demoPlanDb());
  owner = (await findPersonByEmail(db, DEMO.headOfSend)) as Person;
  outsider = (await findPersonByEmail(db, DEMO.clinicalLeadSolent)) as Person;
});

const words = ['update', 'who', 'mine', 'due', 'overdue', 'status', 'history', 'boards', 'away', 'back', 'help', 'assign', 'handover', 'approve', 'reject', 'digest', '/send', 'ND-1.2', 'nd 1.1', 'TR-6.3', 'ZZ-9.9', 'amber', 'green', 'red', 'done', '60%', '150%', '-5%', 'due:"30 June 25"', 'due:', 'evidence:https://x.example/a', 'evidence:javascript:alert(1)', '<!channel>', '<@U123>', '@here', '943 476 5919', 'all', '30', 'delegate', 'confirm', '"', '“', '\u0000', '\n', 'ǅ', '🙂'];

const typed = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.array(fc.constantFrom(...words), { maxLength: 8 }).map((w) => w.join(' ')),
  fc.tuple(fc.constantFrom(...words), fc.string({ maxLength: 40 })).map(([a, b]) => `${a} ${b}`),
);

describe('command router (property)', () => {
  it('always returns a reply with a summary, for any text and any caller', async () => {
    await fc.assert(
      fc.asyncProperty(typed, fc.boolean(), async (text, asOwner) => {
        const reply = await runCommandText({ db, clock }, asOwner ? owner : outsider, 'console', text);
        expect(typeof reply.summary).toBe('string');
        expect(reply.summary.length).toBeGreaterThan(0);
        expect(['info', 'success', 'warning', 'error']).toContain(reply.tone);
      }),
      { numRuns: 600, seed: 20241118 },
    );
  });

  it('an error reply never writes anything', async () => {
    await fc.assert(
      fc.asyncProperty(typed, async (text) => {
        const before = await dbFingerprint(db);
        const reply = await runCommandText({ db, clock }, outsider, 'console', `update ND-1.1 ${text}`);
        if (reply.tone === 'error') expect(await dbFingerprint(db)).toBe(before);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('splitWords never loses non-space characters outside quotes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }).filter((s) => !/["“”]/.test(s)), (text) => {
        expect(splitWords(text).join('')).toBe(text.replace(/\s+/g, ''));
      }),
    );
  });

  it('normaliseRef is idempotent and accepts the forms it produces', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 3 }).filter((s) => /^[A-Za-z]+$/.test(s)), fc.nat(99), fc.nat(99), fc.constantFrom('-', '', ' ', '_'), (code, w, a, sep) => {
        const ref = normaliseRef(`${code}${sep}${w}.${a}`);
        expect(ref).toBe(`${code.toUpperCase()}-${w}.${a}`);
        expect(normaliseRef(ref as string)).toBe(ref);
      }),
    );
  });
});
