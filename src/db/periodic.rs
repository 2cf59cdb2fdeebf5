//! Maintenance that runs every so often for as long as the server runs
//! (pruning revisions, purging the trash, deleting old log rows).

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::result::QueryResult;
use futures_util::future::BoxFuture;

use super::time::now;
use super::{Conn, Db};
use crate::config::{parse_or, ConfigError};

/// Runs `job` on a writer connection every `every` (the first time one
/// interval after start), logging the rows it changed with `done`, and a
/// failure with `failed`: a failed round is tried again at the next one.
/// Each job's statements stand alone (one statement, or batches that each
/// repeat their conditions), so several instances running it on one
/// database only repeat each other's work.
pub fn spawn_every<J>(db: Db, every: Duration, done: &'static str, failed: &'static str, job: J)
where
    J: for<'c> Fn(&'c mut Conn) -> BoxFuture<'c, QueryResult<usize>> + Send + 'static,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tick.tick().await;
            let outcome = match db.background_writer().await {
                Ok(mut conn) => job(&mut conn).await.map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match outcome {
                Ok(0) => {}
                Ok(rows) => tracing::info!(rows, "{done}"),
                Err(reason) => tracing::warn!(%reason, "{failed}"),
            }
        }
    });
}

/// How long a log keeps its rows: `days` (0: for ever), pruned every
/// `interval`.
#[derive(Debug, Clone)]
pub struct LogRetention {
    /// Rows older than this many days are deleted; 0 keeps them all.
    pub days: u64,
    /// How often the old rows are deleted.
    pub interval: Duration,
}

impl LogRetention {
    /// Reads `days_var` (0–36500, `default_days` when unset) and
    /// `interval_var` (1–86400 seconds, default an hour).
    pub fn from_lookup(
        get: &impl Fn(&str) -> Option<String>,
        days_var: &'static str,
        default_days: u64,
        interval_var: &'static str,
    ) -> Result<Self, ConfigError> {
        Ok(Self {
            days: parse_or(get, days_var, default_days, 0..=36_500)?,
            interval: Duration::from_secs(parse_or(get, interval_var, 3600u64, 1..=86_400)?),
        })
    }
}

/// Deletes, every `retention.interval`, the rows `prune(conn, before)`
/// finds older than `retention.days` (nothing runs when it is 0).
pub fn spawn_log_pruner(
    db: Db,
    retention: &LogRetention,
    done: &'static str,
    failed: &'static str,
    prune: for<'c> fn(&'c mut Conn, NaiveDateTime) -> BoxFuture<'c, QueryResult<usize>>,
) {
    if retention.days == 0 {
        return;
    }
    let days = i64::try_from(retention.days).unwrap_or(36_500);
    spawn_every(db, retention.interval, done, failed, move |conn| {
        prune(conn, now() - chrono::Duration::days(days))
    });
}
