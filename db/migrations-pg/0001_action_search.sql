-- PostgreSQL's twin of SQLite's FTS5 table action_search (db/migrations/0001): the texts an action
-- is found by, one row per action (action_id = actions.id), written by the store's search index
-- (src/store/postgres-search-index.ts) with accents already removed. The weighted tsvector ranks a
-- match in the workstream title first, then the ref, the action's text and the plan title, as
-- FTS5's bm25 weights do (4, 2, 1, 0.5). drizzle-kit cannot express a generated tsvector with a GIN
-- index, so this is a custom migration, like SQLite's.
CREATE TABLE "action_search" (
  "action_id" integer PRIMARY KEY NOT NULL,
  "ref" text NOT NULL,
  "text" text NOT NULL,
  "workstream" text NOT NULL,
  "plan" text NOT NULL,
  "document" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', "workstream"), 'A') ||
    setweight(to_tsvector('english', "ref"), 'B') ||
    setweight(to_tsvector('english', "text"), 'C') ||
    setweight(to_tsvector('english', "plan"), 'D')
  ) STORED
);
--> statement-breakpoint
CREATE INDEX "action_search_document" ON "action_search" USING gin ("document");
