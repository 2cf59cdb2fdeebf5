-- The audit log (issue 16): one row per write or security event, appended
-- in the same transaction as the change it records. No foreign keys: an
-- event outlives the user, key or article it names.
CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TIMESTAMP NOT NULL,
    -- Who: 'user', 'api_key', 'bootstrap', 'anonymous' or 'system', and the
    -- user's or key's id.
    actor_type   TEXT NOT NULL,
    actor_id     BIGINT,
    -- What, as 'resource.verb' (see audit::Action).
    action       TEXT NOT NULL,
    -- On what: the kind of row and its id (none for a failed login with an
    -- unknown email).
    target_type  TEXT NOT NULL,
    target_id    BIGINT,
    request_id   TEXT,
    client_ip    TEXT,
    -- JSON objects of the changed fields before and after (never a secret).
    before       TEXT,
    after        TEXT
);
CREATE INDEX audit_events_at_idx ON audit_events (at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_type, actor_id, id);
CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id, id);
CREATE INDEX audit_events_action_idx ON audit_events (action, id);

-- Append-only: an event is never changed or deleted through SQL the
-- application runs.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
