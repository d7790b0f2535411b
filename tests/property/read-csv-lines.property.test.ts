// Property test: the row number parseCsvRows gives each record (counted from the line breaks inside
// its cells, without csv-parse's per-record info, which was slow on large files) is the line the
// record starts on, as csv-parse itself counts lines, in files with quoted multi-line cells, blank
// and whitespace-only lines, CRLF or CR line endings, a title line and a byte-order mark.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvRows } from '../../src/importers/read-csv.js';

const plainCell = fc.constantFrom('', ' ', 'ND', 'Head of SEND', 'by Sept 24', '£5 café', 'a;b', 'x y');
const quotedCell = fc
  .array(fc.constantFrom('• Review', 'line', '', 'He said ""hi""', 'a, b', ' '), { minLength: 1, maxLength: 4 })
  .chain((parts) => fc.constantFrom('\n', '\r\n', '\n\n').map((br) => `"${parts.join(br)}"`));
const record = fc.array(fc.oneof(plainCell, quotedCell), { minLength: 1, maxLength: 5 }).map((cells) => cells.join(','));
const blankish = fc.constantFrom('', '   ', ',,', ' , ');
const file = fc
  .record({
    title: fc.boolean(),
    bom: fc.boolean(),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    lines: fc.array(fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: blankish }), { maxLength: 12 }),
    trailing: fc.boolean(),
  })
  .map(({ title, bom, eol, lines, trailing }) => {
    const all = [...(title ? ['SEND Improvement Plan,,'] : []), 'Plan,Workstream,Action,With,Due', ...lines];
    return `${bom ? '\uFEFF' : ''}${all.join(eol)}${trailing ? eol : ''}`;
  });

/** The start lines of the non-blank records after the header, as csv-parse's own info counts them. */
function startLinesByCsvParse(text: string): number[] {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const records = parse(normalised, { info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  const header = records.findIndex((r) => r.record.filter((c) => c.trim() !== '').length >= 2);
  return records
    .slice(header + 1)
    .filter((r) => r.record.some((c) => c.trim() !== ''))
    .map((r) => r.info.lines - r.record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0));
}

describe('parseCsvRows line numbers (property)', () => {
  it('gives each record the line it starts on', () => {
    fc.assert(
      fc.property(file, (text) => {
        let rows: { row: number }[];
        try {
          rows = parseCsvRows(text);
        } catch {
          return; // a value under no heading: refused, which other tests cover
        }
        expect(rows.map((r) => r.row)).toEqual(startLinesByCsvParse(text));
      }),
      { numRuns: 300 },
    );
  });
});
