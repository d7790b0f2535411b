import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { SchoolTerm, TermName } from '../../src/domain/deadline-types.js';
import { defaultTerm, defaultTermsForAcademicYear, easterSunday, findTerm, isTermName } from '../../src/domain/school-terms.js';

const weekday = (iso: string): number => DateTime.fromISO(iso, { zone: 'utc' }).weekday;
const days = (from: string, to: string): number =>
  DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days;

describe('easterSunday', () => {
  it.each([
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2022, '2022-04-17'],
    [2023, '2023-04-09'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('%i → %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });
});

describe('default England terms', () => {
  it.each([
    ['autumn', 2024, '2024-09-02', '2024-12-20'],
    ['spring', 2025, '2025-01-06', '2025-04-04'],
    ['summer', 2025, '2025-04-22', '2025-07-22'],
    ['autumn', 2025, '2025-09-02', '2025-12-19'],
    ['spring', 2026, '2026-01-05', '2026-03-27'],
    ['summer', 2026, '2026-04-13', '2026-07-22'],
    ['spring', 2024, '2024-01-04', '2024-03-28'],
    ['summer', 2024, '2024-04-15', '2024-07-22'],
    ['spring', 2027, '2027-01-04', '2027-03-25'],
    ['summer', 2027, '2027-04-12', '2027-07-22'],
    ['spring', 2023, '2023-01-04', '2023-03-31'],
    ['summer', 2023, '2023-04-17', '2023-07-21'],
    ['autumn', 2026, '2026-09-02', '2026-12-18'],
  ] as Array<[TermName, number, string, string]>)('%s %i: %s – %s', (name, year, start, end) => {
    expect(defaultTerm(name, year)).toEqual({ name, start, end });
  });

  it('gives the three terms of an academic year in order', () => {
    expect(defaultTermsForAcademicYear(2024)).toEqual([
      { name: 'autumn', start: '2024-09-02', end: '2024-12-20' },
      { name: 'spring', start: '2025-01-06', end: '2025-04-04' },
      { name: 'summer', start: '2025-04-22', end: '2025-07-22' },
    ]);
  });

  it('follows the rules for every academic year 1990–2100', () => {
    for (let y = 1990; y <= 2100; y += 1) {
      const [autumn, spring, summer] = defaultTermsForAcademicYear(y) as [SchoolTerm, SchoolTerm, SchoolTerm];
      const nextAutumn = defaultTerm('autumn', y + 1);
      // autumn: early September to about 20 December, starting on a weekday and ending on a Friday
      expect(autumn.start >= `${y}-09-02` && autumn.start <= `${y}-09-04`).toBe(true);
      expect(weekday(autumn.start)).toBeLessThanOrEqual(5);
      expect(autumn.end >= `${y}-12-14` && autumn.end <= `${y}-12-20`).toBe(true);
      expect(weekday(autumn.end)).toBe(5);
      // spring: first weekday from 4 January to the Easter holiday
      expect(spring.start >= `${y + 1}-01-04` && spring.start <= `${y + 1}-01-06`).toBe(true);
      expect(weekday(spring.start)).toBeLessThanOrEqual(5);
      expect(spring.end >= `${y + 1}-03-18` && spring.end <= `${y + 1}-04-10`).toBe(true);
      expect(weekday(spring.end)).toBeLessThanOrEqual(5);
      // Easter Sunday falls in the holiday between spring and summer, which is about two weeks
      const easter = easterSunday(y + 1);
      expect(spring.end < easter && easter < summer.start).toBe(true);
      expect(days(spring.end, summer.start)).toBeGreaterThanOrEqual(17);
      expect(days(spring.end, summer.start)).toBeLessThanOrEqual(19);
      // summer: after Easter to about 22 July
      expect(weekday(summer.start)).toBeLessThanOrEqual(5);
      expect(summer.end >= `${y + 1}-07-18` && summer.end <= `${y + 1}-07-22`).toBe(true);
      expect(weekday(summer.end)).toBeLessThanOrEqual(5);
      // in order, no overlap
      expect(autumn.start < autumn.end && autumn.end < spring.start).toBe(true);
      expect(spring.start < spring.end && spring.end < summer.start).toBe(true);
      expect(summer.start < summer.end && summer.end < nextAutumn.start).toBe(true);
    }
  });
});

describe('findTerm', () => {
  const configured: SchoolTerm[] = [
    { name: 'autumn', start: '2024-09-04', end: '2024-12-18' },
    { name: 'spring', start: '2025-01-07', end: '2025-04-11' },
    { name: 'summer', start: '2025-04-28', end: '2025-07-23' },
  ];

  it('prefers the partnership\'s configured term for that calendar year', () => {
    expect(findTerm('summer', 2025, configured)).toEqual({ start: '2025-04-28', end: '2025-07-23', fromDefaults: false });
    expect(findTerm('autumn', 2024, configured)).toEqual({ start: '2024-09-04', end: '2024-12-18', fromDefaults: false });
    expect(findTerm('spring', 2025, configured)).toEqual({ start: '2025-01-07', end: '2025-04-11', fromDefaults: false });
  });

  it('falls back to the defaults for a year the configuration does not cover', () => {
    expect(findTerm('summer', 2026, configured)).toEqual({ start: '2026-04-13', end: '2026-07-22', fromDefaults: true });
    expect(findTerm('autumn', 2025, configured)).toEqual({ start: '2025-09-02', end: '2025-12-19', fromDefaults: true });
  });

  it('uses the defaults when no terms are configured', () => {
    expect(findTerm('summer', 2025)).toEqual({ start: '2025-04-22', end: '2025-07-22', fromDefaults: true });
    expect(findTerm('spring', 2025, [])).toEqual({ start: '2025-01-06', end: '2025-04-04', fromDefaults: true });
  });

  it('ignores a configured term that is not a valid date range', () => {
    const broken: SchoolTerm[] = [
      { name: 'summer', start: '2025-07-23', end: '2025-04-28' },
      { name: 'summer', start: '2025-02-30', end: '2025-07-23' },
    ];
    expect(findTerm('summer', 2025, broken).fromDefaults).toBe(true);
  });

  it('recognises term names', () => {
    expect(['autumn', 'spring', 'summer', 'winter', 'Autumn'].map(isTermName)).toEqual([true, true, true, false, false]);
  });
});
