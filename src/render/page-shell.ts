// The frame every web page sendbot serves shares: one self-contained HTML document with inline CSS
// (no scripts, fonts or images fetched), a screen and a print layout, and the small parts the
// dashboard and the public view both use (status badges, figure tiles, scrolling tables, the RAG
// patterns). Status is always a word beside its colour, and the RAG bars also differ by pattern, so
// the pages work in greyscale print and for readers who cannot tell red from green.
import type { ActionStatus } from '../../db/types.js';
import type { RagCounts } from '../domain/digest-model.js';
import { escapeHtml } from './html.js';

export { escapeHtml };

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:16px;line-height:1.45;color:#0b0c0c;background:#f3f2f1}
a{color:#1d70b8}a:focus{outline:3px solid #ffdd00;background:#ffdd00;color:#0b0c0c}
:focus-visible{outline:3px solid #0b0c0c;outline-offset:0;box-shadow:0 0 0 6px #ffdd00}a:focus-visible{outline:3px solid #ffdd00;box-shadow:0 3px 0 #0b0c0c}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;z-index:9;padding:.5rem}
header.masthead{background:#12436d;color:#fff;padding:1.25rem 1rem 1.5rem}
.masthead .inner,main,footer{max-width:76rem;margin:0 auto}
.masthead .eyebrow{margin:0;font-size:.95rem;opacity:.9}
.masthead h1{margin:.2rem 0 .6rem;font-size:1.9rem;line-height:1.2}
.masthead dl{display:flex;flex-wrap:wrap;gap:.3rem 1.6rem;margin:0;font-size:.95rem}
.masthead dt{font-weight:400;opacity:.85}.masthead dd{margin:0;font-weight:600}
.masthead dl div{display:flex;gap:.4rem}
main{padding:1rem}
section{background:#fff;border:1px solid #d8dde0;border-radius:4px;padding:1rem 1.25rem;margin:0 0 1rem}
h2{font-size:1.35rem;margin:0 0 .6rem}h3{font-size:1.1rem;margin:1rem 0 .4rem}
p{margin:.3rem 0 .6rem}.muted{color:#505a5f}.small{font-size:.9rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.75rem;margin:0 0 1rem;padding:0;list-style:none}
.tile{background:#fff;border:1px solid #d8dde0;border-left:6px solid #505a5f;border-radius:4px;padding:.6rem .8rem}
.tile .n{display:block;font-size:2.1rem;font-weight:700;line-height:1.1}
.tile .l{display:block;font-size:.95rem}
.tile.alert{border-left-color:#d4351c}.tile.alert .n::after{content:" !";color:#d4351c}
.tile.good{border-left-color:#00703c}
.tile a{color:inherit;text-decoration:none}.tile a:hover .l,.tile a:focus .l{text-decoration:underline}
.table-wrap{overflow-x:auto;margin:.3rem 0 .8rem;position:relative;background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/2.5rem 100% no-repeat local,linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/2.5rem 100% no-repeat local,linear-gradient(to right,rgba(11,12,12,.25),rgba(11,12,12,0)) left/.9rem 100% no-repeat scroll,linear-gradient(to left,rgba(11,12,12,.25),rgba(11,12,12,0)) right/.9rem 100% no-repeat scroll}
.scroll-cue{display:none;margin:.3rem 0 0;font-size:.9rem;color:#383f43}
table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.2rem 0 .4rem}
th,td{border-bottom:1px solid #d8dde0;padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #0b0c0c;white-space:nowrap}tfoot th,tfoot td{border-top:2px solid #0b0c0c;border-bottom:none;font-weight:700}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.ref,th.ref{white-space:nowrap;font-weight:600}span.ref{white-space:nowrap}
td.when{white-space:nowrap}
.status{display:inline-block;padding:0 .45rem;border-radius:3px;border:1px solid #505a5f;white-space:nowrap;font-size:.9rem;font-weight:600}
.status-green{background:#cce2d8;border-color:#00703c}.status-amber{background:#fff2cc;border-color:#b06d00}
.status-red{background:#f6d7d2;border-color:#d4351c}.status-blue{background:#d2e2f1;border-color:#1d70b8}
.status-not_started{background:#f3f2f1}
.verdict{display:inline-block;padding:.05rem .5rem;border-radius:3px;font-weight:700;font-size:.95rem;border:2px solid}
.verdict-on_track{color:#005a30;border-color:#00703c;background:#cce2d8}
.verdict-off_track{color:#942514;border-color:#d4351c;background:#f6d7d2}
.verdict-no_reading{color:#383f43;border-color:#505a5f;background:#f3f2f1}
.rag-bar{display:block;width:100%;min-width:8rem;height:1.25rem}
.rag-legend{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;margin:.4rem 0 0;padding:0;list-style:none;font-size:.9rem}
.rag-legend li{display:flex;align-items:center;gap:.35rem}.rag-legend svg{width:1.1rem;height:1.1rem;border:1px solid #505a5f}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,30rem),1fr));gap:1rem;align-items:start}
.kpi{border:1px solid #d8dde0;border-radius:4px;padding:.75rem}
.kpi h3{margin:0 0 .2rem}.kpi .facts{margin:.2rem 0 .5rem}
.kpi svg.kpi-chart{width:100%;height:auto}
details{margin:.3rem 0}summary{cursor:pointer;color:#1d70b8}
.why{margin:.2rem 0 0;padding-left:1.2rem}
ul.owners{margin:.2rem 0;padding-left:1.2rem}ul.owners li{margin:.15rem 0}
footer{padding:0 1rem 2rem;font-size:.9rem;color:#383f43}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:40rem){.masthead h1{font-size:1.5rem}section{padding:.75rem}.tile .n{font-size:1.7rem}.table-block.wide .scroll-cue{display:block}}
@media print{
  @page{margin:14mm}
  body{background:#fff;font-size:10.5pt}
  header.masthead{background:#fff;color:#0b0c0c;border-bottom:3px solid #0b0c0c;padding:0 0 .5rem}
  .masthead .inner,main,footer{max-width:none}
  main{padding:.5rem 0}section{border:none;padding:0;margin:0 0 1rem}
  .tile,.kpi,tr,.rag-bar{break-inside:avoid}
  h2,h3{break-after:avoid}
  .table-wrap{overflow:visible}
  a{color:#0b0c0c;text-decoration:none}
  .skip,summary,.scroll-cue{display:none!important}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`
  .trim()
  .replace(/\n/g, '');

export interface PageOptions {
  title: string;
  /** The page's <h1> block and summary, already HTML. */
  masthead: string;
  main: string;
  footer: string;
}

/** A complete page. Everything passed in is HTML built by the callers from escaped text. */
export function htmlPage(page: PageOptions): string {
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to the figures</a>',
    RAG_PATTERNS,
    `<header class="masthead"><div class="inner">${page.masthead}</div></header>`,
    `<main id="main">${page.main}</main>`,
    `<footer>${page.footer}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A short page for refusals and misses (403, 404): a heading and a few plain paragraphs. */
export function messagePage(title: string, paragraphs: string[]): string {
  return htmlPage({
    title,
    masthead: `<p class="eyebrow">sendbot</p><h1>${escapeHtml(title)}</h1>`,
    main: `<section>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</section>`,
    footer: '',
  });
}

const STATUS_WORD: Record<ActionStatus, string> = {
  green: 'Green',
  amber: 'Amber',
  red: 'Red',
  blue: 'Complete',
  not_started: 'Not started',
};

export function statusBadge(status: ActionStatus, percent?: number | null): string {
  const word = `${STATUS_WORD[status]}${percent !== null && percent !== undefined ? ` ${percent}%` : ''}`;
  return `<span class="status status-${status}">${escapeHtml(word)}</span>`;
}

export interface Tile {
  value: number;
  label: string;
  /** 'alert' when a non-zero value needs the chair's attention; 'good' for progress. */
  tone?: 'alert' | 'good';
  /** In-page anchor to the section with the detail. */
  href?: string;
}

export function tiles(items: Tile[]): string {
  const li = items.map((t) => {
    const tone = t.tone === 'alert' && t.value > 0 ? ' alert' : t.tone === 'good' ? ' good' : '';
    const inner = `<span class="n">${t.value.toLocaleString('en-GB')}</span><span class="l">${escapeHtml(t.label)}</span>`;
    return `<li class="tile${tone}">${t.href ? `<a href="${escapeHtml(t.href)}">${inner}</a>` : inner}</li>`;
  });
  return `<ul class="tiles" aria-label="Key figures">${li.join('')}</ul>`;
}

export interface Column<T> {
  header: string;
  cell: (row: T) => string;
  /** Extra class for the column's cells: 'num', 'ref', 'when'. */
  className?: string;
}

/**
 * A table with a caption and column headers (`scope="col"`), in a wrapper that scrolls on phones
 * (WCAG reflow: the page never scrolls sideways, only the table's own box, which is named and can be
 * scrolled from the keyboard). On a narrow screen a table of three or more columns says above it that
 * it scrolls, and shadows at its edges show there is more.
 */
export function dataTable<T>(
  caption: string,
  columns: Column<T>[],
  rows: T[],
  opts: { rowHeader?: boolean; captionHidden?: boolean; footer?: T[] } = {},
): string {
  const cls = (c: Column<T>) => (c.className ? ` class="${c.className}"` : '');
  const head = `<thead><tr>${columns.map((c) => `<th scope="col"${cls(c)}>${escapeHtml(c.header)}</th>`).join('')}</tr></thead>`;
  const row = (r: T) =>
    `<tr>${columns.map((c, i) => (i === 0 && opts.rowHeader ? `<th scope="row"${cls(c)}>${c.cell(r)}</th>` : `<td${cls(c)}>${c.cell(r)}</td>`)).join('')}</tr>`;
  const foot = opts.footer?.length ? `<tfoot>${opts.footer.map(row).join('')}</tfoot>` : '';
  const cap = `<caption${opts.captionHidden ? ' class="sr-only"' : ''}>${escapeHtml(caption)}</caption>`;
  // At 320 px nearly every table of three or more columns is wider than the screen.
  const wide = columns.length >= 3 ? ' wide' : '';
  // The cue is for sighted readers; a screen reader hears the region's name and the table itself.
  const cue = '<p class="scroll-cue" aria-hidden="true">Scroll the table sideways to see every column →</p>';
  return `<div class="table-block${wide}">${cue}<div class="table-wrap" role="region" aria-label="${escapeHtml(caption)}" tabindex="0"><table>${cap}${head}<tbody>${rows.map(row).join('')}</tbody>${foot}</table></div></div>`;
}

/** RAG segments in the digest's order, each with a word and a fill pattern as well as a colour. */
export const RAG_PARTS: { key: keyof Omit<RagCounts, 'total'>; label: string; fill: string }[] = [
  { key: 'green', label: 'Green', fill: 'url(#rag-green)' },
  { key: 'amber', label: 'Amber', fill: 'url(#rag-amber)' },
  { key: 'red', label: 'Red', fill: 'url(#rag-red)' },
  { key: 'complete', label: 'Complete', fill: 'url(#rag-complete)' },
  { key: 'notStarted', label: 'Not started', fill: 'url(#rag-not-started)' },
];

/** The fills, defined once per page and referenced by every bar: solid, stripes, cross-hatch, dots, plain. */
const RAG_PATTERNS = [
  '<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false"><defs>',
  '<pattern id="rag-green" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#00703c"/></pattern>',
  '<pattern id="rag-amber" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffbf47"/><rect width="3" height="8" fill="#8a5a00"/></pattern>',
  '<pattern id="rag-red" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#d4351c"/><path d="M0 0L8 8M8 0L0 8" stroke="#ffffff" stroke-width="1.5"/></pattern>',
  '<pattern id="rag-complete" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#1d70b8"/><circle cx="4" cy="4" r="1.6" fill="#ffffff"/></pattern>',
  '<pattern id="rag-not-started" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#dee0e2"/></pattern>',
  '</defs></svg>',
].join('');

/** One plan's RAG counts as a stacked bar (decorative: the same figures are in the table beside it). */
export function ragBar(rag: RagCounts): string {
  const width = 300;
  const out: string[] = [`<svg class="rag-bar" viewBox="0 0 ${width} 20" preserveAspectRatio="none" aria-hidden="true" focusable="false">`];
  let x = 0;
  for (const part of RAG_PARTS) {
    const n = rag[part.key];
    if (n === 0 || rag.total === 0) continue;
    const w = (n / rag.total) * width;
    out.push(`<rect x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="20" fill="${part.fill}" stroke="#ffffff" stroke-width="1"><title>${escapeHtml(`${part.label}: ${n}`)}</title></rect>`);
    x += w;
  }
  if (rag.total === 0) out.push(`<rect x="0" y="0" width="${width}" height="20" fill="#f3f2f1"/>`);
  out.push('</svg>');
  return out.join('');
}

/** The key to the bars' fills, in words. */
export function ragLegend(): string {
  return `<ul class="rag-legend" aria-hidden="true">${RAG_PARTS.map(
    (p) => `<li><svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><rect width="16" height="16" fill="${p.fill}"/></svg>${escapeHtml(p.label)}</li>`,
  ).join('')}</ul>`;
}

/** "(+2)" / "(−1)" after a count when it moved since the previous meeting; empty when it did not. */
export function changeText(change: number | undefined | null): string {
  if (!change) return '';
  return ` <span class="muted small">(${change > 0 ? '+' : '\u2212'}${Math.abs(change)}<span class="sr-only"> since the previous meeting</span>)</span>`;
}

export interface RagRow {
  code: string;
  title: string;
  rag: RagCounts;
  change?: RagCounts | null;
}

/** RAG by plan: one row per plan with its bar and the counts (the bar's data, for every reader); `total` as the footer. */
export function ragTable(caption: string, rows: RagRow[], total?: RagRow): string {
  const count = (key: keyof Omit<RagCounts, 'total'>) => (r: RagRow) => `${r.rag[key]}${changeText(r.change?.[key])}`;
  return (
    dataTable<RagRow>(
      caption,
      [
        { header: 'Plan', cell: (r) => `${escapeHtml(r.code)}: ${escapeHtml(r.title)}` },
        { header: 'Share by status', cell: (r) => ragBar(r.rag) },
        ...RAG_PARTS.map((p) => ({ header: p.label, cell: count(p.key), className: 'num' })),
        { header: 'Actions', cell: (r: RagRow) => String(r.rag.total), className: 'num' },
      ],
      rows,
      { rowHeader: true, ...(total ? { footer: [total] } : {}) },
    ) + ragLegend()
  );
}
