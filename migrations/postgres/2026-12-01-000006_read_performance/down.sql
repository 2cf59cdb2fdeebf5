ALTER TABLE articles DROP COLUMN body_lead;
DROP INDEX articles_public_idx;
DROP INDEX articles_search_idx;
ALTER TABLE articles DROP COLUMN search_head;
ALTER TABLE articles DROP COLUMN search_vector;
CREATE INDEX articles_search_idx ON articles USING GIN (
    to_tsvector('simple', regexp_replace(
        title || ' ' || coalesce(excerpt, '') || ' ' || body, '[[:punct:]]+', ' ', 'g'))
);
