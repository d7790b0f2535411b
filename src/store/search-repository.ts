// SQLite's search index: FTS5's action_search table (see migration 0001), ranked with bm25.
// Callers use it through the SearchIndex interface (search-index.ts); searchActions is that search
// as a function.
import { cachedStatement, type SqliteDb } from './database.js';
import { storeCall } from './unit-of-work.js';
import { RANKED_CANDIDATES, type SearchHit, type SearchIndex, type SearchIndexChange, type SearchResult } from './search-index.js';

export { RANKED_CANDIDATES } from './search-index.js';
export type { SearchHit, SearchResult } from './search-index.js';

// Words that say nothing about which action is meant ("who owns the … work").
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it of on or the to with who whose owns own owner owning what which work works working action actions about does do this that these those me my our please find show'.split(' '),
);

/**
 * bm25 ranks at most this many matches, and only when no word is in more than
 * BM25_MAX_WORD_ACTIONS actions: before ranking one row it counts every action that has each word,
 * then scores every match. On the 100k-action benchmark plan a topic phrase matches 12,000 actions
 * and each of its words is in as many, which takes longer than the whole command may. Real plans
 * (hundreds or a few thousand actions) stay well inside both limits and are ranked whole.
 */
export const BM25_MAX_MATCHES = 500;
const BM25_MAX_WORD_ACTIONS = 5_000;

// Beyond those limits, the first RANKED_CANDIDATES matches in plan order are scored by column
// instead. A hit's rank is bm25's score, or minus the column score (see rankCandidates).

/** The FTS5 index: searches as searchActions does; reindex writes action_search rows by action id. */
export class Fts5SearchIndex implements SearchIndex {
  constructor(private readonly db: SqliteDb) {}

  async search(words: string, limit = 5): Promise<SearchResult> {
    return await searchActions(this.db, words, limit);
  }

  async reindex(changes: readonly SearchIndexChange[]): Promise<void> {
    return storeCall(this.db, () => {
      if (changes.length === 0) return;
      const remove = cachedStatement(this.db, 'delete from action_search where rowid = ?');
      const insert = cachedStatement(this.db, 'insert into action_search (rowid, ref, text, workstream, plan) values (?, ?, ?, ?, ?)');
      for (const { actionId, replaces, document } of changes) {
        if (replaces) remove.run(actionId);
        if (document) insert.run(actionId, document.ref, document.text, document.workstream, document.plan);
      }
    });
  }
}

/** The significant words of a question, lower-cased, without punctuation, accents or stop words. */
export function searchTerms(words: string): string[] {
  const terms = words
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w));
  return [...new Set(terms)];
}

/**
 * Each word as the plan knows it: the whole word when some action has it, else as the start of a
 * word ("neuro" finds "neurodiversity"); words no action has are left out, so one stray word does
 * not sink the rest. Whole words come first because they are what was typed ("SEN" should not find
 * "SEND" and "sensory" first) and because they are cheap: a prefix makes FTS5 merge the lists of
 * every word that starts with it.
 */
function knownTerms(db: SqliteDb, terms: string[]): { words: string[]; whole: string[]; prefixes: string[] } {
  const exists = cachedStatement(db, 'select 1 from action_search where action_search match ? limit 1').pluck();
  const words: string[] = [];
  const whole: string[] = [];
  const prefixes: string[] = [];
  for (const term of terms) {
    if (exists.get(`"${term}"`)) whole.push(`"${term}"`);
    else if (exists.get(`"${term}"*`)) whole.push(`"${term}"*`);
    else continue;
    words.push(term);
    prefixes.push(`"${term}"*`);
  }
  return { words, whole, prefixes };
}

/**
 * Ranked full-text search over action texts, workstream and plan titles (bm25; a match in the
 * workstream title counts most, since people name the work by its workstream). Actions with every
 * word come first, and only when none has them all, actions with any of them. Within each, whole
 * words rank first; when they find fewer than `limit`, words that start with them fill the places.
 */
export function searchActions(db: SqliteDb, words: string, limit = 5): Promise<SearchResult> {
  return storeCall(db, () => {
    const { words: known, whole, prefixes } = knownTerms(db, searchTerms(words));
    // Asked only when at most BM25_MAX_MATCHES match (more never get bm25), and then once.
    let affordable: boolean | undefined;
    const bm25 = () => {
      const common = cachedStatement(db, 'select 1 from action_search where action_search match ? limit 1 offset ?').pluck();
      affordable ??= whole.every((term) => !common.get(term, BM25_MAX_WORD_ACTIONS));
      return affordable;
    };
    const joins = whole.length > 1 ? (['AND', 'OR'] as const) : (['AND'] as const);
    for (const join of joins) {
      const result = rankMatches(db, whole.join(` ${join} `), known, limit, bm25);
      // Only when whole words found a few: when they found none together, the prefixes rarely do
      // either and cost the most (on a 100k-action plan, seven common prefixes take ~15 ms).
      if (result.hits.length > 0 && result.hits.length < limit && prefixes.some((p, i) => p !== whole[i])) {
        const more = rankMatches(db, prefixes.join(` ${join} `), known, limit, bm25);
        const seen = new Set(result.hits.map((h) => h.actionId));
        result.hits.push(...more.hits.filter((h) => !seen.has(h.actionId)).slice(0, limit - result.hits.length));
        result.capped ||= more.capped;
      }
      if (result.hits.length > 0) return result;
    }
    return { hits: [], capped: false };
  });
}

function rankMatches(db: SqliteDb, query: string, words: string[], limit: number, bm25: () => boolean): SearchResult {
  if (query === '') return { hits: [], capped: false };
  // One walk of the matches, up to just past bm25's limit: how many there are, and the first ones.
  const ids = cachedStatement(db, 'select rowid from action_search where action_search match ? limit ?').pluck().all(query, BM25_MAX_MATCHES + 1) as number[];
  if (ids.length === 0) return { hits: [], capped: false };
  if (ids.length > BM25_MAX_MATCHES || !bm25()) {
    return { hits: rankCandidates(db, ids.slice(0, RANKED_CANDIDATES), words, limit), capped: ids.length > RANKED_CANDIDATES };
  }
  // Ranking comes before the join, so only `limit` rows are looked up in actions.
  const hits = cachedStatement(
    db,
    `select s.id as actionId, s.rank from (
       select rowid as id, bm25(action_search, 2.0, 1.0, 4.0, 0.5) as rank from action_search
       where action_search match ? order by rank limit ?
     ) s join actions a on a.id = s.id
     where a.removed_at is null
     order by s.rank`,
  ).all(query, limit) as SearchHit[];
  return { hits, capped: false };
}

/**
 * Beyond bm25's limits (FTS5's column filters cost as much, so they are no way out), the first
 * RANKED_CANDIDATES matches in plan order are scored here on the columns bm25 weighs most: each
 * word in the workstream's title counts 4, in the action's text 1 (bm25's weights); ties keep plan
 * order. `rank` is minus that score.
 */
function rankCandidates(db: SqliteDb, ids: number[], words: string[], limit: number): SearchHit[] {
  const rows = cachedStatement(
    db,
    // The indexed texts are these columns; reading them by primary key is cheaper than from FTS5.
    `select a.id as actionId, w.title as workstream, a.text from actions a join workstreams w on w.id = a.workstream_id
     where a.id in (select value from json_each(?)) and a.removed_at is null
     order by a.id`,
  ).all(JSON.stringify(ids)) as { actionId: number; workstream: string; text: string }[];
  // A word's start, so "checks" also finds "check" and "breaks" finds "break" (FTS5 matched stems).
  const starts = words.map((w) => new RegExp(`(?:^|[^\\p{L}\\p{N}])${w.length > 4 ? w.replace(/(?:ing|ed|es|s)$/u, '') : w}`, 'iu'));
  const plain = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '');
  return rows
    .map((r, order) => {
      const workstream = plain(r.workstream);
      const text = plain(r.text);
      const score = starts.reduce((sum, start) => sum + (start.test(workstream) ? 4 : 0) + (start.test(text) ? 1 : 0), 0);
      return { actionId: r.actionId, rank: -score, order };
    })
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, limit)
    .map(({ actionId, rank }) => ({ actionId, rank }));
}
