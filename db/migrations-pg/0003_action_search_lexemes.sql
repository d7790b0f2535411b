-- How many indexed actions have each word of PostgreSQL's search index (action_search's lexemes, as
-- stemmed in its tsvector): the store's search reads it to tell which words of a question the plan has,
-- whole or as the start of a word, and how common they are, with one index lookup per word. Asking
-- action_search itself ("is there an action with this word?") cannot use its GIN index well: the
-- planner guesses every word is common and scans the table, 30 ms for a word no action has at 100k
-- actions. Kept current by triggers on action_search, so every writer (the plan import, a reindex,
-- migrate-to-postgres) keeps it true without knowing about it. `lexeme` sorts in "C" order so that
-- the words starting with a prefix are one range of its primary key.
CREATE TABLE "action_search_lexemes" (
  "lexeme" text COLLATE "C" PRIMARY KEY NOT NULL,
  "actions" integer NOT NULL
);
--> statement-breakpoint
INSERT INTO "action_search_lexemes" ("lexeme", "actions")
  SELECT w, count(*) FROM "action_search" s, unnest(tsvector_to_array(s."document")) w GROUP BY w;
--> statement-breakpoint
-- Once per statement, over the rows it wrote (a tsvector holds each lexeme once, so count(*) counts
-- actions; tsvector_to_array is its lexemes without their positions, a third cheaper to unnest).
CREATE FUNCTION "action_search_lexemes_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "action_search_lexemes" ("lexeme", "actions")
    SELECT w, count(*) FROM "added" a, unnest(tsvector_to_array(a."document")) w GROUP BY w ORDER BY w
  ON CONFLICT ("lexeme") DO UPDATE SET "actions" = "action_search_lexemes"."actions" + excluded."actions";
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A word no action has any more stays, at 0 (the search reads 0 as absent): dropping it would cost
-- a second pass over the removed rows, and an import that rewrites an action removes and adds the
-- same words.
CREATE FUNCTION "action_search_lexemes_remove"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "action_search_lexemes" l SET "actions" = l."actions" - gone.n
    FROM (SELECT w, count(*) AS n FROM "removed" r, unnest(tsvector_to_array(r."document")) w GROUP BY w) gone
   WHERE l."lexeme" = gone.w;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "action_search_lexemes_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE "action_search_lexemes";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "action_search_lexemes_insert" AFTER INSERT ON "action_search"
  REFERENCING NEW TABLE AS "added" FOR EACH STATEMENT EXECUTE FUNCTION "action_search_lexemes_add"();
--> statement-breakpoint
CREATE TRIGGER "action_search_lexemes_delete" AFTER DELETE ON "action_search"
  REFERENCING OLD TABLE AS "removed" FOR EACH STATEMENT EXECUTE FUNCTION "action_search_lexemes_remove"();
--> statement-breakpoint
-- An update is the old rows' words removed, then the new rows' added (two triggers, run in name order).
CREATE TRIGGER "action_search_lexemes_update_1" AFTER UPDATE ON "action_search"
  REFERENCING OLD TABLE AS "removed" FOR EACH STATEMENT EXECUTE FUNCTION "action_search_lexemes_remove"();
--> statement-breakpoint
CREATE TRIGGER "action_search_lexemes_update_2" AFTER UPDATE ON "action_search"
  REFERENCING NEW TABLE AS "added" FOR EACH STATEMENT EXECUTE FUNCTION "action_search_lexemes_add"();
--> statement-breakpoint
CREATE TRIGGER "action_search_lexemes_truncate" AFTER TRUNCATE ON "action_search"
  FOR EACH STATEMENT EXECUTE FUNCTION "action_search_lexemes_clear"();
--> statement-breakpoint
-- The GIN index's list of entries not yet merged in (what inserts add to, for speed) is read whole by
-- every search until autovacuum merges it: at its default 4 MB, right after an import or a
-- migrate-to-postgres of 100k actions, that added 5 ms to each question. 64 kB keeps it a few pages,
-- and bulk inserts as fast (they merge it more often, in smaller batches).
ALTER INDEX "action_search_document" SET (gin_pending_list_limit = 64);
--> statement-breakpoint
SELECT gin_clean_pending_list('action_search_document');
