-- The whole product schema, SQLite flavour. Timestamps hold UTC (the
-- application always writes UTC), so one Diesel schema serves PostgreSQL and
-- SQLite. Keep in step with migrations/postgres (a test compares them).

CREATE TABLE authors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    bio         TEXT NOT NULL DEFAULT '',
    avatar_url  TEXT,
    website     TEXT,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    email                TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('contributor', 'author', 'editor', 'admin')),
    author_id            BIGINT UNIQUE REFERENCES authors (id) ON DELETE SET NULL,
    disabled             BOOLEAN NOT NULL DEFAULT 0,
    sessions_valid_after TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE tags (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE articles (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    slug                 TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    excerpt              TEXT,
    body                 TEXT NOT NULL,
    body_html            TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT 'draft'
                         CHECK (status IN ('draft', 'in_review', 'scheduled', 'published', 'archived')),
    publish_at           TIMESTAMP,
    published_at         TIMESTAMP,
    author_id            BIGINT NOT NULL REFERENCES authors (id) ON DELETE RESTRICT,
    featured_image_url   TEXT,
    meta_title           TEXT,
    meta_description     TEXT,
    canonical_url        TEXT,
    word_count           INTEGER NOT NULL DEFAULT 0,
    reading_time_minutes INTEGER NOT NULL DEFAULT 0,
    comments_open        BOOLEAN NOT NULL DEFAULT 1,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Public listing: visible = status in (published, scheduled) and published_at <= now,
-- ordered by published_at then id (keyset pagination).
CREATE INDEX articles_status_published_at_idx ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_author_published_at_idx ON articles (author_id, published_at DESC, id DESC);
CREATE INDEX articles_updated_at_idx ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_title_idx ON articles (title, id);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag_id_idx ON article_tags (tag_id, article_id);

CREATE TABLE article_revisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    editor_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (article_id, version)
);

CREATE TABLE comments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id   BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id    BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    depth        INTEGER NOT NULL DEFAULT 0,
    author_name  TEXT NOT NULL,
    author_email TEXT NOT NULL,
    author_url   TEXT,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
    user_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    ip           TEXT,
    user_agent   TEXT,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX comments_article_status_idx ON comments (article_id, status, created_at, id);
CREATE INDEX comments_status_created_idx ON comments (status, created_at DESC, id DESC);
CREATE INDEX comments_email_idx ON comments (author_email, status);
CREATE INDEX comments_parent_idx ON comments (parent_id);

CREATE TABLE refresh_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id  TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL UNIQUE,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'preview')),
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    created_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Fixed-window counters shared by every instance (login and comment throttles).
CREATE TABLE throttle_buckets (
    key             TEXT PRIMARY KEY,
    hits            INTEGER NOT NULL,
    window_start    TIMESTAMP NOT NULL,
    blocked_until   TIMESTAMP
);
