-- Reads at the cost of an index lookup (issue 14).
--
-- 1. Search ranking: FTS5's `rank` is bm25 with the title weighing 10, the
--    excerpt 5 and the body 1 (as PostgreSQL's A/B/C weights).
INSERT INTO articles_search (articles_search, rank) VALUES ('rank', 'bm25(10.0, 5.0, 1.0)');

-- 2. Public lists: what readers may see, in list order, as one index range.
--    The list query repeats this predicate literally.
CREATE INDEX articles_public_idx ON articles (published_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled');

-- 3. The first paragraph of the body as plain text, derived on write like
--    body_html (see the PostgreSQL migration).
ALTER TABLE articles ADD COLUMN body_lead TEXT;
