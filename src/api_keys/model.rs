//! API key rows, generation and authentication.

use chrono::NaiveDateTime;
use diesel::prelude::{
    ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use super::scope::KeyScope;
use crate::auth::tokens::{digest, random_token};
use crate::db::schema::api_keys;
use crate::db::time::now;
use crate::db::Conn;

/// Every key starts with this, so it is recognisable (and scannable) in leaks.
pub const KEY_PREFIX: &str = "cms_";

/// An API key as stored (the secret only as a hash).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub secret_hash: String,
    pub scope: KeyScope,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_keys)]
struct NewApiKey {
    name: String,
    prefix: String,
    secret_hash: String,
    scope: KeyScope,
    expires_at: Option<NaiveDateTime>,
    created_by: Option<i64>,
    created_at: NaiveDateTime,
}

/// Creates a key; returns the row and the full key (shown once).
pub async fn create(
    conn: &mut Conn,
    name: String,
    scope: KeyScope,
    expires_at: Option<NaiveDateTime>,
    created_by: Option<i64>,
) -> QueryResult<(ApiKey, String)> {
    let prefix: String = digest(random_token(16)).chars().take(10).collect();
    let secret = random_token(32);
    let row = NewApiKey {
        name,
        prefix: prefix.clone(),
        secret_hash: digest(&secret),
        scope,
        expires_at,
        created_by,
        created_at: now(),
    };
    let key = run!(conn, c => {
        diesel::insert_into(api_keys::table)
            .values(&row)
            .returning(ApiKey::as_returning())
            .get_result(c)
            .await
    })?;
    Ok((key, format!("{KEY_PREFIX}{prefix}_{secret}")))
}

/// Splits a presented key into its public prefix and its secret.
pub fn split(presented: &str) -> Option<(&str, &str)> {
    presented.strip_prefix(KEY_PREFIX)?.split_once('_')
}

/// The key with this public prefix.
pub async fn find_by_prefix(conn: &mut Conn, prefix: &str) -> QueryResult<Option<ApiKey>> {
    run!(conn, c => {
        api_keys::table
            .filter(api_keys::prefix.eq(prefix))
            .select(ApiKey::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// Records that `key` was used at `at`, at most once a minute (so reads do
/// not all become writes).
pub async fn record_use(conn: &mut Conn, key: &ApiKey, at: NaiveDateTime) -> QueryResult<()> {
    let stale = key
        .last_used_at
        .is_none_or(|t| at - t > chrono::Duration::minutes(1));
    if stale {
        run!(conn, c => {
            diesel::update(api_keys::table.filter(api_keys::id.eq(key.id)))
                .set(api_keys::last_used_at.eq(at))
                .execute(c)
                .await
        })?;
    }
    Ok(())
}

/// A page of keys, newest first, and the total.
pub async fn list(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<(Vec<ApiKey>, i64)> {
    run!(conn, c => {
        let total: i64 = api_keys::table.count().get_result(c).await?;
        let rows = api_keys::table
            .select(ApiKey::as_select())
            .order_by(api_keys::id.desc())
            .offset(offset)
            .limit(limit)
            .load(c)
            .await?;
        Ok((rows, total))
    })
}

/// One key by id.
pub async fn find(conn: &mut Conn, id: i64) -> QueryResult<Option<ApiKey>> {
    run!(conn, c => {
        api_keys::table
            .filter(api_keys::id.eq(id))
            .select(ApiKey::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// Revokes (deletes) a key; `false` when there was none.
pub async fn delete(conn: &mut Conn, id: i64) -> QueryResult<bool> {
    let deleted = run!(conn, c => {
        diesel::delete(api_keys::table.filter(api_keys::id.eq(id))).execute(c).await
    })?;
    Ok(deleted > 0)
}
