import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/cli/format-table.js';

describe('formatTable', () => {
  it('pads each column to its widest cell, headers included', () => {
    const out = formatTable(['ref', 'owner'], [['ND-1.2', 'Head of SEND'], ['QA-10', null]]);
    expect(out.split('\n')).toEqual(['ref     owner', '------  ------------', 'ND-1.2  Head of SEND', 'QA-10']);
  });

  it('prints a report of 300,000 rows (a large import) without overflowing the stack', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => [`A-${i}`, i === 123_456 ? 'the widest cell' : 'x']);
    const lines = formatTable(['ref', 'text'], rows).split('\n');
    expect(lines).toHaveLength(300_002);
    expect(lines[0]).toBe('ref       text');
  });
});
