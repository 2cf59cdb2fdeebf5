//! Article rows and their queries (single rows and writes; lists live in
//! `listing.rs`). Every multi-row write runs in one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::RunQueryDsl;

use super::workflow::Transition;
use crate::db::schema::{article_revisions, article_tags, articles};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::params::IdOrSlug;

/// `status IN ('published','scheduled') AND published_at <= $now`: what the public may see.
macro_rules! visible_at {
    ($now:expr) => {
        diesel::BoolExpressionMethods::and(
            diesel::ExpressionMethods::eq_any(
                $crate::db::schema::articles::status,
                $crate::articles::workflow::PUBLIC_STATUSES,
            ),
            diesel::ExpressionMethods::le($crate::db::schema::articles::published_at, $now),
        )
    };
}
pub(crate) use visible_at;

/// An article as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub excerpt: Option<String>,
    pub body: String,
    pub body_html: String,
    pub status: String,
    pub publish_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub author_id: i64,
    pub featured_image_url: Option<String>,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub canonical_url: Option<String>,
    pub word_count: i32,
    pub reading_time_minutes: i32,
    pub comments_open: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A new article row.
#[derive(Debug, Insertable)]
#[diesel(table_name = articles)]
pub struct NewArticle {
    pub slug: String,
    pub title: String,
    pub excerpt: Option<String>,
    pub body: String,
    pub body_html: String,
    pub author_id: i64,
    pub featured_image_url: Option<String>,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub canonical_url: Option<String>,
    pub word_count: i32,
    pub reading_time_minutes: i32,
    pub comments_open: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Changed columns of a PATCH (`None` leaves a column alone; `Some(None)` clears it).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = articles)]
pub struct ArticleChanges {
    pub slug: Option<String>,
    pub title: Option<String>,
    pub excerpt: Option<Option<String>>,
    pub body: Option<String>,
    pub body_html: Option<String>,
    pub author_id: Option<i64>,
    pub featured_image_url: Option<Option<String>>,
    pub meta_title: Option<Option<String>>,
    pub meta_description: Option<Option<String>>,
    pub canonical_url: Option<Option<String>>,
    pub word_count: Option<i32>,
    pub reading_time_minutes: Option<i32>,
    pub comments_open: Option<bool>,
}

/// Loads one article by id or slug; `public_at` restricts to what readers see.
pub async fn find(db: &Db, key: &IdOrSlug, public_at: Option<NaiveDateTime>) -> ApiResult<Article> {
    let found = with_conn!(db, conn => {
        let mut query = articles::table.select(Article::as_select()).into_boxed();
        query = match key {
            IdOrSlug::Id(id) => query.filter(articles::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(articles::slug.eq(slug.as_str())),
        };
        if let Some(now) = public_at {
            query = query.filter(visible_at!(now));
        }
        query.first(conn).await.optional()?
    });
    found.ok_or_else(|| ApiError::NotFound("article not found".to_owned()))
}

/// Inserts an article with its tags and first revision, in one transaction.
pub async fn create(
    db: &Db,
    new: NewArticle,
    tag_ids: &[i64],
    editor: Option<i64>,
) -> ApiResult<Article> {
    with_tx!(db, conn => {
        let article: Article = diesel::insert_into(articles::table)
            .values(&new)
            .returning(Article::as_returning())
            .get_result(conn)
            .await?;
        for row in tag_rows(article.id, tag_ids) {
            diesel::insert_into(article_tags::table).values(row).execute(conn).await?;
        }
        diesel::insert_into(article_revisions::table)
            .values(revision(&article, editor))
            .execute(conn)
            .await?;
        Ok(article)
    })
}

/// Applies a PATCH if the article is still at `version`; bumps the version,
/// replaces the tags when given and records a revision — one transaction.
/// A concurrent change in between is a 412.
pub async fn update(
    db: &Db,
    id: i64,
    version: i32,
    changes: ArticleChanges,
    tag_ids: Option<&[i64]>,
    editor: Option<i64>,
) -> ApiResult<Article> {
    let now = crate::db::time::now();
    with_tx!(db, conn => {
        let updated: Option<Article> = diesel::update(
            articles::table.filter(articles::id.eq(id)).filter(articles::version.eq(version)),
        )
        .set((&changes, articles::version.eq(version + 1), articles::updated_at.eq(now)))
        .returning(Article::as_returning())
        .get_result(conn)
        .await
        .optional()?;
        let article = updated.ok_or_else(changed_meanwhile)?;
        if let Some(tag_ids) = tag_ids {
            diesel::delete(article_tags::table.filter(article_tags::article_id.eq(id)))
                .execute(conn)
                .await?;
            for row in tag_rows(id, tag_ids) {
                diesel::insert_into(article_tags::table).values(row).execute(conn).await?;
            }
        }
        diesel::insert_into(article_revisions::table)
            .values(revision(&article, editor))
            .execute(conn)
            .await?;
        Ok(article)
    })
}

/// Writes a workflow transition if the article is still at `version`.
pub async fn set_status(db: &Db, id: i64, version: i32, t: Transition) -> ApiResult<Article> {
    let now = crate::db::time::now();
    let updated = with_conn!(db, conn => {
        diesel::update(articles::table.filter(articles::id.eq(id)).filter(articles::version.eq(version)))
            .set((
                articles::status.eq(t.status.as_str()),
                articles::publish_at.eq(t.publish_at),
                articles::published_at.eq(t.published_at),
                articles::version.eq(version + 1),
                articles::updated_at.eq(now),
            ))
            .returning(Article::as_returning())
            .get_result(conn)
            .await
            .optional()?
    });
    updated.ok_or_else(changed_meanwhile)
}

/// 409 unless there are no articles at all (seeding guards real data).
pub async fn ensure_empty(db: &Db) -> ApiResult<()> {
    let count: i64 = with_conn!(db, conn => articles::table.count().get_result(conn).await?);
    if count > 0 {
        return Err(ApiError::Conflict {
            code: "not_empty",
            detail: format!("the database already holds {count} article(s); seed an empty one"),
        });
    }
    Ok(())
}

/// Deletes an article (its tags, revisions and comments go with it).
pub async fn delete(db: &Db, id: i64, version: i32) -> ApiResult<()> {
    // Only the version the caller's permission check saw: an article that
    // was published meanwhile is not deleted on the strength of its draft.
    let deleted = with_conn!(db, conn => {
        diesel::delete(
            articles::table.filter(articles::id.eq(id)).filter(articles::version.eq(version)),
        )
        .execute(conn)
        .await?
    });
    if deleted == 0 {
        return Err(changed_meanwhile());
    }
    Ok(())
}

/// `base`, or `base-2`, `base-3`… — the first slug no other article uses.
pub async fn unique_slug(db: &Db, base: &str, except_id: Option<i64>) -> ApiResult<String> {
    let taken = taken_slugs!(db, articles, base, except_id)?;
    crate::db::slugs::first_free(base, &taken)
}

/// One tag of an article, at its display position.
#[derive(Debug, Insertable)]
#[diesel(table_name = article_tags)]
struct NewArticleTag {
    article_id: i64,
    tag_id: i64,
    position: i32,
}

fn tag_rows(article_id: i64, tag_ids: &[i64]) -> Vec<NewArticleTag> {
    tag_ids
        .iter()
        .zip(0i32..)
        .map(|(tag_id, position)| NewArticleTag {
            article_id,
            tag_id: *tag_id,
            position,
        })
        .collect()
}

/// A saved version of an article's title and body.
#[derive(Debug, Insertable)]
#[diesel(table_name = article_revisions)]
struct NewRevision {
    article_id: i64,
    version: i32,
    title: String,
    body: String,
    editor_id: Option<i64>,
    created_at: NaiveDateTime,
}

fn revision(article: &Article, editor: Option<i64>) -> NewRevision {
    NewRevision {
        article_id: article.id,
        version: article.version,
        title: article.title.clone(),
        body: article.body.clone(),
        editor_id: editor,
        created_at: article.updated_at,
    }
}

fn changed_meanwhile() -> ApiError {
    ApiError::PreconditionFailed(
        "the article was changed by someone else meanwhile; reload and retry".to_owned(),
    )
}
