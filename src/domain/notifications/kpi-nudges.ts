// KPI readings in the pre-board nudges: which of an owner's KPIs are missing the reading for the
// period now due. They go in the same one message per person per occasion as their actions.
import { toKpiLine } from '../kpi-lines.js';
import type { KpiLine } from '../../messages/reply.js';
import { assessKpi } from '../kpi-assessment.js';
import type { KpiState } from '../planning-state.js';

export function groupKpisByBoard(kpis: readonly KpiState[]): Map<number, KpiState[]> {
  const out = new Map<number, KpiState[]>();
  for (const k of kpis) {
    if (k.boardId === null) continue;
    const list = out.get(k.boardId);
    if (list) list.push(k);
    else out.set(k.boardId, [k]);
  }
  return out;
}

/** A board's KPIs by the people holding their owner role. */
export function kpisByOwner(kpis: readonly KpiState[], holders: ReadonlyMap<number, number[]>): Map<number, KpiState[]> {
  const out = new Map<number, KpiState[]>();
  for (const k of kpis) {
    if (k.ownerRoleId === null) continue;
    for (const personId of holders.get(k.ownerRoleId) ?? []) {
      const list = out.get(personId);
      if (list) list.push(k);
      else out.set(personId, [k]);
    }
  }
  return out;
}

/**
 * Lines for each owner's KPIs with no reading for the period due on `day` (the nudge's date, so a
 * nudge says the same whenever the tick that plans it runs).
 */
export function missingKpiLines(byOwner: ReadonlyMap<number, KpiState[]>, day: string): Map<number, KpiLine[]> {
  const lines = new Map<KpiState, KpiLine | null>();
  const out = new Map<number, KpiLine[]>();
  for (const [personId, kpis] of byOwner) {
    const missing: KpiLine[] = [];
    for (const k of kpis) {
      let line = lines.get(k);
      if (line === undefined) {
        const a = assessKpi(k.series, day);
        line = a.position === 'no_reading' ? toKpiLine(k.series, a) : null;
        lines.set(k, line);
      }
      if (line) missing.push(line);
    }
    if (missing.length > 0) out.set(personId, missing);
  }
  return out;
}
