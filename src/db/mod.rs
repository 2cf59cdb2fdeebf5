//! Database access: an enum of pools (PostgreSQL or SQLite) and macros that
//! run the same Diesel code on whichever connection it holds.
//!
//! Queries are written once with `diesel_async::RunQueryDsl`; `with_conn!`
//! and `with_tx!` expand the body once per backend so each is type-checked
//! against its own connection.

#[macro_use]
mod macros;
#[macro_use]
pub mod slugs;
pub mod migrate;
pub mod schema;
mod setup;
pub mod time;

use std::time::Duration;

use diesel::SqliteConnection;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::AsyncPgConnection;

use crate::config::Config;
use crate::error::{ApiError, ApiResult};

/// An async SQLite connection (diesel's sync connection on a blocking thread).
pub type SqliteConn = SyncConnectionWrapper<SqliteConnection>;
/// PostgreSQL connection pool.
pub type PgPool = Pool<AsyncPgConnection>;
/// SQLite connection pool.
pub type SqlitePool = Pool<SqliteConn>;

/// Which database the service runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL through diesel-async (tokio-postgres, no libpq).
    Postgres,
    /// Embedded SQLite (bundled).
    Sqlite,
}

/// The connection pool of the configured backend.
#[derive(Clone)]
pub enum Db {
    /// PostgreSQL pool.
    Pg(PgPool),
    /// SQLite pool.
    Sqlite(SqlitePool),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({:?})", self.backend())
    }
}

impl Db {
    /// Builds the pool for the configured URL (connections open lazily).
    pub fn connect(config: &Config) -> Result<Self, String> {
        setup::build_pool(config)
    }

    /// The backend this pool talks to.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Pg(_) => Backend::Postgres,
            Self::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Checks a connection can be had and answers `SELECT 1` within `timeout`.
    pub async fn ping(&self, timeout: Duration) -> ApiResult<()> {
        use diesel_async::SimpleAsyncConnection as _;
        let ping = async {
            with_conn!(self, conn => conn.batch_execute("SELECT 1").await.map_err(ApiError::from))
        };
        match tokio::time::timeout(timeout, ping).await {
            Ok(result) => result,
            Err(_) => Err(ApiError::Unavailable("database ping timed out".to_owned())),
        }
    }
}
