-- Sessions (refresh-token families) as rows of their own: a session is
-- live exactly while its row is not revoked, and rotation and revocation
-- meet on that row (issue: a refresh racing a revocation kept a chain alive).
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    refreshed_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- A family was live while any of its tokens was not revoked.
INSERT INTO sessions (id, user_id, created_at, revoked_at)
SELECT family_id, MIN(user_id), MIN(created_at),
       CASE WHEN COUNT(*) = COUNT(revoked_at) THEN MAX(revoked_at) END
FROM refresh_tokens
GROUP BY family_id;

ALTER TABLE refresh_tokens DROP COLUMN revoked_at;

-- Throttles count attempts (reserved before the check they guard) in a
-- fixed window; being over the limit is hits > max, no separate block.
ALTER TABLE throttle_buckets DROP COLUMN blocked_until;

-- Comment form tokens already spent (each serves one comment).
CREATE TABLE spent_form_tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX spent_form_tokens_expires_idx ON spent_form_tokens (expires_at);
