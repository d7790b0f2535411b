import type { Db } from './database.js';

// Words that say nothing about which action is meant ("who owns the … work").
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it of on or the to with who whose owns own owner owning what which work works working action actions about does do this that these those me my our please find show'.split(' '),
);

export interface SearchHit {
  actionId: number;
  rank: number;
}

/** Turns free words into an FTS5 query: significant words, any of them, best matches first. */
export function toFtsQuery(words: string): string | undefined {
  const terms = words
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w));
  if (terms.length === 0) return undefined;
  return [...new Set(terms)].map((t) => `"${t}"*`).join(' OR ');
}

/**
 * Ranked full-text search over action texts, workstream and plan titles (bm25; a match in the
 * workstream title counts most, since people name the work by its workstream).
 */
export function searchActions(db: Db, words: string, limit = 5): SearchHit[] {
  const query = toFtsQuery(words);
  if (!query) return [];
  return (
    db.$client
      .prepare(
        `select s.rowid as actionId, bm25(action_search, 2.0, 1.0, 4.0, 0.5) as rank
         from action_search s join actions a on a.id = s.rowid
         where action_search match ? and a.removed_at is null
         order by rank limit ?`,
      )
      .all(query, limit) as SearchHit[]
  );
}
