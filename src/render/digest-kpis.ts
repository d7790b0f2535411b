// The KPI part of the digest as neutral reply blocks: a line per KPI with its latest value against
// the trajectory, its position as a word and a text sparkline (the renderers lay it out per platform).
import type { BoardDigest, DigestKpi, PlanDigest } from '../domain/digest-model.js';
import { plural } from './format.js';
import { toKpiLine } from './kpi-lines.js';
import { type KpiLine, type ReplyBlock, text } from './reply.js';

export function digestKpiLine(k: DigestKpi): KpiLine {
  return toKpiLine(k, k, { role: k.owner, holders: k.ownerHolders });
}

function counts(c: { onTrack: number; offTrack: number; noReading: number }): string {
  return `${c.onTrack} on track, ${c.offTrack} off track, ${c.noReading} with no reading for the period due`;
}

/** The board-wide KPI line under the RAG summary; nothing when the board has no KPIs. */
export function kpiTotalsBlocks(digest: BoardDigest): ReplyBlock[] {
  const k = digest.totals.kpis;
  return k.total > 0 ? [text(`${plural(k.total, 'KPI')}: ${counts(k)}.`)] : [];
}

/** A plan's KPIs: every one is listed (a plan has a handful; the chair needs all of them). */
export function planKpiBlocks(plan: PlanDigest): ReplyBlock[] {
  if (plan.kpis.length === 0) return [];
  const c = { onTrack: 0, offTrack: 0, noReading: 0 };
  for (const k of plan.kpis) c[k.position === 'on_track' ? 'onTrack' : k.position === 'off_track' ? 'offTrack' : 'noReading'] += 1;
  return [{ type: 'kpis', heading: `KPIs (${plan.kpis.length}): ${counts(c)}`, items: plan.kpis.map(digestKpiLine) }];
}
