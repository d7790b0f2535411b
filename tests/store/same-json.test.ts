// The import's "did the file change this?" for JSON columns: the same values are the same whatever
// order the keys come back in (PostgreSQL's jsonb reorders them), and any real difference counts.
import { describe, expect, it } from 'vitest';
import { sameJson, sameJsonText } from '../../src/store/same-json.js';

describe('sameJson', () => {
  it('ignores key order and undefined fields, as JSON does', () => {
    expect(sameJson({ text: 'a', due: '2025-03-31', flags: ['x'] }, { flags: ['x'], due: '2025-03-31', text: 'a' })).toBe(true);
    expect(sameJson({ text: 'a', start: undefined }, { text: 'a' })).toBe(true);
    expect(sameJson([1, undefined], [1, null])).toBe(true);
    expect(sameJsonText('{"due": "2025-03-31", "text": "a"}', { text: 'a', due: '2025-03-31' })).toBe(true);
  });

  it('sees every real difference', () => {
    expect(sameJson({ text: 'a', due: '2025-03-31' }, { text: 'a', due: '2025-04-30' })).toBe(false);
    expect(sameJson({ text: 'a' }, { text: 'a', due: null })).toBe(false);
    expect(sameJson(['x', 'y'], ['y', 'x'])).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson(1, '1')).toBe(false);
    expect(sameJson({ a: { b: [1, 2] } }, { a: { b: [1, 2, 3] } })).toBe(false);
    expect(sameJsonText('[{"due": "2025-03-31"}]', [{ due: '2025-03-31', ongoing: true }])).toBe(false);
  });
});
