// Loads a board's dashboard: the chair's digest for the board's next meeting, from the same loader
// the chat digest and the scheduler use, and the KPIs of the plans reporting to the board, each
// judged against its trajectory as of today.
import type { AssessedKpi, BoardDashboard } from '../domain/dashboard-model.js';
import { londonDate } from '../domain/digest-parts.js';
import { assessKpi } from '../domain/kpi-assessment.js';
import type { Db } from './database.js';
import { loadBoardDigest } from './digest-loader.js';
import { type KpiFilter, listKpiSeries } from './kpis-repository.js';
import { storeCall, withConnection } from './unit-of-work.js';

export function loadBoardDashboard(db: Db, boardId: number, nowUtcIso: string): Promise<BoardDashboard> {
  return withConnection(db, async () => {
    const digest = await loadBoardDigest(db, boardId, nowUtcIso);
    return { digest, kpis: await loadAssessedKpis(db, nowUtcIso, { board: boardId }) };
  });
}

/** KPIs (all, or filtered) with today's verdict, in plan order. */
export function loadAssessedKpis(db: Db, nowUtcIso: string, filter: KpiFilter = {}): Promise<AssessedKpi[]> {
  return withConnection(db, async () => {
    const today = londonDate(nowUtcIso);
    return (await listKpiSeries(db, filter)).map((series) => ({ series, assessment: assessKpi(series, today) }));
  });
}
