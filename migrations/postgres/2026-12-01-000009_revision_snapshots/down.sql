DROP INDEX article_revisions_created_idx;
ALTER TABLE article_revisions DROP COLUMN snapshot;
ALTER TABLE article_revisions DROP COLUMN action;
