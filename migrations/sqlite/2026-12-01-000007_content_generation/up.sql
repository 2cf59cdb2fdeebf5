-- The content generation: one counter raised by every write that can change
-- a public answer (articles, their tags, authors, tags, comments, API keys),
-- in the write's own transaction, by triggers, so no write path can forget
-- it. Cached public answers are valid for one generation (docs/caching.md).
-- SQLite has row triggers only; its writes are serialized anyway.
CREATE TABLE content_generation (
    id         BIGINT PRIMARY KEY NOT NULL CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO content_generation (id, generation) VALUES (1, 1);
CREATE TRIGGER articles_insert_content_generation AFTER INSERT ON articles
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER articles_update_content_generation AFTER UPDATE ON articles
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER articles_delete_content_generation AFTER DELETE ON articles
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER article_tags_insert_content_generation AFTER INSERT ON article_tags
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER article_tags_update_content_generation AFTER UPDATE ON article_tags
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER article_tags_delete_content_generation AFTER DELETE ON article_tags
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER authors_insert_content_generation AFTER INSERT ON authors
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER authors_update_content_generation AFTER UPDATE ON authors
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER authors_delete_content_generation AFTER DELETE ON authors
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER tags_insert_content_generation AFTER INSERT ON tags
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER tags_update_content_generation AFTER UPDATE ON tags
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER tags_delete_content_generation AFTER DELETE ON tags
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER comments_insert_content_generation AFTER INSERT ON comments
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER comments_update_content_generation AFTER UPDATE ON comments
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER comments_delete_content_generation AFTER DELETE ON comments
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
-- Keys: `last_used_at` is written in passing and does not count.
CREATE TRIGGER api_keys_insert_content_generation AFTER INSERT ON api_keys
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER api_keys_delete_content_generation AFTER DELETE ON api_keys
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER api_keys_update_content_generation AFTER UPDATE OF scope, expires_at, secret_hash ON api_keys
    BEGIN UPDATE content_generation SET generation = generation + 1 WHERE id = 1; END;
