//! Shared application state handed to every handler.

use std::sync::Arc;

use crate::config::Config;
use crate::db::Db;

/// What handlers need: the database pool and the configuration.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Connection pool of the configured backend.
    pub db: Db,
    /// Service configuration.
    pub config: Arc<Config>,
}
