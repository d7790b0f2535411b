// Full-text search over the plan's actions, as callers see it: ask with a person's words, get ranked
// action ids; keep the index in step when actions are written. Callers (`/send who`, the plan import)
// depend on this interface only, so each database brings its own index (SQLite's is FTS5, in
// search-repository.ts; PostgreSQL's a weighted tsvector, in postgres-search-index.ts).
import { type Db, isPostgres } from './database.js';
import { PostgresSearchIndex } from './postgres-search-index.js';
import { Fts5SearchIndex } from './search-repository.js';

export interface SearchHit {
  actionId: number;
  /** Lower is better. Only the order means something, not the value. */
  rank: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** More than RANKED_CANDIDATES actions matched and the hits come from the first ones in plan order. */
  capped: boolean;
}

/**
 * When a question matches too many actions to rank them all in the time a command has, the index
 * ranks the first this many in plan order (and says so with `capped`).
 */
export const RANKED_CANDIDATES = 100;

/** What an action is found by: its ref, its text, and the titles of its workstream and plan. */
export interface SearchDocument {
  ref: string;
  text: string;
  workstream: string;
  plan: string;
}

/** One action's entry to write: `replaces` when it may be indexed already; `document` null removes it. */
export interface SearchIndexChange {
  actionId: number;
  replaces: boolean;
  document: SearchDocument | null;
}

export interface SearchIndex {
  /**
   * The actions that best match `words` (a question as typed: stop words, case, accents and
   * punctuation do not matter), at most `limit`, best first. Removed actions are never returned.
   */
  search(words: string, limit?: number): Promise<SearchResult>;
  /** Writes the changes, in order, inside the caller's transaction. */
  reindex(changes: readonly SearchIndexChange[]): Promise<void>;
}

/** The search index of this database. */
export function searchIndexFor(db: Db): SearchIndex {
  return isPostgres(db) ? new PostgresSearchIndex(db) : new Fts5SearchIndex(db);
}
