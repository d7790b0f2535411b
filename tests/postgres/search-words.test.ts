// PostgreSQL's search index beyond what both databases share (tests/store/search-index.test.ts):
// - action_search_lexemes, the count of actions per indexed word that the search reads to tell which
//   words the plan has and how common they are, stays true however action_search is written (plan
//   imports that add, change and drop actions, a reindex, a plain update, a truncate), and is filled
//   for an index built before the table existed;
// - a question whose words are all too common to rank every match ranks the first
//   RANKED_CANDIDATES matches in table order, whether the table's first pages hold them or the GIN
//   index has to find them.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlanDocument } from '../../bench/generate-plan.js';
import { parseInstant } from '../../src/clock.js';
import { postgresMigrationsFolder } from '../../src/paths.js';
import { migratePostgres } from '../../src/store/postgres-migrations.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { RANKED_CANDIDATES, searchIndexFor } from '../../src/store/search-index.js';
import { type PostgresTestDatabase, freshPostgresDatabase } from '../helpers/postgres-test-db.js';
import { closeTestDb, type Db, rows, run, sql, testDbWithPath, value } from '../helpers/test-db.js';
import { tempDir } from '../helpers/temp.js';

/**
 * The table's counts, and the same counted from action_search itself, as word → actions. A word no
 * action has any more stays in the table at 0 (the search reads it as absent); never below.
 */
async function counts(db: Db): Promise<{ kept: Map<string, number>; truth: Map<string, number> }> {
  expect(Number(await value(db, sql`select count(*) from action_search_lexemes where actions < 0`))).toBe(0);
  const kept = await rows<{ lexeme: string; actions: number }>(db, sql`select lexeme, actions from action_search_lexemes where actions > 0`);
  const truth = await rows<{ lexeme: string; actions: number }>(db, sql`select w.lexeme, count(*)::integer as actions from action_search s, unnest(s.document) w group by w.lexeme`);
  const asMap = (list: { lexeme: string; actions: number }[]) => new Map(list.map((r) => [r.lexeme, Number(r.actions)]));
  return { kept: asMap(kept), truth: asMap(truth) };
}

async function expectCountsTrue(db: Db): Promise<Map<string, number>> {
  const { kept, truth } = await counts(db);
  expect([...kept].sort()).toEqual([...truth].sort());
  return kept;
}

describe('action_search_lexemes', () => {
  it('counts the actions of each word through imports that add, change and drop actions, a reindex, an update and a truncate', async () => {
    const { db } = await testDbWithPath();
    try {
      const doc = generatePlanDocument({ actions: 60, boards: 1 });
      await importPlanDocument(db, doc, { now: parseInstant('2024-09-02T09:00'), file: 'generated' });
      const first = await expectCountsTrue(db);
      expect(first.get('annual')).toBe(Number(await value(db, sql`select count(*) from actions a join workstreams w on w.id = a.workstream_id where a.text ilike '%annual%' or w.title ilike '%annual%'`)));
      expect(first.has('quokka')).toBe(false);

      // Three actions say something new; the last workstream goes, and the words only it had.
      const plan = doc.plans[0];
      if (!plan) throw new Error('generated plan has no plans');
      const changed = plan.workstreams[0]?.actions ?? [];
      for (const action of changed.slice(0, 3)) action.text = 'Quokka census of the borough';
      plan.workstreams.pop();
      await importPlanDocument(db, doc, { now: parseInstant('2024-10-01T09:00'), file: 'generated', removeMissing: true });
      const second = await expectCountsTrue(db);
      expect(second.get('quokka')).toBe(3);
      expect(second.get('census')).toBe(3);
      expect(Number(await value(db, sql`select count(*) from action_search`))).toBe(55);

      // A reindex that removes one entry, and an update of another's text in place.
      const quokkas = await rows<{ id: number }>(db, sql`select action_id as id from action_search where text like 'Quokka%' order by action_id`);
      await searchIndexFor(db).reindex([{ actionId: quokkas[0]?.id ?? 0, replaces: true, document: null }]);
      await run(db, sql`update action_search set text = 'Wombat survey' where action_id = ${quokkas[1]?.id ?? 0}`);
      const third = await expectCountsTrue(db);
      expect(third.get('quokka')).toBe(1);
      expect(third.get('wombat')).toBe(1);
      expect((await searchIndexFor(db).search('quokka')).hits.map((h) => h.actionId)).toEqual([quokkas[2]?.id]);
      // The last action with the word goes: it is kept at 0, and neither it nor its start finds anything.
      await searchIndexFor(db).reindex([{ actionId: quokkas[2]?.id ?? 0, replaces: true, document: null }]);
      await expectCountsTrue(db);
      expect(Number(await value(db, sql`select actions from action_search_lexemes where lexeme = 'quokka'`))).toBe(0);
      expect((await searchIndexFor(db).search('quokka')).hits).toEqual([]);
      expect((await searchIndexFor(db).search('quokk')).hits).toEqual([]);
      expect((await searchIndexFor(db).search('quokka wombat')).hits.map((h) => h.actionId)).toEqual([quokkas[1]?.id]);

      await run(db, sql`truncate action_search`);
      expect(Number(await value(db, sql`select count(*) from action_search_lexemes`))).toBe(0);
    } finally {
      await closeTestDb(db);
    }
  });

  it('is filled from the entries already indexed when a database migrates to it', async () => {
    // The migrations up to the one before action_search_lexemes, from a copy of the folder.
    const folder = join(tempDir('sendbot-migrations-'), 'migrations-pg');
    cpSync(postgresMigrationsFolder(), folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag.endsWith('_action_search_lexemes'));
    expect(at).toBeGreaterThan(0);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));

    const database: PostgresTestDatabase = await freshPostgresDatabase('sendbot_lexemes');
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      await migratePostgres(pool, folder);
      expect((await pool.query("select to_regclass('action_search_lexemes') is null as missing")).rows[0]).toEqual({ missing: true });
      await pool.query(`insert into action_search (action_id, ref, text, workstream, plan) values
        (1, 'ND-1.1', 'Review the neurodiversity profiling tool', 'Neurodiversity', 'Plan'),
        (2, 'ND-1.2', 'Train staff on the profiling tool', 'Neurodiversity', 'Plan'),
        (3, 'TR-1.1', 'Annual health checks', 'Transitions', 'Plan')`);

      await migratePostgres(pool);
      const { rows: kept } = await pool.query<{ lexeme: string; actions: number }>('select lexeme, actions from action_search_lexemes');
      const { rows: truth } = await pool.query<{ lexeme: string; actions: number }>('select w.lexeme, count(*)::integer as actions from action_search s, unnest(s.document) w group by w.lexeme');
      const asObject = (list: { lexeme: string; actions: number }[]) => Object.fromEntries(list.map((r) => [r.lexeme, r.actions]));
      expect(asObject(kept)).toEqual(asObject(truth));
      expect(asObject(kept)).toMatchObject({ neurodivers: 2, profil: 2, tool: 2, plan: 3, annual: 1, check: 1, train: 1 });
    } finally {
      await pool.end();
      await database.drop();
    }
  });
});

describe('a question of words too common to rank every match', () => {
  // Every action of this plan names annual health checks: each word is in more actions than the
  // search ranks every match of (5,000, SQLite's limit too).
  const ACTIONS = 5_200;
  let db: Db;
  beforeAll(async () => {
    const doc = generatePlanDocument({ actions: ACTIONS, boards: 2 });
    for (const plan of doc.plans) for (const ws of plan.workstreams) for (const action of ws.actions) action.text = `Annual health checks: ${action.text}`;
    ({ db } = await testDbWithPath());
    await importPlanDocument(db, doc, { now: parseInstant('2024-09-02T09:00'), file: 'generated' });
  }, 120_000);
  afterAll(() => closeTestDb(db));

  /** The best five of the first RANKED_CANDIDATES matches in table order, by the search's own weights. */
  const bestOfFirstMatches = async () =>
    (
      await rows<{ id: number }>(
        db,
        sql`select action_id as id from (
              select action_id, document from action_search where document @@ to_tsquery('english', 'annual & health & checks') order by ctid limit ${RANKED_CANDIDATES}) m
            order by ts_rank_cd('{0.125,0.25,0.5,1.0}'::float4[], document, to_tsquery('english', 'annual & health & checks')) desc, action_id limit 5`,
      )
    ).map((r) => r.id);

  it('ranks the first ones in table order, from the first pages of the table', async () => {
    expect(Number(await value(db, sql`select actions from action_search_lexemes where lexeme = 'annual'`))).toBe(ACTIONS);
    const result = await searchIndexFor(db).search('annual health checks', 5);
    expect(result.capped).toBe(true);
    expect(result.hits.map((h) => h.actionId)).toEqual(await bestOfFirstMatches());
    expect(Math.max(...result.hits.map((h) => h.actionId))).toBeLessThan(RANKED_CANDIDATES * 2);
  });

  it('ranks the first ones in table order from the GIN index when the first pages hold none', async () => {
    // Rewriting the first 3,000 entries as they are moves them to the end of the table: the first
    // pages hold only their dead copies, and the first matches are now later actions.
    const moved = await rows<{ actionId: number; ref: string; text: string; workstream: string; plan: string }>(
      db,
      sql`select action_id as "actionId", ref, text, workstream, plan from action_search where action_id <= 3000 order by action_id`,
    );
    await searchIndexFor(db).reindex(moved.map(({ actionId, ...document }) => ({ actionId, replaces: true, document })));
    expect(Number(await value(db, sql`select actions from action_search_lexemes where lexeme = 'annual'`))).toBe(ACTIONS);

    const expected = await bestOfFirstMatches();
    expect(Math.min(...expected)).toBeGreaterThan(3000);
    const result = await searchIndexFor(db).search('annual health checks', 5);
    expect(result.capped).toBe(true);
    expect(result.hits.map((h) => h.actionId)).toEqual(expected);
  });
});
