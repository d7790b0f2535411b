import { describe, expect, it } from 'vitest';
import {
  readPeriodHeading,
  canonicalLabel,
  duePeriod,
  latestCompletePeriod,
  periodContaining,
  readingDueBy,
  readKpiPeriod,
} from '../../src/domain/kpi-periods.js';

describe('KPI periods', () => {
  it.each([
    ['monthly', '2024-11-18', 'November 2024', '2024-11-01', '2024-11-30'],
    ['monthly', '2024-02-29', 'February 2024', '2024-02-01', '2024-02-29'],
    ['quarterly', '2024-11-18', 'Q3 2024/25', '2024-10-01', '2024-12-31'],
    ['quarterly', '2025-01-02', 'Q4 2024/25', '2025-01-01', '2025-03-31'],
    ['quarterly', '2024-04-01', 'Q1 2024/25', '2024-04-01', '2024-06-30'],
    ['annual', '2025-03-31', '2024/25', '2024-04-01', '2025-03-31'],
    ['annual', '2025-04-01', '2025/26', '2025-04-01', '2026-03-31'],
    ['annual', '2099-06-01', '2099/00', '2099-04-01', '2100-03-31'],
  ] as const)('%s period containing %s is %s', (frequency, day, label, start, end) => {
    expect(periodContaining(frequency, day)).toEqual({ label, start, end });
  });

  it.each([
    // [frequency, today, latest complete period, period due (figure expected by the end of the next month)]
    ['monthly', '2024-11-18', 'October 2024', 'September 2024'],
    ['monthly', '2024-12-01', 'November 2024', 'October 2024'],
    ['monthly', '2024-11-30', 'October 2024', 'September 2024'],
    ['quarterly', '2024-11-27', 'Q2 2024/25', 'Q2 2024/25'],
    ['quarterly', '2024-10-31', 'Q2 2024/25', 'Q1 2024/25'],
    ['quarterly', '2024-11-01', 'Q2 2024/25', 'Q2 2024/25'],
    ['quarterly', '2025-01-15', 'Q3 2024/25', 'Q2 2024/25'],
    ['annual', '2024-11-27', '2023/24', '2023/24'],
    ['annual', '2025-04-30', '2024/25', '2023/24'],
    ['annual', '2025-05-01', '2024/25', '2024/25'],
  ] as const)('%s on %s: latest complete %s, due %s', (frequency, today, complete, due) => {
    expect(latestCompletePeriod(frequency, today).label).toBe(complete);
    expect(duePeriod(frequency, today).label).toBe(due);
  });

  it('a period’s figure is due by the end of the month after it ends', () => {
    expect(readingDueBy({ end: '2024-09-30' })).toBe('2024-10-31');
    expect(readingDueBy({ end: '2025-01-31' })).toBe('2025-02-28');
    expect(readingDueBy({ end: '2024-11-15' })).toBe('2024-12-31');
  });

  it('names spans that are exactly a month, a financial quarter or a financial year', () => {
    expect(canonicalLabel('2024-10-01', '2024-12-31')).toBe('Q3 2024/25');
    expect(canonicalLabel('2024-11-01', '2025-01-31')).toBeNull();
    expect(canonicalLabel('2024-04-01', '2025-03-31')).toBe('2024/25');
    expect(canonicalLabel('2024-01-01', '2024-12-31')).toBeNull();
    expect(canonicalLabel(null, '2024-11-30')).toBeNull();
  });
});

describe('readKpiPeriod', () => {
  it.each([
    ['Q3 24/25', '2025-01-15', 'Q3 2024/25', '2024-10-01', '2024-12-31'],
    ['for Q2 2024/25', '2024-11-18', 'Q2 2024/25', '2024-07-01', '2024-09-30'],
    ['November 2024', '2024-12-01', 'November 2024', '2024-11-01', '2024-11-30'],
    ['nov 24', '2024-12-01', 'November 2024', '2024-11-01', '2024-11-30'],
    ['Sept', '2024-11-18', 'September 2024', '2024-09-01', '2024-09-30'],
    ['December', '2024-11-18', 'December 2023', '2023-12-01', '2023-12-31'],
    ['2023/24', '2024-11-18', '2023/24', '2023-04-01', '2024-03-31'],
    ['for 2023-24', '2024-11-18', '2023/24', '2023-04-01', '2024-03-31'],
    ['Oct - Dec 2024', '2025-01-05', 'Q3 2024/25', '2024-10-01', '2024-12-31'],
    ['Jan–Feb 2025', '2025-03-05', 'Jan–Feb 2025', '2025-01-01', '2025-02-28'],
    ['as at 15 Nov 2024', '2024-11-18', '15 Nov 2024', null, '2024-11-15'],
    ['as of 18/11/2024', '2024-11-18', '18 Nov 2024', null, '2024-11-18'],
    ['last month', '2024-11-18', 'October 2024', '2024-10-01', '2024-10-31'],
    ['last quarter', '2024-11-18', 'Q2 2024/25', '2024-07-01', '2024-09-30'],
    ['the previous financial year', '2024-11-18', '2023/24', '2023-04-01', '2024-03-31'],
  ] as const)('reads "%s" on %s as %s', (text, today, label, start, end) => {
    expect(readKpiPeriod(text, today)).toEqual({ ok: true, period: { label, start, end } });
  });

  it('refuses a period that has not ended yet, and says which it read', () => {
    expect(readKpiPeriod('November 2024', '2024-11-18')).toEqual({
      ok: false,
      problem: 'not_ended',
      period: { label: 'November 2024', start: '2024-11-01', end: '2024-11-30' },
    });
    expect(readKpiPeriod('November', '2024-11-18')).toMatchObject({ ok: false, problem: 'not_ended' });
    expect(readKpiPeriod('2025/26', '2024-11-18')).toMatchObject({ ok: false, problem: 'not_ended' });
    expect(readKpiPeriod('as at 19 Nov 2024', '2024-11-18')).toMatchObject({ ok: false, problem: 'not_ended' });
  });

  it.each(['sometime', 'year end', 'next month', '', 'for', 'Q3', 'soon-ish 2024'])('does not guess "%s"', (text) => {
    const read = readKpiPeriod(text, '2024-11-18');
    if (read.ok) throw new Error(`read "${text}" as ${JSON.stringify(read.period)}`);
    expect(['unreadable', 'not_ended']).toContain(read.problem);
  });
});

describe('readPeriodHeading (a KPI sheet column heading)', () => {
  it.each([
    ['Aug-23', 'August 2023', '2023-08-01', '2023-08-31'],
    ['Aug 23', 'August 2023', '2023-08-01', '2023-08-31'],
    ['August 2023', 'August 2023', '2023-08-01', '2023-08-31'],
    ["Sept '23", 'September 2023', '2023-09-01', '2023-09-30'],
    ['sep-2023', 'September 2023', '2023-09-01', '2023-09-30'],
    ['Q3 23/24', 'Q3 2023/24', '2023-10-01', '2023-12-31'],
    ['Q1 2024/25', 'Q1 2024/25', '2024-04-01', '2024-06-30'],
    ['2023/24', '2023/24', '2023-04-01', '2024-03-31'],
    ['2023-24', '2023/24', '2023-04-01', '2024-03-31'],
    ['FY 23/24', '2023/24', '2023-04-01', '2024-03-31'],
    // A spreadsheet date cell used as a heading (read as YYYY-MM-DD) on the 1st or last of a month.
    ['2023-10-01', 'October 2023', '2023-10-01', '2023-10-31'],
    ['2023-10-31', 'October 2023', '2023-10-01', '2023-10-31'],
  ] as const)('reads "%s" as %s', (text, label, start, end) => {
    expect(readPeriodHeading(text)).toEqual({ label, start, end });
  });

  it.each(['August', 'KPI', 'Target', '2023/25', 'Q5 23/24', '2023-10-15', 'Baseline 2023', 'Aug-23 target'])('is not a period heading: "%s"', (text) => {
    expect(readPeriodHeading(text)).toBeUndefined();
  });

  it('lets `/send kpi X 50% for Aug-23` name the month too', () => {
    expect(readKpiPeriod('for Aug-23', '2024-11-18')).toEqual({ ok: true, period: { label: 'August 2023', start: '2023-08-01', end: '2023-08-31' } });
  });
});
