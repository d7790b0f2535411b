// The import reads each distinct date phrase once (DeadlineMemo). A memoised reading must be exactly
// what readDeadline gives for that phrase in that context: never one made for another window, another
// day or other school terms.
import { describe, expect, it } from 'vitest';
import { DeadlineMemo } from '../../src/domain/deadline-memo.js';
import type { SchoolTerm } from '../../src/domain/deadline-types.js';
import { readDeadline } from '../../src/domain/deadlines.js';

const PHRASES = ['by Dec', 'by March', '31 March 25', 'Summer term', 'Ongoing - to 31 March 26', 'Sept 24 – Dec 24', 'Q3 24/25', 'sometime in 2025', 'Febtember', ''];
const WINDOWS = [undefined, { start: '2024-09-01', due: '2025-07-31' }, { start: '2025-09-01', due: '2026-07-31' }, { start: null, due: '2026-03-31' }, { start: null, due: null }];
const TERMS: SchoolTerm[] = [{ name: 'summer', start: '2025-04-22', end: '2025-07-18' }];

describe('DeadlineMemo', () => {
  it('gives what readDeadline gives, for every phrase in every window, asked in any order and more than once', () => {
    const memo = new DeadlineMemo({ reference: '2024-09-02', terms: TERMS });
    for (let round = 0; round < 2; round++) {
      for (const window of round === 0 ? WINDOWS : [...WINDOWS].reverse()) {
        for (const phrase of PHRASES) {
          const ctx = { ...(window ? { window } : {}), reference: '2024-09-02', terms: TERMS };
          expect(memo.read(phrase, window)).toEqual(readDeadline(phrase, ctx));
        }
      }
    }
  });

  it('reads a month without a year against the window it is read in, not the first one it met', () => {
    const memo = new DeadlineMemo({ reference: '2024-09-02' });
    expect(memo.read('by March', { start: '2024-09-01', due: '2025-07-31' }).due).toBe('2025-03-31');
    expect(memo.read('by March', { start: '2025-09-01', due: '2026-07-31' }).due).toBe('2026-03-31');
    expect(memo.read('by March', { start: '2024-09-01', due: '2025-07-31' }).due).toBe('2025-03-31');
  });

  it('belongs to one day and one set of terms: another memo reads the same phrase for its own', () => {
    const sept24 = new DeadlineMemo({ reference: '2024-09-02' });
    const sept25 = new DeadlineMemo({ reference: '2025-09-02' });
    expect(sept24.read('by Dec').due).toBe('2024-12-31');
    expect(sept25.read('by Dec').due).toBe('2025-12-31');
    const ownTerms = new DeadlineMemo({ reference: '2024-09-02', terms: TERMS });
    const defaultTerms = new DeadlineMemo({ reference: '2024-09-02' });
    expect(ownTerms.read('Summer term').due).toBe('2025-07-18');
    expect(defaultTerms.read('Summer term').due).toBe(readDeadline('Summer term', { reference: '2024-09-02' }).due);
    expect(defaultTerms.read('Summer term').flags).toContain('term-dates-default');
  });

  it('hands out readings no caller can change for the next one', () => {
    const memo = new DeadlineMemo({ reference: '2024-09-02' });
    const first = memo.read('Sept 24 – Dec 24');
    expect(() => (first.flags as string[]).push('vague')).toThrow(TypeError);
    expect(() => {
      (first.milestones[0] as { due: string | null }).due = null;
    }).toThrow(TypeError);
    expect(memo.read('Sept 24 – Dec 24')).toEqual(readDeadline('Sept 24 – Dec 24', { reference: '2024-09-02' }));
  });
});
