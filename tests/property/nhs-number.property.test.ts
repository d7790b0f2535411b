// Property test, both sides: an NHS number is found however it is disguised (combining marks, blank
// letters, split over lines, "/", "," or ":" in the 3-3-4 grouping, long runs of spaces), and
// ordinary text — dates, times, phone numbers, money, refs, KPI figures — is never refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findNhsNumber, isValidNhsNumber } from '../../src/domain/text-safety.js';

/** Ten digits passing the modulus-11 check. */
const nhsNumber = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .map((nine) => {
    const sum = nine.reduce((s, d, i) => s + d * (10 - i), 0);
    const check = 11 - (sum % 11);
    return check === 10 ? undefined : `${nine.join('')}${check === 11 ? 0 : check}`;
  })
  .filter((n): n is string => n !== undefined);

const grouped = (n: string, sep: string) => `${n.slice(0, 3)}${sep}${n.slice(3, 6)}${sep}${n.slice(6)}`;
const BLANKS = ['\u3164', '\u2800', '\u115F', '\u1160', '\uFFA0'];

/** Ways people (or someone getting round the check) write the number. */
const disguised = fc.oneof(
  // 3-3-4 with separators that also write dates, times and money.
  fc.tuple(nhsNumber, fc.constantFrom('/', ',', ':', ' / ', ', ', ' : ', '-', '.', ' ')).map(([n, sep]) => ({ n, text: grouped(n, sep) })),
  // 3-3-4 with long runs of spaces, or a line break.
  fc.tuple(nhsNumber, fc.integer({ min: 4, max: 30 })).map(([n, k]) => ({ n, text: grouped(n, ' '.repeat(k)) })),
  fc.tuple(nhsNumber, fc.constantFrom('\n', ' \n', '\n ', '\r\n')).map(([n, br]) => ({ n, text: `${n.slice(0, 3)} ${n.slice(3, 6)}${br}${n.slice(6)}` })),
  // Split over two lines anywhere.
  fc.tuple(nhsNumber, fc.integer({ min: 1, max: 9 })).map(([n, at]) => ({ n, text: `${n.slice(0, at)}\n${n.slice(at)}` })),
  // A combining mark or a blank-looking letter after some digits.
  fc.tuple(nhsNumber, fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), fc.constantFrom('\u0301', '\u0308', '\u20DD', ...BLANKS)).map(([n, marks, mark]) => ({
    n,
    text: [...n].map((d, i) => (marks[i] ? `${d}${mark}` : d)).join(''),
  })),
);

const around = fc.tuple(fc.constantFrom('', 'Child ', 'Seen today, NHS no. ', 'Referral for '), fc.constantFrom('', ' at clinic', '.', ' (urgent)'));

describe('findNhsNumber (property)', () => {
  it('finds every disguised NHS number, in any surrounding text', () => {
    fc.assert(
      fc.property(disguised, around, ({ n, text }, [before, after]) => {
        expect(isValidNhsNumber(n)).toBe(true);
        expect(findNhsNumber(`${before}${text}${after}`)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  const two = (max: number, min = 0) => fc.integer({ min, max }).map((v) => String(v).padStart(2, '0'));
  const date = fc.oneof(
    fc.tuple(two(28, 1), two(12, 1), fc.integer({ min: 1990, max: 2040 }), fc.constantFrom('/', '.', '-')).map(([d, m, y, s]) => `${d}${s}${m}${s}${y}`),
    fc.tuple(fc.integer({ min: 1990, max: 2040 }), two(12, 1), two(28, 1)).map(([y, m, d]) => `${y}-${m}-${d}`),
    fc.tuple(fc.integer({ min: 1, max: 28 }), fc.constantFrom('Jan', 'March', 'Sept'), fc.integer({ min: 2020, max: 2030 })).map(([d, m, y]) => `${d} ${m} ${y}`),
  );
  const time = fc.tuple(two(23), two(59), fc.option(two(59), { nil: undefined })).map(([h, m, s]) => (s ? `${h}:${m}:${s}` : `${h}:${m}`));
  const digits = (k: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: k, maxLength: k }).map((a) => a.join(''));
  const phone = fc.oneof(
    fc.tuple(digits(3), digits(4), digits(3)).map(([a, b, c]) => `0${a} ${b} ${c}`), // 023 8083 300x: 11 digits
    fc.tuple(digits(4), digits(6)).map(([a, b]) => `0${a} ${b}`), // 07700 900123
    fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `0${a[0]}${a[1]}${a[2]} ${b} ${c}`.replace(/^0(\d{3}) /, '0$1 ')), // 0800 123 4567: 11 digits
    fc.tuple(digits(2), digits(4), digits(4)).map(([a, b, c]) => `+44 ${a} ${b} ${c}`), // +44 23 8083 3000: 12 digits
  );
  const money = fc.oneof(
    fc.integer({ min: 0, max: 2_000_000_000 }).map((v) => `£${v.toLocaleString('en-GB')}`),
    fc.integer({ min: 0, max: 99_999_999 }).map((v) => `£${(v / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`),
    fc.integer({ min: 1, max: 999 }).map((v) => `£${v}m`),
  );
  const ref = fc.tuple(fc.constantFrom('ND', 'HCP', 'TRA', 'QAP', 'WD'), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 20 })).map(([p, w, a]) => `${p}-${w}.${a}`);
  const kpi = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map(([a, b]) => `${a}–${b}% in 2023/24`),
    fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 20, max: 30 })).map(([a, y]) => `${a}% by March ${y} (Q2 ${y}/${y + 1}: ${a - 1}%)`),
    fc.integer({ min: 0, max: 100_000 }).map((n) => `n=${n.toLocaleString('en-GB')}, ${n % 52} weeks`),
  );
  const ordinaryPart = fc.oneof(date, time, phone, money, ref, kpi, fc.constantFrom('Board on', 'call', 'budget', 'see', 'and', '—'));
  const ordinary = fc.array(ordinaryPart, { minLength: 1, maxLength: 6 }).chain((parts) =>
    fc.array(fc.constantFrom(' ', ', ', '; ', ' / ', ' - ', '\n', ': '), { minLength: parts.length, maxLength: parts.length }).map((seps) => parts.map((p, i) => `${p}${i < parts.length - 1 ? seps[i] : ''}`).join('')),
  );

  it('never refuses ordinary text: dates, times, phone numbers, money, refs and KPI figures, in any order', () => {
    fc.assert(
      fc.property(ordinary, (text) => {
        expect(findNhsNumber(text), text).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });
});
