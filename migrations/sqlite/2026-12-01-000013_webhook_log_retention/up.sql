-- Finished deliveries older than WEBHOOK_LOG_RETENTION_DAYS are deleted by
-- creation time (webhooks::model::prune_log).
CREATE INDEX webhook_deliveries_created_idx ON webhook_deliveries (created_at);
