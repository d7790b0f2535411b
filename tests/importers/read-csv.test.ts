import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, ImportError } from '../../src/importers/import-errors.js';
import { parseCsvRows } from '../../src/importers/read-csv.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

function thrown(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ImportError) return err;
    throw err;
  }
  throw new Error('expected an ImportError');
}

describe('parseCsvRows', () => {
  it('keys cells by header and numbers rows from the header line', () => {
    const rows = parseCsvRows('a,b\n1,2\n3\n');
    expect(rows).toEqual([
      { row: 2, cells: { a: '1', b: '2' } },
      { row: 3, cells: { a: '3', b: '' } },
    ]);
  });

  it('reports the line on which a multi-line quoted record starts (CRLF file)', () => {
    const rows = parseCsvRows(fixture('plan-table-headings.csv'));
    expect(rows.map((r) => r.row)).toEqual([2, 4, 6, 8]);
    expect(rows[0]?.cells['Key Actions']).toBe('• Review the transition protocol\n• Agree a joint transitions panel');
    expect(rows[2]?.cells['With']).toBe('FE College\nSixth Form Partnership');
  });

  it('handles quotes, blank lines and a UTF-8 byte-order mark', () => {
    const text = '\uFEFFname,"note"\n\n"x, y","He said ""hi""\n\nbye"\n,\nz,£5 café\n';
    const rows = parseCsvRows(Buffer.from(text, 'utf8'));
    expect(rows).toEqual([
      { row: 3, cells: { name: 'x, y', note: 'He said "hi"\n\nbye' } },
      { row: 7, cells: { name: 'z', note: '£5 café' } },
    ]);
  });

  it('reads semicolon-separated files', () => {
    expect(parseCsvRows('plan;workstream;action\nP;W;"a, b"\n')).toEqual([
      { row: 2, cells: { plan: 'P', workstream: 'W', action: 'a, b' } },
    ]);
  });

  it('skips a title line above the header and handles blank and repeated headers', () => {
    const rows = parseCsvRows('SEND Improvement Plan,,\nName,,Name\nx,,y\n');
    expect(rows).toEqual([{ row: 3, cells: { Name: 'x', 'Name (2)': 'y' } }]);
  });

  it('refuses a value in a column with no heading, or past the last heading, naming row and column', () => {
    const err = thrown(() =>
      parseCsvRows('Plan,,Action\nP,lost,a\nP,,Relaunch the plan, with partners\nP,,b,,\n', { file: 'plan.csv' }),
    );
    expect(err.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^plan\.csv row 2, column B \(no heading\): "lost" is in a column with no heading \(the header row has 3 columns\), so it would be lost\./),
      expect.stringMatching(/^plan\.csv row 3, column D \(no heading\): "with partners" is in a column with no heading.*put the whole cell in double quotes/),
    ]);
    // Trailing empty cells (",,") are not values: row 4 is fine.
    expect(err.problems).toHaveLength(2);
  });

  it('returns no rows for an empty file or a header alone', () => {
    expect(parseCsvRows('')).toEqual([]);
    expect(parseCsvRows('a,b\n')).toEqual([]);
  });

  it('rejects UTF-16 with a message to save as CSV UTF-8', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('plan,action\nP,a\n', 'utf16le')]);
    const err = thrown(() => parseCsvRows(utf16, { file: 'plan.csv' }));
    expect(err.message).toMatch(/^plan\.csv: the file is saved as UTF-16/);
    expect(err.message).toContain('CSV UTF-8');
    const noBom = Buffer.from('plan,action\n', 'utf16le');
    expect(thrown(() => parseCsvRows(noBom)).message).toContain('CSV UTF-8');
  });

  it('rejects Windows-1252 text, naming the line', () => {
    const latin1 = Buffer.from('plan,action\nP,Budget £5\n', 'latin1');
    const err = thrown(() => parseCsvRows(latin1, { file: 'plan.csv' }));
    expect(err.problems[0]?.line).toBe(2);
    expect(formatProblem(err.problems[0]!)).toMatch(/^plan\.csv line 2: the file is not valid UTF-8 text/);
    expect(err.message).toContain('CSV UTF-8');
  });

  it('rejects an xlsx file given as CSV', () => {
    expect(thrown(() => parseCsvRows(Buffer.from('PK\u0003\u0004rest', 'latin1'))).message).toMatch(/Excel workbook/);
  });

  it('turns a malformed CSV into an ImportError', () => {
    const err = thrown(() => parseCsvRows('a,b\n"unclosed,1\n', { file: 'x.csv' }));
    expect(err.message).toMatch(/^x\.csv.*could not be read as CSV/);
  });
});
