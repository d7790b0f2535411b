// What a board's web dashboard shows: the chair's digest for the board's next meeting (RAG by plan,
// overdue, missing updates, date changes against the baseline, exceptions, updates received) and the
// KPIs of the plans reporting to the board, each judged against its trajectory. The digest is the
// one the chair gets in chat, so the two never disagree.
import type { BoardDigest } from './digest-model.js';
import type { KpiAssessment, KpiSeries } from './kpi-types.js';

export interface AssessedKpi {
  series: KpiSeries;
  assessment: KpiAssessment;
}

export interface BoardDashboard {
  digest: BoardDigest;
  /** KPIs of the plans in the digest, in plan order. */
  kpis: AssessedKpi[];
}
