// The SearchIndex interface over the demo plan, on either database (SQLite's FTS5, PostgreSQL's
// tsvector): it finds the right actions, best first, and reindex replaces or removes an action's
// entry (what the plan import writes through it); on a plan where a phrase matches more actions
// than are ranked, it ranks the first ones and says so. bm25 and ts_rank_cd order equally good matches
// differently, so only the hits and the clear best hit are checked, not the order of ties.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { closeDatabase, type Db } from '../../src/store/database.js';
import { listActionViews } from '../../src/store/actions-repository.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { RANKED_CANDIDATES, searchIndexFor } from '../../src/store/search-index.js';
import { cappedSearchPlanDb } from '../helpers/capped-search-plan.js';
import { demoDb } from '../helpers/demo-db.js';
import { closeTestDb } from '../helpers/test-db.js';

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

  it('reads the start of a word, prefers the whole word typed, and leaves out a word no action has', async () => {
    /** The hits' views, best first (listActionViews gives them in plan order). */
    const viewsFor = async (words: string) => {
      const ids = (await searchIndexFor(db).search(words, 5)).hits.map((h) => h.actionId);
      const views = await listActionViews(db, { ids });
      return ids.map((id) => views.find((v) => v.id === id)).filter((v) => v !== undefined);
    };
    const textsOf = async (words: string) => (await viewsFor(words)).map((v) => `${v.text} ${v.workstreamTitle}`);
    // "neuro" is no word of the plan: it is read as the start of one.
    const neuro = await textsOf('neuro');
    expect(neuro).toHaveLength(5);
    expect(neuro.some((t) => /neurodiversity/i.test(t))).toBe(true);
    for (const t of await textsOf('neuro profil')) expect(t).toMatch(/neuro\w*.*profil|profil\w*.*neuro/i);
    // "SEN" is a word of the plan: actions that say SEN come before those that only say SEND.
    const sen = (await viewsFor('SEN')).map((v) => v.text);
    expect(sen).toHaveLength(5);
    const sayingSen = sen.filter((t) => /\bSEN\b/.test(t)).length;
    expect(sayingSen).toBeGreaterThan(0);
    expect(sen.slice(0, sayingSen).every((t) => /\bSEN\b/.test(t))).toBe(true);
    // A stray word (a typo, a word of another council's) does not sink the rest; alone it finds nothing.
    expect(await refsFor('annual health checks qqqzzz')).toEqual(await refsFor('annual health checks'));
    expect(await refsFor('preparing qqqzzz for adulthood')).toEqual(['TR-2.2']);
    expect(await refsFor('qqqzzz')).toEqual([]);
    // Only stop words: nothing to look for.
    expect(await refsFor('who is the')).toEqual([]);
    expect(await refsFor('ánnual heälth-checks!')).toEqual(await refsFor('annual health checks'));
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

describe('searchIndexFor when a phrase matches more actions than are ranked', () => {
  let db: Db;
  beforeAll(async () => {
    // Every action mentions annual health checks; one in twenty also says "hearing".
    db = await cappedSearchPlanDb();
  });
  afterAll(() => closeTestDb(db));

  const viewOf = async (id: number) => (await listActionViews(db, { ids: [id] }))[0];

  it('ranks the first ones by the workstream the words name and says the list was cut', async () => {
    const result = await searchIndexFor(db).search('annual health checks', 5);
    expect(result.capped).toBe(true);
    expect(result.hits).toHaveLength(5);
    for (const h of result.hits) {
      const view = await viewOf(h.actionId);
      expect(view?.text.toLowerCase()).toContain('annual health checks');
      expect(view?.workstreamTitle.toLowerCase()).toContain('annual health checks');
    }
    // The first action of the plan is in another workstream: the ranking decided, not plan order.
    const first = (await listActionViews(db))[0];
    expect(first?.workstreamTitle.toLowerCase()).not.toContain('annual health checks');

    const admin = await findPersonByEmail(db, 'admin@example.org');
    if (!admin) throw new Error('generated plan has no admin');
    const reply = await runCommandText({ db, clock: fixedClock('2025-01-13T10:00') }, admin, 'cli', 'who annual health checks');
    expect(JSON.stringify(reply.blocks)).toContain(`More than ${RANKED_CANDIDATES} actions match`);
  });

  it('ranks every match of a narrower phrase, and does not say it was cut', async () => {
    const result = await searchIndexFor(db).search('annual health checks hearing', 5);
    expect(result.capped).toBe(false);
    expect(result.hits).toHaveLength(5);
    for (const h of result.hits) expect((await viewOf(h.actionId))?.text).toContain('hearing tests');
  });
});
