//! Shared application state handed to every handler.

use std::sync::Arc;

use crate::auth::{Caller, Credentials};
use crate::config::Config;
use crate::db::{Conn, Db};
use crate::error::ApiResult;
use crate::idempotency::InFlight;

/// What handlers need: the database pool and the configuration.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Connection pool of the configured backend.
    pub db: Db,
    /// Service configuration.
    pub config: Arc<Config>,
    /// Idempotency keys whose first request is running here.
    pub in_flight: InFlight,
}

impl AppState {
    /// Starts a request's unit of work: one connection, and the caller
    /// resolved on it.
    pub async fn open(&self, credentials: Credentials) -> ApiResult<(Conn, Caller)> {
        let mut conn = self.db.conn().await?;
        let caller = credentials.resolve(&mut conn).await?;
        Ok((conn, caller))
    }
}
