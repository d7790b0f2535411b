// One KPI as an inline SVG line chart: the readings (solid line, dots) against the trajectory the
// plan set (dashed line through each target), with "today" marked. A pure function of the series,
// its assessment and today, so the dashboard, the public view and the HTML digest draw the same
// picture. Self-contained: no scripts, no fonts or images fetched, every string escaped. The chart
// never relies on colour alone: lines differ by dash pattern, points by shape, and the verdict is
// written out in the title and the description that screen readers announce.
import { DateTime } from 'luxon';
import type { KpiAssessment, KpiPosition, KpiReading, KpiSeries, KpiUnit } from '../domain/kpi-types.js';
import { formatKpiValue } from '../domain/kpi-values.js';
import { formatDate } from './format.js';
import { escapeHtml } from './html.js';

export interface KpiChartOptions {
  /** Unique within the page: ids for the title and description are derived from it. */
  id?: string;
  /** 'full' for the dashboard (axes, legend, labels); 'small' for a digest line (no legend). */
  size?: 'full' | 'small';
}

/** On track / off track / no reading, as words (the chart and the page never use colour alone). */
export const KPI_POSITION_LABEL: Record<KpiPosition, string> = {
  on_track: 'On track',
  off_track: 'Off track',
  no_reading: 'No reading',
};

interface Size {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
  font: number;
}

const SIZES: Record<'full' | 'small', Size> = {
  full: { width: 640, height: 280, top: 40, right: 24, bottom: 40, left: 56, font: 13 },
  small: { width: 320, height: 120, top: 12, right: 12, bottom: 24, left: 40, font: 11 },
};

const COLOUR = {
  text: '#1b1b1b',
  muted: '#505a5f',
  grid: '#d8dde0',
  axis: '#6f777b',
  reading: '#1d4e89',
  trajectory: '#505a5f',
  today: '#6f777b',
} as const;

const DAY_MS = 86_400_000;

/** Days since the epoch for an ISO calendar date (calendar arithmetic only, no clock). */
function dayNumber(isoDate: string): number {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS;
}

function isoOfDay(day: number): string {
  return DateTime.fromMillis(day * DAY_MS, { zone: 'utc' }).toISODate() as string;
}

/** A trajectory point drawn on the chart: dated targets only (an unreadable date cannot be placed). */
interface PlacedTarget {
  value: number;
  due: number;
  start: number | null;
  label: string;
}

interface ChartData {
  readings: { day: number; value: number; reading: KpiReading }[];
  targets: PlacedTarget[];
  baseline: { day: number; value: number } | null;
  today: number;
}

function chartData(series: KpiSeries, today: string): ChartData {
  const readings = series.readings
    .filter((r) => Number.isFinite(r.value))
    .map((r) => ({ day: dayNumber(r.periodEnd), value: r.value, reading: r }))
    .sort((a, b) => a.day - b.day);
  const targets = series.trajectory
    .filter((t) => t.due !== null && Number.isFinite(t.target))
    .map((t) => ({
      value: t.target,
      due: dayNumber(t.due as string),
      start: t.start ? dayNumber(t.start) : null,
      label: `${formatKpiValue(t.target, series.unit)} by ${t.byText || formatDate(t.due)}`,
    }))
    .sort((a, b) => a.due - b.due);
  const b = series.baseline;
  const baseline = b.value !== null && b.asOf ? { day: dayNumber(b.asOf), value: b.value } : null;
  return { readings, targets, baseline, today: dayNumber(today) };
}

/** Round axis steps: 1, 2, 2.5, 5 × 10^n, giving about `count` ticks over [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power) as number;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

function valueDomain(values: number[], unit: KpiUnit): [number, number] {
  if (values.length === 0) return unit === 'percent' ? [0, 100] : [0, 10];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = Math.max((hi - lo) * 0.15, Math.abs(hi) * 0.05, 1);
  lo -= pad;
  hi += pad;
  // Counts, waits and percentages are never negative; percentages stop at 100.
  if (Math.min(...values) >= 0) lo = Math.max(0, lo);
  if (unit === 'percent') hi = Math.min(100, hi);
  const ticks = niceTicks(lo, hi);
  const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : 1;
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** First-of-month ticks every 1, 2, 3, 6 or 12 months: at most `max` of them. */
function monthTicks(from: number, to: number, max: number): { day: number; label: string }[] {
  const start = isoOfDay(from);
  let y = Number(start.slice(0, 4));
  let m = Number(start.slice(5, 7)) - 1;
  const months: { day: number; y: number; m: number }[] = [];
  for (;;) {
    const day = Date.UTC(y, m, 1) / DAY_MS;
    if (day > to) break;
    if (day >= from) months.push({ day, y, m });
    m += 1;
    if (m === 12) {
      m = 0;
      y += 1;
    }
  }
  const every = [1, 2, 3, 6, 12].find((n) => Math.ceil(months.length / n) <= max) ?? 12;
  // Quarters and half-years start in April: the financial year the plans are written in.
  const aligned = every === 1 ? months : months.filter((t) => (every === 12 ? t.m === 3 : (t.m - 3 + 12) % every === 0));
  return aligned.map((t) => ({ day: t.day, label: `${MONTHS[t.m]} ${String(t.y).slice(2)}` }));
}

function fixed(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** The sentence a screen reader announces for the chart (also its visible caption in small charts). */
export function describeKpiChart(series: KpiSeries, assessment: KpiAssessment, today: string): string {
  const parts: string[] = [];
  const latest = assessment.latest;
  if (latest) {
    parts.push(`Latest reading ${formatKpiValue(latest.value, series.unit)} for ${latest.periodLabel} (to ${formatDate(latest.periodEnd)}).`);
    if (assessment.expected !== null) {
      const against = assessment.basis === 'baseline' ? 'No trajectory is set; the baseline is' : assessment.basis === 'first_reading' ? 'No trajectory is set; the first reading was' : 'The trajectory expected';
      parts.push(`${against} ${formatKpiValue(assessment.expected, series.unit)}${assessment.basis === 'trajectory' || assessment.basis === null ? ' by then' : ''}.`);
    }
  } else {
    parts.push('No reading has been recorded yet.');
  }
  parts.push(`${KPI_POSITION_LABEL[assessment.position]}.`);
  if (assessment.nextTarget) {
    const t = assessment.nextTarget;
    parts.push(`Next target ${formatKpiValue(t.target, series.unit)} by ${t.due ? formatDate(t.due) : t.byText}.`);
  }
  const b = series.baseline;
  if (b.value !== null) parts.push(`Baseline ${formatKpiValue(b.value, series.unit)}${b.text ? ` (${b.text})` : ''}.`);
  else if (b.text) parts.push(`Baseline: ${b.text}.`);
  parts.push(`${series.direction === 'higher' ? 'Higher' : 'Lower'} is better. ${series.readings.length} reading${series.readings.length === 1 ? '' : 's'}; chart drawn on ${formatDate(today)}.`);
  return parts.join(' ');
}

/** An SVG id from free text: letters, digits and dashes only. */
function svgId(raw: string): string {
  return raw.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'kpi';
}

/**
 * The chart as an `<svg>` element (no XML prolog: it is inlined in HTML). `today` is the London
 * calendar date the page is drawn for.
 */
export function renderKpiChart(series: KpiSeries, assessment: KpiAssessment, today: string, options: KpiChartOptions = {}): string {
  const size = SIZES[options.size ?? 'full'];
  const full = (options.size ?? 'full') === 'full';
  const id = svgId(options.id ?? `kpi-${series.code}`);
  const data = chartData(series, today);
  if (data.readings.length === 0 && data.targets.length === 0 && !data.baseline) return emptyChart(series, assessment, today, size, id);

  // Horizontal extent: everything drawn, plus today; at least two months wide.
  const days = [
    data.today,
    ...data.readings.map((r) => r.day),
    ...data.targets.flatMap((t) => (t.start !== null ? [t.start, t.due] : [t.due])),
    ...(data.baseline ? [data.baseline.day] : []),
  ];
  let x0 = Math.min(...days);
  let x1 = Math.max(...days);
  if (x1 - x0 < 60) {
    x0 -= 30;
    x1 += 30;
  }
  const margin = (x1 - x0) * 0.03;
  x0 -= margin;
  x1 += margin;
  const values = [...data.readings.map((r) => r.value), ...data.targets.map((t) => t.value), ...(data.baseline ? [data.baseline.value] : [])];
  const [y0, y1] = valueDomain(values, series.unit);

  const plotW = size.width - size.left - size.right;
  const plotH = size.height - size.top - size.bottom;
  const x = (day: number) => size.left + ((day - x0) / (x1 - x0)) * plotW;
  const y = (value: number) => size.top + (1 - (value - y0) / (y1 - y0 || 1)) * plotH;
  const pt = (day: number, value: number) => `${fixed(x(day))},${fixed(y(value))}`;

  const title = `${series.name}: ${KPI_POSITION_LABEL[assessment.position].toLowerCase()}${assessment.latest ? `, latest ${formatKpiValue(assessment.latest.value, series.unit)}` : ''}`;
  const desc = describeKpiChart(series, assessment, today);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart kpi-chart-${full ? 'full' : 'small'}" viewBox="0 0 ${size.width} ${size.height}" width="${size.width}" height="${size.height}" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc" font-family="system-ui, -apple-system, 'Segoe UI', Arial, sans-serif" font-size="${size.font}" data-kpi="${escapeHtml(series.code)}" data-position="${assessment.position}">`,
  );
  out.push(`<title id="${id}-title">${escapeHtml(title)}</title>`);
  out.push(`<desc id="${id}-desc">${escapeHtml(desc)}</desc>`);

  // Grid and value axis.
  const yTicks = niceTicks(y0, y1, full ? 5 : 3);
  out.push('<g class="grid" aria-hidden="true">');
  for (const v of yTicks) {
    out.push(`<line x1="${size.left}" x2="${size.left + plotW}" y1="${fixed(y(v))}" y2="${fixed(y(v))}" stroke="${COLOUR.grid}" stroke-width="1"/>`);
    out.push(
      `<text x="${size.left - 6}" y="${fixed(y(v) + size.font * 0.35)}" text-anchor="end" fill="${COLOUR.muted}">${escapeHtml(formatKpiValue(v, series.unit === 'percent' ? 'percent' : 'number'))}</text>`,
    );
  }
  out.push(`<line x1="${size.left}" x2="${size.left + plotW}" y1="${size.top + plotH}" y2="${size.top + plotH}" stroke="${COLOUR.axis}" stroke-width="1"/>`);
  for (const t of monthTicks(Math.ceil(x0), Math.floor(x1), full ? 8 : 4)) {
    const tx = fixed(x(t.day));
    out.push(`<line x1="${tx}" x2="${tx}" y1="${size.top + plotH}" y2="${size.top + plotH + 4}" stroke="${COLOUR.axis}"/>`);
    out.push(`<text x="${tx}" y="${size.top + plotH + size.font + 6}" text-anchor="middle" fill="${COLOUR.muted}">${escapeHtml(t.label)}</text>`);
  }
  out.push('</g>');

  // Today.
  const tx = fixed(x(data.today));
  out.push(
    `<g class="today" aria-hidden="true"><line x1="${tx}" x2="${tx}" y1="${size.top}" y2="${size.top + plotH}" stroke="${COLOUR.today}" stroke-width="1" stroke-dasharray="1 3"/>` +
      (full ? `<text x="${tx}" y="${size.top - 4}" text-anchor="middle" fill="${COLOUR.muted}">today</text>` : '') +
      '</g>',
  );

  // Trajectory: from the baseline (when it has a value and a date) through each dated target.
  const path = [...(data.baseline ? [{ day: data.baseline.day, value: data.baseline.value }] : []), ...data.targets.map((t) => ({ day: t.due, value: t.value }))];
  out.push('<g class="trajectory">');
  if (path.length > 1) {
    out.push(
      `<polyline class="trajectory-line" points="${path.map((p) => pt(p.day, p.value)).join(' ')}" fill="none" stroke="${COLOUR.trajectory}" stroke-width="2" stroke-dasharray="6 4"/>`,
    );
  }
  for (const t of data.targets) {
    const cx = x(t.due);
    const cy = y(t.value);
    const r = full ? 6 : 4;
    out.push(
      `<path class="target" d="M${fixed(cx)} ${fixed(cy - r)} L${fixed(cx + r)} ${fixed(cy)} L${fixed(cx)} ${fixed(cy + r)} L${fixed(cx - r)} ${fixed(cy)} Z" fill="#ffffff" stroke="${COLOUR.trajectory}" stroke-width="2"><title>${escapeHtml(`Target ${t.label}`)}</title></path>`,
    );
    if (full) {
      const anchor = cx > size.left + plotW - 60 ? 'end' : 'middle';
      out.push(`<text x="${fixed(cx)}" y="${fixed(cy - r - 5)}" text-anchor="${anchor}" fill="${COLOUR.muted}">${escapeHtml(formatKpiValue(t.value, series.unit))}</text>`);
    }
  }
  if (data.baseline) {
    out.push(
      `<rect class="baseline" x="${fixed(x(data.baseline.day) - 4)}" y="${fixed(y(data.baseline.value) - 4)}" width="8" height="8" fill="#ffffff" stroke="${COLOUR.trajectory}" stroke-width="2"><title>${escapeHtml(`Baseline ${formatKpiValue(data.baseline.value, series.unit)}`)}</title></rect>`,
    );
  }
  out.push('</g>');

  // Readings.
  out.push('<g class="readings">');
  if (data.readings.length > 1) {
    out.push(
      `<polyline class="reading-line" points="${data.readings.map((r) => pt(r.day, r.value)).join(' ')}" fill="none" stroke="${COLOUR.reading}" stroke-width="${full ? 3 : 2}" stroke-linejoin="round"/>`,
    );
  }
  data.readings.forEach((r, i) => {
    const last = i === data.readings.length - 1;
    out.push(
      `<circle class="reading${last ? ' latest' : ''}" cx="${fixed(x(r.day))}" cy="${fixed(y(r.value))}" r="${last ? (full ? 6 : 4) : full ? 4 : 3}" fill="${COLOUR.reading}" stroke="#ffffff" stroke-width="1.5"><title>${escapeHtml(`${r.reading.periodLabel}: ${formatKpiValue(r.value, series.unit)}${r.reading.isSample ? ' (sample figure)' : ''}`)}</title></circle>`,
    );
  });
  const latest = data.readings[data.readings.length - 1];
  if (latest) {
    const lx = x(latest.day);
    const anchor = lx > size.left + plotW - 50 ? 'end' : 'start';
    const dx = anchor === 'end' ? -9 : 9;
    out.push(
      `<text class="latest-label" x="${fixed(lx + dx)}" y="${fixed(y(latest.value) + (full ? 18 : 14))}" text-anchor="${anchor}" font-weight="700" fill="${COLOUR.reading}">${escapeHtml(formatKpiValue(latest.value, series.unit))}</text>`,
    );
  } else {
    out.push(
      `<text class="no-reading" x="${fixed(size.left + plotW / 2)}" y="${fixed(size.top + size.font + 8)}" text-anchor="middle" fill="${COLOUR.text}" font-weight="700">No reading yet</text>`,
    );
  }
  out.push('</g>');

  if (full) out.push(legend(size));
  out.push('</svg>');
  return out.join('');
}

/** Nothing to draw (no readings, no dated targets, no baseline value): a short strip that says so. */
function emptyChart(series: KpiSeries, assessment: KpiAssessment, today: string, size: Size, id: string): string {
  const height = Math.round(size.font * 4);
  const desc = describeKpiChart(series, assessment, today);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart kpi-chart-empty" viewBox="0 0 ${size.width} ${height}" width="${size.width}" height="${height}" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc" font-family="system-ui, -apple-system, 'Segoe UI', Arial, sans-serif" font-size="${size.font}" data-kpi="${escapeHtml(series.code)}" data-position="${assessment.position}">` +
    `<title id="${id}-title">${escapeHtml(`${series.name}: nothing to chart yet`)}</title><desc id="${id}-desc">${escapeHtml(desc)}</desc>` +
    `<rect x="1" y="1" width="${size.width - 2}" height="${height - 2}" fill="#f3f2f1" stroke="#b1b4b6" stroke-dasharray="4 3"/>` +
    `<text class="no-reading" x="${size.width / 2}" y="${height / 2 + size.font * 0.35}" text-anchor="middle" fill="${COLOUR.text}">No readings and no dated targets yet: nothing to chart.</text></svg>`
  );
}

/** The key: line styles and point shapes, in words. */
function legend(size: Size): string {
  const y = 16;
  let x = size.left;
  const parts: string[] = ['<g class="legend" aria-hidden="true">'];
  parts.push(`<line x1="${x}" x2="${x + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${COLOUR.reading}" stroke-width="3"/>`);
  parts.push(`<circle cx="${x + 12}" cy="${y - 4}" r="4" fill="${COLOUR.reading}"/>`);
  parts.push(`<text x="${x + 30}" y="${y}" fill="${COLOUR.text}">readings</text>`);
  x += 110;
  parts.push(`<line x1="${x}" x2="${x + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${COLOUR.trajectory}" stroke-width="2" stroke-dasharray="6 4"/>`);
  parts.push(`<path d="M${x + 12} ${y - 10} L${x + 18} ${y - 4} L${x + 12} ${y + 2} L${x + 6} ${y - 4} Z" fill="#ffffff" stroke="${COLOUR.trajectory}" stroke-width="2"/>`);
  parts.push(`<text x="${x + 30}" y="${y}" fill="${COLOUR.text}">trajectory and targets</text>`);
  x += 200;
  parts.push(`<line x1="${x + 8}" x2="${x + 8}" y1="${y - 12}" y2="${y + 2}" stroke="${COLOUR.today}" stroke-dasharray="1 3"/>`);
  parts.push(`<text x="${x + 16}" y="${y}" fill="${COLOUR.text}">today</text>`);
  parts.push('</g>');
  return parts.join('');
}
