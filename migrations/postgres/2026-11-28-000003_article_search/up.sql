-- Full-text search of articles (`q`): a GIN index over the same expression
-- the query uses (src/articles/search.rs). 'simple' = no stemming and no
-- stop words, so any language works and matching is by word prefix.
-- Punctuation becomes a space first, so "example.com" or "3.14" are words
-- split at the dot, as on SQLite (the parser would keep them whole).
CREATE INDEX articles_search_idx ON articles USING GIN (
    to_tsvector('simple', regexp_replace(
        title || ' ' || coalesce(excerpt, '') || ' ' || body, '[[:punct:]]+', ' ', 'g'))
);
