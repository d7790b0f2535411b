-- Full-text search over actions for `/send who <words>`. drizzle-kit cannot express FTS5 virtual
-- tables, so this is a custom migration. Rows are written by the plan importer (rowid = actions.id)
-- because the indexed text joins actions with their workstream and plan titles.
CREATE VIRTUAL TABLE `action_search` USING fts5(
  `ref`,
  `text`,
  `workstream`,
  `plan`,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
