// Is a KPI on its trajectory? One verdict, shown alike by the digest, chat and the dashboard.
//
// What "on trajectory" means, precisely:
//
// 1. The reading judged is the LATEST one (the one for the latest period; a correction replaces the
//    earlier reading for the same period).
// 2. No reading at all, or a latest reading for a period BEFORE the one now due, is 'no_reading':
//    the figure the board should have is missing. The period due is the latest one whose figure was
//    expected by today: a period's figure is due by the end of the month after it ends (see
//    kpi-periods.ts), so on 27 November a quarterly KPI needs its Q2 (July–September) reading and a
//    monthly one its September reading (October's is not due until 30 November).
// 3. Otherwise the latest value is compared with the value EXPECTED at the end of its period:
//      - each trajectory target applies on its due date. A target for a period ("85% in 2025/26")
//        is due at the END of the period; "65% by March 25" at the end of March 2025. Targets whose
//        date could not be read are left out (the import flags them).
//      - between two targets the expectation moves in a straight line (by days); after the last
//        target it stays at that target.
//      - before the first target it moves in a straight line from the STARTING POINT: the baseline
//        (its value on its as-of date; an undated baseline sits at the first reading), or with no
//        numeric baseline the first reading. Before the starting point, it is the starting value.
//      - with no trajectory it is flat at the starting point: "no worse than the baseline" (or than
//        the first reading), and `basis` says so.
// 4. The expected value is rounded to one decimal place (a whole number for counts), the precision
//    sendbot shows, and the reading is on track when it is at least that (direction 'higher') or at
//    most that (direction 'lower'). No other tolerance: a reading of 64.9% against an expected 65%
//    is off track, and the chair sees both figures.
//
// Pure: a function of the series and "today" (an ISO date in Europe/London).
import { duePeriod } from './kpi-periods.js';
import type { KpiAssessment, KpiReading, KpiSeries, KpiTrajectoryPoint } from './kpi-types.js';

interface Anchor {
  date: string;
  value: number;
}

export function assessKpi(series: KpiSeries, today: string): KpiAssessment {
  const due = duePeriod(series.frequency ?? 'monthly', today);
  const duePeriodOut = { label: due.label, start: due.start ?? due.end, end: due.end };
  const targets = usableTargets(series.trajectory);
  const nextTarget = targets.find((t) => (t.due as string) >= today) ?? null;
  const latest = latestReading(series.readings);
  if (!latest) return { position: 'no_reading', latest: null, expected: null, nextTarget, duePeriod: duePeriodOut, basis: null, gap: null };

  const first = series.readings.reduce((a, b) => (b.periodEnd < a.periodEnd ? b : a), latest);
  const start: Anchor =
    series.baseline.value !== null
      ? { date: series.baseline.asOf ?? first.periodEnd, value: series.baseline.value }
      : { date: first.periodEnd, value: first.value };
  const basis: KpiAssessment['basis'] = targets.length > 0 ? 'trajectory' : series.baseline.value !== null ? 'baseline' : 'first_reading';
  const line = targets.map((t) => ({ date: t.due as string, value: t.target }));
  const expected = roundExpected(expectedAt(start, line, latest.periodEnd), series.unit === 'count');
  const gap = round(latest.value - expected, 6);

  let position: KpiAssessment['position'];
  if (latest.periodEnd < due.end) position = 'no_reading';
  else position = (series.direction === 'higher' ? latest.value >= expected : latest.value <= expected) ? 'on_track' : 'off_track';
  return { position, latest, expected, nextTarget, duePeriod: duePeriodOut, basis, gap };
}

/** Targets with a readable date and a number, in due-date order (stable for equal dates). */
function usableTargets(trajectory: KpiTrajectoryPoint[]): KpiTrajectoryPoint[] {
  return trajectory
    .filter((t) => t.due !== null && Number.isFinite(t.target))
    .map((t, i) => ({ t, i }))
    .sort((a, b) => (a.t.due as string).localeCompare(b.t.due as string) || a.i - b.i)
    .map(({ t }) => t);
}

/** The reading for the latest period; for one period read twice, the later recorded. */
export function latestReading(readings: KpiReading[]): KpiReading | null {
  let latest: KpiReading | null = null;
  for (const r of readings) {
    if (!latest || r.periodEnd > latest.periodEnd || (r.periodEnd === latest.periodEnd && r.recordedAt >= latest.recordedAt)) latest = r;
  }
  return latest;
}

/**
 * The value expected on `date`: along the targets (straight lines between them, held after the
 * last); before the first target, along the line from the starting point to it (the starting point
 * only counts when it is earlier than the first target); with no targets, the starting point.
 */
export function expectedAt(start: Anchor, targets: Anchor[], date: string): number {
  const first = targets[0];
  if (!first) return start.value;
  if (date < first.date) {
    if (start.date >= first.date || date <= start.date) return start.value;
    return between(start, first, date);
  }
  for (let i = 1; i < targets.length; i += 1) {
    const b = targets[i] as Anchor;
    if (date <= b.date) return between(targets[i - 1] as Anchor, b, date);
  }
  return (targets[targets.length - 1] as Anchor).value;
}

function between(a: Anchor, b: Anchor, date: string): number {
  const span = days(a.date, b.date);
  return span === 0 ? b.value : a.value + ((b.value - a.value) * days(a.date, date)) / span;
}

function days(from: string, to: string): number {
  return (Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10)) - Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))) / 86_400_000;
}

function roundExpected(value: number, whole: boolean): number {
  return whole ? Math.round(value) : round(value, 1);
}

function round(value: number, places: number): number {
  const f = 10 ** places;
  return Math.round(value * f) / f;
}
