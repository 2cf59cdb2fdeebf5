//! User rows and their queries. The password hash never leaves this module
//! except to be verified.

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::RunQueryDsl;

use crate::auth::Role;
use crate::db::schema::users;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};

/// A user as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub author_id: Option<i64>,
    pub disabled: bool,
    pub sessions_valid_after: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl User {
    /// The user's role (an unknown stored value is a data error).
    pub fn role(&self) -> ApiResult<Role> {
        Role::parse(&self.role)
            .ok_or_else(|| ApiError::internal(format!("unknown role {}", self.role)))
    }
}

/// A new user row.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub email: String,
    pub password_hash: String,
    pub role: String,
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
    pub role: Option<String>,
    pub author_id: Option<Option<i64>>,
    pub disabled: Option<bool>,
    pub sessions_valid_after: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
}

/// One user by id.
pub async fn find(db: &Db, id: i64) -> ApiResult<User> {
    let found = with_conn!(db, conn => {
        users::table.filter(users::id.eq(id)).select(User::as_select()).first(conn).await.optional()?
    });
    found.ok_or_else(|| ApiError::NotFound("user not found".to_owned()))
}

/// One user by email (compared lower-cased).
pub async fn find_by_email(db: &Db, email: &str) -> ApiResult<Option<User>> {
    let email = normalize_email(email);
    Ok(with_conn!(db, conn => {
        users::table.filter(users::email.eq(&email)).select(User::as_select()).first(conn).await.optional()?
    }))
}

/// A page of users by id, and the total.
pub async fn list(db: &Db, offset: i64, limit: i64) -> ApiResult<(Vec<User>, i64)> {
    with_conn!(db, conn => {
        let total: i64 = users::table.count().get_result(conn).await?;
        let rows = users::table
            .select(User::as_select())
            .order_by(users::id.asc())
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((rows, total))
    })
}

/// Inserts a user.
pub async fn create(db: &Db, new: NewUser) -> ApiResult<User> {
    with_conn!(db, conn => {
        Ok(diesel::insert_into(users::table)
            .values(&new)
            .returning(User::as_returning())
            .get_result(conn)
            .await?)
    })
}

/// Updates a user.
pub async fn update(db: &Db, id: i64, changes: UserChanges) -> ApiResult<User> {
    with_conn!(db, conn => {
        Ok(diesel::update(users::table.filter(users::id.eq(id)))
            .set(&changes)
            .returning(User::as_returning())
            .get_result(conn)
            .await?)
    })
}

/// Deletes a user (their articles stay with their author profile).
pub async fn delete(db: &Db, id: i64) -> ApiResult<()> {
    with_conn!(db, conn => {
        diesel::delete(users::table.filter(users::id.eq(id))).execute(conn).await?;
        Ok(())
    })
}

/// Emails are stored and compared trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Author profiles of the given users (one query), by user id.
pub async fn author_ids(
    db: &Db,
    user_ids: &[i64],
) -> ApiResult<std::collections::HashMap<i64, i64>> {
    if user_ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(i64, Option<i64>)> = with_conn!(db, conn => {
        users::table
            .filter(users::id.eq_any(user_ids))
            .select((users::id, users::author_id))
            .load(conn)
            .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|(user, author)| author.map(|a| (user, a)))
        .collect())
}
