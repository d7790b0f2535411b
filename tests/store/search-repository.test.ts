// Free-text search (`/send who <words>`) on the real demo plan, and on a plan where a phrase
// matches more actions than are ranked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { RANKED_CANDIDATES, searchActions } from '../../src/store/search-repository.js';
import { cappedSearchPlanDb } from '../helpers/capped-search-plan.js';
import { demoDb } from '../helpers/demo-db.js';
import { closeTestDb, one, rows, sql, sqliteOf, value } from '../helpers/test-db.js';

describe('searchActions on the demo plan', () => {
  let db: Db;
  beforeAll(async () => {
    db = (await demoDb()).db;
  });
  afterAll(() => closeTestDb(db));

  const refs = async (words: string, limit = 5) => Promise.all((await searchActions(sqliteOf(db), words, limit)).hits.map((h) => ref(h.actionId)));
  const ref = async (id: number) => (await one(db, sql`select ref from actions where id = ${id}`) as { ref: string }).ref;
  const textOf = async (r: string) =>
    await one(db, sql`select s.text, s.workstream, s.plan from action_search s join actions a on a.id = s.rowid where a.ref = ${r}`) as {
      text: string;
      workstream: string;
      plan: string;
    };

  it('finds the workstream people name: annual health checks', async () => {
    const found = await refs('who owns the annual health checks work');
    expect(found).toHaveLength(5);
    expect(found.every((r) => r.startsWith('TR-6.'))).toBe(true);
  });

  it('ranks a real plan whole, exactly as bm25 over every match would', async () => {
    for (const words of ['annual health checks', 'waiting lists', 'EHCP quality', 'transition', 'workforce', 'co-production', 'ADHD assessment']) {
      const query = words
        .toLowerCase()
        .replace(/[^a-z\s]/g, ' ')
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => `"${w}"`)
        .join(' AND ');
      const all = await rows(db, sql`select rowid as id from action_search where action_search match ${query} order by bm25(action_search, 2.0, 1.0, 4.0, 0.5) limit 5`) as { id: number }[];
      expect(all.length).toBeGreaterThan(0);
      expect(await refs(words), words).toEqual(await Promise.all(all.map((r) => ref(r.id))));
    }
  });

  it('puts actions with every word first: "autism schools" finds only actions with both', async () => {
    const found = await refs('autism schools');
    expect(found.length).toBeGreaterThan(0);
    for (const r of found) {
      const { text, workstream, plan } = await textOf(r);
      const all = `${text} ${workstream} ${plan}`.toLowerCase();
      expect(all).toMatch(/autism/);
      expect(all).toMatch(/school/);
    }
  });

  it('prefers the whole word typed: "SEN" lists actions that say SEN before ones that say SEND', async () => {
    const found = await refs('SEN');
    expect(found).toHaveLength(5);
    const texts = await Promise.all(found.map(textOf));
    const sayingSen = found.filter((_r, i) => /\bSEN\b/.test(texts[i]?.text ?? ''));
    expect(sayingSen.length).toBeGreaterThan(0);
    expect(found.slice(0, sayingSen.length)).toEqual(sayingSen);
  });

  it('reads the start of a word: "neuro" finds neurodiversity actions too', async () => {
    const found = await refs('neuro');
    expect(found).toHaveLength(5);
    const texts = await Promise.all(found.map(textOf));
    expect(texts.some((t) => /neurodiversity/i.test(`${t.text} ${t.workstream} ${t.plan}`))).toBe(true);
  });

  it('leaves out a word no action has, instead of finding nothing', async () => {
    expect(await refs('annual health checks qqqzzz')).toEqual(await refs('annual health checks'));
    expect(await refs('qqqzzz')).toEqual([]);
  });

  it('ignores accents and punctuation', async () => {
    expect(await refs('ánnual heälth-checks!')).toEqual(await refs('annual health checks'));
  });

  it('falls back to any of the words when no action has them all', async () => {
    const found = await refs('prescribing housing');
    expect(found.length).toBeGreaterThan(0);
    for (const r of found) expect(`${(await textOf(r)).text} ${(await textOf(r)).workstream}`.toLowerCase()).toMatch(/prescrib|housing/);
  });
});

describe('searchActions when a phrase matches more actions than are ranked', () => {
  let db: Db;
  const clock = fixedClock('2025-01-13T10:00');
  beforeAll(async () => {
    // Every action mentions annual health checks; one in twenty also says "hearing".
    db = await cappedSearchPlanDb();
  });
  afterAll(() => closeTestDb(db));

  it('puts actions of the workstream named by the words first, every word in each, and says the list was cut', async () => {
    const result = await searchActions(sqliteOf(db), 'annual health checks', 5);
    expect(result.capped).toBe(true);
    expect(result.hits).toHaveLength(5);
    const row = async (id: number) => (await one(db, sql`select a.text, w.title from actions a join workstreams w on w.id = a.workstream_id where a.id = ${id}`)) as { text: string; title: string };
    for (const h of result.hits) {
      const { text, title } = await row(h.actionId);
      expect(text.toLowerCase()).toContain('annual health checks');
      // The first matches in plan order are in other workstreams: the workstream title decided.
      expect(title.toLowerCase()).toContain('annual health checks');
    }
    const firstMatch = (await value(db, sql`select min(rowid) from action_search where action_search match '"annual" AND "health" AND "checks"'`)) as number;
    expect((await row(firstMatch)).title.toLowerCase()).not.toContain('annual health checks');

    const admin = await findPersonByEmail(db, 'admin@example.org');
    if (!admin) throw new Error('generated plan has no admin');
    const reply = await runCommandText({ db, clock }, admin, 'cli', 'who annual health checks');
    expect(JSON.stringify(reply.blocks)).toContain(`More than ${RANKED_CANDIDATES} actions match`);
  });

  it('ranks every match of a narrower phrase, and does not say it was cut', async () => {
    const result = await searchActions(sqliteOf(db), 'annual health checks hearing', 5);
    expect(result.capped).toBe(false);
    expect(result.hits).toHaveLength(5);
    for (const h of result.hits) expect(String(await value(db, sql`select text from actions where id = ${h.actionId}`))).toContain('hearing tests');
  });
});
