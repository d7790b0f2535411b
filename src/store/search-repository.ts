import { cachedStatement, type Db } from './database.js';

// Words that say nothing about which action is meant ("who owns the … work").
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it of on or the to with who whose owns own owner owning what which work works working action actions about does do this that these those me my our please find show'.split(' '),
);

export interface SearchHit {
  actionId: number;
  rank: number;
}

/** Turns free words into an FTS5 query: significant words, all of them (AND) or any of them (OR). */
export function toFtsQuery(words: string, join: 'AND' | 'OR' = 'OR'): string | undefined {
  const terms = words
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w));
  if (terms.length === 0) return undefined;
  return [...new Set(terms)].map((t) => `"${t}"*`).join(` ${join} `);
}

/**
 * Ranked full-text search over action texts, workstream and plan titles (bm25; a match in the
 * workstream title counts most, since people name the work by its workstream).
 */
export function searchActions(db: Db, words: string, limit = 5): SearchHit[] {
  // Actions with every word first (fewer rows to rank, and what people mean); any word otherwise.
  for (const join of ['AND', 'OR'] as const) {
    const query = toFtsQuery(words, join);
    if (!query) return [];
    const hits = cachedStatement(
      db,
      `select s.rowid as actionId, bm25(action_search, 2.0, 1.0, 4.0, 0.5) as rank
       from action_search s join actions a on a.id = s.rowid
       where action_search match ? and a.removed_at is null
       order by rank limit ?`,
    ).all(query, limit) as SearchHit[];
    if (hits.length > 0) return hits;
  }
  return [];
}
