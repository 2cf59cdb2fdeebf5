DELETE FROM articles WHERE trashed_at IS NOT NULL;
DROP INDEX articles_trash_idx;
DROP INDEX articles_status_published_at_idx;
CREATE INDEX articles_status_published_at_idx ON articles (status, published_at DESC, id DESC);
DROP INDEX articles_public_idx;
CREATE INDEX articles_public_idx ON articles (published_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled');
ALTER TABLE articles DROP COLUMN trashed_at;
