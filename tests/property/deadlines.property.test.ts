// Property tests: the deadline reader never throws and never invents a date it did not read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDeadlineInText, readDeadline } from '../../src/domain/deadlines.js';

const MONTHS = ['Jan', 'January', 'Feb', 'Mar', 'March', 'Apr', 'May', 'June', 'Jul', 'Aug', 'Sept', 'Sep', 'Oct', 'Nov', 'Dec', 'December'];
const phrase = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...MONTHS, 'by', 'end', 'of', 'from', 'commencing', 'Ongoing', '-', '–', 'to', '&', 'beyond', 'COMPLETED', 'term', 'Summer', 'autumn', 'Q3', '24/25', '2025/26', '(', ')', '\n'),
        fc.integer({ min: 0, max: 2100 }).map(String),
      ),
      { maxLength: 10 },
    )
    .map((w) => w.join(' ')),
);
const iso = /^\d{4}-\d{2}-\d{2}$/;

describe('deadline reader (property)', () => {
  it('never throws; dates are valid ISO days; start is not after due in a single range', () => {
    fc.assert(
      fc.property(phrase, (text) => {
        const d = readDeadline(text, { reference: '2024-09-02', window: { start: '2024-09-01', due: '2025-07-31' } });
        expect(['high', 'medium', 'low']).toContain(d.confidence);
        for (const value of [d.start, d.due, ...d.milestones.flatMap((m) => [m.start, m.due])]) {
          if (value !== null) {
            expect(value).toMatch(iso);
            expect(Number.isNaN(Date.parse(value))).toBe(false);
          }
        }
        for (const m of d.milestones) if (m.start && m.due) expect(m.start <= m.due).toBe(true);
        // Never guessed: no due date means it is flagged, unless it is complete, ongoing or a start.
        if (d.due === null && !d.completed && !d.ongoing && d.start === null && text.trim() !== '') {
          expect(d.flags.some((f) => ['unreadable', 'vague', 'partly-read'].includes(f))).toBe(true);
        }
        expect(d.text).toBe(text);
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('findDeadlineInText never throws and its phrase comes from the text', () => {
    fc.assert(
      fc.property(phrase, phrase, (before, after) => {
        const found = findDeadlineInText(`${before} by Dec 24 ${after}`, { reference: '2024-09-02' });
        expect(found).not.toBeNull();
        for (const part of found?.phrase.split(' / ') ?? []) expect(`${before} by Dec 24 ${after}`).toContain(part.trim());
      }),
      { numRuns: 1000, seed: 43 },
    );
  });
});

// The reader never turns a guess into a deadline: whatever well-read date sits inside a hedge, an
// alternative, a negation, a question or a superseded date, no due date comes out, and the phrase is
// flagged. The same for dates that cannot exist and month words that are not months.
const READ_WELL = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 28 }), fc.constantFrom(...MONTHS), fc.integer({ min: 24, max: 27 })).map(([d, m, y]) => `${d} ${m} ${y}`),
  fc.tuple(fc.constantFrom(...MONTHS), fc.constantFrom('24', '25', '2025', '2026')).map(([m, y]) => `${m} ${y}`),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 24, max: 26 })).map(([q, y]) => `Q${q} ${y}/${y + 1}`),
  fc.integer({ min: 24, max: 27 }).map((y) => `20${y}/${y + 1}`),
  fc.constantFrom('Summer term 2025', 'autumn term 2024', 'January- March 2025', 'Sept 24 – Dec 24', '31/03/2025', '2025'),
);
const DOUBT_TEMPLATES: Array<(d: string, e: string) => string> = [
  (d) => `sometime in ${d}`,
  (d) => `some time during ${d}`,
  (d) => `approx. ${d}`,
  (d) => `approximately ${d}`,
  (d) => `around ${d}`,
  (d) => `by around ${d}`,
  (d) => `c. ${d}`,
  (d) => `circa ${d}`,
  (d) => `possibly ${d}`,
  (d) => `hopefully by ${d}`,
  (d) => `provisionally ${d}`,
  (d) => `${d}?`,
  (d) => `${d} TBC`,
  (d) => `TBC – ${d}`,
  (d) => `${d} (provisional)`,
  (d) => `${d} (tbc)`,
  (d) => `${d} approx`,
  (d) => `${d} at the earliest`,
  (d) => `${d} or later`,
  (d) => `not before ${d}`,
  (d) => `not after ${d}`,
  (d) => `not by ${d}`,
  (d) => `not until ${d}`,
  (d) => `no earlier than ${d}`,
  (d) => `later than ${d}`,
  (d, e) => `${d} or ${e}`,
  (d, e) => `either ${d} or ${e}`,
  // (not "${d} / ${e}": "autumn term 2024 / 2025" is one academic-year phrase, rightly read)
  (d) => `${d} / March 2026`,
  (d) => `originally ${d}`,
  (d) => `was ${d}`,
  (d) => `delayed from ${d}`,
  (d, e) => `delayed from ${d} to ${e}`,
];
const REFERENCE = { reference: '2024-09-02' };

describe('deadline reader: guesses are flagged, never dated (property)', () => {
  it('a well-read date inside a hedge, alternative, negation, question or superseded date gets no due date', () => {
    fc.assert(
      fc.property(READ_WELL, READ_WELL, fc.integer({ min: 0, max: DOUBT_TEMPLATES.length - 1 }), (d, e, k) => {
        // Sanity: the date on its own is read.
        expect(readDeadline(d, REFERENCE).due).not.toBeNull();
        const text = DOUBT_TEMPLATES[k]!(d, e);
        const cell = readDeadline(text, REFERENCE);
        expect(cell.due, text).toBeNull();
        expect(cell.flags.some((f) => f === 'vague' || f === 'unreadable'), text).toBe(true);
        const prose = findDeadlineInText(`Complete the review ${text}`, REFERENCE);
        expect(prose?.deadline.due ?? null, text).toBeNull();
      }),
      { numRuns: 3000, seed: 44 },
    );
  });

  it('quarters, days and months that do not exist are never read', () => {
    const impossible = fc.oneof(
      fc.tuple(fc.constantFrom(0, 5, 6, 7, 8, 9, 10, 12), fc.integer({ min: 24, max: 26 })).map(([q, y]) => `Q${q} ${y}/${y + 1}`),
      fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2024, max: 2027 })).chain(([m, y]) =>
        fc.integer({ min: new Date(Date.UTC(y, m, 0)).getUTCDate() + 1, max: 39 }).map((d) => `${d} ${MONTHS_BY_NUMBER[m - 1]} ${y}`),
      ),
      fc.tuple(fc.integer({ min: 13, max: 99 }), fc.integer({ min: 1, max: 28 })).map(([m, d]) => `${d}/${m}/2025`),
      fc.tuple(fc.integer({ min: 24, max: 26 }), fc.integer({ min: 2, max: 9 })).map(([y, gap]) => `Q3 ${y}/${y + gap}`),
    );
    fc.assert(
      fc.property(impossible, (text) => {
        const d = readDeadline(text, REFERENCE);
        expect(d.due, text).toBeNull();
        expect(d.start, text).toBeNull();
        expect(d.flags, text).toContain('unreadable');
      }),
      { numRuns: 1500, seed: 45 },
    );
  });

  it('a year far outside the plan’s life (19xx, or more than ten years from the plan) is never read', () => {
    const far = fc.oneof(fc.integer({ min: 1900, max: 1999 }), fc.integer({ min: 2035, max: 2099 }), fc.integer({ min: 2000, max: 2013 }));
    fc.assert(
      fc.property(far, fc.constantFrom(...MONTHS), fc.integer({ min: 1, max: 28 }), (year, month, day) => {
        for (const text of [`${day} ${month} ${year}`, `${month} ${year}`, `${year}`, `by ${month} ${year}`]) {
          const d = readDeadline(text, REFERENCE);
          expect(d.due, text).toBeNull();
          expect(d.flags.some((f) => f === 'unreadable' || f === 'vague'), text).toBe(true);
        }
      }),
      { numRuns: 800, seed: 46 },
    );
  });

  it('a month word with a letter swapped, dropped, doubled or changed is never read as a date', () => {
    const words = fc
      .tuple(fc.constantFrom(...FULL_NAMES), fc.nat(), fc.constantFrom('swap', 'drop', 'double', 'change'), fc.constantFrom(...'bcdfghklmnpqrstvwxz'))
      .map(([name, at, edit, letter]) => {
        const i = 1 + (at % (name.length - 1)); // the first letter is kept: that is how people misspell
        if (edit === 'swap' && i < name.length - 1) return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
        if (edit === 'drop') return name.slice(0, i) + name.slice(i + 1);
        if (edit === 'double') return name.slice(0, i) + name[i] + name.slice(i);
        return name.slice(0, i) + letter + name.slice(i + 1);
      })
      .filter((w) => !KNOWN_WORDS.has(w.toLowerCase()));
    fc.assert(
      fc.property(words, fc.constantFrom('2025', '25', '2024'), (word, year) => {
        const text = `${word} ${year}`;
        const d = readDeadline(text, REFERENCE);
        expect(d.due, text).toBeNull();
        // Unreadable (a month-like word), or vague for a three-letter one ("Jue 2025": which thing in 2025?).
        expect(d.flags.some((f) => f === 'unreadable' || f === 'vague'), text).toBe(true);
      }),
      { numRuns: 2000, seed: 47 },
    );
  });
});

const MONTHS_BY_NUMBER = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const FULL_NAMES = ['January', 'February', 'March', 'April', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const KNOWN_WORDS = new Set([...MONTHS_BY_NUMBER, 'Sept', 'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((w) => w.toLowerCase()));
