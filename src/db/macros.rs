//! `with_conn!` and `with_tx!`: run one body of Diesel code on either backend.

/// Runs `$body` with `$conn` bound to `&mut` connection of either backend.
///
/// The body is an expression evaluated inside the caller's async context; it
/// may `.await` and use `?` with errors convertible to `ApiError`.
#[macro_export]
macro_rules! with_conn {
    ($db:expr, $conn:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Pg(pool) => {
                let mut pooled = pool.get().await.map_err($crate::error::ApiError::from)?;
                let $conn = &mut *pooled;
                $body
            }
            $crate::db::Db::Sqlite(pool) => {
                let mut pooled = pool.get().await.map_err($crate::error::ApiError::from)?;
                let $conn = &mut *pooled;
                $body
            }
        }
    };
}

/// Runs `$body` (an expression returning `ApiResult<T>`) in one transaction.
///
/// PostgreSQL uses diesel-async's transaction manager. SQLite opens the
/// transaction with `BEGIN IMMEDIATE` so a writer takes the lock up front
/// instead of failing with `SQLITE_BUSY` when it upgrades; a connection that
/// returns to the pool mid-transaction is rolled back when it is recycled.
#[macro_export]
macro_rules! with_tx {
    ($db:expr, $conn:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Pg(pool) => {
                use diesel_async::AsyncConnection as _;
                let mut pooled = pool.get().await.map_err($crate::error::ApiError::from)?;
                pooled
                    .transaction(async |$conn| -> $crate::error::ApiResult<_> { $body })
                    .await
            }
            $crate::db::Db::Sqlite(pool) => {
                use diesel_async::SimpleAsyncConnection as _;
                let mut pooled = pool.get().await.map_err($crate::error::ApiError::from)?;
                let $conn = &mut *pooled;
                $conn.batch_execute("BEGIN IMMEDIATE").await?;
                let result: $crate::error::ApiResult<_> = async { $body }.await;
                match result {
                    Ok(value) => {
                        $conn.batch_execute("COMMIT").await?;
                        Ok(value)
                    }
                    Err(err) => {
                        if let Err(rollback) = $conn.batch_execute("ROLLBACK").await {
                            tracing::warn!(error = %rollback, "rollback failed");
                        }
                        Err(err)
                    }
                }
            }
        }
    };
}
