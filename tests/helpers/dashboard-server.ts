// The dashboard routes on sendbot's real HTTP server, on a random loopback port, over a real
// database: what the Chromium and HTTP tests open. Links are signed with the same code
// `/send dashboard` uses.
import { pino } from 'pino';
import { type Clock, fixedClock, parseInstant } from '../../src/clock.js';
import { absoluteUrl, boardLinkPath } from '../../src/domain/dashboard-links.js';
import { mountDashboardRoutes } from '../../src/http/dashboard-routes.js';
import { createHttpServer } from '../../src/http/http-server.js';
import { findBoard } from '../../src/store/boards-repository.js';
import type { Db } from '../../src/store/database.js';
import { recordKpiReading } from '../../src/store/kpis-repository.js';
import { closeTestDb, one, sql, testDbAt, withTestDb } from './test-db.js';

/** What the KPI reading typed by Zara (below) says: shown on the board's page, never on the public one. */
export const KPI_NOTE = 'corrected after the 0-19 data validation';

/**
 * A person's correction to the demo's HCP-HR2 Q2 reading, with a note: the demo's own readings are
 * imports (nobody recorded them), so this gives the pages a "recorded by" and a note to show or hide.
 */
export async function recordKpiCorrection(dbPath: string): Promise<void> {
  await withTestDb(dbPath, async (db) => {
    const kpi = (await one(db, sql`select id from kpis where code = 'HCP-HR2'`)) as { id: number };
    const zara = (await one(db, sql`select id from people where email = 'zara.sampleford@example.org'`)) as { id: number };
    await recordKpiReading(db, {
      kpiId: kpi.id,
      value: 61.2,
      periodLabel: 'Q2 2024/25',
      periodStart: '2024-07-01',
      periodEnd: '2024-09-30',
      recordedAt: '2024-11-26T10:00:00.000Z',
      personId: zara.id,
      platform: 'slack',
      kind: 'correction',
      note: KPI_NOTE,
      rawText: `/send kpi HCP-HR2 61.2% for Q2 24/25 ${KPI_NOTE}`,
    });
  });
}

export const TEST_DASHBOARD_SECRET = 'test-dashboard-secret-0123456789abcdef';

export interface DashboardServer {
  baseUrl: string;
  db: Db;
  /** A signed link to the board called `name`, expiring `days` after now (negative: already expired). */
  link(name: string, days?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startDashboardServer(dbPath: string, opts: { now: string; publishedView?: boolean; clock?: Clock }): Promise<DashboardServer> {
  const db = await testDbAt(dbPath);
  const clock = opts.clock ?? fixedClock(opts.now);
  const http = createHttpServer({ db, logger: pino({ level: 'silent' }) });
  mountDashboardRoutes(http, { db, clock, secret: TEST_DASHBOARD_SECRET, publishedView: opts.publishedView ?? false, logger: pino({ level: 'silent' }) });
  const { url } = await http.listen(0, '127.0.0.1');
  return {
    baseUrl: url,
    db,
    async link(name, days = 7) {
      const board = await findBoard(db, name);
      if (!board) throw new Error(`no board ${name}`);
      const exp = Math.floor(parseInstant(opts.now).plus({ days }).toSeconds());
      return absoluteUrl(url, boardLinkPath(TEST_DASHBOARD_SECRET, board, exp));
    },
    async close() {
      await http.close();
      await closeTestDb(db);
    },
  };
}
