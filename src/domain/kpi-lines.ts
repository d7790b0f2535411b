// A KPI and its assessment → the neutral KpiLine and sentences that chat replies, digests and nudges
// share, so every place says the same thing about a KPI in the same words.
import type { KpiAssessment, KpiSeries, KpiTrajectoryPoint } from './kpi-types.js';
import { exampleValue, formatKpiValue } from './kpi-values.js';
import { formatDate } from '../messages/format.js';
import { POSITION_WORD, sparkline } from '../messages/kpi-text.js';
import type { KpiLine } from '../messages/reply.js';

/** "65% by March 25", "85% in 2025/26". */
export function targetText(series: Pick<KpiSeries, 'unit'>, t: KpiTrajectoryPoint): string {
  // A target that is not a number (from an old import) is shown as the plan wrote it.
  const target = Number.isFinite(t.target) ? formatKpiValue(t.target, series.unit) : t.targetText;
  return `${target} ${t.start ? 'in' : 'by'} ${t.byText}`;
}

/** "at least 63.5%" (higher is better) or "at most 16.8" (lower is better). */
export function expectedText(series: Pick<KpiSeries, 'unit' | 'direction'>, expected: number): string {
  return `${series.direction === 'higher' ? 'at least' : 'at most'} ${formatKpiValue(expected, series.unit)}`;
}

/** What a line needs of a KPI: a KpiSeries, or the digest's DigestKpi. */
export type KpiLineSource = Pick<KpiSeries, 'code' | 'name' | 'unit' | 'direction'> & {
  readings: { value: number; periodLabel: string; periodEnd: string; isSample?: boolean }[];
};

/** What a line needs of the verdict: a KpiAssessment, or the digest's DigestKpi. */
export type KpiLineVerdict = Pick<KpiAssessment, 'position' | 'expected' | 'nextTarget' | 'duePeriod' | 'basis'> & {
  latest: { value: number; periodLabel: string; isSample?: boolean } | null;
};

/** Why the verdict is what it is, when that is not obvious: no target, a missing figure, samples. */
export function assessmentNotes(series: KpiLineSource, a: KpiLineVerdict): string[] {
  const notes: string[] = [];
  if (a.position === 'no_reading') notes.push(`figure for ${a.duePeriod.label} not recorded`);
  if (a.basis === 'baseline') notes.push('no trajectory set: judged against the baseline');
  if (a.basis === 'first_reading') {
    const first = series.readings[0];
    notes.push(`no trajectory or baseline figure: judged against the first reading${first ? ` (${formatKpiValue(first.value, series.unit)}, ${first.periodLabel})` : ''}`);
  }
  if (a.latest?.isSample) notes.push('sample figures, not published statistics');
  return notes;
}

export function toKpiLine(series: KpiLineSource, a: KpiLineVerdict, owner?: { role: string | null; holders: string[] }): KpiLine {
  const latest = a.latest ? `${formatKpiValue(a.latest.value, series.unit)} for ${a.latest.periodLabel}` : null;
  const notes = assessmentNotes(series, a);
  return {
    code: series.code,
    name: series.name,
    position: a.position,
    latest,
    expected: a.position !== 'no_reading' && a.expected !== null ? expectedText(series, a.expected) : null,
    sparkline: sparkline(series.readings.map((r) => r.value)),
    points: series.readings.map((r) => ({ periodEnd: r.periodEnd, value: r.value })),
    nextTarget: a.nextTarget ? targetText(series, a.nextTarget) : null,
    ...(owner ? { owner: owner.role, ownerHolders: owner.holders } : {}),
    detail: notes.length ? notes.join('; ') : null,
    ...(a.position === 'no_reading' ? { recordExample: `/send kpi ${series.code} ${exampleValue(series.unit)} for ${a.duePeriod.label}` } : {}),
  };
}

/** One sentence for a reply's summary: "on track: 64.1% for Q2 2024/25 (expected at least 63.5%)". */
export function positionSentence(series: KpiSeries, a: KpiAssessment): string {
  if (!a.latest) return `no reading yet (the figure for ${a.duePeriod.label} is due)`;
  const value = `${formatKpiValue(a.latest.value, series.unit)} for ${a.latest.periodLabel}`;
  if (a.position === 'no_reading') return `no reading for ${a.duePeriod.label} (latest: ${value})`;
  return `${POSITION_WORD[a.position]}: ${value} (expected ${expectedText(series, a.expected as number)})`;
}

/** "65% by March 25 (31 Mar 2025); 85% in 2025/26 (1 Apr 2025 – 31 Mar 2026)". */
export function trajectoryText(series: KpiSeries): string {
  if (series.trajectory.length === 0) return 'none set';
  return series.trajectory
    .map((t) => `${targetText(series, t)} (${t.due === null ? 'date not read' : t.start ? `${formatDate(t.start)} – ${formatDate(t.due)}` : formatDate(t.due)})`)
    .join('; ');
}
