//! `CACHE_*` settings of the public-answer cache.

use std::time::Duration;

use crate::config::{parse_or, ConfigError};

/// How big the cache may grow and how often it checks the generation.
#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// `CACHE_MAX_BYTES`: memory for cached answers; 0 turns the cache off.
    pub max_bytes: usize,
    /// `CACHE_CHECK_INTERVAL_MS`: how often the content generation and the
    /// next scheduled go-live time are read, besides notifications.
    pub check_interval: Duration,
}

impl CacheSettings {
    /// Reads the `CACHE_*` variables, with their defaults.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(Self {
            max_bytes: parse_or(get, "CACHE_MAX_BYTES", 64 * 1024 * 1024, 0..=16 << 30)?,
            check_interval: Duration::from_millis(parse_or(
                get,
                "CACHE_CHECK_INTERVAL_MS",
                1000u64,
                50..=60_000,
            )?),
        })
    }
}
