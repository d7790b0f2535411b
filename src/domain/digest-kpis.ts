// The KPI part of the chair's digest: each KPI reporting to the board, judged on the digest's day and
// placed under its plan. Pure: from the PlanningState and the ActionDescriber's names.
import { emptyPlanDigest } from './digest-parts.js';
import type { DigestKpi, DigestKpiCounts, PlanDigest } from './digest-model.js';
import { assessKpi } from './kpi-assessment.js';
import type { KpiState, PlanningState } from './planning-state.js';

/** Judges each KPI of the board and adds it to its plan's digest (a plan with only KPIs gets one). */
export function addBoardKpis(
  plans: PlanDigest[],
  state: PlanningState,
  boardId: number,
  today: string,
  holderNames: (roleId: number | null) => string[],
  tracksChange: boolean,
): PlanDigest[] {
  const kpis = (state.kpis ?? []).filter((k) => k.boardId === boardId);
  if (kpis.length === 0) return plans;
  const byPlan = new Map(plans.map((p) => [p.id, p]));
  const out = [...plans];
  for (const k of kpis) {
    let plan = byPlan.get(k.planId);
    if (!plan) {
      plan = emptyPlanDigest({ id: k.planId, code: k.series.planCode, title: k.series.planTitle }, tracksChange);
      byPlan.set(k.planId, plan);
      out.push(plan);
    }
    plan.kpis.push(digestKpi(k, today, holderNames));
  }
  return out;
}

export function digestKpi(k: KpiState, today: string, holderNames: (roleId: number | null) => string[]): DigestKpi {
  const s = k.series;
  const a = assessKpi(s, today);
  return {
    code: s.code,
    name: s.name,
    unit: s.unit,
    direction: s.direction,
    frequency: s.frequency ?? 'monthly',
    workstreamNumber: s.workstreamNumber,
    owner: s.ownerRole,
    ownerHolders: holderNames(k.ownerRoleId),
    position: a.position,
    latest: a.latest
      ? {
          value: a.latest.value,
          periodLabel: a.latest.periodLabel,
          periodEnd: a.latest.periodEnd,
          recordedAt: a.latest.recordedAt,
          recordedBy: a.latest.recordedBy,
          isSample: a.latest.isSample ?? false,
        }
      : null,
    expected: a.expected,
    duePeriod: a.duePeriod,
    basis: a.basis,
    nextTarget: a.nextTarget,
    baseline: s.baseline,
    trajectory: s.trajectory,
    readings: s.readings.map((r) => ({ periodLabel: r.periodLabel, periodEnd: r.periodEnd, value: r.value, isSample: r.isSample ?? false })),
  };
}

export function countKpis(plans: readonly PlanDigest[]): DigestKpiCounts {
  const counts: DigestKpiCounts = { total: 0, onTrack: 0, offTrack: 0, noReading: 0 };
  for (const p of plans) {
    for (const k of p.kpis) {
      counts.total += 1;
      if (k.position === 'on_track') counts.onTrack += 1;
      else if (k.position === 'off_track') counts.offTrack += 1;
      else counts.noReading += 1;
    }
  }
  return counts;
}
