// Secrets sendbot generates for itself and keeps in its database (app_secrets), so a fresh
// `npm start` signs dashboard links with no settings and links keep working across restarts.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { get, run } from './statements.js';
import { storeCall } from './unit-of-work.js';

const DASHBOARD = 'dashboard';

/**
 * The key that signs dashboard links: DASHBOARD_SECRET when configured, else the one stored in this
 * database, made on first use (32 random bytes). Insert-or-ignore then read, so two processes
 * starting together on one database agree on the same key.
 */
export function dashboardSecret(db: Db, configured: string | undefined, nowUtcIso: string): Promise<string> {
  return storeCall(db, async () => {
    if (configured) return configured;
    await run(
      db,
      sql`insert into app_secrets (name, value, created_at) values (${DASHBOARD}, ${randomBytes(32).toString('base64url')}, ${nowUtcIso})
       on conflict do nothing`,
    );
    const row = await get<{ value: string }>(db, sql`select value from app_secrets where name = ${DASHBOARD}`);
    if (!row) throw new Error('the dashboard secret could not be stored');
    return row.value;
  });
}
