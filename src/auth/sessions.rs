//! Sessions: one row per sign-in, with opaque refresh tokens stored hashed
//! and rotated on every use; reusing a spent token revokes the session (RFC
//! 9700 §4.14.2). Access tokens name their session (`sid`) and die with it.
//!
//! Revocation is a property of the session row, and rotation checks and
//! writes that row in one transaction: its first statement is a
//! conditional update of the row (`… WHERE revoked_at IS NULL`), which
//! takes the row's lock on PostgreSQL (SQLite serializes writers already).
//! A revocation that commits first makes the rotation find nothing; one
//! that comes second waits for the rotation and then revokes the session
//! with the successor token in it. Either way no chain survives.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::{
    ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use super::tokens::{digest, random_token};
use crate::audit::{Action, Auditor, Change};
use crate::db::schema::{refresh_tokens, sessions};
use crate::db::time::now;
use crate::db::Conn;
use crate::users::model as users;

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
    /// Spent; its successor in the same session.
    Rotated {
        /// The session's user.
        user_id: i64,
        /// The session id.
        session: String,
        /// The new refresh token.
        token: String,
    },
    /// Unknown, expired, or of a session that is revoked, older than the
    /// user's last revocation, or of a disabled user.
    Invalid,
    /// Already spent: a replay, so the whole session is now revoked.
    Reused,
}

/// Starts a session with its first refresh token; returns
/// `(session_id, refresh_token)`. Call it in the transaction that checked
/// the credentials (see `users::model::lock_unchanged`).
pub async fn start(conn: &mut Conn, user_id: i64, ttl_days: u64) -> QueryResult<(String, String)> {
    let session = random_token(16);
    let at = now();
    run!(conn, c => {
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(&session),
                sessions::user_id.eq(user_id),
                sessions::created_at.eq(at),
            ))
            .execute(c)
            .await
    })?;
    let token = insert_token(conn, user_id, &session, ttl_days).await?;
    Ok((session, token))
}

async fn insert_token(
    conn: &mut Conn,
    user_id: i64,
    session: &str,
    ttl_days: u64,
) -> QueryResult<String> {
    let token = random_token(32);
    let at = now();
    let row = NewRefreshToken {
        user_id,
        family_id: session.to_owned(),
        token_hash: digest(&token),
        expires_at: at + Duration::days(ttl_days as i64),
        created_at: at,
    };
    run!(conn, c => diesel::insert_into(refresh_tokens::table).values(&row).execute(c).await)?;
    Ok(token)
}

/// Spends `token` and issues its successor in the same session, in one
/// transaction that holds the session row (see the module notes).
pub async fn rotate(
    conn: &mut Conn,
    token: &str,
    ttl_days: u64,
    audit: &Auditor,
) -> QueryResult<Rotation> {
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
        // Lock the session, live ones only.
        let live: Option<NaiveDateTime> = run!(conn, c => {
            diesel::update(
                sessions::table
                    .filter(sessions::id.eq(&row.family_id))
                    .filter(sessions::revoked_at.is_null()),
            )
            .set(sessions::refreshed_at.eq(at))
            .returning(sessions::created_at)
            .get_result(c)
            .await
            .optional()
        })?;
        let Some(started) = live else {
            return Ok(Rotation::Invalid);
        };
        if row.expires_at <= at {
            return Ok(Rotation::Invalid);
        }
        // Claim the token: only one presentation can flip `used_at`.
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
            revoke(conn, &row.family_id).await?;
            audit
                .record(
                    conn,
                    Action::AuthTokenReuse,
                    Some(row.user_id),
                    Change::none(),
                )
                .await?;
            return Ok(Rotation::Reused);
        }
        let user = users::find(conn, row.user_id).await?;
        if !user.is_some_and(|u| !u.disabled && u.sessions_valid_after <= started) {
            revoke(conn, &row.family_id).await?;
            return Ok(Rotation::Invalid);
        }
        let token = insert_token(conn, row.user_id, &row.family_id, ttl_days).await?;
        Ok(Rotation::Rotated {
            user_id: row.user_id,
            session: row.family_id,
            token,
        })
    })
    .await
}

/// Whether a session is still live (not revoked).
pub async fn is_active(conn: &mut Conn, session: &str) -> QueryResult<bool> {
    let revoked: Option<Option<NaiveDateTime>> = run!(conn, c => {
        sessions::table
            .find(session)
            .select(sessions::revoked_at)
            .first(c)
            .await
            .optional()
    })?;
    Ok(matches!(revoked, Some(None)))
}

/// Ends one session (logout, reuse).
pub async fn revoke(conn: &mut Conn, session: &str) -> QueryResult<()> {
    let at = now();
    run!(conn, c => {
        diesel::update(
            sessions::table
                .filter(sessions::id.eq(session))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(at))
        .execute(c)
        .await
    })?;
    Ok(())
}

/// Ends every session of a user (password, role change, disabling,
/// deletion). Call it in the transaction that moves the user's
/// `sessions_valid_after`.
pub async fn revoke_user(conn: &mut Conn, user_id: i64) -> QueryResult<()> {
    let at = now();
    run!(conn, c => {
        diesel::update(
            sessions::table
                .filter(sessions::user_id.eq(user_id))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(at))
        .execute(c)
        .await
    })?;
    Ok(())
}
