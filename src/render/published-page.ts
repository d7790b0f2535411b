// The public view of the plan as a page, for parents, carers and the forum that represents them:
// how each plan is doing, what is overdue, and where dates have moved from the plan as published.
// It is built only from a PublishedView, which has no names and no notes in it, and it says so.
import type { PublishedAction, PublishedView } from '../domain/published-plan.js';
import { PUBLISHED_KPI_NOTE, type PublishedKpi } from '../domain/published-plan.js';
import { formatDate, formatInstant, plural, pluralWord } from './format.js';
import { kpiCard, sampleNote } from './kpi-card.js';
import { dataTable, escapeHtml, htmlPage, ragTable, statusBadge, tiles } from './page-shell.js';

export function renderPublishedPage(view: PublishedView): string {
  const t = view.totals;
  const one = view.planCode !== null ? view.plans[0] : undefined;
  const title = one ? `${one.code}: ${one.title}` : 'SEND improvement plan: progress';
  const masthead = [
    `<p class="eyebrow">${escapeHtml(view.partnership)}</p>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<dl><div><dt>Figures as of</dt><dd>${escapeHtml(formatInstant(view.generatedAt))}</dd></div>`,
    `<div><dt>Covers</dt><dd>${escapeHtml(`${plural(view.plans.length, 'plan')}, ${plural(t.actions, 'action')}`)}</dd></div></dl>`,
  ].join('');

  const main: string[] = [
    '<section aria-labelledby="about-h"><h2 id="about-h">About this page</h2>' +
      '<p>The local area partnership\u2019s progress on its SEND improvement plan, as reported to its boards. ' +
      'It shows each action\u2019s status and dates. It does not show anyone\u2019s name or the notes that owners write: ' +
      'those stay with the boards.</p></section>',
    tiles([
      { value: t.actions, label: pluralWord(t.actions, 'action') },
      { value: t.rag.complete, label: 'complete', tone: 'good' },
      { value: t.overdue, label: 'overdue', tone: 'alert', href: '#plans' },
      { value: t.datesMoved, label: `${pluralWord(t.datesMoved, 'due date')} moved from the plan`, href: '#plans' },
      ...(view.kpis.length
        ? [{ value: view.kpis.filter((k) => k.assessment.position === 'off_track').length, label: `of ${plural(view.kpis.length, 'measure')} off track`, tone: 'alert' as const, href: '#kpis' }]
        : []),
    ]),
    `<section id="rag" aria-labelledby="rag-h"><h2 id="rag-h">Progress by plan</h2>${ragTable(
      "Status of each plan's actions",
      view.plans.map((p) => ({ code: p.code, title: p.title, rag: p.rag })),
    )}</section>`,
  ];

  if (view.kpis.length) {
    main.push(
      `<section id="kpis" aria-labelledby="kpis-h"><h2 id="kpis-h">Measures</h2><p>${escapeHtml(PUBLISHED_KPI_NOTE)}</p>${sampleNote(view.kpis)}` +
        `<div class="kpis">${view.kpis.map((k: PublishedKpi) => kpiCard(k, view.today, { people: false })).join('')}</div></section>`,
    );
  }

  main.push('<div id="plans">');
  for (const plan of view.plans) {
    const id = `plan-${plan.code}`.replace(/[^A-Za-z0-9_-]+/g, '-');
    main.push(
      `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${escapeHtml(`${plan.code}: ${plan.title}`)}</h2>` +
        `<p>${escapeHtml(`${plural(plan.rag.total, 'action')}: ${plan.rag.complete} complete, ${plan.overdue} overdue, ${plural(plan.datesMoved, 'due date')} moved from the plan.`)}</p>` +
        dataTable<PublishedAction>(
          `${plan.code}: actions`,
          [
            { header: 'Ref', cell: (a) => escapeHtml(a.ref), className: 'ref' },
            { header: 'Action', cell: (a) => escapeHtml(a.text) },
            { header: 'Lead', cell: (a) => escapeHtml(a.leadRole ?? '') },
            { header: 'Status', cell: (a) => statusBadge(a.status, a.percent) },
            { header: 'Due', cell: (a) => escapeHtml(dueText(a)), className: 'when' },
          ],
          plan.actions,
        ) +
        '</section>',
    );
  }
  main.push('</div>');

  const footer = `<p>Published by ${escapeHtml(view.partnership)} with sendbot. Dates are UK dates; "overdue" counts working days.</p>`;
  return htmlPage({ title: `${title}: ${view.partnership}`, masthead, main: main.join('\n'), footer });
}

/** "31 Mar 2025", with the original date when it moved, and how overdue. */
function dueText(a: PublishedAction): string {
  const parts = [formatDate(a.due)];
  if (a.baselineDue && a.due && a.baselineDue !== a.due) parts.push(`(plan said ${formatDate(a.baselineDue)})`);
  if (a.daysOverdue !== null) parts.push(`\u2014 overdue by ${plural(a.daysOverdue, 'working day')}`);
  return parts.join(' ');
}
