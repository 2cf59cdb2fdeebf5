//! User rows and their queries. The password hash never leaves this module
//! except to be verified.

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use crate::auth::Role;
use crate::db::schema::users;
use crate::db::Conn;

/// A user as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub author_id: Option<i64>,
    pub disabled: bool,
    pub sessions_valid_after: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A new user row.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub author_id: Option<i64>,
    pub disabled: bool,
    pub sessions_valid_after: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Changed columns of an update.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub role: Option<Role>,
    pub author_id: Option<Option<i64>>,
    pub disabled: Option<bool>,
    pub sessions_valid_after: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
}

/// One user by id.
pub async fn find(conn: &mut Conn, id: i64) -> QueryResult<Option<User>> {
    run!(conn, c => {
        users::table.filter(users::id.eq(id)).select(User::as_select()).first(c).await.optional()
    })
}

/// One user by email (compared normalized).
pub async fn find_by_email(conn: &mut Conn, email: &str) -> QueryResult<Option<User>> {
    let email = normalize_email(email);
    run!(conn, c => {
        users::table.filter(users::email.eq(&email)).select(User::as_select()).first(c).await.optional()
    })
}

/// A page of users by id, and the total.
pub async fn list(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<(Vec<User>, i64)> {
    run!(conn, c => {
        let total: i64 = users::table.count().get_result(c).await?;
        let rows = users::table
            .select(User::as_select())
            .order_by(users::id.asc())
            .offset(offset)
            .limit(limit)
            .load(c)
            .await?;
        Ok((rows, total))
    })
}

/// Inserts a user.
pub async fn create(conn: &mut Conn, new: NewUser) -> QueryResult<User> {
    run!(conn, c => {
        diesel::insert_into(users::table)
            .values(&new)
            .returning(User::as_returning())
            .get_result(c)
            .await
    })
}

/// Updates a user.
pub async fn update(conn: &mut Conn, id: i64, changes: UserChanges) -> QueryResult<User> {
    run!(conn, c => {
        diesel::update(users::table.filter(users::id.eq(id)))
            .set(&changes)
            .returning(User::as_returning())
            .get_result(c)
            .await
    })
}

/// Locks the user's row if the account is enabled and its password hash is
/// still `password_hash` (nobody changed it since it was verified); `false`
/// otherwise. A session started in the same transaction cannot slip past a
/// concurrent password change or disabling: that change waits for the lock
/// and then revokes the new session too.
pub async fn lock_unchanged(conn: &mut Conn, id: i64, password_hash: &str) -> QueryResult<bool> {
    let locked = run!(conn, c => {
        diesel::update(
            users::table
                .filter(users::id.eq(id))
                .filter(users::password_hash.eq(password_hash))
                .filter(users::disabled.eq(false)),
        )
        .set(users::id.eq(users::id))
        .execute(c)
        .await
    })?;
    Ok(locked == 1)
}

/// Deletes a user (their articles stay with their author profile); false when it was already gone.
pub async fn delete(conn: &mut Conn, id: i64) -> QueryResult<bool> {
    let n =
        run!(conn, c => diesel::delete(users::table.filter(users::id.eq(id))).execute(c).await)?;
    Ok(n > 0)
}

/// Emails are stored and compared trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Author profiles of the given users (one query), by user id.
pub async fn author_ids(
    conn: &mut Conn,
    user_ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, i64>> {
    if user_ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(i64, Option<i64>)> = run!(conn, c => {
        users::table
            .filter(users::id.eq_any(user_ids))
            .select((users::id, users::author_id))
            .load(c)
            .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(user, author)| author.map(|a| (user, a)))
        .collect())
}
