-- Whether a comment shows publicly: it is approved and so is every comment
-- above it in its thread. Kept in step by the application in the same
-- transaction as every status change, so public reads filter on one column.
ALTER TABLE comments ADD COLUMN visible BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE comments SET visible = TRUE WHERE id IN (
    WITH RECURSIVE shown (id) AS (
        SELECT id FROM comments WHERE parent_id IS NULL AND status = 'approved'
        UNION ALL
        SELECT c.id FROM comments c JOIN shown s ON c.parent_id = s.id
        WHERE c.status = 'approved'
    )
    SELECT id FROM shown
);

CREATE INDEX comments_article_visible_idx ON comments (article_id, visible, created_at, id);
