-- Trash (issue 16): a deleted article is kept, with `trashed_at`, until it
-- is restored or purged. Its stored status stays what it was, so a restore
-- brings it back as it was.
ALTER TABLE articles ADD COLUMN trashed_at TIMESTAMP;

-- What readers may see excludes the trash: the public index's predicate
-- (repeated literally by `articles::model::PUBLIC_CONDITION`) says so.
DROP INDEX articles_public_idx;
CREATE INDEX articles_public_idx ON articles (published_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled') AND trashed_at IS NULL;

-- Staff lists by status (and the count of a public list) leave the trash
-- out too: the status index carries `trashed_at`, so those reads stay
-- within one index.
DROP INDEX articles_status_published_at_idx;
CREATE INDEX articles_status_published_at_idx
    ON articles (status, published_at DESC, id DESC, trashed_at);

-- The trash list and the purge.
CREATE INDEX articles_trash_idx ON articles (trashed_at, id) WHERE trashed_at IS NOT NULL;
