//! Maintenance that runs every so often for as long as the server runs
//! (pruning revisions, purging the trash).

use std::time::Duration;

use diesel::result::QueryResult;
use futures_util::future::BoxFuture;

use super::{Conn, Db};

/// Runs `job` on a writer connection every `every` (the first time one
/// interval after start), logging the rows it changed with `done`, and a
/// failure with `failed`: a failed round is tried again at the next one.
/// Each job is one statement, so several instances running it on one
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
