// A cheap "has anything changed?" for caches of pages built from the database. Two counters, read
// without touching a table:
//   - PRAGMA data_version changes when another connection (the CLI, a second instance) commits;
//   - total_changes() counts the rows this connection has changed since it opened.
// Together they change whenever the data may have; a rolled-back change also moves them, which
// only costs one needless rebuild.
// PostgreSQL: the current snapshot (its transaction-id range) moves whenever any write transaction
// on the server begins or ends; reads do not move it. Other databases' writes move it too, which
// only costs a rebuild.
import { sql } from 'drizzle-orm';
import { type Db, isPostgres } from './database.js';
import { get } from './statements.js';
import { storeCall } from './unit-of-work.js';

export function readDataVersion(db: Db): Promise<string> {
  if (isPostgres(db)) return storeCall(db, async () => (await get<{ v: string }>(db, sql`select pg_current_snapshot()::text as v`))?.v ?? '');
  return storeCall(db, () => {
    const sqlite = db.$client;
    const other = sqlite.pragma('data_version', { simple: true }) as number;
    const own = (sqlite.prepare('select total_changes() as n').get() as { n: number }).n;
    return `${other}:${own}`;
  });
}
