import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchRows, type StoredRow } from '../../src/domain/row-matching.js';

const stored = (texts: string[], removed: number[] = []): StoredRow[] => texts.map((text, i) => ({ id: 100 + i, number: i + 1, text, removed: removed.includes(i) }));
const ids = (m: ReturnType<typeof matchRows>) => m.rows.map((r) => (r ? `${r.stored.id}:${r.by}` : 'new'));

const PLAN = [
  'Roll out the profiling tool to all schools',
  'Evaluation report by end March 25',
  'Train SENCos in the graduated approach',
  'Publish the local offer pages for autism',
];

describe('matchRows', () => {
  it('matches by the words, never by position: an inserted row is new and the others keep their rows', () => {
    const m = matchRows(stored(PLAN), [PLAN[0], 'Set up an advice line', ...PLAN.slice(1)].map((text) => ({ text: text as string })));
    expect(ids(m)).toEqual(['100:text', 'new', '101:text', '102:text', '103:text']);
    expect(m.missing).toEqual([]);
  });

  it('ignores case, spacing, punctuation and bullets', () => {
    const m = matchRows(stored(PLAN), [{ text: '• roll out the profiling tool to ALL schools.' }]);
    expect(ids(m)).toEqual(['100:text']);
    expect(m.missing.map((s) => s.id)).toEqual([101, 102, 103]);
  });

  it('a stated number names its row even when the words changed', () => {
    const m = matchRows(stored(PLAN), [{ number: 3, text: 'Something else entirely' }, { text: PLAN[0] as string }]);
    expect(ids(m)).toEqual(['102:number', '100:text']);
  });

  it('pairs a reworded row when one pairing is clearly best', () => {
    const m = matchRows(stored(PLAN), [{ text: 'Train all SENCos in the graduated approach' }, ...PLAN.filter((_, i) => i !== 2).map((text) => ({ text }))]);
    expect(ids(m)[0]).toBe('102:reworded');
    expect(m.uncertain).toEqual([]);
  });

  it('is uncertain when a row is as like one stored row as another', () => {
    const m = matchRows(stored(['Review EHCP timeliness for children under five', 'Review EHCP timeliness for young people over sixteen']), [
      { text: 'Review EHCP timeliness for children and young people' },
    ]);
    expect(m.uncertain).toHaveLength(1);
    expect(m.uncertain[0]?.candidates.map((c) => c.id).sort()).toEqual([100, 101]);
  });

  it('different words are a new row and a missing one, not a guess', () => {
    const m = matchRows(stored(['Recruit two educational psychologists']), [{ text: 'Launch the parent carer survey' }]);
    expect(ids(m)).toEqual(['new']);
    expect(m.missing.map((s) => s.id)).toEqual([100]);
    expect(m.uncertain).toEqual([]);
  });

  it('brings a removed row back by its words, after live rows', () => {
    const m = matchRows(stored(['Same words', 'Same words'], [0]), [{ text: 'Same words' }, { text: 'Same words' }]);
    expect(ids(m)).toEqual(['101:text', '100:text']);
  });

  it('property: any permutation with insertions of the same rows matches every stored row to its own words', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{3,8}( [a-z]{3,8}){2,5}$/), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 1000 }), (texts, seed) => {
        const rows = stored(texts);
        const shuffled = [...texts].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
        const m = matchRows(rows, shuffled.map((text) => ({ text })));
        m.rows.forEach((r, i) => expect(r?.stored.text).toBe(shuffled[i]));
        expect(m.missing).toEqual([]);
      }),
    );
  });
});
