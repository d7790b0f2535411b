// A cheap "has anything changed?" for caches of pages built from the database. Two counters, read
// without touching a table:
//   - PRAGMA data_version changes when another connection (the CLI, a second instance) commits;
//   - total_changes() counts the rows this connection has changed since it opened.
// Together they change whenever the data may have; a rolled-back change also moves them, which
// only costs one needless rebuild.
import type { Db } from './database.js';
import { storeCall } from './unit-of-work.js';

export function readDataVersion(db: Db): Promise<string> {
  return storeCall(db, () => {
    const sqlite = db.$client;
    const other = sqlite.pragma('data_version', { simple: true }) as number;
    const own = (sqlite.prepare('select total_changes() as n').get() as { n: number }).n;
    return `${other}:${own}`;
  });
}
