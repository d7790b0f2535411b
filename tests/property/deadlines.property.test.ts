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
