//! One-shot commands run from the CLI against the configured database.

pub mod create_admin;
pub mod export;
pub mod import;
pub mod seed_demo;

use crate::config::Config;
use crate::db::{migrate, Db};
use crate::state::AppState;

/// Migrates and opens the database for a command.
pub async fn open(config: Config) -> Result<AppState, String> {
    migrate::run_pending(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let db = Db::connect(&config)?;
    AppState::new(db, config)
}
