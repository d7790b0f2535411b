// The columns an action list has in a table (Markdown and HTML exports share them): status is a
// word, never only a colour, so a printed board paper still reads.
import { STATUS_SHORT } from '../domain/status.js';
import { formatDate } from './format.js';
import type { ActionLine } from './reply.js';

export function statusText(a: Pick<ActionLine, 'status' | 'percent'>): string {
  return `${STATUS_SHORT[a.status]}${a.percent !== null && a.percent !== undefined ? ` ${a.percent}%` : ''}`;
}

export function ownerText(a: Pick<ActionLine, 'owner' | 'ownerHolders'>): string {
  if (!a.owner) return '';
  return `${a.owner}${a.ownerHolders?.length ? ` (${a.ownerHolders.join(', ')})` : ''}`;
}

/** Columns that no item uses are left out, so a short list stays narrow. */
export function actionColumns(items: ActionLine[]): { header: string; cell: (a: ActionLine) => string }[] {
  const columns: { header: string; cell: (a: ActionLine) => string }[] = [
    { header: 'Ref', cell: (a) => a.ref },
    { header: 'Action', cell: (a) => a.title },
    { header: 'Due', cell: (a) => (a.due ? formatDate(a.due) : (a.dueInstead ?? formatDate(a.due))) },
    { header: 'Status', cell: statusText },
  ];
  if (items.some((a) => a.daysOverdue)) columns.push({ header: 'Working days overdue', cell: (a) => (a.daysOverdue ? String(a.daysOverdue) : '') });
  if (items.some((a) => a.owner)) columns.push({ header: 'Owner', cell: ownerText });
  if (items.some((a) => a.detail)) columns.push({ header: 'Detail', cell: (a) => a.detail ?? '' });
  return columns;
}
