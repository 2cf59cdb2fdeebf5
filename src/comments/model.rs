//! Comment rows and their queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use super::status::CommentStatus;
use super::visibility::{self, ThreadNode};
use crate::db::schema::{articles, comments, spent_form_tokens};
use crate::db::time::now;
use crate::db::Conn;

/// Statuses of comments that are (or may become) public.
const LIVE: [CommentStatus; 2] = [CommentStatus::Approved, CommentStatus::Pending];

/// Serializes the transactions that decide visibility in one article's
/// threads (a reply reading its parent's flag, a moderation recomputing
/// them): a no-op update takes the article's row lock on PostgreSQL until
/// commit, so a reply cannot slip in beside a recompute that does not see
/// it. SQLite writers are serialized already (`BEGIN IMMEDIATE`).
pub async fn lock_threads(conn: &mut Conn, article_id: i64) -> QueryResult<()> {
    run!(conn, c => {
        diesel::update(articles::table.find(article_id))
            .set(articles::id.eq(articles::id))
            .execute(c)
            .await
    })?;
    Ok(())
}

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
    pub status: CommentStatus,
    pub user_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Shown publicly: approved, under a shown parent (see `visibility`).
    pub visible: bool,
}

impl Comment {
    /// What the audit log records of it: never the commenter's email, IP
    /// or browser.
    pub fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "article_id": self.article_id,
            "parent_id": self.parent_id,
            "author_name": self.author_name,
            "body": self.body,
            "status": self.status,
        })
    }
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
    pub status: CommentStatus,
    pub user_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A page of an article's public comments (approved, in a shown thread),
/// oldest first, and the total.
pub async fn approved_for_article(
    conn: &mut Conn,
    article_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Comment>, i64)> {
    run!(conn, c => {
        let total: i64 = comments::table
            .filter(comments::article_id.eq(article_id))
            .filter(comments::visible.eq(true))
            .count()
            .get_result(c)
            .await?;
        let rows = comments::table
            .filter(comments::article_id.eq(article_id))
            .filter(comments::visible.eq(true))
            .order_by((comments::created_at.asc(), comments::id.asc()))
            .offset(offset)
            .limit(limit)
            .select(Comment::as_select())
            .load(c)
            .await?;
        Ok((rows, total))
    })
}

/// Public-comment counts of the given articles (one grouped query).
pub async fn approved_counts(
    conn: &mut Conn,
    article_ids: &[i64],
) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = run!(conn, c => {
        comments::table
            .filter(comments::article_id.eq_any(article_ids))
            .filter(comments::visible.eq(true))
            .group_by(comments::article_id)
            .select((comments::article_id, diesel::dsl::count_star()))
            .load(c)
            .await
    })?;
    Ok(rows.into_iter().collect())
}

/// Inserts a comment (call it inside a transaction): it is shown when
/// approved under a shown parent.
pub async fn insert(conn: &mut Conn, new: NewComment) -> QueryResult<Comment> {
    let parent_shown = match new.parent_id {
        None => true,
        Some(parent) => {
            lock_threads(conn, new.article_id).await?;
            run!(conn, c => {
                comments::table
                    .find(parent)
                    .select(comments::visible)
                    .first::<bool>(c)
                    .await
                    .optional()
            })?
            .unwrap_or(false)
        }
    };
    let visible = parent_shown && new.status == CommentStatus::Approved;
    run!(conn, c => {
        diesel::insert_into(comments::table)
            .values((&new, comments::visible.eq(visible)))
            .returning(Comment::as_returning())
            .get_result(c)
            .await
    })
}

/// The ids of the articles outside the trash (a subquery).
fn outside_trash() -> diesel::dsl::Select<
    diesel::dsl::Filter<articles::table, diesel::dsl::IsNull<articles::trashed_at>>,
    articles::id,
> {
    articles::table
        .filter(articles::trashed_at.is_null())
        .select(articles::id)
}

/// One comment by id (none of an article in the trash).
pub async fn find(conn: &mut Conn, id: i64) -> QueryResult<Option<Comment>> {
    run!(conn, c => {
        comments::table
            .find(id)
            .filter(comments::article_id.eq_any(outside_trash()))
            .select(Comment::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// Whether `email` (normalized) already has an approved comment anywhere.
pub async fn email_has_approved(conn: &mut Conn, email: &str) -> QueryResult<bool> {
    let count: i64 = run!(conn, c => {
        comments::table
            .filter(comments::author_email.eq(email))
            .filter(comments::status.eq(CommentStatus::Approved))
            .count()
            .get_result(c)
            .await
    })?;
    Ok(count > 0)
}

/// Whether `email` already left this exact `body` on the article (pending
/// or approved).
pub async fn is_duplicate(
    conn: &mut Conn,
    article_id: i64,
    email: &str,
    body: &str,
) -> QueryResult<bool> {
    let count: i64 = run!(conn, c => {
        comments::table
            .filter(comments::article_id.eq(article_id))
            .filter(comments::author_email.eq(email))
            .filter(comments::body.eq(body))
            .filter(comments::status.eq_any(LIVE))
            .count()
            .get_result(c)
            .await
    })?;
    Ok(count > 0)
}

/// The moderation queue: newest first, optionally one status or article.
pub async fn moderation_list(
    conn: &mut Conn,
    status: Option<CommentStatus>,
    article_id: Option<i64>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Comment>, i64)> {
    // Boxed queries are tied to one backend: build them inside each arm.
    run!(conn, c => {
        let filtered = || {
            // Comments of articles in the trash are gone with them.
            let mut query = comments::table
                .filter(comments::article_id.eq_any(outside_trash()))
                .into_boxed();
            if let Some(status) = status {
                query = query.filter(comments::status.eq(status));
            }
            if let Some(article_id) = article_id {
                query = query.filter(comments::article_id.eq(article_id));
            }
            query
        };
        let total: i64 = filtered().count().get_result(c).await?;
        let rows = filtered()
            .order_by((comments::created_at.desc(), comments::id.desc()))
            .offset(offset)
            .limit(limit)
            .select(Comment::as_select())
            .load(c)
            .await?;
        Ok((rows, total))
    })
}

/// What a moderator changes (`None` fields are left as they are).
#[derive(Debug, AsChangeset)]
#[diesel(table_name = comments)]
pub struct Moderation {
    /// New moderation status.
    pub status: Option<CommentStatus>,
    /// Corrected text.
    pub body: Option<String>,
    /// When.
    pub updated_at: NaiveDateTime,
}

/// Applies a moderation to comment `id` of `article_id` (call it inside a
/// transaction); a status change recomputes which of the article's comments
/// the public sees. Returns the new row.
pub async fn moderate(
    conn: &mut Conn,
    id: i64,
    article_id: i64,
    changes: &Moderation,
) -> QueryResult<Comment> {
    // The caller holds the thread's lock (`lock_threads`) since before it
    // read the comment; only the fields asked for are written, so a body
    // edit never writes back a status another moderator just changed.
    run!(conn, c => diesel::update(comments::table.find(id)).set(changes).execute(c).await)?;
    if changes.status.is_some() {
        // The comment's replies show or hide with it.
        recompute_visibility(conn, article_id).await?;
    }
    run!(conn, c => comments::table.find(id).select(Comment::as_select()).first(c).await)
}

/// Ids per `UPDATE … WHERE id IN (…)`, well under SQLite's bind limit.
const SET_CHUNK: usize = 500;

/// Every comment of an article as the thread rules need it, parents
/// before their replies.
pub async fn threads(conn: &mut Conn, article_id: i64) -> QueryResult<Vec<ThreadNode>> {
    let rows: Vec<(i64, Option<i64>, CommentStatus, bool)> = run!(conn, c => {
        comments::table
            .filter(comments::article_id.eq(article_id))
            .order_by((comments::depth.asc(), comments::id.asc()))
            .select((comments::id, comments::parent_id, comments::status, comments::visible))
            .load(c)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, parent_id, status, visible)| ThreadNode {
            id,
            parent_id,
            status,
            visible,
        })
        .collect())
}

/// Stores the `visible` flag every comment of the article should have.
async fn recompute_visibility(conn: &mut Conn, article_id: i64) -> QueryResult<()> {
    let nodes = threads(conn, article_id).await?;
    let (to_show, to_hide) = visibility::changes(&nodes);
    for (ids, visible) in [(to_show, true), (to_hide, false)] {
        for chunk in ids.chunks(SET_CHUNK) {
            run!(conn, c => {
                diesel::update(comments::table.filter(comments::id.eq_any(chunk)))
                    .set(comments::visible.eq(visible))
                    .execute(c)
                    .await
            })?;
        }
    }
    Ok(())
}

/// Erases a comment and everything below it (cascade): call it only when
/// nothing below is approved or pending (`visibility::live_below`).
/// `false` when there was none.
pub async fn delete(conn: &mut Conn, id: i64) -> QueryResult<bool> {
    let deleted = run!(conn, c => diesel::delete(comments::table.find(id)).execute(c).await)?;
    Ok(deleted > 0)
}

/// Marks a form token (by its hash) as spent, until it would have expired
/// anyway; `false` when it was spent already. One conditional insert, so
/// of two concurrent uses only one wins. Expired entries are purged on the
/// way.
pub async fn spend_form_token(
    conn: &mut Conn,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<bool> {
    let at = now();
    run!(conn, c => {
        diesel::delete(spent_form_tokens::table.filter(spent_form_tokens::expires_at.lt(at)))
            .execute(c)
            .await
    })?;
    let inserted = run!(conn, c => {
        diesel::insert_into(spent_form_tokens::table)
            .values((
                spent_form_tokens::token_hash.eq(token_hash),
                spent_form_tokens::expires_at.eq(expires_at),
            ))
            .on_conflict_do_nothing()
            .execute(c)
            .await
    })?;
    Ok(inserted == 1)
}
