//! Refresh-token sessions: opaque tokens stored hashed, grouped in families
//! (one per login), rotated on every use; reusing a spent token revokes the
//! whole family (RFC 9700 §4.14.2). Access tokens name their family (`sid`)
//! and die with it.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::{
    ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::RunQueryDsl;

use super::tokens::{digest, random_token};
use crate::db::schema::refresh_tokens;
use crate::db::time::now;
use crate::db::Db;
use crate::error::ApiResult;

/// A stored refresh token.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: i64,
    pub user_id: i64,
    pub family_id: String,
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = refresh_tokens)]
struct NewRefreshToken {
    user_id: i64,
    family_id: String,
    token_hash: String,
    expires_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

/// Starts a session: a new family with its first refresh token.
/// Returns `(family_id, refresh_token)`.
pub async fn start(db: &Db, user_id: i64, ttl_days: u64) -> ApiResult<(String, String)> {
    let family = random_token(16);
    let token = insert(db, user_id, &family, ttl_days).await?;
    Ok((family, token))
}

async fn insert(db: &Db, user_id: i64, family: &str, ttl_days: u64) -> ApiResult<String> {
    let token = random_token(32);
    let at = now();
    let row = NewRefreshToken {
        user_id,
        family_id: family.to_owned(),
        token_hash: digest(&token),
        expires_at: at + Duration::days(ttl_days as i64),
        created_at: at,
    };
    with_conn!(db, conn => {
        diesel::insert_into(refresh_tokens::table).values(&row).execute(conn).await?;
    });
    Ok(token)
}

/// Spends `token` and issues its successor in the same family. A token
/// presented twice revokes the family. Returns `(user_id, family, new_token)`.
pub async fn rotate(db: &Db, token: &str, ttl_days: u64) -> ApiResult<(i64, String, String)> {
    let hash = digest(token);
    let at = now();
    let found: Option<RefreshToken> = with_conn!(db, conn => {
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(&hash))
            .select(RefreshToken::as_select())
            .first(conn)
            .await
            .optional()?
    });
    let Some(row) = found else {
        return Err(super::jwt::invalid());
    };
    if row.revoked_at.is_some() || row.expires_at <= at {
        return Err(super::jwt::invalid());
    }
    // Claim the token atomically: only one caller can flip `used_at`.
    let claimed = with_conn!(db, conn => {
        diesel::update(
            refresh_tokens::table
                .filter(refresh_tokens::id.eq(row.id))
                .filter(refresh_tokens::used_at.is_null()),
        )
        .set(refresh_tokens::used_at.eq(at))
        .execute(conn)
        .await?
    });
    if claimed == 0 {
        tracing::warn!(
            user_id = row.user_id,
            "refresh token reused; revoking its session"
        );
        revoke_family(db, &row.family_id).await?;
        return Err(super::jwt::invalid());
    }
    let next = insert(db, row.user_id, &row.family_id, ttl_days).await?;
    Ok((row.user_id, row.family_id, next))
}

/// Whether a session is still alive (not revoked).
pub async fn is_active(db: &Db, family: &str) -> ApiResult<bool> {
    let live: i64 = with_conn!(db, conn => {
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family))
            .filter(refresh_tokens::revoked_at.is_null())
            .count()
            .get_result(conn)
            .await?
    });
    Ok(live > 0)
}

/// Ends one session (logout).
pub async fn revoke_family(db: &Db, family: &str) -> ApiResult<()> {
    let at = now();
    with_conn!(db, conn => {
        diesel::update(refresh_tokens::table.filter(refresh_tokens::family_id.eq(family)))
            .set(refresh_tokens::revoked_at.eq(at))
            .execute(conn)
            .await?;
    });
    Ok(())
}

/// Ends every session of a user (password, role change, disabling).
pub async fn revoke_user(db: &Db, user_id: i64) -> ApiResult<()> {
    let at = now();
    with_conn!(db, conn => {
        diesel::update(
            refresh_tokens::table
                .filter(refresh_tokens::user_id.eq(user_id))
                .filter(refresh_tokens::revoked_at.is_null()),
        )
        .set(refresh_tokens::revoked_at.eq(at))
        .execute(conn)
        .await?;
    });
    Ok(())
}
