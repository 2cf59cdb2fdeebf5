//! `WEBHOOK_*` and `SCHEDULER_INTERVAL_SECS`: how webhooks are delivered.

use std::time::Duration;

use crate::config::{parse_bool, parse_or, ConfigError};
use crate::db::periodic::LogRetention;

/// How the delivery worker sends, retries and gives up.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// `WEBHOOK_TIMEOUT_SECS`: the whole request, connect to last byte.
    pub timeout: Duration,
    /// `WEBHOOK_RETRY_BASE_SECS`: the first retry's delay; each next one
    /// doubles (up to two hours), with jitter.
    pub retry_base: Duration,
    /// `WEBHOOK_MAX_ATTEMPTS`: attempts before a delivery is given up.
    pub max_attempts: i32,
    /// `WEBHOOK_DISABLE_AFTER_SECS`: an endpoint failing for this long is
    /// disabled.
    pub disable_after: Duration,
    /// `WEBHOOK_ALLOW_PRIVATE`: allow URLs that resolve to loopback,
    /// private or link-local addresses (tests, private networks).
    pub allow_private: bool,
    /// `WEBHOOK_CONCURRENCY`: deliveries one instance sends at once.
    pub concurrency: usize,
    /// `WEBHOOK_POLL_MS`: how often an idle worker looks for due deliveries.
    pub poll: Duration,
    /// `SCHEDULER_INTERVAL_SECS`: how often scheduled articles whose time
    /// has come are marked published (and announced).
    pub scheduler_interval: Duration,
    /// `WEBHOOK_LOG_RETENTION_DAYS`, `WEBHOOK_LOG_PRUNE_INTERVAL_SECS`: how
    /// long finished deliveries stay in the log.
    pub log_retention: LogRetention,
}

impl WebhookSettings {
    /// Reads the variables, with their defaults.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(Self {
            timeout: Duration::from_secs(parse_or(get, "WEBHOOK_TIMEOUT_SECS", 5u64, 1..=30)?),
            retry_base: Duration::from_secs(parse_or(
                get,
                "WEBHOOK_RETRY_BASE_SECS",
                30u64,
                1..=3600,
            )?),
            max_attempts: parse_or(get, "WEBHOOK_MAX_ATTEMPTS", 18i32, 1..=50)?,
            disable_after: Duration::from_secs(parse_or(
                get,
                "WEBHOOK_DISABLE_AFTER_SECS",
                86_400u64,
                1..=2_592_000,
            )?),
            allow_private: parse_bool(get, "WEBHOOK_ALLOW_PRIVATE", false)?,
            concurrency: parse_or(get, "WEBHOOK_CONCURRENCY", 4usize, 1..=64)?,
            poll: Duration::from_millis(parse_or(get, "WEBHOOK_POLL_MS", 1000u64, 50..=60_000)?),
            scheduler_interval: Duration::from_secs(parse_or(
                get,
                "SCHEDULER_INTERVAL_SECS",
                30u64,
                1..=3600,
            )?),
            log_retention: LogRetention::from_lookup(
                get,
                "WEBHOOK_LOG_RETENTION_DAYS",
                30,
                "WEBHOOK_LOG_PRUNE_INTERVAL_SECS",
            )?,
        })
    }
}
