// Free-text search (`/send who <words>`) on the real demo plan, and on a plan where a phrase
// matches more actions than are ranked.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlanDocument } from '../../bench/generate-plan.js';
import { fixedClock, parseInstant } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { closeDatabase, type Db, openDatabase } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { BM25_MAX_MATCHES, RANKED_CANDIDATES, searchActions } from '../../src/store/search-repository.js';
import { demoDb } from '../helpers/demo-db.js';
import { tempDir } from '../helpers/temp.js';

describe('searchActions on the demo plan', () => {
  let db: Db;
  beforeAll(async () => {
    db = (await demoDb()).db;
  });
  afterAll(() => closeDatabase(db));

  const refs = (words: string, limit = 5) => searchActions(db, words, limit).hits.map((h) => ref(h.actionId));
  const ref = (id: number) => (db.$client.prepare('select ref from actions where id = ?').get(id) as { ref: string }).ref;
  const textOf = (r: string) =>
    db.$client.prepare('select s.text, s.workstream, s.plan from action_search s join actions a on a.id = s.rowid where a.ref = ?').get(r) as {
      text: string;
      workstream: string;
      plan: string;
    };

  it('finds the workstream people name: annual health checks', () => {
    const found = refs('who owns the annual health checks work');
    expect(found).toHaveLength(5);
    expect(found.every((r) => r.startsWith('TR-6.'))).toBe(true);
  });

  it('ranks a real plan whole, exactly as bm25 over every match would', () => {
    for (const words of ['annual health checks', 'waiting lists', 'EHCP quality', 'transition', 'workforce', 'co-production', 'ADHD assessment']) {
      const query = words
        .toLowerCase()
        .replace(/[^a-z\s]/g, ' ')
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => `"${w}"`)
        .join(' AND ');
      const all = db.$client
        .prepare('select rowid as id from action_search where action_search match ? order by bm25(action_search, 2.0, 1.0, 4.0, 0.5) limit 5')
        .all(query) as { id: number }[];
      expect(all.length).toBeGreaterThan(0);
      expect(refs(words), words).toEqual(all.map((r) => ref(r.id)));
    }
  });

  it('puts actions with every word first: "autism schools" finds only actions with both', () => {
    const found = refs('autism schools');
    expect(found.length).toBeGreaterThan(0);
    for (const r of found) {
      const { text, workstream, plan } = textOf(r);
      const all = `${text} ${workstream} ${plan}`.toLowerCase();
      expect(all).toMatch(/autism/);
      expect(all).toMatch(/school/);
    }
  });

  it('prefers the whole word typed: "SEN" lists actions that say SEN before ones that say SEND', () => {
    const found = refs('SEN');
    expect(found).toHaveLength(5);
    const sayingSen = found.filter((r) => /\bSEN\b/.test(textOf(r).text));
    expect(sayingSen.length).toBeGreaterThan(0);
    expect(found.slice(0, sayingSen.length)).toEqual(sayingSen);
  });

  it('reads the start of a word: "neuro" finds neurodiversity actions too', () => {
    const found = refs('neuro');
    expect(found).toHaveLength(5);
    expect(found.some((r) => /neurodiversity/i.test(`${textOf(r).text} ${textOf(r).workstream} ${textOf(r).plan}`))).toBe(true);
  });

  it('leaves out a word no action has, instead of finding nothing', () => {
    expect(refs('annual health checks qqqzzz')).toEqual(refs('annual health checks'));
    expect(refs('qqqzzz')).toEqual([]);
  });

  it('ignores accents and punctuation', () => {
    expect(refs('ánnual heälth-checks!')).toEqual(refs('annual health checks'));
  });

  it('falls back to any of the words when no action has them all', () => {
    const found = refs('prescribing housing');
    expect(found.length).toBeGreaterThan(0);
    for (const r of found) expect(`${textOf(r).text} ${textOf(r).workstream}`.toLowerCase()).toMatch(/prescrib|housing/);
  });
});

describe('searchActions when a phrase matches more actions than are ranked', () => {
  let db: Db;
  const clock = fixedClock('2025-01-13T10:00');
  beforeAll(() => {
    // Every action of this generated plan mentions annual health checks; one in twenty also says "hearing".
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
    db = openDatabase(join(tempDir('sendbot-search-'), 'sendbot.db'));
    importPlanDocument(db, doc, { now: parseInstant('2024-09-02T09:00'), file: 'generated' });
  });
  afterAll(() => closeDatabase(db));

  it('puts actions of the workstream named by the words first, every word in each, and says the list was cut', () => {
    const result = searchActions(db, 'annual health checks', 5);
    expect(result.capped).toBe(true);
    expect(result.hits).toHaveLength(5);
    const row = db.$client.prepare('select a.text, w.title from actions a join workstreams w on w.id = a.workstream_id where a.id = ?');
    for (const h of result.hits) {
      const { text, title } = row.get(h.actionId) as { text: string; title: string };
      expect(text.toLowerCase()).toContain('annual health checks');
      // The first matches in plan order are in other workstreams: the workstream title decided.
      expect(title.toLowerCase()).toContain('annual health checks');
    }
    const firstMatch = db.$client.prepare("select min(rowid) from action_search where action_search match '\"annual\" AND \"health\" AND \"checks\"'").pluck().get() as number;
    expect((row.get(firstMatch) as { title: string }).title.toLowerCase()).not.toContain('annual health checks');

    const admin = findPersonByEmail(db, 'admin@example.org');
    if (!admin) throw new Error('generated plan has no admin');
    const reply = runCommandText({ db, clock }, admin, 'cli', 'who annual health checks');
    expect(JSON.stringify(reply.blocks)).toContain(`More than ${RANKED_CANDIDATES} actions match`);
  });

  it('ranks every match of a narrower phrase, and does not say it was cut', () => {
    const result = searchActions(db, 'annual health checks hearing', 5);
    expect(result.capped).toBe(false);
    expect(result.hits).toHaveLength(5);
    const text = db.$client.prepare('select text from actions where id = ?').pluck();
    for (const h of result.hits) expect(String(text.get(h.actionId))).toContain('hearing tests');
  });
});
