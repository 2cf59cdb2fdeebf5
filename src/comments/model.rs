//! Comment rows and their queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::RunQueryDsl;

use super::status::CommentStatus;
use super::visibility::{self, ThreadNode};
use crate::db::schema::{articles, comments};
use crate::db::time::now;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};

// Serializes the transactions that decide visibility in one article's
// threads (a reply reading its parent's flag, a moderation recomputing
// them): a no-op update takes the article's row lock on PostgreSQL until
// commit, so a reply cannot slip in beside a recompute that does not see
// it. SQLite writers are serialized already (`BEGIN IMMEDIATE`).
macro_rules! lock_threads {
    ($conn:expr, $article_id:expr) => {
        diesel::update(articles::table.find($article_id))
            .set(articles::id.eq(articles::id))
            .execute($conn)
            .await?
    };
}

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
    /// Shown publicly: approved, under a shown parent (see `visibility`).
    pub visible: bool,
}

/// A new comment row (`visible` is derived on insert).
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

/// A page of an article's public comments (approved, in a shown thread),
/// oldest first, and the total.
pub async fn approved_for_article(
    db: &Db,
    article_id: i64,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<Comment>, i64)> {
    with_conn!(db, conn => {
        let total: i64 = comments::table
            .filter(comments::article_id.eq(article_id))
            .filter(comments::visible.eq(true))
            .count()
            .get_result(conn)
            .await?;
        let rows = comments::table
            .filter(comments::article_id.eq(article_id))
            .filter(comments::visible.eq(true))
            .order_by((comments::created_at.asc(), comments::id.asc()))
            .offset(offset)
            .limit(limit)
            .select(Comment::as_select())
            .load(conn)
            .await?;
        Ok((rows, total))
    })
}

/// Public-comment counts of the given articles (one grouped query).
pub async fn approved_counts(db: &Db, article_ids: &[i64]) -> ApiResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = with_conn!(db, conn => {
        comments::table
            .filter(comments::article_id.eq_any(article_ids))
            .filter(comments::visible.eq(true))
            .group_by(comments::article_id)
            .select((comments::article_id, diesel::dsl::count_star()))
            .load(conn)
            .await?
    });
    Ok(rows.into_iter().collect())
}

/// Inserts a comment (seed data and the posting endpoint); it is shown when
/// approved under a shown parent.
pub async fn insert(db: &Db, new: NewComment) -> ApiResult<Comment> {
    with_tx!(db, conn => {
        let parent_shown = match new.parent_id {
            None => true,
            Some(parent) => {
                lock_threads!(conn, new.article_id);
                comments::table
                    .find(parent)
                    .select(comments::visible)
                    .first::<bool>(conn)
                    .await
                    .optional()?
                    .unwrap_or(false)
            }
        };
        let visible = parent_shown && new.status == APPROVED;
        Ok(diesel::insert_into(comments::table)
            .values((&new, comments::visible.eq(visible)))
            .returning(Comment::as_returning())
            .get_result(conn)
            .await?)
    })
}

/// One comment by id (404 when missing).
pub async fn find(db: &Db, id: i64) -> ApiResult<Comment> {
    let found = with_conn!(db, conn => {
        comments::table
            .find(id)
            .select(Comment::as_select())
            .first(conn)
            .await
            .optional()?
    });
    found.ok_or_else(|| ApiError::NotFound("comment not found".to_owned()))
}

/// Whether `email` (normalized) already has an approved comment anywhere.
pub async fn email_has_approved(db: &Db, email: &str) -> ApiResult<bool> {
    let count: i64 = with_conn!(db, conn => {
        comments::table
            .filter(comments::author_email.eq(email))
            .filter(comments::status.eq(APPROVED))
            .count()
            .get_result(conn)
            .await?
    });
    Ok(count > 0)
}

/// Whether `email` already left this exact `body` on the article (pending
/// or approved).
pub async fn is_duplicate(db: &Db, article_id: i64, email: &str, body: &str) -> ApiResult<bool> {
    let count: i64 = with_conn!(db, conn => {
        comments::table
            .filter(comments::article_id.eq(article_id))
            .filter(comments::author_email.eq(email))
            .filter(comments::body.eq(body))
            .filter(comments::status.eq_any([APPROVED, CommentStatus::Pending.as_str()]))
            .count()
            .get_result(conn)
            .await?
    });
    Ok(count > 0)
}

/// The moderation queue: newest first, optionally one status or article.
pub async fn moderation_list(
    db: &Db,
    status: Option<CommentStatus>,
    article_id: Option<i64>,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<Comment>, i64)> {
    // Boxed queries are tied to one backend: build them inside each arm.
    with_conn!(db, conn => {
        let filtered = || {
            let mut query = comments::table.into_boxed();
            if let Some(status) = status {
                query = query.filter(comments::status.eq(status.as_str()));
            }
            if let Some(article_id) = article_id {
                query = query.filter(comments::article_id.eq(article_id));
            }
            query
        };
        let total: i64 = filtered().count().get_result(conn).await?;
        let rows = filtered()
            .order_by((comments::created_at.desc(), comments::id.desc()))
            .offset(offset)
            .limit(limit)
            .select(Comment::as_select())
            .load(conn)
            .await?;
        Ok((rows, total))
    })
}

/// Sets the status and/or body of a comment; returns the new row.
pub async fn moderate(
    db: &Db,
    id: i64,
    status: Option<CommentStatus>,
    body: Option<String>,
) -> ApiResult<Comment> {
    let changes = Moderation {
        status: status.map(|s| s.as_str().to_owned()),
        body,
        updated_at: now(),
    };
    let updated = with_tx!(db, conn => {
        let article_id: Option<i64> = comments::table
            .find(id)
            .select(comments::article_id)
            .first(conn)
            .await
            .optional()?;
        let Some(article_id) = article_id else {
            return Err(ApiError::NotFound("comment not found".to_owned()));
        };
        // Lock first, then write only the fields asked for: a body edit
        // never writes back a status another moderator just changed.
        if changes.status.is_some() {
            lock_threads!(conn, article_id);
        }
        diesel::update(comments::table.find(id))
            .set(&changes)
            .execute(conn)
            .await?;
        if changes.status.is_some() {
            // The comment's replies show or hide with it: recompute the
            // article's threads in this transaction.
            let nodes: Vec<ThreadNode> = comments::table
                .filter(comments::article_id.eq(article_id))
                .order_by((comments::depth.asc(), comments::id.asc()))
                .select((comments::id, comments::parent_id, comments::status, comments::visible))
                .load::<(i64, Option<i64>, String, bool)>(conn)
                .await?
                .into_iter()
                .map(|(id, parent_id, status, visible)| ThreadNode {
                    id,
                    parent_id,
                    approved: status == APPROVED,
                    visible,
                })
                .collect();
            let (to_show, to_hide) = visibility::changes(&nodes);
            for (ids, visible) in [(to_show, true), (to_hide, false)] {
                for chunk in ids.chunks(SET_CHUNK) {
                    diesel::update(comments::table.filter(comments::id.eq_any(chunk)))
                        .set(comments::visible.eq(visible))
                        .execute(conn)
                        .await?;
                }
            }
        }
        Ok(comments::table
            .find(id)
            .select(Comment::as_select())
            .first(conn)
            .await?)
    })?;
    Ok(updated)
}

/// What a moderator changes (`None` fields are left as they are).
#[derive(AsChangeset)]
#[diesel(table_name = comments)]
struct Moderation {
    status: Option<String>,
    body: Option<String>,
    updated_at: NaiveDateTime,
}

/// Ids per `UPDATE … WHERE id IN (…)`, well under SQLite's bind limit.
const SET_CHUNK: usize = 500;

/// Erases a comment (and its spam or trashed replies); 409 while approved or
/// pending replies hang from it (trash it instead, so the thread stays whole).
pub async fn delete(db: &Db, id: i64) -> ApiResult<()> {
    with_tx!(db, conn => {
        // Spam and trashed replies go with their parent (ON DELETE CASCADE);
        // visible or waiting ones would be lost, so they block the delete.
        let replies: i64 = comments::table
            .filter(comments::parent_id.eq(id))
            .filter(comments::status.eq_any([APPROVED, CommentStatus::Pending.as_str()]))
            .count()
            .get_result(conn)
            .await?;
        if replies > 0 {
            return Err(ApiError::Conflict {
                code: "has_replies",
                detail: format!(
                    "the comment has {replies} approved or pending {}; set its status to trash instead",
                    if replies == 1 { "reply" } else { "replies" }
                ),
            });
        }
        let deleted = diesel::delete(comments::table.find(id)).execute(conn).await?;
        if deleted == 0 {
            return Err(ApiError::NotFound("comment not found".to_owned()));
        }
        Ok(())
    })
}
