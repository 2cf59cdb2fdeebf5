-- Full-text search of articles (`q`): a GIN index over the same expression
-- the query uses (src/articles/search.rs). 'simple' = no stemming and no
-- stop words, so any language works and matching is by word prefix.
CREATE INDEX articles_search_idx ON articles USING GIN (
    to_tsvector('simple', title || ' ' || coalesce(excerpt, '') || ' ' || body)
);
