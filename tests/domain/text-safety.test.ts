// Free-text checks: NHS numbers however they are written, ordinary text left alone, and the
// characters stripped before anything is stored.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkUserText, findNhsNumber, isValidNhsNumber, stripUnsafeCharacters } from '../../src/domain/text-safety.js';

const NHS = '9434765919'; // passes modulus 11 (a documented test number)

describe('findNhsNumber', () => {
  it.each([
    ['solid', '9434765919'],
    ['3-3-4 with spaces', '943 476 5919'],
    ['hyphens', '943-476-5919'],
    ['non-breaking spaces', '943\u00A0476\u00A05919'],
    ['narrow no-break spaces', '943\u202F476\u202F5919'],
    ['thin spaces', '943\u2009476\u20095919'],
    ['figure spaces', '943\u2007476\u20075919'],
    ['ideographic spaces', '943\u3000476\u30005919'],
    ['tabs', '943\t476\t5919'],
    ['en dashes', '943–476–5919'],
    ['em dashes', '943—476—5919'],
    ['minus signs', '943−476−5919'],
    ['non-breaking hyphens', '943\u2011476\u20115919'],
    ['spaced en dashes', '943 – 476 – 5919'],
    ['doubled hyphens', '943--476--5919'],
    ['dots', '943.476.5919'],
    ['middle dots', '943·476·5919'],
    ['underscores', '943_476_5919'],
    ['full-width digits', '９４３ ４７６ ５９１９'],
    ['full-width digits and hyphens', '９４３－４７６－５９１９'],
    ['mathematical bold digits', '𝟗𝟒𝟑𝟒𝟕𝟔𝟓𝟗𝟏𝟗'],
    ['Arabic-Indic digits', '٩٤٣٤٧٦٥٩١٩'],
    ['Devanagari digits', '९४३४७६५९१९'],
    ['zero-width spaces between digits', '943\u200B476\u200B5919'],
    ['a soft hyphen inside', '943\u00AD4765919'],
    ['a bidi override inside', '943 476 \u202E5919'],
    ['a control character inside', '943\u0007476\u00075919'],
    ['one digit per space', '9 4 3 4 7 6 5 9 1 9'],
    ['pairs with dots', '94.34.76.59.19'],
    ['mixed separators in the NHS 3-3-4 grouping', '943 476-5919'],
    ['inside words', 'child(9434765919)seen'],
    ['solid after another number', 'ref 1 9434765919'],
  ])('finds one written with %s', (_name, written) => {
    expect(findNhsNumber(`Reviewed ${written} today`)).toBe(NHS);
    expect(checkUserText(`Reviewed ${written} today`)).toEqual({ kind: 'nhs-number' });
  });

  it.each([
    ['a dotted date and a time', 'met on 12.03.2025 10:30 with the panel'],
    ['a slashed date and a time', 'meeting 12/03/2025 10am'],
    ['a date and a count', '12-03-2025, 10 schools'],
    ['a UK landline', 'call 020 7946 0958'],
    ['a UK mobile with the country code', '+44 7700 900123'],
    ['an international number', '+44 (0)23 8083 3000'],
    ['a long reference', 'PO 4500123456789'],
    ['ten digits that fail modulus 11', '9434765918'],
    ['nine digits', '943 476 591'],
    ['eleven digits', '94347659190'],
    ['figures in a sentence', '62% in 2024, 65% by March 2025, 85% in 2025/26'],
    ['a financial year and a quarter', 'Q3 24/25 and 2025/26 budget of 1.2m'],
  ])('leaves alone %s', (_name, text) => {
    expect(findNhsNumber(text)).toBeUndefined();
    expect(checkUserText(text)).toBeUndefined();
  });

  it('finds any valid number in its common written forms (property)', () => {
    const digit = fc.integer({ min: 0, max: 9 });
    const valid = fc.array(digit, { minLength: 9, maxLength: 9 }).chain((nine) => {
      const sum = nine.reduce((s, d, i) => s + d * (10 - i), 0);
      const check = 11 - (sum % 11);
      return check === 10 ? fc.constant(undefined) : fc.constant(`${nine.join('')}${check === 11 ? 0 : check}`);
    });
    const separator = fc.constantFrom(' ', '-', '\u00A0', '–', '.', '_', ' - ', '\u2009');
    fc.assert(
      fc.property(valid, separator, fc.boolean(), (number, sep, grouped) => {
        if (!number) return;
        expect(isValidNhsNumber(number)).toBe(true);
        const written = grouped ? `${number.slice(0, 3)}${sep}${number.slice(3, 6)}${sep}${number.slice(6)}` : number;
        expect(findNhsNumber(`note: ${written}.`)).toBe(number);
      }),
      { numRuns: 300 },
    );
  });
});

describe('stripUnsafeCharacters', () => {
  it('removes bidi controls, control characters and invisible formatting', () => {
    expect(stripUnsafeCharacters('Budget \u202Edevorppa\u202C ok')).toBe('Budget devorppa ok');
    expect(stripUnsafeCharacters('\u2066isolated\u2069 \u200Emark\u200F \u061Carabic')).toBe('isolated mark arabic');
    expect(stripUnsafeCharacters('bell\u0007 nul\u0000 del\u007F c1\u0085 esc\u001B[31m')).toBe('bell nul del c1 esc[31m');
    expect(stripUnsafeCharacters('zero\u200Bwidth soft\u00ADhyphen word\u2060joiner bom\uFEFF')).toBe('zerowidth softhyphen wordjoiner bom');
    expect(stripUnsafeCharacters('line\u2028separator')).toBe('lineseparator');
  });

  it('keeps new lines, tabs, emoji joiners and ordinary text in any script', () => {
    expect(stripUnsafeCharacters('a\r\nb\rc\td')).toBe('a\nb\nc\td');
    expect(stripUnsafeCharacters('👩‍💻 done — café, Zürich, שלום, مرحبا')).toBe('👩‍💻 done — café, Zürich, שלום, مرحبا');
  });
});
