// The dashboard routes on sendbot's real HTTP server, on a random loopback port, over a real
// database: what the Chromium and HTTP tests open. Links are signed with the same code
// `/send dashboard` uses.
import { pino } from 'pino';
import { type Clock, fixedClock, parseInstant } from '../../src/clock.js';
import { absoluteUrl, boardLinkPath } from '../../src/domain/dashboard-links.js';
import { mountDashboardRoutes } from '../../src/http/dashboard-routes.js';
import { createHttpServer } from '../../src/http/http-server.js';
import { closeDatabase, type Db, openDatabase } from '../../src/store/database.js';

export const TEST_DASHBOARD_SECRET = 'test-dashboard-secret-0123456789abcdef';

export interface DashboardServer {
  baseUrl: string;
  db: Db;
  /** A signed link to the board called `name`, expiring `days` after now (negative: already expired). */
  link(name: string, days?: number): string;
  close(): Promise<void>;
}

export async function startDashboardServer(dbPath: string, opts: { now: string; publishedView?: boolean; clock?: Clock }): Promise<DashboardServer> {
  const db = openDatabase(dbPath);
  const clock = opts.clock ?? fixedClock(opts.now);
  const http = createHttpServer({ db, logger: pino({ level: 'silent' }) });
  mountDashboardRoutes(http, { db, clock, secret: TEST_DASHBOARD_SECRET, publishedView: opts.publishedView ?? false, logger: pino({ level: 'silent' }) });
  const { url } = await http.listen(0, '127.0.0.1');
  return {
    baseUrl: url,
    db,
    link(name, days = 7) {
      const board = db.$client.prepare('select id, name from boards where name = ?').get(name) as { id: number; name: string } | undefined;
      if (!board) throw new Error(`no board ${name}`);
      const exp = Math.floor(parseInstant(opts.now).plus({ days }).toSeconds());
      return absoluteUrl(url, boardLinkPath(TEST_DASHBOARD_SECRET, board, exp));
    },
    async close() {
      await http.close();
      closeDatabase(db);
    },
  };
}
