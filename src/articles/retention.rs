//! How long revisions are kept (`REVISIONS_*`), and the background task
//! that prunes the rest.

use std::time::Duration;

use crate::config::{parse_or, ConfigError};
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
/// runs. Each round is one statement, so several instances pruning the same
/// database only repeat each other's work; a failed round is logged and
/// the next one tries again.
pub fn spawn_pruner(db: Db, settings: RevisionSettings) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(settings.prune_interval);
        tick.tick().await;
        loop {
            tick.tick().await;
            let before =
                now() - chrono::Duration::days(i64::try_from(settings.keep_days).unwrap_or(0));
            let pruned = match db.writer().await {
                Ok(mut conn) => super::revisions::prune(&mut conn, settings.keep, before)
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match pruned {
                Ok(0) => {}
                Ok(rows) => tracing::info!(rows, "pruned old revisions"),
                Err(reason) => tracing::warn!(%reason, "could not prune revisions"),
            }
        }
    });
}
