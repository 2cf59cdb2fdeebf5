-- The media library (issue 15): see the PostgreSQL migration for the
-- meaning of each column.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    content_hash TEXT NOT NULL UNIQUE,
    storage_key  TEXT NOT NULL UNIQUE CHECK (length(storage_key) = 32 AND storage_key NOT GLOB '*[^0-9a-f]*'),
    format       TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp', 'gif')),
    width        INTEGER NOT NULL CHECK (width > 0),
    height       INTEGER NOT NULL CHECK (height > 0),
    byte_size    BIGINT NOT NULL,
    variants     TEXT NOT NULL,
    filename     TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    alt_text     TEXT NOT NULL DEFAULT '',
    caption      TEXT NOT NULL DEFAULT '',
    credit       TEXT NOT NULL DEFAULT '',
    search_text  TEXT NOT NULL DEFAULT '',
    focal_x      DOUBLE CHECK (focal_x BETWEEN 0 AND 1),
    focal_y      DOUBLE CHECK (focal_y BETWEEN 0 AND 1),
    uploaded_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX media_list_idx ON media (created_at DESC, id DESC);

ALTER TABLE articles ADD COLUMN featured_image_id BIGINT REFERENCES media (id) ON DELETE SET NULL;
CREATE INDEX articles_featured_image_idx ON articles (featured_image_id)
    WHERE featured_image_id IS NOT NULL;

CREATE TRIGGER media_update_content_generation AFTER UPDATE ON media
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER media_delete_content_generation AFTER DELETE ON media
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
