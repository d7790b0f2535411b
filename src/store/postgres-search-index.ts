// PostgreSQL's search index: the action_search table (db/migrations-pg/0001) with a weighted
// tsvector, ranked with ts_rank_cd. The twin of SQLite's FTS5 index (search-repository.ts), behind
// the same SearchIndex interface. It finds the same actions for the same words; the order within
// equally good matches may differ from bm25's (the tests check the hits and the top hit, not the
// exact order).
import { sql } from 'drizzle-orm';
import type { PostgresDb } from './postgres-database.js';
import { BatchedInsert } from './batched-insert.js';
import { RANKED_CANDIDATES, type SearchDocument, type SearchIndex, type SearchIndexChange, type SearchResult } from './search-index.js';
import { searchTerms } from './search-repository.js';
import { all, run } from './statements.js';
import { storeCall } from './unit-of-work.js';

/** ts_rank_cd's weights for D, C, B, A: plan 0.125, text 0.25, ref 0.5, workstream 1 (bm25's 0.5, 1, 2, 4 scaled). */
const WEIGHTS = '{0.125,0.25,0.5,1.0}';

/**
 * Ranking costs per match: beyond this many, the first ones found are ranked (capped), as the index
 * scan meets them (in table order, which is the order actions were written): ordering every match
 * by id first read all 12,000 matches of a common word at 100k actions, 39 ms a question. A
 * function, not a constant: search-index.ts imports this module before RANKED_CANDIDATES is set.
 */
const maxRankedMatches = () => RANKED_CANDIDATES * 5;

/** Indexed texts without accents, as the question's words are (searchTerms): "Café" is found by "cafe". */
function plain(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '');
}

export class PostgresSearchIndex implements SearchIndex {
  constructor(private readonly db: PostgresDb) {}

  search(words: string, limit = 5): Promise<SearchResult> {
    const db = this.db;
    return storeCall(db, async () => {
      // Each word as some action has it: whole, else as the start of a word ("neuro" finds
      // "neurodiversity"); a word no action has is left out, so one stray word does not sink the rest.
      const whole: string[] = [];
      const prefixes: string[] = [];
      const terms = searchTerms(words);
      const found = await howTermsMatch(db, terms);
      terms.forEach((term, i) => {
        if (found[i] === 'whole') whole.push(term);
        else if (found[i] === 'prefix') whole.push(`${term}:*`);
        else return;
        prefixes.push(`${term}:*`);
      });
      const joins = whole.length > 1 ? [' & ', ' | '] : [' & '];
      for (const join of joins) {
        const result = await rank(db, whole.join(join), limit);
        // Whole words found only a few: words that start with them fill the places.
        if (result.hits.length > 0 && result.hits.length < limit && prefixes.some((p, i) => p !== whole[i])) {
          const more = await rank(db, prefixes.join(join), limit);
          const seen = new Set(result.hits.map((h) => h.actionId));
          result.hits.push(...more.hits.filter((h) => !seen.has(h.actionId)).slice(0, limit - result.hits.length));
          result.capped ||= more.capped;
        }
        if (result.hits.length > 0) return result;
      }
      return { hits: [], capped: false };
    });
  }

  reindex(changes: readonly SearchIndexChange[]): Promise<void> {
    const db = this.db;
    return storeCall(db, async () => {
      // In two statements, not two per action (an import reindexes every action it writes): each
      // action ends with the entry of its last change, so remove every entry a change replaces,
      // then write each action's last document.
      const replaced = new Set<number>();
      const last = new Map<number, SearchIndexChange['document']>();
      for (const { actionId, replaces, document } of changes) {
        if (replaces) replaced.add(actionId);
        last.delete(actionId);
        last.set(actionId, document);
      }
      if (replaced.size > 0) await run(db, sql`delete from action_search where action_id = any(${sql.param([...replaced])}::integer[])`);
      const rows = [...last].filter((entry): entry is [number, SearchDocument] => entry[1] !== null);
      if (rows.length > 0) await INSERT_SEARCH_ROWS.run(db, rows.map(([actionId, d]) => ({ actionId, ref: plain(d.ref), text: plain(d.text), workstream: plain(d.workstream), plan: plain(d.plan) })));
    });
  }
}

/**
 * Per term, in order: whether some action has it as a whole word, else as the start of a word
 * (`term:*`), else not at all. One statement for every term (a round trip each is what costs).
 */
async function howTermsMatch(db: PostgresDb, terms: readonly string[]): Promise<('whole' | 'prefix' | 'none')[]> {
  if (terms.length === 0) return [];
  const rows = await all<{ found: number }>(
    db,
    // Each term's two queries made once (offset 0 keeps the planner from folding them back into a
    // call per row scanned), and a stop word ("who", "the": an empty query) answered without a scan:
    // "who is doing the preparation for adulthood…" took 449 ms at 100k actions, mostly those.
    sql`select case when numnode(x.whole) = 0 then 0
                    when exists (select 1 from action_search where document @@ x.whole) then 1
                    when exists (select 1 from action_search where document @@ x.prefix) then 2
                    else 0 end as found
          from unnest(${sql.param([...terms])}::text[]) with ordinality as t(term, n),
               lateral (select to_tsquery('english', t.term) as whole, to_tsquery('english', t.term || ':*') as prefix offset 0) x
         order by t.n`,
  );
  return rows.map((r) => (r.found === 1 ? 'whole' : r.found === 2 ? 'prefix' : 'none'));
}

async function rank(db: PostgresDb, query: string, limit: number): Promise<SearchResult> {
  if (query === '') return { hits: [], capped: false };
  const rows = await all<{ actionId: number; rank: number; matches: number }>(
    db,
    sql`with q as (select to_tsquery('english', ${query}) as q),
         m as (select s.action_id, s.document from action_search s join actions a on a.id = s.action_id, q
               where s.document @@ q.q and a.removed_at is null limit ${maxRankedMatches() + 1})
        select m.action_id as "actionId", -ts_rank_cd(${WEIGHTS}::float4[], m.document, q.q) as rank, count(*) over () as matches
          from m, q order by rank, m.action_id limit ${limit}`,
  );
  return { hits: rows.map(({ actionId, rank: r }) => ({ actionId, rank: r })), capped: (rows[0]?.matches ?? 0) > maxRankedMatches() };
}

const INSERT_SEARCH_ROWS = new BatchedInsert('action_search', [
  { column: 'action_id', key: 'actionId', type: 'integer' },
  { column: 'ref', key: 'ref', type: 'text' },
  { column: 'text', key: 'text', type: 'text' },
  { column: 'workstream', key: 'workstream', type: 'text' },
  { column: 'plan', key: 'plan', type: 'text' },
]);
