// Renders a Reply as plain terminal text (console chat, `sendbot ask`, logs).
import { STATUS_SHORT } from '../domain/status.js';
import { formatDate } from './format.js';
import { kpiLineText } from './kpi-text.js';
import { type ActionLine, isWebLink, type Reply, type ReplyBlock } from './reply.js';

const TONE_MARK: Record<Reply['tone'], string> = { info: '', success: '✓ ', warning: '! ', error: '✗ ' };

export function renderText(reply: Reply): string {
  const out: string[] = [`${TONE_MARK[reply.tone]}${reply.summary}`];
  for (const block of reply.blocks) out.push(...renderBlock(block));
  if (reply.form) {
    out.push('Your actions:');
    for (const c of reply.form.choices) out.push(`  ${c.ref}  ${STATUS_SHORT[c.status]}, due ${formatDate(c.due)} · ${c.title}`);
  }
  for (const b of reply.buttons ?? []) out.push(`[${b.label}] ${b.value}`);
  for (const l of reply.links ?? []) if (isWebLink(l.url)) out.push(`${l.label}: ${l.url}`);
  return out.join('\n');
}

function renderBlock(block: ReplyBlock): string[] {
  switch (block.type) {
    case 'heading':
      return ['', block.text.toUpperCase()];
    case 'text':
      return [block.muted ? `  ${block.text}` : block.text];
    case 'fields':
      return block.fields.map((f) => `  ${f.label}: ${f.value}`);
    case 'list':
      return block.items.map((i) => `  • ${i}`);
    case 'divider':
      return ['  ---'];
    case 'actions': {
      const lines = block.heading ? ['', `${block.heading}:`] : [];
      if (block.items.length === 0) lines.push(`  ${block.emptyText ?? 'None.'}`);
      for (const item of block.items) lines.push(`  ${actionLineText(item)}`);
      return lines;
    }
    case 'kpis': {
      const lines = block.heading ? ['', `${block.heading}:`] : [];
      if (block.items.length === 0) lines.push(`  ${block.emptyText ?? 'No KPIs.'}`);
      for (const item of block.items) lines.push(`  ${kpiLineText(item)}`);
      return lines;
    }
  }
}

export function actionLineText(a: ActionLine): string {
  const parts = [
    `${a.ref}`,
    a.title,
    a.due ? `due ${formatDate(a.due)}` : (a.dueInstead ?? 'due no date'),
    `${STATUS_SHORT[a.status]}${a.percent !== null && a.percent !== undefined ? ` ${a.percent}%` : ''}`,
  ];
  if (a.daysOverdue) parts.push(`${a.daysOverdue} working day${a.daysOverdue === 1 ? '' : 's'} overdue`);
  if (a.owner) parts.push(`${a.owner}${a.ownerHolders?.length ? ` (${a.ownerHolders.join(', ')})` : ''}`);
  if (a.detail) parts.push(a.detail);
  return parts.join(' · ');
}
