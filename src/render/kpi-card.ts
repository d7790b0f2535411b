// One KPI on a web page: its name, the verdict in words, the latest value against what the
// trajectory expected, the chart, and the figures behind the chart as tables (readings and targets)
// for screen readers and anyone who wants the numbers. The public view passes `people: false` and
// gets no "recorded by" and no notes.
import type { KpiAssessment, KpiSeries } from '../domain/kpi-types.js';
import { formatDate, formatShortInstant } from './format.js';
import { formatKpiValue } from '../domain/kpi-values.js';
import { KPI_POSITION_LABEL, renderKpiChart } from './kpi-chart.js';
import { type Column, dataTable, escapeHtml } from './page-shell.js';

export interface KpiCardData {
  series: KpiSeries;
  assessment: KpiAssessment;
}

const VERDICT_MARK: Record<KpiAssessment['position'], string> = { on_track: '\u2714', off_track: '\u2716', no_reading: '\u2013' };

/** What the latest value was judged against, in words (see assessKpi's `basis`). */
const EXPECTED_FROM: Record<NonNullable<KpiAssessment['basis']>, string> = {
  trajectory: 'trajectory',
  baseline: 'no trajectory set; baseline',
  first_reading: 'no trajectory set; first reading',
};

export function kpiVerdict(position: KpiAssessment['position']): string {
  return `<span class="verdict verdict-${position}"><span aria-hidden="true">${VERDICT_MARK[position]} </span>${escapeHtml(KPI_POSITION_LABEL[position])}</span>`;
}

/** A warning line when any reading shown is one of the demo's illustrative figures; else ''. */
export function sampleNote(cards: KpiCardData[]): string {
  const any = cards.some((c) => c.series.readings.some((r) => r.isSample));
  return any ? '<p class="small"><strong>Sample figures:</strong> readings marked as samples are illustrative, not published statistics.</p>' : '';
}

export function kpiCard(card: KpiCardData, today: string, opts: { people: boolean; headingLevel?: 3 | 4 }): string {
  const { series, assessment } = card;
  const h = `h${opts.headingLevel ?? 3}`;
  const facts: string[] = [];
  if (assessment.latest) {
    const latest = assessment.latest;
    facts.push(`Latest ${formatKpiValue(latest.value, series.unit)} (${latest.periodLabel}${latest.isSample ? ', a sample figure' : ''})`);
    if (assessment.expected !== null) facts.push(`${EXPECTED_FROM[assessment.basis ?? 'trajectory']} ${formatKpiValue(assessment.expected, series.unit)}`);
    if (assessment.position === 'no_reading') facts.push(`the ${assessment.duePeriod.label} figure is missing`);
  } else {
    facts.push(`No reading recorded yet (${assessment.duePeriod.label} is due)`);
  }
  if (assessment.nextTarget) {
    const t = assessment.nextTarget;
    facts.push(`next target ${formatKpiValue(t.target, series.unit)} by ${t.due ? formatDate(t.due) : t.byText}`);
  }
  const id = `kpi-${series.code}`.replace(/[^A-Za-z0-9_-]+/g, '-');
  const readingColumns: Column<KpiSeries['readings'][number]>[] = [
    { header: 'Period', cell: (r) => escapeHtml(r.periodLabel) },
    { header: 'Period ends', cell: (r) => escapeHtml(formatDate(r.periodEnd)), className: 'when' },
    { header: 'Value', cell: (r) => escapeHtml(`${formatKpiValue(r.value, series.unit)}${r.isSample ? ' (sample)' : ''}`), className: 'num' },
  ];
  if (opts.people) {
    readingColumns.push(
      { header: 'Recorded', cell: (r) => escapeHtml(`${formatShortInstant(r.recordedAt)}${r.recordedBy ? ` by ${r.recordedBy}` : ''}`), className: 'when' },
      { header: 'Note', cell: (r) => escapeHtml(r.note ?? '') },
    );
  }
  const readings = series.readings.length
    ? dataTable(`${series.name}: readings`, readingColumns, series.readings)
    : `<p>No readings yet.</p>`;
  const targets = series.trajectory.length
    ? dataTable(
        `${series.name}: trajectory`,
        [
          { header: 'Target', cell: (t) => escapeHtml(formatKpiValue(t.target, series.unit)), className: 'num' },
          { header: 'By (as the plan says)', cell: (t) => escapeHtml(t.byText) },
          { header: 'Date', cell: (t) => escapeHtml(t.due ? formatDate(t.due) : 'date not readable'), className: 'when' },
        ],
        series.trajectory,
      )
    : '<p>No trajectory set.</p>';
  const baseline =
    series.baseline.value !== null || series.baseline.text
      ? `<p class="small">Baseline: ${escapeHtml(
          [series.baseline.value !== null ? formatKpiValue(series.baseline.value, series.unit) : null, series.baseline.text, series.baseline.asOf ? `(${formatDate(series.baseline.asOf)})` : null]
            .filter(Boolean)
            .join(' '),
        )}</p>`
      : '';
  return [
    `<article class="kpi" id="${id}" data-position="${assessment.position}">`,
    `<${h}>${escapeHtml(series.name)} <span class="muted small ref">${escapeHtml(series.code)}</span></${h}>`,
    `<p class="facts">${kpiVerdict(assessment.position)} ${escapeHtml(facts.join('; '))}.</p>`,
    renderKpiChart(series, assessment, today, { id: `${id}-chart` }),
    `<details><summary>Figures for this chart</summary>${readings}${targets}${baseline}</details>`,
    '</article>',
  ].join('');
}
