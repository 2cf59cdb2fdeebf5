-- Revisions become full snapshots (issue 16): every content change and
-- every workflow action stores one, in the write's own transaction.
-- `action` says what made the version; `snapshot` holds the article's
-- content as JSON (`articles::revisions::Snapshot`). Older rows keep their
-- title and body only (`snapshot` NULL).
ALTER TABLE article_revisions ADD COLUMN action TEXT NOT NULL DEFAULT 'edit';
ALTER TABLE article_revisions ADD COLUMN snapshot TEXT;
-- Every article's first revision was its creation.
UPDATE article_revisions SET action = 'create' WHERE version = 1;
-- Pruning by age.
CREATE INDEX article_revisions_created_idx ON article_revisions (created_at);
