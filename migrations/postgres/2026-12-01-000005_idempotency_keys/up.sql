-- Idempotency-Key (IETF httpapi draft): the first answer to a create,
-- stored with the key, so a retry gets it again instead of a second copy.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER,
    location     TEXT,
    body         TEXT,
    expires_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
