import type { DateTime } from 'luxon';
import { demoPlanPath } from '../paths.js';
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { get } from './statements.js';
import { storeCall, withConnection } from './unit-of-work.js';

/** True when the database holds no plan and no people: the only case the demo may be loaded into. */
export function isEmptyDatabase(db: Db): Promise<boolean> {
  return storeCall(db, async () => {
    const row = (await get<{ n: number }>(db, sql`select (select count(*) from plans) + (select count(*) from people) as n`))!;
    return row.n === 0;
  });
}

/** Loads the Southampton 2024 demo plan into an empty database. Returns false (and does nothing) otherwise. */
export function loadDemoIfEmpty(db: Db, now: DateTime): Promise<boolean> {
  return withConnection(db, async () => {
    if (!await isEmptyDatabase(db)) return false;
    // The plan readers (YAML, and exceljs for spreadsheets) load only when there is a demo to load:
    // every later `npm start` reaches the prompt without them.
    const [{ loadPlanFile }, { importPlanDocument }] = await Promise.all([import('../importers/load-plan-file.js'), import('./plan-import.js')]);
    const loaded = await loadPlanFile(demoPlanPath());
    await importPlanDocument(db, loaded.document, { now, file: loaded.file, lineOf: loaded.lineOf, actorLabel: 'demo' });
    return true;
  });
}
