//! Shared application state handed to every handler.

use std::sync::Arc;

use crate::auth::{Caller, Credentials};
use crate::cache::PublicCache;
use crate::config::Config;
use crate::db::{Conn, Db};
use crate::error::ApiResult;
use crate::idempotency::InFlight;
use crate::media::MediaService;
use crate::metrics::Metrics;

/// What handlers need: the database pool and the configuration.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Connection pool of the configured backend.
    pub db: Db,
    /// Service configuration.
    pub config: Arc<Config>,
    /// Idempotency keys whose first request is running here.
    pub in_flight: InFlight,
    /// Public answers kept for the current content generation.
    pub cache: PublicCache,
    /// Request counts and latencies for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The media store and image workers.
    pub media: MediaService,
}

impl AppState {
    /// The state of a server (or a command) on `db`; the cache is sized by
    /// the configuration (`CACHE_MAX_BYTES`). Fails when the media store
    /// cannot be opened.
    pub fn new(db: Db, config: Config) -> Result<Self, String> {
        Ok(Self {
            cache: PublicCache::new(config.cache.max_bytes, db.clone()),
            media: MediaService::new(&config.media)?,
            db,
            config: Arc::new(config),
            in_flight: Default::default(),
            metrics: Arc::default(),
        })
    }

    /// Starts a request's unit of work that reads: one connection, and the
    /// caller resolved on it.
    pub async fn open_reader(&self, credentials: Credentials) -> ApiResult<(Conn, Caller)> {
        let mut conn = self.db.reader().await?;
        let caller = credentials.resolve(&mut conn).await?;
        Ok((conn, caller))
    }

    /// Only who is calling, for handlers that do slow work (DNS, rendering)
    /// before their unit of work: the connection goes back at once.
    pub async fn caller(&self, credentials: Credentials) -> ApiResult<Caller> {
        let (_conn, caller) = self.open_reader(credentials).await?;
        Ok(caller)
    }

    /// Starts a request's unit of work that writes: one connection (on
    /// SQLite the writer's), and the caller resolved on it.
    pub async fn open_writer(&self, credentials: Credentials) -> ApiResult<(Conn, Caller)> {
        let mut conn = self.db.writer().await?;
        let caller = credentials.resolve(&mut conn).await?;
        Ok((conn, caller))
    }
}
