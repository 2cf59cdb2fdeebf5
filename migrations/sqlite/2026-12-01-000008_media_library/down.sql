DROP TRIGGER media_delete_content_generation;
DROP TRIGGER media_update_content_generation;
DROP INDEX articles_featured_image_idx;
ALTER TABLE articles DROP COLUMN featured_image_id;
DROP TABLE media;
