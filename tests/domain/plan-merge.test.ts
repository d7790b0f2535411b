import { describe, expect, it } from 'vitest';
import { mergeField, sameList, takesFile } from '../../src/domain/plan-merge.js';

describe('mergeField: base (file last time), file now, sendbot now', () => {
  it.each([
    // base, file, current, outcome
    ['2025-03-31', '2025-03-31', '2025-03-31', 'same'],
    ['2025-03-31', '2025-03-31', '2025-07-31', 'same'], // a chair moved it; the file did not: never written
    ['2025-03-31', '2025-04-30', '2025-03-31', 'take-file'], // only the file changed it
    ['2025-03-31', '2025-07-31', '2025-07-31', 'agree'], // both changed it the same way
    ['2025-03-31', '2025-04-30', '2025-07-31', 'conflict'], // both changed it differently
    [undefined, '2025-03-31', '2025-03-31', 'agree'], // no base (older database), no difference
    [undefined, '2025-04-30', '2025-03-31', 'conflict'], // no base: any difference is a conflict
    [null, null, null, 'same'],
    [null, '2025-04-30', null, 'take-file'],
  ] as const)('base %s, file %s, sendbot %s → %s', (base, file, current, outcome) => {
    expect(mergeField<string | null>(base, file, current)).toBe(outcome);
  });

  it('compares with the given equality', () => {
    expect(mergeField(['a'], ['a'], ['b'], sameList)).toBe('same');
    expect(mergeField(['a'], ['a', 'b'], ['a'], sameList)).toBe('take-file');
  });

  it('takes the file on take-file, and on a conflict only with --prefer-file', () => {
    expect(takesFile('take-file', false)).toBe(true);
    expect(takesFile('conflict', false)).toBe(false);
    expect(takesFile('conflict', true)).toBe(true);
    expect(takesFile('same', true)).toBe(false);
    expect(takesFile('agree', true)).toBe(false);
  });
});
