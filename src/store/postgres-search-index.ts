// PostgreSQL's search index: the action_search table (db/migrations-pg/0001) with a weighted
// tsvector, ranked with ts_rank_cd. The twin of SQLite's FTS5 index (search-repository.ts), behind
// the same SearchIndex interface. It finds the same actions for the same words; the order within
// equally good matches may differ from bm25's (the tests check the hits and the top hit, not the
// exact order).
//
// How common each word is comes from action_search_lexemes (db/migrations-pg/0003: each indexed word
// and how many actions have it, kept by triggers): one index lookup per word says whether the plan
// has it, whole or as the start of a word, and bounds how many actions a question can match, which
// decides how many of them are fetched and ranked.
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
 * Up to this many matches are all ranked (SQLite's bm25 ranks as many, BM25_MAX_MATCHES). Beyond,
 * the first RANKED_CANDIDATES found in table order are ranked and the result says it is capped.
 */
const MAX_RANKED_MATCHES = 500;

/**
 * When every word of a question is in more actions than this (SQLite's BM25_MAX_WORD_ACTIONS), only
 * the first RANKED_CANDIDATES matches are ranked, however few match: at 100k actions a topic's words
 * are in 12,000 actions each, and the GIN index answers with every one of them (2-5 ms) before the
 * first can be ranked.
 */
const COMMON_WORD_ACTIONS = 5_000;

/**
 * A question of common words is first looked for in the table's first this many pages (1 MB, about
 * 2,000 actions), read in order, which stops at the RANKED_CANDIDATES-th match: under 1 ms where the
 * index takes 2-5 ms to list 12,000 matches. Only when the pages hold too few does the index find
 * the rest.
 */
const FIRST_PAGES = 128;

/** RANKED_CANDIDATES, read when called: search-index.ts imports this module before it sets it. */
const cappedCandidates = () => RANKED_CANDIDATES;

/** One word of the question as the plan has it: the tsquery term it searches with, and how common it is. */
interface Term {
  query: string;
  /** At least this many actions have it: exact for a whole word; for a prefix, the most any one word it starts is in. */
  fewest: number;
}

/** A word of the question: as a whole word when some action has it, else as the start of a word, else absent. */
interface ResolvedWord {
  term: Term | null;
  /** The same word as the start of a word, to fill places when whole words find too few. */
  prefix: Term | null;
}

export class PostgresSearchIndex implements SearchIndex {
  constructor(private readonly db: PostgresDb) {}

  search(words: string, limit = 5): Promise<SearchResult> {
    const db = this.db;
    return storeCall(db, async () => {
      // Each word as some action has it: whole, else as the start of a word ("neuro" finds
      // "neurodiversity"); a word no action has is left out, so one stray word does not sink the rest.
      const known = (await resolveWords(db, searchTerms(words))).filter((w): w is { term: Term; prefix: Term } => w.term !== null && w.prefix !== null);
      const whole = known.map((w) => w.term);
      const prefixes = known.map((w) => w.prefix);
      const joins = whole.length > 1 ? (['&', '|'] as const) : (['&'] as const);
      for (const join of joins) {
        const result = await rank(db, whole, join, limit);
        // Whole words found only a few: words that start with them fill the places.
        if (result.hits.length > 0 && result.hits.length < limit && prefixes.some((p, i) => p.query !== whole[i]?.query)) {
          const more = await rank(db, prefixes, join, limit);
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
      // then write each action's last document. (action_search_lexemes follows by its triggers.)
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

/** Indexed texts without accents, as the question's words are (searchTerms): "Café" is found by "cafe". */
function plain(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '');
}

/**
 * Per term, in order: how many actions have it as a whole word and as the start of a word, from
 * action_search_lexemes (one statement for every term; a round trip each is what costs). A term is
 * stemmed as the index stems it ("checks" is "check"); a stop word ("the", "doing") has no lexeme
 * and is absent.
 */
async function resolveWords(db: PostgresDb, terms: readonly string[]): Promise<ResolvedWord[]> {
  if (terms.length === 0) return [];
  const rows = await all<{ whole: number | null; started: number | null }>(
    db,
    // Each lexeme a term has must be there for the whole word (a term the parser splits in two needs
    // both parts); the words its first lexeme starts are one range of the C-ordered primary key.
    // Kept flat, one lookup of each kind per term: the planner guesses ten lexemes a term, and with
    // a range per guessed lexeme 15 terms came to PostgreSQL's JIT threshold (jit_above_cost): a
    // 40-word question took 41 ms compiling, not 1.3 ms.
    sql`select (select min(coalesce(l.actions, 0)) from unnest(x.lexemes) w left join action_search_lexemes l on l.lexeme = w) as whole,
               (select coalesce(max(l.actions), 0) from action_search_lexemes l
                 where l.lexeme >= x.lexemes[1] and l.lexeme < x.lexemes[1] || chr(1114111) and starts_with(l.lexeme, x.lexemes[1])) as started
          from unnest(${sql.param([...terms])}::text[]) with ordinality as t(term, n),
               lateral (select tsvector_to_array(to_tsvector('english', t.term)) as lexemes) x
         order by t.n`,
  );
  return rows.map((r, i) => {
    const term = terms[i] as string;
    const whole = Number(r.whole ?? 0);
    const started = Number(r.started ?? 0);
    if (started === 0) return { term: null, prefix: null };
    const prefix: Term = { query: `${term}:*`, fewest: started };
    return { term: whole > 0 ? { query: term, fewest: whole } : prefix, prefix };
  });
}

/**
 * The best `limit` matches of the terms joined with `join` (& all of them, | any). Up to one more
 * than MAX_RANKED_MATCHES are fetched, to tell whether they can all be ranked; when the words say
 * they cannot (more must match, or every word is common), only the first RANKED_CANDIDATES and one.
 */
async function rank(db: PostgresDb, terms: readonly Term[], join: '&' | '|', limit: number): Promise<SearchResult> {
  if (terms.length === 0) return { hits: [], capped: false };
  const counts = terms.map((t) => t.fewest);
  // An action with any one of the words matches them joined with |; with &, only one word is sure.
  const fewestMatches = join === '|' || terms.length === 1 ? Math.max(...counts) : 0;
  const common = fewestMatches > MAX_RANKED_MATCHES || Math.min(...counts) > COMMON_WORD_ACTIONS;
  const rankedAll = common ? cappedCandidates() : MAX_RANKED_MATCHES;
  const query = terms.map((t) => t.query).join(` ${join} `);
  const rows = await all<{ actionId: number; rank: number; matches: number }>(
    db,
    // The tsquery comes from a CTE, so the planner cannot guess its matches and always takes the
    // GIN index (with the words' statistics it chose to scan the table for some, which reads every
    // action for two common words no action has together). Ranked before the join with actions,
    // so only the best few are looked up (removed actions have no entry: the join is a guard).
    sql`with q as materialized (select to_tsquery('english', ${query}) as q),
         m as materialized (select x.action_id, x.document, row_number() over () as n
                              from (${common ? firstMatchesInOrder : allMatches}) x limit ${rankedAll + 1}),
         c as (select count(*)::integer as matches from m)
        select r."actionId", r.rank, r.matches from (
          select m.action_id as "actionId", -ts_rank_cd(${WEIGHTS}::float4[], m.document, q.q) as rank, c.matches
            from m, q, c
           where c.matches <= ${rankedAll} or m.n <= ${cappedCandidates()}
           order by rank, m.action_id limit ${limit}) r
          join actions a on a.id = r."actionId"
         where a.removed_at is null
         order by r.rank, r."actionId"`,
  );
  return { hits: rows.map(({ actionId, rank: r }) => ({ actionId, rank: r })), capped: (rows[0]?.matches ?? 0) > rankedAll };
}

/** Every match, from the GIN index (in table order). */
const allMatches = sql`select s.action_id, s.document from action_search s, q where s.document @@ q.q`;

/**
 * Every match in table order too, but those in the first FIRST_PAGES pages read from the pages
 * themselves: the union is read in order and stops at the limit, so the index is never asked when
 * the first pages hold enough. A literal page number, so the planner knows the range is small.
 */
const firstMatchesInOrder = sql.raw(
  `(select s.action_id, s.document from action_search s, q where s.ctid < '(${FIRST_PAGES},0)'::tid and s.document @@ q.q)
   union all
   (select s.action_id, s.document from action_search s, q where s.ctid >= '(${FIRST_PAGES},0)'::tid and s.document @@ q.q)`,
);

const INSERT_SEARCH_ROWS = new BatchedInsert('action_search', [
  { column: 'action_id', key: 'actionId', type: 'integer' },
  { column: 'ref', key: 'ref', type: 'text' },
  { column: 'text', key: 'text', type: 'text' },
  { column: 'workstream', key: 'workstream', type: 'text' },
  { column: 'plan', key: 'plan', type: 'text' },
]);
