import { cachedStatement, type Db } from './database.js';

// Words that say nothing about which action is meant ("who owns the … work").
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it of on or the to with who whose owns own owner owning what which work works working action actions about does do this that these those me my our please find show'.split(' '),
);

/**
 * How many matches are ranked at most. bm25 costs about a microsecond a row, so ranking every one
 * of 12,000 matches (a common phrase on a 100k-action plan) takes longer than the whole command
 * may; a real plan of a few hundred actions never has this many matches and is ranked whole.
 */
export const RANKED_CANDIDATES = 500;

export interface SearchHit {
  actionId: number;
  rank: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** More than RANKED_CANDIDATES actions matched: the hits are the best of the first ones in plan order. */
  capped: boolean;
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
function knownTerms(db: Db, terms: string[]): { whole: string[]; prefixes: string[] } {
  const exists = cachedStatement(db, 'select 1 from action_search where action_search match ? limit 1').pluck();
  const whole: string[] = [];
  const prefixes: string[] = [];
  for (const term of terms) {
    if (exists.get(`"${term}"`)) whole.push(`"${term}"`);
    else if (exists.get(`"${term}"*`)) whole.push(`"${term}"*`);
    else continue;
    prefixes.push(`"${term}"*`);
  }
  return { whole, prefixes };
}

/**
 * Ranked full-text search over action texts, workstream and plan titles (bm25; a match in the
 * workstream title counts most, since people name the work by its workstream). Actions with every
 * word come first, and only when none has them all, actions with any of them. Within each, whole
 * words rank first; when they find fewer than `limit`, words that start with them fill the places.
 */
export function searchActions(db: Db, words: string, limit = 5): SearchResult {
  const { whole, prefixes } = knownTerms(db, searchTerms(words));
  const joins = whole.length > 1 ? (['AND', 'OR'] as const) : (['AND'] as const);
  for (const join of joins) {
    const result = rankMatches(db, whole.join(` ${join} `), limit);
    // Only when whole words found a few: when they found none together, the prefixes rarely do
    // either and cost the most (on a 100k-action plan, seven common prefixes take ~15 ms).
    if (result.hits.length > 0 && result.hits.length < limit && prefixes.some((p, i) => p !== whole[i])) {
      const more = rankMatches(db, prefixes.join(` ${join} `), limit);
      const seen = new Set(result.hits.map((h) => h.actionId));
      result.hits.push(...more.hits.filter((h) => !seen.has(h.actionId)).slice(0, limit - result.hits.length));
      result.capped ||= more.capped;
    }
    if (result.hits.length > 0) return result;
  }
  return { hits: [], capped: false };
}

function rankMatches(db: Db, query: string, limit: number): SearchResult {
  if (query === '') return { hits: [], capped: false };
  // The rowid just past the candidates (none when fewer match): FTS5 then walks and ranks only the
  // rows before it. Ranking comes before the join, so only `limit` rows are looked up in actions.
  const end = cachedStatement(db, 'select rowid from action_search where action_search match ? limit 1 offset ?')
    .pluck()
    .get(query, RANKED_CANDIDATES) as number | undefined;
  const hits = cachedStatement(
    db,
    // The cast matters: FTS5 only uses a rowid bound that is an integer, and JS numbers bind as reals.
    `select s.id as actionId, s.rank from (
       select rowid as id, bm25(action_search, 2.0, 1.0, 4.0, 0.5) as rank from action_search
       where action_search match ? and rowid < cast(? as integer) order by rank limit ?
     ) s join actions a on a.id = s.id
     where a.removed_at is null
     order by s.rank`,
  ).all(query, end ?? Number.MAX_SAFE_INTEGER, limit) as SearchHit[];
  return { hits, capped: end !== undefined };
}
