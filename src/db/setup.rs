//! Pool construction and per-connection set-up for both backends.

use std::time::Duration;

use diesel::ConnectionError;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use futures_util::FutureExt;

use super::{Db, SqliteConn};
use crate::config::{Config, DatabaseUrl};

/// Builds the pool with wait/create/recycle timeouts and verified recycling.
pub(super) fn build_pool(config: &Config) -> Result<Db, String> {
    let timeout = config.db_timeout;
    let size = config.pool_size;
    match &config.database_url {
        DatabaseUrl::Postgres(url) => {
            let mut manager_config = ManagerConfig::<AsyncPgConnection>::default();
            manager_config.recycling_method = RecyclingMethod::Verified;
            manager_config.custom_setup =
                Box::new(move |url| setup_pg(url.to_owned(), timeout).boxed());
            let manager =
                AsyncDieselConnectionManager::new_with_config(url.clone(), manager_config);
            let pool = Pool::builder(manager)
                .max_size(size)
                .wait_timeout(Some(timeout))
                .create_timeout(Some(timeout))
                .recycle_timeout(Some(timeout))
                .runtime(deadpool::Runtime::Tokio1)
                .build()
                .map_err(|e| format!("could not build the PostgreSQL pool: {e}"))?;
            Ok(Db::Pg(pool))
        }
        DatabaseUrl::Sqlite(path) => {
            let mut manager_config = ManagerConfig::<SqliteConn>::default();
            // A handler future dropped mid-transaction (client gone) leaves the
            // connection inside BEGIN; roll it back before reuse.
            manager_config.recycling_method = RecyclingMethod::CustomFunction(Box::new(|conn| {
                async move {
                    let _ = conn.batch_execute("ROLLBACK").await;
                    Ok(())
                }
                .boxed()
            }));
            manager_config.custom_setup =
                Box::new(move |url| setup_sqlite(url.to_owned(), timeout).boxed());
            let manager =
                AsyncDieselConnectionManager::new_with_config(path.clone(), manager_config);
            let pool = Pool::builder(manager)
                .max_size(size)
                .wait_timeout(Some(timeout))
                .create_timeout(Some(timeout))
                .recycle_timeout(Some(timeout))
                .runtime(deadpool::Runtime::Tokio1)
                .build()
                .map_err(|e| format!("could not build the SQLite pool: {e}"))?;
            Ok(Db::Sqlite(pool))
        }
    }
}

/// Opens a PostgreSQL connection with a statement timeout and UTC session.
async fn setup_pg(url: String, timeout: Duration) -> Result<AsyncPgConnection, ConnectionError> {
    let mut conn = AsyncPgConnection::establish(&url).await?;
    let sql = format!(
        "SET statement_timeout = {}; SET TIME ZONE 'UTC'",
        timeout.as_millis()
    );
    conn.batch_execute(&sql)
        .await
        .map_err(ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
}

/// Opens a SQLite connection with foreign keys, WAL and a busy timeout.
async fn setup_sqlite(path: String, timeout: Duration) -> Result<SqliteConn, ConnectionError> {
    let mut conn = SqliteConn::establish(&path).await?;
    let sql = format!(
        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
        timeout.as_millis()
    );
    conn.batch_execute(&sql)
        .await
        .map_err(ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
}
