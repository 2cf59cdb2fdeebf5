-- Reads at the cost of an index lookup (issue 14).
--
-- 0. The first paragraph of the body as plain text, derived on write like
--    body_html: the excerpt when the author gave none, so lists need not read
--    bodies. NULL until filled (rows of earlier versions are filled at start).
ALTER TABLE articles ADD COLUMN body_lead TEXT;
--
-- 1. Search: a stored, weighted tsvector (title A, excerpt B, body C), kept
--    by PostgreSQL itself on every write, GIN-indexed. The earlier index was
--    on an expression the planner would not pick for ranked queries, and
--    ranking from the expression meant re-parsing every matching body.
--    Punctuation becomes a space first, as on SQLite.
DROP INDEX articles_search_idx;
ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', regexp_replace(title, '[[:punct:]]+', ' ', 'g')), 'A') ||
    setweight(to_tsvector('simple', regexp_replace(coalesce(excerpt, ''), '[[:punct:]]+', ' ', 'g')), 'B') ||
    setweight(to_tsvector('simple', regexp_replace(body, '[[:punct:]]+', ' ', 'g')), 'C')
) STORED;
CREATE INDEX articles_search_idx ON articles USING GIN (search_vector);
-- Relevance is ranked on the headline and teaser only (title A, excerpt or
-- first paragraph B), a vector small enough to stay in the row: ranking on
-- the whole body meant fetching every match's body-sized vector from TOAST
-- (150-220 ms for a word in 10,000 articles, against 30-40 ms). Matches in
-- the body alone rank after these, newest first.
ALTER TABLE articles ADD COLUMN search_head tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', regexp_replace(title, '[[:punct:]]+', ' ', 'g')), 'A') ||
    setweight(to_tsvector('simple', regexp_replace(coalesce(excerpt, body_lead, ''), '[[:punct:]]+', ' ', 'g')), 'B')
) STORED;

-- 2. Public lists: what readers may see, in list order, as one index range
--    (the (status, published_at) index needs a sort when two statuses are
--    public). The list query repeats this predicate literally.
CREATE INDEX articles_public_idx ON articles (published_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled');

