-- Webhooks (issue 17): endpoints admins register, and the outbox of their
-- deliveries. A delivery row is written in the same transaction as the
-- change it announces; the delivery worker sends it afterwards.
CREATE TABLE webhooks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    url             TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    -- JSON array of event names (see webhooks::event::EventType).
    events          TEXT NOT NULL,
    -- The signing secret (whsec_ + base64): the worker needs it in clear to
    -- sign, so it is stored as given and shown only once.
    secret          TEXT NOT NULL,
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    -- Why the server disabled it (sustained failure); null when an admin did.
    disabled_reason TEXT,
    -- Since when every attempt has failed; null after a success.
    failing_since   TIMESTAMP,
    created_by      BIGINT,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id       BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    -- The idempotency id receivers see as webhook-id (kept on retries and
    -- redeliveries).
    message_id       TEXT NOT NULL UNIQUE,
    event_type       TEXT NOT NULL,
    -- The exact body sent (signed as is).
    payload          TEXT NOT NULL,
    -- 'pending', 'delivered' or 'failed' (attempts used up).
    status           TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    -- A worker's lease: nobody else sends it before this time.
    locked_until     TIMESTAMP,
    last_status_code INTEGER,
    last_error       TEXT,
    last_latency_ms  INTEGER,
    created_at       TIMESTAMP NOT NULL,
    delivered_at     TIMESTAMP
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, id);
