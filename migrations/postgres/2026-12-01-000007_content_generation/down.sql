DROP TRIGGER api_keys_content_generation ON api_keys;
DROP TRIGGER comments_content_generation ON comments;
DROP TRIGGER tags_content_generation ON tags;
DROP TRIGGER authors_content_generation ON authors;
DROP TRIGGER article_tags_content_generation ON article_tags;
DROP TRIGGER articles_content_generation ON articles;
DROP FUNCTION raise_content_generation();
DROP TABLE content_generation;
