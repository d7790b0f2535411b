// Reply → Markdown (CommonMark + GitHub tables), so any reply, a digest above all, can go straight
// into a board paper. Every string in a Reply is plain text: it is escaped here so that a note can
// never become a link, an image, HTML, emphasis, a heading or a broken table. All markup in the
// output is added by this file around already-escaped text.
import { STATUS_SHORT } from '../domain/status.js';
import { formatDate } from './format.js';
import { actionColumns } from './action-columns.js';
import { kpiColumns } from './kpi-text.js';
import { type ActionLine, isWebLink, type Reply, type ReplyBlock } from './reply.js';

const TONE_MARK: Record<Reply['tone'], string> = { info: '', success: '✓ ', warning: '! ', error: '✗ ' };

/**
 * Escapes one line of plain text for Markdown inline content. Backslash escapes are defined for all
 * ASCII punctuation, so escaping more than strictly needed is always safe.
 */
function escapeLine(line: string): string {
  let out = line
    .replace(/^[ \t]+/, '') // four leading spaces would start a code block
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    // Autolinks (GFM turns bare https://… and www.… into links): break the trigger, keep the text.
    .replace(/:\/\//g, '\\://')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, -1)}\\.`);
  // Characters that only mean something at the start of a line: headings, lists, quotes, setext.
  out = out.replace(/^([#+=-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
  return out;
}

/** Plain text on one line (headings, list items, table cells): line breaks become spaces. */
export function escapeMarkdownInline(value: string): string {
  return escapeLine(value.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}

/** Plain text as a paragraph: the writer's line breaks are kept as hard breaks. */
export function escapeMarkdownParagraph(value: string): string {
  return value
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map(escapeLine)
    .join('\\\n');
}

export function renderMarkdown(reply: Reply): string {
  const parts: string[] = [`# ${escapeMarkdownInline(`${TONE_MARK[reply.tone]}${reply.summary}`)}`];
  for (const block of reply.blocks) {
    const md = renderBlock(block);
    if (md) parts.push(md);
  }
  if (reply.form && reply.form.choices.length) {
    parts.push(
      table(
        ['Ref', 'Action', 'Status', 'Due'],
        reply.form.choices.map((c) => [c.ref, c.title, STATUS_SHORT[c.status], formatDate(c.due)]),
      ),
    );
  }
  if (reply.buttons?.length) parts.push(reply.buttons.map((b) => `- ${escapeMarkdownInline(`${b.label}: ${b.value}`)}`).join('\n'));
  const links = (reply.links ?? []).filter((l) => isWebLink(l.url));
  if (links.length) parts.push(links.map((l) => `- [${escapeMarkdownInline(l.label)}](<${l.url}>)`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

function renderBlock(block: ReplyBlock): string {
  switch (block.type) {
    case 'heading':
      return `## ${escapeMarkdownInline(block.text)}`;
    case 'text': {
      const body = escapeMarkdownParagraph(block.text);
      return block.muted && body ? `*${body}*` : body;
    }
    case 'fields':
      return block.fields.map((f) => `- **${escapeMarkdownInline(f.label)}:** ${escapeMarkdownInline(f.value)}`).join('\n');
    case 'list':
      return block.items.map((i) => `- ${escapeMarkdownInline(i)}`).join('\n');
    case 'divider':
      return '---';
    case 'actions': {
      const parts: string[] = [];
      if (block.heading) parts.push(`### ${escapeMarkdownInline(block.heading)}`);
      parts.push(block.items.length ? actionsTable(block.items) : escapeMarkdownParagraph(block.emptyText ?? 'None.'));
      return parts.join('\n\n');
    }
    case 'kpis': {
      const parts: string[] = [];
      if (block.heading) parts.push(`### ${escapeMarkdownInline(block.heading)}`);
      if (block.items.length === 0) parts.push(escapeMarkdownParagraph(block.emptyText ?? 'No KPIs.'));
      else {
        const columns = kpiColumns(block.items);
        parts.push(table(columns.map((c) => c.header), block.items.map((k) => columns.map((c) => c.cell(k)))));
      }
      return parts.join('\n\n');
    }
  }
}

function actionsTable(items: ActionLine[]): string {
  const columns = actionColumns(items);
  return table(
    columns.map((c) => c.header),
    items.map((a) => columns.map((c) => c.cell(a))),
  );
}

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => escapeMarkdownInline(c)).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}
