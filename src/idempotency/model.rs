//! Stored idempotency keys and the answers they keep.

use chrono::NaiveDateTime;
use diesel::prelude::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use crate::db::schema::idempotency_keys;
use crate::db::Conn;

/// A key as stored.
#[derive(Debug, Queryable)]
pub struct StoredKey {
    /// Hash of the request first made with the key.
    pub request_hash: String,
    /// The answer's status (set in the claim's own transaction).
    pub status: Option<i32>,
    /// The answer's `Location`, if any.
    pub location: Option<String>,
    /// The answer's JSON body.
    pub body: Option<String>,
}

/// Deletes the keys that expired before `at`.
pub async fn purge_expired(conn: &mut Conn, at: NaiveDateTime) -> QueryResult<()> {
    use idempotency_keys::dsl;
    run!(conn, c => diesel::delete(dsl::idempotency_keys.filter(dsl::expires_at.lt(at))).execute(c).await)?;
    Ok(())
}

/// Claims `(scope, key)` inside the write's transaction: `true` when it
/// was free. One conditional insert, so of two concurrent requests only
/// one gets it (on PostgreSQL the other waits for the first transaction to
/// end); a rolled-back write takes its claim with it.
pub async fn claim(
    conn: &mut Conn,
    scope: &str,
    key: &str,
    request_hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<bool> {
    use idempotency_keys::dsl;
    let inserted = run!(conn, c => {
        diesel::insert_into(dsl::idempotency_keys)
            .values((
                dsl::scope.eq(scope),
                dsl::key.eq(key),
                dsl::request_hash.eq(request_hash),
                dsl::expires_at.eq(expires_at),
            ))
            .on_conflict_do_nothing()
            .execute(c)
            .await
    })?;
    Ok(inserted == 1)
}

/// The stored key, if any.
pub async fn find(conn: &mut Conn, scope: &str, key: &str) -> QueryResult<Option<StoredKey>> {
    use idempotency_keys::dsl;
    run!(conn, c => {
        dsl::idempotency_keys
            .filter(dsl::scope.eq(scope))
            .filter(dsl::key.eq(key))
            .select((dsl::request_hash, dsl::status, dsl::location, dsl::body))
            .first(c)
            .await
            .optional()
    })
}

/// Stores the answer of a claimed key (in the transaction of the write).
pub async fn answer(
    conn: &mut Conn,
    scope: &str,
    key: &str,
    status: u16,
    location: Option<&str>,
    body: &str,
) -> QueryResult<()> {
    use idempotency_keys::dsl;
    run!(conn, c => {
        diesel::update(dsl::idempotency_keys.filter(dsl::scope.eq(scope)).filter(dsl::key.eq(key)))
            .set((
                dsl::status.eq(i32::from(status)),
                dsl::location.eq(location),
                dsl::body.eq(body),
            ))
            .execute(c)
            .await
    })?;
    Ok(())
}
