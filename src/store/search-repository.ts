import { cachedStatement, type Db } from './database.js';

// Words that say nothing about which action is meant ("who owns the … work").
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it of on or the to with who whose owns own owner owning what which work works working action actions about does do this that these those me my our please find show'.split(' '),
);

/**
 * How many matches are ranked with bm25 at most. bm25 over 12,000 matches (a common phrase on a
 * 100k-action plan) takes longer than the whole command may; a real plan of a few hundred actions
 * never has this many matches and is ranked whole.
 */
export const RANKED_CANDIDATES = 200;

/**
 * bm25 first counts every action that has each word, so a word in more actions than this makes it
 * slower than the whole command may be (a topic word of a 100k-action plan is in 12,000). A real
 * plan, of a few hundred or thousand actions, always gets bm25.
 */
const BM25_MAX_WORD_ACTIONS = 5_000;

export interface SearchHit {
  actionId: number;
  /** Lower is better: bm25's score, or the tier when more than RANKED_CANDIDATES matched. */
  rank: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** More than RANKED_CANDIDATES actions matched: the hits come from the first ones in plan order. */
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
function knownTerms(db: Db, terms: string[]): { words: string[]; whole: string[]; prefixes: string[] } {
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
export function searchActions(db: Db, words: string, limit = 5): SearchResult {
  const { words: known, whole, prefixes } = knownTerms(db, searchTerms(words));
  const common = cachedStatement(db, 'select 1 from action_search where action_search match ? limit 1 offset ?').pluck();
  const bm25 = whole.every((term) => !common.get(term, BM25_MAX_WORD_ACTIONS));
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
}

function rankMatches(db: Db, query: string, words: string[], limit: number, bm25: boolean): SearchResult {
  if (query === '') return { hits: [], capped: false };
  // The rowid just past the first RANKED_CANDIDATES matches; none when fewer match.
  const end = cachedStatement(db, 'select rowid from action_search where action_search match ? limit 1 offset ?')
    .pluck()
    .get(query, RANKED_CANDIDATES) as number | undefined;
  if (end !== undefined || !bm25) return { hits: rankCandidates(db, query, words, end ?? Number.MAX_SAFE_INTEGER, limit), capped: end !== undefined };
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
 * Where more than RANKED_CANDIDATES actions match, or a word is in more than BM25_MAX_WORD_ACTIONS,
 * bm25 costs more than the whole command may (and FTS5's column filters as much). So the first
 * RANKED_CANDIDATES matches in plan order are scored here, on the columns bm25 weighs most: each
 * word in the workstream's title counts 4, in the action's text 1 (bm25's weights); ties keep plan
 * order. `rank` is minus that score.
 */
function rankCandidates(db: Db, query: string, words: string[], end: number, limit: number): SearchHit[] {
  const rows = cachedStatement(
    db,
    // The cast matters: FTS5 uses a rowid bound only when it is an integer, and JS numbers bind as reals.
    `select s.rowid as actionId, s.workstream, s.text from action_search s join actions a on a.id = s.rowid
     where action_search match ? and s.rowid < cast(? as integer) and a.removed_at is null`,
  ).all(query, end) as { actionId: number; workstream: string; text: string }[];
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
