// Hand-built KPI series and assessments for renderer tests: plain data in the shape of
// src/domain/kpi-types.ts, with overrides, so a chart test does not depend on the store or on how a
// KPI is judged.
import type { KpiAssessment, KpiReading, KpiSeries, KpiTrajectoryPoint } from '../../src/domain/kpi-types.js';

export function target(value: number, due: string | null, extra: Partial<KpiTrajectoryPoint> = {}): KpiTrajectoryPoint {
  return { target: value, targetText: `${value}%`, byText: due ?? 'sometime', due, start: null, flags: [], ...extra };
}

let nextReadingId = 1;

export function reading(value: number, periodEnd: string, extra: Partial<KpiReading> = {}): KpiReading {
  return {
    id: nextReadingId++,
    value,
    periodLabel: periodEnd.slice(0, 7),
    periodEnd,
    recordedAt: `${periodEnd}T12:00:00.000Z`,
    recordedBy: 'Zara Sampleford',
    note: null,
    platform: 'slack',
    ...extra,
  };
}

/** HCP HR1 coverage, as the demo plan words it: about two thirds now, 65% by March 25, 85% in 2025/26. */
export function hr1Series(extra: Partial<KpiSeries> = {}): KpiSeries {
  return {
    id: 1,
    code: 'HCP-HR1',
    name: 'HR1 (12-month review) coverage',
    planCode: 'HCP',
    planTitle: 'Healthy Child Programme',
    workstreamNumber: 2,
    ownerRole: 'Solent 0-19 Service Manager',
    unit: 'percent',
    direction: 'higher',
    baseline: { value: 62, text: 'about two thirds', asOf: '2024-03-31' },
    trajectory: [target(65, '2025-03-31', { byText: 'March 25' }), target(85, '2026-03-31', { byText: '2025/26', start: '2025-04-01' })],
    readings: [reading(62.5, '2024-06-30', { periodLabel: 'Q1 24/25' }), reading(63.1, '2024-09-30', { periodLabel: 'Q2 24/25' })],
    ...extra,
  };
}

export function assessment(series: KpiSeries, extra: Partial<KpiAssessment> = {}): KpiAssessment {
  const latest = series.readings[series.readings.length - 1] ?? null;
  return {
    position: latest ? 'on_track' : 'no_reading',
    latest,
    expected: null,
    nextTarget: series.trajectory[0] ?? null,
    duePeriod: { label: 'Q2 24/25', start: '2024-07-01', end: '2024-09-30' },
    basis: latest ? 'trajectory' : null,
    gap: null,
    ...extra,
  };
}
