//! How long revisions are kept (`REVISIONS_*`), and the background task
//! that prunes the rest.

use std::time::Duration;

use crate::config::{parse_or, ConfigError};
use crate::db::periodic::spawn_every;
use crate::db::time::now;
use crate::db::Db;

/// Which revisions are kept.
#[derive(Debug, Clone)]
pub struct RevisionSettings {
    /// `REVISIONS_KEEP`: the newest revisions of each article always kept.
    pub keep: i64,
    /// `REVISIONS_KEEP_DAYS`: revisions newer than this are always kept.
    pub keep_days: u64,
    /// `REVISIONS_PRUNE_INTERVAL_SECS`: how often the rest is deleted.
    pub prune_interval: Duration,
}

impl RevisionSettings {
    /// Reads the `REVISIONS_*` variables, with their defaults.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(Self {
            keep: parse_or(get, "REVISIONS_KEEP", 50i64, 1..=1_000_000)?,
            keep_days: parse_or(get, "REVISIONS_KEEP_DAYS", 30u64, 0..=36_500)?,
            prune_interval: Duration::from_secs(parse_or(
                get,
                "REVISIONS_PRUNE_INTERVAL_SECS",
                3600u64,
                1..=86_400,
            )?),
        })
    }
}

/// Prunes revisions every `prune_interval`, for as long as the server
/// runs (one statement a round: see [`spawn_every`]).
pub fn spawn_pruner(db: Db, settings: RevisionSettings) {
    let days = i64::try_from(settings.keep_days).unwrap_or(0);
    spawn_every(
        db,
        settings.prune_interval,
        "pruned old revisions",
        "could not prune revisions",
        move |conn| {
            let before = now() - chrono::Duration::days(days);
            Box::pin(super::revisions::prune(conn, settings.keep, before))
        },
    );
}
