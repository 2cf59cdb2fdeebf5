//! `Conn`: one pooled connection of either backend, the handle every model
//! function takes. A request checks out one `Conn` for its whole unit of
//! work; [`Conn::transaction`] makes a multi-step write atomic on it.
//!
//! Model code writes each query once inside [`run!`], which expands the
//! body once per backend so each copy is type-checked against its own
//! connection type.

use std::sync::Arc;

use diesel::result::QueryResult;
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::TransactionManager as _;
use diesel_async::{AnsiTransactionManager, AsyncPgConnection, SimpleAsyncConnection as _};

use super::{Backend, SqliteConn};

/// Runs `$body` with `$c` bound to the `&mut` connection of whichever
/// backend `$conn` (a `&mut Conn`) holds. The body is an expression in the
/// caller's async context; it may `.await` and use `?`.
#[macro_export]
macro_rules! run {
    ($conn:expr, $c:ident => $body:expr) => {
        match $crate::db::Conn::get($conn) {
            $crate::db::ConnMut::Pg($c) => $body,
            $crate::db::ConnMut::Sqlite($c) => $body,
        }
    };
}

/// A pooled connection, returned to the pool when dropped.
pub struct Conn {
    pooled: Pooled,
    /// Open SQLite transactions and savepoints (PostgreSQL's transaction
    /// manager keeps its own count).
    sqlite_depth: u32,
    /// Counted up when a writer's unit of work ends (see [`super::Db::writes`]).
    on_release: Option<Arc<super::Writes>>,
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(released) = &self.on_release {
            released.finish_one();
        }
    }
}

#[expect(
    clippy::large_enum_variant,
    reason = "one per request, never in a collection; boxing would allocate per checkout"
)]
enum Pooled {
    Pg(Object<AsyncPgConnection>),
    Sqlite(Object<SqliteConn>),
}

/// The connection of one backend, borrowed for a query (see [`run!`]).
pub enum ConnMut<'a> {
    /// PostgreSQL.
    Pg(&'a mut AsyncPgConnection),
    /// SQLite.
    Sqlite(&'a mut SqliteConn),
}

impl Conn {
    pub(super) fn pg(conn: Object<AsyncPgConnection>) -> Self {
        Self {
            pooled: Pooled::Pg(conn),
            sqlite_depth: 0,
            on_release: None,
        }
    }

    pub(super) fn sqlite(conn: Object<SqliteConn>) -> Self {
        Self {
            pooled: Pooled::Sqlite(conn),
            sqlite_depth: 0,
            on_release: None,
        }
    }

    /// Counts `counter` up when this connection goes back to the pool.
    pub(super) fn counting_release(mut self, counter: &Arc<super::Writes>) -> Self {
        self.on_release = Some(counter.clone());
        self
    }

    /// The backend-specific connection (used through [`run!`]).
    pub fn get(&mut self) -> ConnMut<'_> {
        match &mut self.pooled {
            Pooled::Pg(conn) => ConnMut::Pg(conn),
            Pooled::Sqlite(conn) => ConnMut::Sqlite(conn),
        }
    }

    /// Which database this connection talks to: the one place model code
    /// may branch on it is SQL that differs by backend (full-text search).
    pub fn backend(&self) -> Backend {
        match self.pooled {
            Pooled::Pg(_) => Backend::Postgres,
            Pooled::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Runs `work` in one transaction: committed when it returns `Ok`,
    /// rolled back when it returns `Err`. Nested calls use savepoints.
    ///
    /// SQLite opens the outer transaction with `BEGIN IMMEDIATE`, so a writer
    /// takes the write lock up front instead of failing with `SQLITE_BUSY`
    /// when a read inside it upgrades. A connection dropped mid-transaction
    /// is rolled back (SQLite, on recycle) or discarded (PostgreSQL) by the
    /// pool, never reused inside the transaction.
    pub async fn transaction<T, E>(
        &mut self,
        work: impl AsyncFnOnce(&mut Conn) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
    {
        self.begin().await?;
        match work(self).await {
            Ok(value) => match self.commit().await {
                Ok(()) => Ok(value),
                Err(e) => {
                    self.rollback_quietly().await;
                    Err(e.into())
                }
            },
            Err(e) => {
                self.rollback_quietly().await;
                Err(e)
            }
        }
    }

    /// Runs plain SQL (no parameters, no results).
    pub async fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        run!(self, c => c.batch_execute(sql).await)
    }

    async fn begin(&mut self) -> QueryResult<()> {
        match &mut self.pooled {
            Pooled::Pg(conn) => AnsiTransactionManager::begin_transaction(&mut **conn).await,
            Pooled::Sqlite(conn) => {
                let sql = match self.sqlite_depth {
                    0 => "BEGIN IMMEDIATE".to_owned(),
                    depth => format!("SAVEPOINT sp{depth}"),
                };
                conn.batch_execute(&sql).await?;
                self.sqlite_depth += 1;
                Ok(())
            }
        }
    }

    async fn commit(&mut self) -> QueryResult<()> {
        match &mut self.pooled {
            Pooled::Pg(conn) => AnsiTransactionManager::commit_transaction(&mut **conn).await,
            Pooled::Sqlite(conn) => {
                let sql = match self.sqlite_depth {
                    1 => "COMMIT".to_owned(),
                    depth => format!("RELEASE sp{}", depth - 1),
                };
                conn.batch_execute(&sql).await?;
                self.sqlite_depth -= 1;
                Ok(())
            }
        }
    }

    async fn rollback_quietly(&mut self) {
        let result = match &mut self.pooled {
            Pooled::Pg(conn) => AnsiTransactionManager::rollback_transaction(&mut **conn).await,
            Pooled::Sqlite(conn) => {
                let sql = match self.sqlite_depth {
                    1 => "ROLLBACK".to_owned(),
                    depth => format!("ROLLBACK TO sp{0}; RELEASE sp{0}", depth - 1),
                };
                self.sqlite_depth = self.sqlite_depth.saturating_sub(1);
                conn.batch_execute(&sql).await
            }
        };
        if let Err(error) = result {
            tracing::warn!(%error, "rollback failed");
        }
    }
}
