DROP INDEX comments_article_visible_idx;
ALTER TABLE comments DROP COLUMN visible;
