//! Comment rows and their queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::{
    ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use diesel_async::RunQueryDsl;

use crate::db::schema::comments;
use crate::db::Db;
use crate::error::ApiResult;

/// Moderation status that makes a comment public.
pub const APPROVED: &str = "approved";

/// A comment as stored (includes private fields: never serialize this).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments)]
pub struct Comment {
    pub id: i64,
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub depth: i32,
    pub author_name: String,
    pub author_email: String,
    pub author_url: Option<String>,
    pub body: String,
    pub status: String,
    pub user_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A new comment row.
#[derive(Debug, Insertable)]
#[diesel(table_name = comments)]
pub struct NewComment {
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub depth: i32,
    pub author_name: String,
    pub author_email: String,
    pub author_url: Option<String>,
    pub body: String,
    pub status: String,
    pub user_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A page of an article's approved comments, oldest first, and the total.
pub async fn approved_for_article(
    db: &Db,
    article_id: i64,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<Comment>, i64)> {
    with_conn!(db, conn => {
        let total: i64 = comments::table
            .filter(comments::article_id.eq(article_id))
            .filter(comments::status.eq(APPROVED))
            .count()
            .get_result(conn)
            .await?;
        let rows = comments::table
            .filter(comments::article_id.eq(article_id))
            .filter(comments::status.eq(APPROVED))
            .order_by((comments::created_at.asc(), comments::id.asc()))
            .offset(offset)
            .limit(limit)
            .select(Comment::as_select())
            .load(conn)
            .await?;
        Ok((rows, total))
    })
}

/// Approved-comment counts of the given articles (one grouped query).
pub async fn approved_counts(db: &Db, article_ids: &[i64]) -> ApiResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = with_conn!(db, conn => {
        comments::table
            .filter(comments::article_id.eq_any(article_ids))
            .filter(comments::status.eq(APPROVED))
            .group_by(comments::article_id)
            .select((comments::article_id, diesel::dsl::count_star()))
            .load(conn)
            .await?
    });
    Ok(rows.into_iter().collect())
}

/// Inserts comments (seed data and the posting endpoint).
pub async fn insert(db: &Db, new: NewComment) -> ApiResult<Comment> {
    with_conn!(db, conn => {
        Ok(diesel::insert_into(comments::table)
            .values(&new)
            .returning(Comment::as_returning())
            .get_result(conn)
            .await?)
    })
}
