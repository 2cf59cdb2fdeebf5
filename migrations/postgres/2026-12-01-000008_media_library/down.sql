DROP TRIGGER media_content_generation ON media;
DROP INDEX articles_featured_image_idx;
ALTER TABLE articles DROP COLUMN featured_image_id;
DROP TABLE media;
