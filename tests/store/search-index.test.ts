// The SearchIndex interface over the demo plan, on either database (SQLite's FTS5, PostgreSQL's
// tsvector): it finds the right actions, best first, and reindex replaces or removes an action's
// entry (what the plan import writes through it). bm25 and ts_rank_cd order equally good matches
// differently, so only the hits and the clear best hit are checked, not the order of ties.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, type Db } from '../../src/store/database.js';
import { listActionViews } from '../../src/store/actions-repository.js';
import { searchIndexFor } from '../../src/store/search-index.js';
import { demoDb } from '../helpers/demo-db.js';

describe('searchIndexFor', () => {
  let db: Db;
  beforeAll(async () => {
    db = (await demoDb()).db;
  });
  afterAll(async () => await closeDatabase(db));

  /** The refs of the hits for `words`, best first (ranks checked to be in order). */
  async function refsFor(words: string): Promise<string[]> {
    const { hits } = await searchIndexFor(db).search(words, 5);
    for (let i = 1; i < hits.length; i += 1) expect((hits[i]?.rank ?? 0) >= (hits[i - 1]?.rank ?? 0), words).toBe(true);
    const views = await listActionViews(db, { ids: hits.map((h) => h.actionId) });
    return hits.map((h) => views.find((v) => v.id === h.actionId)?.ref ?? '?');
  }

  it('finds the actions the words name, the clearest match first', async () => {
    // "Improve Quality of Annual Health Checks…" is the one action with all three words in its text.
    const health = await refsFor('annual health checks');
    expect(health[0]).toBe('TR-6.8');
    expect(health).toHaveLength(5);
    expect(health.every((ref) => ref.startsWith('TR-6.'))).toBe(true);
    // Only one action speaks of adulthood.
    expect(await refsFor('preparing for adulthood')).toEqual(['TR-2.2']);
    // No action has both words: those with either ("Autism in Schools", the assessment pathway workstream).
    expect((await refsFor('who owns the autism pathway')).sort()).toEqual(['ND-1.3', 'ND-2.1', 'ND-2.2', 'ND-2.3', 'ND-3.2']);
    // EHCP and annual review quality: QA-2.1 names EHCPs and annual reviews in its text as well.
    const ehcp = await refsFor('EHCP timeliness');
    expect(ehcp[0]).toBe('QA-2.1');
    expect(ehcp).toHaveLength(5);
    expect(ehcp.every((ref) => ref.startsWith('QA-2.'))).toBe(true);
    expect((await searchIndexFor(db).search('quokka marsupial')).hits).toEqual([]);
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
