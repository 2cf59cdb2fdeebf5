-- The content generation: one counter raised by every write that can change
-- a public answer (articles, their tags, authors, tags, comments, API keys),
-- in the write's own transaction, by triggers, so no write path can forget
-- it. Cached public answers are valid for one generation (docs/caching.md).
CREATE TABLE content_generation (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO content_generation (id, generation) VALUES (1, 1);

-- Raises the generation once per transaction and tells the other instances
-- (NOTIFY is delivered at commit, so nobody hears of an uncommitted write).
-- The triggers are deferred constraint triggers: they run at commit, after
-- every other lock of the transaction is taken, so the generation row's lock
-- is held only for the commit itself and can never be part of a deadlock.
CREATE FUNCTION raise_content_generation() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    raised BIGINT;
BEGIN
    IF current_setting('cms.content_generation_raised', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('cms.content_generation_raised', 'yes', true);
    UPDATE content_generation SET generation = generation + 1 WHERE id = 1
        RETURNING generation INTO raised;
    PERFORM pg_notify('cms_content', raised::text);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER articles_content_generation
    AFTER INSERT OR UPDATE OR DELETE ON articles
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION raise_content_generation();
CREATE CONSTRAINT TRIGGER article_tags_content_generation
    AFTER INSERT OR UPDATE OR DELETE ON article_tags
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION raise_content_generation();
CREATE CONSTRAINT TRIGGER authors_content_generation
    AFTER INSERT OR UPDATE OR DELETE ON authors
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION raise_content_generation();
CREATE CONSTRAINT TRIGGER tags_content_generation
    AFTER INSERT OR UPDATE OR DELETE ON tags
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION raise_content_generation();
CREATE CONSTRAINT TRIGGER comments_content_generation
    AFTER INSERT OR UPDATE OR DELETE ON comments
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION raise_content_generation();
-- Keys: a revoked key must stop being served from the cache at once
-- (`last_used_at` is written in passing and does not count).
CREATE CONSTRAINT TRIGGER api_keys_content_generation
    AFTER INSERT OR DELETE OR UPDATE OF scope, expires_at, secret_hash ON api_keys
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION raise_content_generation();
