// Reply → a self-contained HTML document (inline CSS, no scripts, no external resources), for board
// papers and email. Every string from the Reply is escaped; all tags come from this file. Status is
// always written as a word beside its colour, so the page works in greyscale print and for readers
// who cannot tell red from green.
import type { ActionStatus } from '../../db/types.js';
import { STATUS_SHORT } from '../domain/status.js';
import { formatDate } from './format.js';
import { actionColumns } from './action-columns.js';
import { kpiColumns, POSITION_WORD } from './kpi-text.js';
import { type ActionLine, isWebLink, type KpiLine, type Reply, type ReplyBlock } from './reply.js';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const TONE_LABEL: Record<Reply['tone'], string> = { info: '', success: 'Done: ', warning: 'Attention: ', error: 'Problem: ' };

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;line-height:1.45;color:#1b1b1b;max-width:72rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.05rem;margin-bottom:.25rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
.muted{color:#555;font-style:italic}
.status{display:inline-block;padding:0 .4rem;border-radius:.25rem;border:1px solid #777;white-space:nowrap}
.status-green{background:#d4edda}.status-amber{background:#ffe8b3}.status-red{background:#f8d0d0}
.status-blue{background:#d6e4f5}.status-not_started{background:#eee}
.kpi-on_track{background:#d4edda}.kpi-off_track{background:#f8d0d0}.kpi-no_reading{background:#eee}
.trend{font-family:ui-monospace,Consolas,monospace;white-space:nowrap}
`.trim();

export function renderHtml(reply: Reply): string {
  const title = `${TONE_LABEL[reply.tone]}${reply.summary}`;
  const body: string[] = [`<h1>${escapeHtml(title)}</h1>`];
  for (const block of reply.blocks) body.push(renderBlock(block));
  if (reply.form && reply.form.choices.length) {
    body.push(
      table(
        ['Ref', 'Action', 'Status', 'Due'],
        reply.form.choices.map((c) => [escapeHtml(c.ref), escapeHtml(c.title), statusBadge(c.status), escapeHtml(formatDate(c.due))]),
      ),
    );
  }
  if (reply.buttons?.length) body.push(`<ul>${reply.buttons.map((b) => `<li>${escapeHtml(`${b.label}: ${b.value}`)}</li>`).join('')}</ul>`);
  const links = (reply.links ?? []).filter((l) => isWebLink(l.url));
  if (links.length) body.push(`<ul>${links.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a></li>`).join('')}</ul>`);
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(reply.summary)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderBlock(block: ReplyBlock): string {
  switch (block.type) {
    case 'heading':
      return `<h2>${escapeHtml(block.text)}</h2>`;
    case 'text':
      return `<p${block.muted ? ' class="muted"' : ''}>${paragraph(block.text)}</p>`;
    case 'fields':
      return `<dl>${block.fields.map((f) => `<div><dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd></div>`).join('')}</dl>`;
    case 'list':
      return `<ul>${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'divider':
      return '<hr>';
    case 'actions': {
      const head = block.heading ? `<h3>${escapeHtml(block.heading)}</h3>\n` : '';
      if (block.items.length === 0) return `${head}<p>${escapeHtml(block.emptyText ?? 'None.')}</p>`;
      return `${head}${actionsTable(block.items)}`;
    }
    case 'kpis': {
      const head = block.heading ? `<h3>${escapeHtml(block.heading)}</h3>\n` : '';
      if (block.items.length === 0) return `${head}<p>${escapeHtml(block.emptyText ?? 'No KPIs.')}</p>`;
      return `${head}${kpisTable(block.items)}`;
    }
  }
}

/** The writer's line breaks survive as <br>; everything else is text. */
function paragraph(value: string): string {
  return value
    .split(/\r\n|\r|\n/)
    .map(escapeHtml)
    .join('<br>');
}

function statusBadge(status: ActionStatus, percent?: number | null): string {
  const word = `${STATUS_SHORT[status]}${percent !== null && percent !== undefined ? ` ${percent}%` : ''}`;
  return `<span class="status status-${status}">${escapeHtml(word)}</span>`;
}

function actionsTable(items: ActionLine[]): string {
  const columns = actionColumns(items);
  return table(
    columns.map((c) => c.header),
    items.map((a) => columns.map((c) => (c.header === 'Status' ? statusBadge(a.status, a.percent) : escapeHtml(c.cell(a))))),
  );
}

/** One row per KPI; the position is a word on its colour, the trend a text sparkline (with its figures for screen readers). */
function kpisTable(items: KpiLine[]): string {
  const columns = kpiColumns(items);
  return table(
    columns.map((c) => c.header),
    items.map((k) =>
      columns.map((c) => {
        if (c.header === 'Position') return `<span class="status kpi-${k.position}">${escapeHtml(POSITION_WORD[k.position])}</span>`;
        if (c.header === 'Trend') {
          const figures = k.points.map((p) => p.value).join(', ');
          return k.sparkline ? `<span class="trend" role="img" aria-label="${escapeHtml(`readings, oldest first: ${figures}`)}">${escapeHtml(k.sparkline)}</span>` : '';
        }
        return escapeHtml(c.cell(k));
      }),
    ),
  );
}

/** Cells arrive already escaped (some hold a status badge). */
function table(headers: string[], rows: string[][]): string {
  const head = `<thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody>`;
  return `<table>${head}${body}</table>`;
}
