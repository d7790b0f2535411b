// Words and marks for a KPI line that every renderer shares: the position as a word (never a colour
// alone), the trend as a text sparkline, and one line of plain text.
import type { KpiLine, KpiPosition } from './reply.js';

export const POSITION_WORD: Record<KpiPosition, string> = {
  on_track: 'on track',
  off_track: 'off track',
  no_reading: 'no reading',
};

/** Chat marks beside the word, in the same colours as action statuses. */
export const POSITION_MARK: Record<KpiPosition, string> = {
  on_track: '🟢',
  off_track: '🔴',
  no_reading: '⚪',
};

const BARS = '▁▂▃▄▅▆▇█';

/** The last `max` values as bars scaled between their lowest and highest ("▁▃▅▇"); one bar each. */
export function sparkline(values: readonly number[], max = 8): string {
  const shown = values.slice(-max).filter((v) => Number.isFinite(v));
  if (shown.length === 0) return '';
  const lo = Math.min(...shown);
  const hi = Math.max(...shown);
  return shown.map((v) => (hi === lo ? BARS[3] : BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))])).join('');
}

export function ownerOf(line: Pick<KpiLine, 'owner' | 'ownerHolders'>): string | null {
  if (!line.owner) return null;
  if (!line.ownerHolders) return line.owner;
  return line.ownerHolders.length ? `${line.owner} (${line.ownerHolders.join(', ')})` : `${line.owner} (nobody holds this role)`;
}

/** "64.1% for Q2 2024/25, expected at least 63.5%" or "no reading for Q2 2024/25". */
export function valueText(line: KpiLine): string {
  return [line.latest ?? 'nothing recorded yet', line.expected ? `expected ${line.expected}` : null].filter(Boolean).join(', ');
}

/** One line of plain text: terminal output and logs. */
export function kpiLineText(line: KpiLine): string {
  const parts = [line.code, line.name, POSITION_WORD[line.position], valueText(line)];
  if (line.sparkline) parts.push(`trend ${line.sparkline}`);
  if (line.nextTarget) parts.push(`next ${line.nextTarget}`);
  const owner = ownerOf(line);
  if (owner) parts.push(owner);
  if (line.detail) parts.push(line.detail);
  return parts.join(' · ');
}

/** Table columns (Markdown and HTML); columns nobody uses are left out. */
export function kpiColumns(items: KpiLine[]): { header: string; cell: (k: KpiLine) => string }[] {
  const columns: { header: string; cell: (k: KpiLine) => string }[] = [
    { header: 'KPI', cell: (k) => `${k.code} ${k.name}` },
    { header: 'Position', cell: (k) => POSITION_WORD[k.position] },
    { header: 'Latest', cell: (k) => k.latest ?? 'none' },
    { header: 'Expected', cell: (k) => k.expected ?? '' },
    { header: 'Trend', cell: (k) => k.sparkline },
  ];
  if (items.some((k) => k.nextTarget)) columns.push({ header: 'Next target', cell: (k) => k.nextTarget ?? '' });
  if (items.some((k) => k.owner)) columns.push({ header: 'Owner', cell: (k) => ownerOf(k) ?? '' });
  if (items.some((k) => k.detail)) columns.push({ header: 'Detail', cell: (k) => k.detail ?? '' });
  return columns;
}
