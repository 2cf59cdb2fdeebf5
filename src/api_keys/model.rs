//! API key rows, generation and authentication.

use chrono::NaiveDateTime;
use diesel::prelude::{
    ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::RunQueryDsl;

use crate::auth::caller::constant_time_eq;
use crate::auth::tokens::{digest, random_token};
use crate::db::schema::api_keys;
use crate::db::time::now;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};

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
    pub scope: String,
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
    scope: String,
    expires_at: Option<NaiveDateTime>,
    created_by: Option<i64>,
    created_at: NaiveDateTime,
}

/// Creates a key; returns the row and the full key (shown once).
pub async fn create(
    db: &Db,
    name: String,
    scope: &str,
    expires_at: Option<NaiveDateTime>,
    created_by: Option<i64>,
) -> ApiResult<(ApiKey, String)> {
    let prefix: String = digest(&random_token(16)).chars().take(10).collect();
    let secret = random_token(32);
    let row = NewApiKey {
        name,
        prefix: prefix.clone(),
        secret_hash: digest(&secret),
        scope: scope.to_owned(),
        expires_at,
        created_by,
        created_at: now(),
    };
    let key = with_conn!(db, conn => {
        diesel::insert_into(api_keys::table)
            .values(&row)
            .returning(ApiKey::as_returning())
            .get_result(conn)
            .await?
    });
    Ok((key, format!("{KEY_PREFIX}{prefix}_{secret}")))
}

/// The key a presented secret belongs to, if valid and not expired.
pub async fn authenticate(db: &Db, presented: &str) -> ApiResult<ApiKey> {
    let invalid = || ApiError::Unauthorized("invalid or expired credentials".to_owned());
    let rest = presented.strip_prefix(KEY_PREFIX).ok_or_else(invalid)?;
    let (prefix, secret) = rest.split_once('_').ok_or_else(invalid)?;
    let found: Option<ApiKey> = with_conn!(db, conn => {
        api_keys::table
            .filter(api_keys::prefix.eq(prefix))
            .select(ApiKey::as_select())
            .first(conn)
            .await
            .optional()?
    });
    let key = found.ok_or_else(invalid)?;
    let at = now();
    if !constant_time_eq(key.secret_hash.as_bytes(), digest(secret).as_bytes())
        || key.expires_at.is_some_and(|e| e <= at)
    {
        return Err(invalid());
    }
    // Record use at most once a minute to keep reads from becoming writes.
    if key
        .last_used_at
        .is_none_or(|t| at - t > chrono::Duration::minutes(1))
    {
        with_conn!(db, conn => {
            diesel::update(api_keys::table.filter(api_keys::id.eq(key.id)))
                .set(api_keys::last_used_at.eq(at))
                .execute(conn)
                .await?;
        });
    }
    Ok(key)
}

/// A page of keys, newest first, and the total.
pub async fn list(db: &Db, offset: i64, limit: i64) -> ApiResult<(Vec<ApiKey>, i64)> {
    with_conn!(db, conn => {
        let total: i64 = api_keys::table.count().get_result(conn).await?;
        let rows = api_keys::table
            .select(ApiKey::as_select())
            .order_by(api_keys::id.desc())
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((rows, total))
    })
}

/// One key by id (404 when missing).
pub async fn find(db: &Db, id: i64) -> ApiResult<ApiKey> {
    let found = with_conn!(db, conn => {
        api_keys::table
            .filter(api_keys::id.eq(id))
            .select(ApiKey::as_select())
            .first(conn)
            .await
            .optional()?
    });
    found.ok_or_else(|| ApiError::NotFound("API key not found".to_owned()))
}

/// Revokes (deletes) a key.
pub async fn delete(db: &Db, id: i64) -> ApiResult<()> {
    let deleted = with_conn!(db, conn => {
        diesel::delete(api_keys::table.filter(api_keys::id.eq(id))).execute(conn).await?
    });
    if deleted == 0 {
        return Err(ApiError::NotFound("API key not found".to_owned()));
    }
    Ok(())
}
