//! Refresh-token sessions: opaque tokens stored hashed, grouped in families
//! (one per login), rotated on every use; reusing a spent token revokes the
//! whole family (RFC 9700 §4.14.2). Access tokens name their family (`sid`)
//! and die with it.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::{
    ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use super::tokens::{digest, random_token};
use crate::db::schema::refresh_tokens;
use crate::db::time::now;
use crate::db::Conn;

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

/// What presenting a refresh token led to.
#[derive(Debug)]
pub enum Rotation {
    /// Spent; its successor in the same family.
    Rotated {
        /// The session's user.
        user_id: i64,
        /// The session (family) id.
        family: String,
        /// The new refresh token.
        token: String,
    },
    /// Unknown, expired or revoked.
    Invalid,
    /// Already spent: a replay, so the whole family is now revoked.
    Reused,
}

/// Starts a session: a new family with its first refresh token.
/// Returns `(family_id, refresh_token)`.
pub async fn start(conn: &mut Conn, user_id: i64, ttl_days: u64) -> QueryResult<(String, String)> {
    let family = random_token(16);
    let token = insert(conn, user_id, &family, ttl_days).await?;
    Ok((family, token))
}

async fn insert(conn: &mut Conn, user_id: i64, family: &str, ttl_days: u64) -> QueryResult<String> {
    let token = random_token(32);
    let at = now();
    let row = NewRefreshToken {
        user_id,
        family_id: family.to_owned(),
        token_hash: digest(&token),
        expires_at: at + Duration::days(ttl_days as i64),
        created_at: at,
    };
    run!(conn, c => diesel::insert_into(refresh_tokens::table).values(&row).execute(c).await)?;
    Ok(token)
}

/// Spends `token` and issues its successor in the same family, in one
/// transaction. A token presented twice revokes the family.
pub async fn rotate(conn: &mut Conn, token: &str, ttl_days: u64) -> QueryResult<Rotation> {
    let hash = digest(token);
    let at = now();
    conn.transaction(async |conn| {
        let found: Option<RefreshToken> = run!(conn, c => {
            refresh_tokens::table
                .filter(refresh_tokens::token_hash.eq(&hash))
                .select(RefreshToken::as_select())
                .first(c)
                .await
                .optional()
        })?;
        let Some(row) = found else {
            return Ok(Rotation::Invalid);
        };
        if row.revoked_at.is_some() || row.expires_at <= at {
            return Ok(Rotation::Invalid);
        }
        // Claim the token atomically: only one caller can flip `used_at`.
        let claimed = run!(conn, c => {
            diesel::update(
                refresh_tokens::table
                    .filter(refresh_tokens::id.eq(row.id))
                    .filter(refresh_tokens::used_at.is_null()),
            )
            .set(refresh_tokens::used_at.eq(at))
            .execute(c)
            .await
        })?;
        if claimed == 0 {
            tracing::warn!(
                user_id = row.user_id,
                "refresh token reused; revoking its session"
            );
            revoke_family(conn, &row.family_id).await?;
            return Ok(Rotation::Reused);
        }
        let token = insert(conn, row.user_id, &row.family_id, ttl_days).await?;
        Ok(Rotation::Rotated {
            user_id: row.user_id,
            family: row.family_id,
            token,
        })
    })
    .await
}

/// Whether a session is still alive (not revoked).
pub async fn is_active(conn: &mut Conn, family: &str) -> QueryResult<bool> {
    let live: i64 = run!(conn, c => {
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family))
            .filter(refresh_tokens::revoked_at.is_null())
            .count()
            .get_result(c)
            .await
    })?;
    Ok(live > 0)
}

/// Ends one session (logout).
pub async fn revoke_family(conn: &mut Conn, family: &str) -> QueryResult<()> {
    let at = now();
    run!(conn, c => {
        diesel::update(refresh_tokens::table.filter(refresh_tokens::family_id.eq(family)))
            .set(refresh_tokens::revoked_at.eq(at))
            .execute(c)
            .await
    })?;
    Ok(())
}

/// Ends every session of a user (password, role change, disabling).
pub async fn revoke_user(conn: &mut Conn, user_id: i64) -> QueryResult<()> {
    let at = now();
    run!(conn, c => {
        diesel::update(
            refresh_tokens::table
                .filter(refresh_tokens::user_id.eq(user_id))
                .filter(refresh_tokens::revoked_at.is_null()),
        )
        .set(refresh_tokens::revoked_at.eq(at))
        .execute(c)
        .await
    })?;
    Ok(())
}
