ALTER TABLE articles DROP COLUMN body_lead;
DROP INDEX articles_public_idx;
DELETE FROM articles_search_config WHERE k = 'rank';
