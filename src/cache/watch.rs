//! The watcher: one background task per server with a connection of its
//! own. It reads the content generation and the next go-live time whenever
//! the cache asks (the stamp moved), every `CACHE_CHECK_INTERVAL_MS`, and on
//! PostgreSQL whenever a `cms_content` notification arrives (another
//! instance wrote). When the database goes away it empties the cache, stops
//! it storing, and reconnects with backoff; it never takes the server down.
//! It ends when the server's state is dropped.

use std::sync::{Arc, Weak};
use std::time::Duration;

use futures_util::{FutureExt as _, StreamExt as _};
use tokio::sync::Notify;

use super::{generation, PublicCache, Shared};
use crate::config::Config;
use crate::db::{ConnMut, Db};
use crate::error::ApiError;

/// The longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Starts the watcher of `cache` (nothing when the cache is off).
pub fn spawn_watcher(cache: &PublicCache, config: &Config) -> Result<(), String> {
    if !cache.enabled() {
        return Ok(());
    }
    let mut own = config.clone();
    own.pool_size = 1;
    let db = Db::connect(&own)?;
    let watcher = Watcher {
        cache: Arc::downgrade(&cache.shared),
        wake: cache.shared.wake.clone(),
        writes: cache.shared.db.write_events(),
        interval: config.cache.check_interval,
    };
    tokio::spawn(watcher.run(db));
    Ok(())
}

struct Watcher {
    cache: Weak<Shared>,
    wake: Arc<Notify>,
    writes: Arc<crate::db::Writes>,
    interval: Duration,
}

/// Why a watch ended.
enum Stop {
    /// The server is gone.
    Done,
    /// The database failed; reconnect.
    Lost(ApiError),
}

impl From<ApiError> for Stop {
    fn from(e: ApiError) -> Self {
        Self::Lost(e)
    }
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Self {
        Self::Lost(e.into())
    }
}

impl Watcher {
    fn cache(&self) -> Result<PublicCache, Stop> {
        self.cache
            .upgrade()
            .map(|shared| PublicCache { shared })
            .ok_or(Stop::Done)
    }

    async fn run(self, db: Db) {
        let mut backoff = Duration::from_millis(100);
        loop {
            match self.watch(&db, &mut backoff).await {
                Stop::Done => return,
                Stop::Lost(error) => {
                    let Ok(cache) = self.cache() else { return };
                    cache.lose_touch();
                    drop(cache);
                    if crate::telemetry::flood::first("cache watcher lost the database") {
                        tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64,
                            "cache watcher lost the database; public answers are not cached until it is back");
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    /// One connection's life: listen, then check and wait in turn.
    async fn watch(&self, db: &Db, backoff: &mut Duration) -> Stop {
        let mut conn = match db.reader().await {
            Ok(conn) => conn,
            Err(e) => return Stop::Lost(e),
        };
        if let ConnMut::Pg(_) = conn.get() {
            if let Err(e) = conn.batch_execute("LISTEN cms_content").await {
                return e.into();
            }
        }
        *backoff = Duration::from_millis(100);
        loop {
            if let Err(stop) = self.check(&mut conn).await {
                return stop;
            }
            if let Err(stop) = self.wait(&mut conn).await {
                return stop;
            }
        }
    }

    /// Reads the generation and the next go-live time until the cache
    /// takes them for its current stamp.
    async fn check(&self, conn: &mut crate::db::Conn) -> Result<(), Stop> {
        for _ in 0..5 {
            let at = self.cache()?.stamp();
            let (generation, next) = generation::read(conn, crate::db::time::now()).await?;
            let cache = self.cache()?;
            cache.observe_generation(generation);
            if cache.vouch(at, next) {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Until the interval passes, the cache asks, a write here finishes
    /// (so the next read finds the new stamp vouched for), or a
    /// notification comes.
    async fn wait(&self, conn: &mut crate::db::Conn) -> Result<(), Stop> {
        let sleep = tokio::time::sleep(self.interval);
        let woken = async {
            tokio::select! {
                () = self.wake.notified() => {}
                () = self.writes.finished() => {}
            }
        };
        let ConnMut::Pg(pg) = conn.get() else {
            tokio::select! {
                () = sleep => {}
                () = woken => {}
            }
            return Ok(());
        };
        let mut notifications = std::pin::pin!(pg.notifications_stream());
        let heard = tokio::select! {
            () = sleep => return Ok(()),
            () = woken => return Ok(()),
            heard = notifications.next() => heard,
        };
        let mut latest = 0;
        let mut next = heard;
        loop {
            match next {
                Some(Ok(notification)) => {
                    latest = latest.max(notification.payload.parse().unwrap_or(0));
                }
                Some(Err(e)) => return Err(e.into()),
                None => {
                    return Err(Stop::Lost(ApiError::Unavailable(
                        "the notification connection closed".to_owned(),
                    )))
                }
            }
            // Take every notification already here before checking once.
            match notifications.next().now_or_never() {
                Some(more) => next = more,
                None => break,
            }
        }
        self.cache()?.observe_generation(latest);
        Ok(())
    }
}
