// The SearchIndex interface over the demo plan: it searches as the FTS5 search does, and reindex
// replaces or removes an action's entry (what the plan import writes through it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, type Db } from '../../src/store/database.js';
import { listActionViews } from '../../src/store/actions-repository.js';
import { searchIndexFor } from '../../src/store/search-index.js';
import { searchActions } from '../../src/store/search-repository.js';
import { sqliteOf } from '../helpers/test-db.js';
import { demoDb } from '../helpers/demo-db.js';

describe('searchIndexFor (SQLite FTS5)', () => {
  let db: Db;
  beforeAll(async () => {
    db = (await demoDb()).db;
  });
  afterAll(async () => await closeDatabase(db));

  it('ranks the same hits as searchActions', async () => {
    for (const words of ['annual health checks', 'who owns the autism pathway', 'preparing for adulthood', 'EHCP timeliness']) {
      expect(await searchIndexFor(db).search(words, 5), words).toEqual(await searchActions(sqliteOf(db), words, 5));
    }
    expect((await searchIndexFor(db).search('annual health checks')).hits.length).toBeGreaterThan(0);
  });

  it('reindex replaces an action’s entry, and a null document removes it', async () => {
    const [hit] = (await searchIndexFor(db).search('annual health checks', 1)).hits;
    expect(hit).toBeDefined();
    const actionId = hit?.actionId ?? 0;
    const before = (await listActionViews(db, { ids: [actionId] }))[0];
    const index = searchIndexFor(db);
    await index.reindex([{ actionId, replaces: true, document: { ref: 'ZZ-1.1', text: 'Quokka census of the borough', workstream: 'Marsupials', plan: 'Plan' } }]);
    expect((await index.search('quokka census')).hits.map((h) => h.actionId)).toEqual([actionId]);
    expect((await index.search('annual health checks')).hits.map((h) => h.actionId)).not.toContain(actionId);
    await index.reindex([{ actionId, replaces: true, document: null }]);
    expect((await index.search('quokka census')).hits).toEqual([]);
    // The action itself is untouched: only its search entry went.
    expect((await listActionViews(db, { ids: [actionId] }))[0]).toEqual(before);
    expect(before?.text).toMatch(/health check/i);
  });
});
