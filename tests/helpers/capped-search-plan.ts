// A generated plan in which one phrase matches more actions than search ranks: every action mentions
// annual health checks, and one in twenty also says "hearing". For the search tests of both the
// search index and the search repository.
import { generatePlanDocument } from '../../bench/generate-plan.js';
import { parseInstant } from '../../src/clock.js';
import type { Db } from '../../src/store/database.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { BM25_MAX_MATCHES } from '../../src/store/search-repository.js';
import { testDbWithPath } from './test-db.js';

export async function cappedSearchPlanDb(): Promise<Db> {
  const doc = generatePlanDocument({ actions: BM25_MAX_MATCHES + 100, boards: 2 });
  let n = 0;
  for (const plan of doc.plans) {
    for (const ws of plan.workstreams) {
      for (const action of ws.actions) {
        n += 1;
        action.text = `Annual health checks: ${n % 20 === 0 ? 'hearing tests, ' : ''}${action.text}`;
      }
    }
  }
  const { db } = await testDbWithPath('sendbot-search-');
  await importPlanDocument(db, doc, { now: parseInstant('2024-09-02T09:00'), file: 'generated' });
  return db;
}
