// assessKpi: the one verdict the digest, chat and dashboard show. Each row says what is judged.
import { describe, expect, it } from 'vitest';
import { assessKpi } from '../../src/domain/kpi-assessment.js';
import type { KpiReading, KpiSeries, KpiTrajectoryPoint } from '../../src/domain/kpi-types.js';

let nextId = 1;
function reading(periodEnd: string, value: number, recordedAt = `${periodEnd}T12:00:00.000Z`): KpiReading {
  return { id: nextId++, value, periodLabel: periodEnd, periodEnd, recordedAt, recordedBy: 'Zara', note: null, platform: 'slack' };
}

function target(value: number, due: string | null, start: string | null = null): KpiTrajectoryPoint {
  return { target: value, targetText: `${value}%`, byText: due ?? 'year end', due, start, flags: due ? [] : ['vague'] };
}

/** Healthy Child Programme HR1 coverage: 62% in 2023/24, 65% by March 25, 85% in 2025/26. */
function hr1(readings: KpiReading[], overrides: Partial<KpiSeries> = {}): KpiSeries {
  return {
    id: 1,
    code: 'HCP-HR1',
    name: 'HR1 coverage',
    planCode: 'HCP',
    planTitle: 'Healthy Child Programme Improvement Plan',
    workstreamNumber: 2,
    ownerRole: 'Solent 0-19 Service Manager',
    unit: 'percent',
    direction: 'higher',
    frequency: 'quarterly',
    baseline: { value: 62, text: '62–65% in 2023/24', asOf: '2024-03-31' },
    trajectory: [target(65, '2025-03-31'), target(85, '2026-03-31', '2025-04-01')],
    readings,
    ...overrides,
  };
}

/** Age young people are first brought to the PFA panel: lower is better, 16 by March 25, no baseline. */
function pfaAge(readings: KpiReading[], overrides: Partial<KpiSeries> = {}): KpiSeries {
  return hr1(readings, {
    code: 'TR-PFA',
    unit: 'number',
    direction: 'lower',
    baseline: { value: null, text: null, asOf: null },
    trajectory: [{ ...target(16, '2025-03-31'), targetText: '16' }],
    ...overrides,
  });
}

const Q1 = '2024-06-30';
const Q2 = '2024-09-30';

describe('assessKpi', () => {
  it.each([
    // [what, series, today, position, expected, basis]
    ['no reading at all', hr1([]), '2024-11-27', 'no_reading', null, null],
    // 62 + 3 × 183/365 = 63.504 → 63.5 expected at the end of Q2
    ['Q2 above the line from the baseline to March 25', hr1([reading(Q1, 63), reading(Q2, 64)]), '2024-11-27', 'on_track', 63.5, 'trajectory'],
    ['Q2 exactly on the expected value (as shown)', hr1([reading(Q2, 63.5)]), '2024-11-27', 'on_track', 63.5, 'trajectory'],
    ['Q2 a tenth below it', hr1([reading(Q2, 63.4)]), '2024-11-27', 'off_track', 63.5, 'trajectory'],
    // Q2's figure is due by 31 October: on 27 November only a Q1 reading means the Q2 figure is missing
    ['Q1 reading only, once Q2 is due', hr1([reading(Q1, 70)]), '2024-11-27', 'no_reading', 62.7, 'trajectory'],
    ['Q1 reading only, before Q2 is due', hr1([reading(Q1, 63)]), '2024-10-31', 'on_track', 62.7, 'trajectory'],
    ['Q1 reading only, before Q2 is due, below the line', hr1([reading(Q1, 62.5)]), '2024-10-31', 'off_track', 62.7, 'trajectory'],
    // 65 + 20 × 91/365 = 69.99 → 70.0 between "65% by March 25" and "85% in 2025/26" (due 31 Mar 2026)
    ['between two targets', hr1([reading('2025-06-30', 70)]), '2025-08-15', 'on_track', 70, 'trajectory'],
    ['after the last target, held there', hr1([reading('2026-06-30', 84.9)]), '2026-08-15', 'off_track', 85, 'trajectory'],
    ['on the first target’s date', hr1([reading('2025-03-31', 65)]), '2025-05-15', 'on_track', 65, 'trajectory'],
    // Lower is better, no baseline: from the first reading (17.2 at Q1) to 16 by 31 Mar 2025:
    // 17.2 − 1.2 × 92/274 = 16.797 → 16.8 at Q2
    ['lower is better, above the line', pfaAge([reading(Q1, 17.2), reading(Q2, 16.9)]), '2024-11-27', 'off_track', 16.8, 'trajectory'],
    ['lower is better, below the line', pfaAge([reading(Q1, 17.2), reading(Q2, 16.7)]), '2024-11-27', 'on_track', 16.8, 'trajectory'],
    ['lower is better, a single reading is its own start', pfaAge([reading(Q2, 19)]), '2024-11-27', 'on_track', 19, 'trajectory'],
    [
      'no trajectory: no worse than the (undated) baseline',
      hr1([reading(Q2, 100)], { unit: 'weeks', direction: 'lower', trajectory: [], baseline: { value: 104, text: 'over 2 years', asOf: null } }),
      '2024-11-27',
      'on_track',
      104,
      'baseline',
    ],
    [
      'no trajectory: worse than the baseline',
      hr1([reading(Q2, 110)], { unit: 'weeks', direction: 'lower', trajectory: [], baseline: { value: 104, text: 'over 2 years', asOf: null } }),
      '2024-11-27',
      'off_track',
      104,
      'baseline',
    ],
    [
      'no trajectory, no baseline: no worse than the first reading',
      hr1([reading(Q1, 118), reading(Q2, 113)], { unit: 'count', direction: 'lower', trajectory: [], baseline: { value: null, text: null, asOf: null } }),
      '2024-11-27',
      'on_track',
      118,
      'first_reading',
    ],
    [
      'no trajectory, no baseline: worse than the first reading',
      hr1([reading(Q1, 118), reading(Q2, 121)], { unit: 'count', direction: 'lower', trajectory: [], baseline: { value: null, text: null, asOf: null } }),
      '2024-11-27',
      'off_track',
      118,
      'first_reading',
    ],
    // Counts are whole: 1000 → 900 over a year, at 183 days 949.9 → 950
    [
      'a count’s expected value is whole',
      hr1([reading(Q2, 950)], { unit: 'count', direction: 'lower', baseline: { value: 1000, text: '1,000', asOf: '2024-03-31' }, trajectory: [{ ...target(900, '2025-03-31'), targetText: '900' }] }),
      '2024-11-27',
      'on_track',
      950,
      'trajectory',
    ],
    [
      'a target whose date could not be read is left out',
      hr1([reading(Q2, 63.5)], { trajectory: [target(65, '2025-03-31'), target(99, null)] }),
      '2024-11-27',
      'on_track',
      63.5,
      'trajectory',
    ],
    [
      // 62 + 3 × 153/365 = 63.26 → 63.3 at the end of August
      'a monthly KPI needs September’s figure on 27 November',
      hr1([reading('2024-08-31', 80)], { frequency: 'monthly' }),
      '2024-11-27',
      'no_reading',
      63.3,
      'trajectory',
    ],
    [
      'frequency defaults to monthly',
      hr1([reading('2024-09-30', 80)], { frequency: undefined }),
      '2024-11-27',
      'on_track',
      63.5,
      'trajectory',
    ],
  ] as const)('%s', (_what, series, today, position, expected, basis) => {
    const a = assessKpi(series as KpiSeries, today);
    expect(a.position).toBe(position);
    expect(a.expected).toBe(expected);
    expect(a.basis).toBe(basis);
  });

  it('judges the latest reading; a correction for the same period wins and the earlier is ignored', () => {
    const first = reading(Q2, 62, '2024-10-10T09:00:00.000Z');
    const corrected = reading(Q2, 64, '2024-10-12T09:00:00.000Z');
    const a = assessKpi(hr1([reading(Q1, 63), corrected, first]), '2024-11-27');
    expect(a.latest).toBe(corrected);
    expect(a.position).toBe('on_track');
    expect(a.gap).toBe(0.5);
  });

  it('gives the latest reading, the period due and the next target even when the figure is missing', () => {
    const q1 = reading(Q1, 63);
    const a = assessKpi(hr1([q1]), '2024-11-27');
    expect(a.latest).toBe(q1);
    expect(a.duePeriod).toEqual({ label: 'Q2 2024/25', start: '2024-07-01', end: '2024-09-30' });
    expect(a.nextTarget?.target).toBe(65);
    expect(a.gap).toBe(0.3);
  });

  it('the next target is the first one due on or after today', () => {
    expect(assessKpi(hr1([]), '2025-03-31').nextTarget?.target).toBe(65);
    expect(assessKpi(hr1([]), '2025-04-01').nextTarget?.target).toBe(85);
    expect(assessKpi(hr1([]), '2026-04-01').nextTarget).toBeNull();
  });

  it('a reading for a later period than the one due is judged (reported early)', () => {
    const a = assessKpi(hr1([reading('2024-12-31', 64.3)]), '2025-01-10');
    expect(a.duePeriod.label).toBe('Q2 2024/25');
    // 62 + 3 × 275/365 = 64.26 → 64.3
    expect([a.position, a.expected]).toEqual(['on_track', 64.3]);
  });
});
