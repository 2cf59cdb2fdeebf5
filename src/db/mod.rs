//! Database access: a pool of either backend ([`Db`]), the connection
//! handle model code takes ([`Conn`], queries written once in [`run!`]),
//! migrations and the shared schema.

#[macro_use]
mod conn;
#[macro_use]
mod text_enum;
pub mod explain;
pub mod migrate;
pub mod periodic;
mod pool;
pub mod schema;
pub mod slugs;
pub mod time;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use diesel::SqliteConnection;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::AsyncPgConnection;

pub use conn::{Conn, ConnMut};

use crate::config::Config;
use crate::error::{ApiError, ApiResult};

/// An async SQLite connection (diesel's sync connection on a blocking thread).
pub type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

/// Which database the service runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL through diesel-async (tokio-postgres, no libpq).
    Postgres,
    /// Embedded SQLite (bundled).
    Sqlite,
}

/// The connection pool of the configured backend. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pools: Pools,
    checkouts: Arc<AtomicU64>,
    writes: Arc<Writes>,
}

/// Units of work on the writer's connection finished since start, and a
/// wake-up for whoever follows them (the public cache's watcher).
#[derive(Debug, Default)]
pub struct Writes {
    count: AtomicU64,
    finished: tokio::sync::Notify,
}

impl Writes {
    pub(crate) fn finish_one(&self) {
        self.count.fetch_add(1, Ordering::AcqRel);
        self.finished.notify_one();
    }

    /// Waits for the next write to finish (or one finished since the last
    /// wait).
    pub async fn finished(&self) {
        self.finished.notified().await;
    }
}

/// How full a pool is (deadpool's status), for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStatus {
    /// Which pool: `main` (PostgreSQL), `readers` or `writer` (SQLite).
    pub name: &'static str,
    /// Most connections it may hold.
    pub max_size: usize,
    /// Connections open now.
    pub size: usize,
    /// Open connections idle in the pool.
    pub available: usize,
    /// Tasks waiting for a connection.
    pub waiting: usize,
}

#[derive(Clone)]
enum Pools {
    Pg(Pool<AsyncPgConnection>),
    /// SQLite allows one writer at a time: writes queue for a connection of
    /// their own instead of waiting behind the readers for a pooled one.
    Sqlite {
        readers: Pool<SqliteConn>,
        writer: Pool<SqliteConn>,
    },
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({:?})", self.backend())
    }
}

impl Db {
    /// Builds the pool for the configured URL (connections open lazily).
    pub fn connect(config: &Config) -> Result<Self, String> {
        Ok(Self {
            pools: pool::build(config)?,
            checkouts: Arc::default(),
            writes: Arc::default(),
        })
    }

    /// The backend this pool talks to.
    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Pg(_) => Backend::Postgres,
            Pools::Sqlite { .. } => Backend::Sqlite,
        }
    }

    /// Checks out a connection for a unit of work that only reads (it may
    /// still write in passing, as an API key's `last_used_at` once a
    /// minute). 503 when none frees up within the pool's wait timeout.
    pub async fn reader(&self) -> ApiResult<Conn> {
        self.checkouts.fetch_add(1, Ordering::Relaxed);
        Ok(match &self.pools {
            Pools::Pg(pool) => Conn::pg(pool.get().await?),
            Pools::Sqlite { readers, .. } => Conn::sqlite(readers.get().await?),
        })
    }

    /// Checks out a connection for a unit of work that writes: on SQLite
    /// the one writer connection, for which writes queue in order; on
    /// PostgreSQL any pooled connection.
    pub async fn writer(&self) -> ApiResult<Conn> {
        self.checkouts.fetch_add(1, Ordering::Relaxed);
        Ok(self
            .background_writer()
            .await?
            .counting_release(&self.writes))
    }

    /// The writer's connection for background work (webhook deliveries,
    /// the publication tick, purges): not counted as a request's write, so
    /// it does not empty this instance's public cache by itself. Content
    /// it changes still raises the content generation (a trigger), which
    /// the cache follows.
    pub async fn background_writer(&self) -> ApiResult<Conn> {
        Ok(match &self.pools {
            Pools::Pg(pool) => Conn::pg(pool.get().await?),
            Pools::Sqlite { writer, .. } => Conn::sqlite(writer.get().await?),
        })
    }

    /// Units of work on the writer's connection finished since start: each
    /// one counts when its connection returns to the pool, after its commit
    /// and before its answer is sent. The public cache treats a change as a
    /// new generation, so this instance's writes invalidate it at once.
    pub fn writes(&self) -> u64 {
        self.writes.count.load(Ordering::Acquire)
    }

    /// The counter behind [`Db::writes`], to wait on.
    pub fn write_events(&self) -> Arc<Writes> {
        self.writes.clone()
    }

    /// Each pool's size, idle connections and waiters.
    pub fn pool_status(&self) -> Vec<PoolStatus> {
        fn of<C: diesel_async::pooled_connection::PoolableConnection + 'static>(
            name: &'static str,
            pool: &Pool<C>,
        ) -> PoolStatus
        where
            diesel_async::pooled_connection::AsyncDieselConnectionManager<C>:
                deadpool::managed::Manager<Type = C>,
        {
            let status = pool.status();
            PoolStatus {
                name,
                max_size: status.max_size,
                size: status.size,
                available: status.available,
                waiting: status.waiting,
            }
        }
        match &self.pools {
            Pools::Pg(pool) => vec![of("main", pool)],
            Pools::Sqlite { readers, writer } => vec![of("readers", readers), of("writer", writer)],
        }
    }

    /// Connections checked out since start (tests assert one per request).
    pub fn checkouts(&self) -> u64 {
        self.checkouts.load(Ordering::Relaxed)
    }

    /// Checks a connection can be had and answers `SELECT 1` within `timeout`.
    ///
    /// The ping runs as a task of its own, which the timeout abandons but
    /// never cancels: a SQLite query dropped mid-flight blocks its thread
    /// until the query ends (diesel-async's `block_in_place`), which panics
    /// on the current-thread runtime an HTTP worker runs on.
    pub async fn ping(&self, timeout: Duration) -> ApiResult<()> {
        let db = self.clone();
        let ping = tokio::spawn(async move {
            let mut conn = db.reader().await?;
            Ok::<_, ApiError>(conn.batch_execute("SELECT 1").await?)
        });
        match tokio::time::timeout(timeout, ping).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(ApiError::internal(join)),
            Err(_) => Err(ApiError::Unavailable("database ping timed out".to_owned())),
        }
    }
}
