//! Article rows and their queries (single rows and writes; lists live in
//! `listing.rs`). Multi-row writes run in the caller's transaction.

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, BoolExpressionMethods, ExpressionMethods, Insertable, OptionalExtension, QueryDsl,
    Queryable, Selectable, SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use super::revisions::{self, RevisionAction};
#[cfg(any(doc, test))]
use super::workflow::PUBLIC_STATUSES;
use super::workflow::{Status, Transition};
use crate::db::schema::{article_tags, articles};
use crate::db::Conn;
use crate::http::params::IdOrSlug;

/// What readers may see at `now`: published or scheduled, not in the
/// trash, with `published_at <= now` (a scheduled article goes live on its
/// own). The status and trash test is literal SQL, the predicate of the partial index
/// `articles_public_idx`, so that both planners can use that index.
pub fn visible_at(now: NaiveDateTime) -> VisibleAt {
    diesel::dsl::sql::<diesel::sql_types::Bool>(PUBLIC_CONDITION)
        .and(articles::published_at.le(now))
}

/// The stored statuses readers may see, outside the trash, as SQL (see
/// [`PUBLIC_STATUSES`]).
pub const PUBLIC_CONDITION: &str =
    "articles.status IN ('published', 'scheduled') AND articles.trashed_at IS NULL";

/// The condition [`visible_at`] builds.
pub type VisibleAt = diesel::dsl::And<
    diesel::expression::SqlLiteral<diesel::sql_types::Bool>,
    diesel::dsl::LtEq<articles::published_at, NaiveDateTime>,
>;

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
    pub status: Status,
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
    pub body_lead: Option<String>,
    pub featured_image_id: Option<i64>,
    pub trashed_at: Option<NaiveDateTime>,
}

impl Article {
    /// Whether readers see it at `at`: published (or scheduled whose time
    /// has come) and not in the trash.
    pub fn is_live(&self, at: NaiveDateTime) -> bool {
        self.trashed_at.is_none()
            && self.status.effective(self.published_at, at) == Status::Published
    }

    /// The excerpt readers see: the author's, else the body's first
    /// paragraph (derived on write; derived here for rows written before
    /// it was stored, when their body is loaded).
    pub fn shown_excerpt(&self) -> String {
        match (&self.excerpt, &self.body_lead) {
            (Some(excerpt), _) => excerpt.clone(),
            (None, Some(lead)) => lead.clone(),
            (None, None) => crate::text::markdown::first_paragraph(&self.body).unwrap_or_default(),
        }
    }
}

/// Declares [`without_bodies`] and its type from one list of columns: those
/// before the two bodies, and those after them, in [`Article`]'s order.
macro_rules! columns_without_bodies {
    ([$($before:ident),+ $(,)?], [$($after:ident),+ $(,)?]) => {
        /// The columns of [`Article`] with the two bodies read as empty
        /// strings: what list pages load when `fields` names neither body.
        pub fn without_bodies() -> WithoutBodies {
            use diesel::dsl::sql;
            use diesel::sql_types::Text;
            ($(articles::$before,)+ sql::<Text>("''"), sql::<Text>("''"), $(articles::$after,)+)
        }

        /// The select clause [`without_bodies`] builds.
        pub type WithoutBodies = (
            $(articles::$before,)+
            diesel::expression::SqlLiteral<diesel::sql_types::Text>,
            diesel::expression::SqlLiteral<diesel::sql_types::Text>,
            $(articles::$after,)+
        );
    };
}

columns_without_bodies!(
    [id, slug, title, excerpt],
    [
        status,
        publish_at,
        published_at,
        author_id,
        featured_image_url,
        meta_title,
        meta_description,
        canonical_url,
        word_count,
        reading_time_minutes,
        comments_open,
        version,
        created_at,
        updated_at,
        body_lead,
        featured_image_id,
        trashed_at,
    ]
);

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
    pub body_lead: Option<String>,
    pub featured_image_id: Option<i64>,
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
    pub body_lead: Option<Option<String>>,
    pub featured_image_id: Option<Option<i64>>,
}

/// One article by id or slug, outside the trash; `public_at` restricts to
/// what readers see.
pub async fn find(
    conn: &mut Conn,
    key: &IdOrSlug,
    public_at: Option<NaiveDateTime>,
) -> QueryResult<Option<Article>> {
    run!(conn, c => {
        let mut query = articles::table
            .select(Article::as_select())
            .filter(articles::trashed_at.is_null())
            .into_boxed();
        query = match key {
            IdOrSlug::Id(id) => query.filter(articles::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(articles::slug.eq(slug.as_str())),
        };
        if let Some(now) = public_at {
            query = query.filter(visible_at(now));
        }
        query.first(c).await.optional()
    })
}

/// Whether article `id` is still what readers see at `now`, its row held
/// (PostgreSQL: `FOR SHARE`) until the transaction ends, so a trash or an
/// unpublish racing the caller's write waits for it or is seen by it.
pub async fn lock_visible(conn: &mut Conn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let found: Option<i64> = match conn.get() {
        crate::db::ConnMut::Pg(c) => articles::table
            .filter(articles::id.eq(id))
            .filter(visible_at(now))
            .select(articles::id)
            .for_share()
            .first(c)
            .await
            .optional()?,
        crate::db::ConnMut::Sqlite(c) => articles::table
            .filter(articles::id.eq(id))
            .filter(visible_at(now))
            .select(articles::id)
            .first(c)
            .await
            .optional()?,
    };
    Ok(found.is_some())
}

/// One article in the trash, by id or slug.
pub async fn find_in_trash(conn: &mut Conn, key: &IdOrSlug) -> QueryResult<Option<Article>> {
    run!(conn, c => {
        let mut query = articles::table
            .select(Article::as_select())
            .filter(articles::trashed_at.is_not_null())
            .into_boxed();
        query = match key {
            IdOrSlug::Id(id) => query.filter(articles::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(articles::slug.eq(slug.as_str())),
        };
        query.first(c).await.optional()
    })
}

/// Moves an article to the trash (`Some(at)`) or out of it (`None`) if it
/// is still at `version`, with its revision (call it inside a
/// transaction); `None` when someone changed it meanwhile.
pub async fn set_trashed(
    conn: &mut Conn,
    id: i64,
    version: i32,
    trashed_at: Option<NaiveDateTime>,
    editor: Option<i64>,
) -> QueryResult<Option<Article>> {
    let now = crate::db::time::now();
    let updated: Option<Article> = run!(conn, c => {
        diesel::update(articles::table.filter(articles::id.eq(id)).filter(articles::version.eq(version)))
            .set((
                articles::trashed_at.eq(trashed_at),
                articles::version.eq(version + 1),
                articles::updated_at.eq(now),
            ))
            .returning(Article::as_returning())
            .get_result(c)
            .await
            .optional()
    })?;
    if let Some(article) = &updated {
        let action = match trashed_at {
            Some(_) => RevisionAction::Trash,
            None => RevisionAction::Untrash,
        };
        revisions::record(conn, article, None, editor, action).await?;
    }
    Ok(updated)
}

/// Deletes for good the articles in the trash since before `before` (their
/// tags, revisions and comments go with them); how many. One statement, so
/// instances purging at once only repeat each other's work.
pub async fn purge_trash(
    conn: &mut Conn,
    before: NaiveDateTime,
) -> QueryResult<Vec<(i64, String, String)>> {
    run!(conn, c => {
        diesel::delete(articles::table.filter(articles::trashed_at.lt(before)))
            .returning((articles::id, articles::slug, articles::title))
            .get_results(c)
            .await
    })
}

/// Marks published the scheduled articles whose time has come (outside
/// the trash) and returns them. One conditional update: with several
/// instances, each article is marked, and returned, once. The version
/// stays: readers already saw it as published.
pub async fn publish_due(conn: &mut Conn, at: NaiveDateTime) -> QueryResult<Vec<Article>> {
    run!(conn, c => {
        diesel::update(
            articles::table
                .filter(articles::status.eq(Status::Scheduled))
                .filter(articles::published_at.le(at))
                .filter(articles::trashed_at.is_null()),
        )
        .set(articles::status.eq(Status::Published))
        .returning(Article::as_returning())
        .get_results(c)
        .await
    })
}

/// Inserts an article with its tags and first revision (call it inside a
/// transaction).
pub async fn create(
    conn: &mut Conn,
    new: NewArticle,
    tag_ids: &[i64],
    editor: Option<i64>,
) -> QueryResult<Article> {
    let article: Article = run!(conn, c => {
        diesel::insert_into(articles::table)
            .values(&new)
            .returning(Article::as_returning())
            .get_result(c)
            .await
    })?;
    insert_tags(conn, article.id, tag_ids).await?;
    revisions::record(
        conn,
        &article,
        Some(tag_ids),
        editor,
        RevisionAction::Create,
    )
    .await?;
    Ok(article)
}

/// Applies a PATCH (or a restore: `action`) if the article is still at
/// `version`: bumps the version, replaces the tags when given and records a
/// revision (call it inside a transaction). `None` when someone changed it
/// meanwhile.
pub async fn update(
    conn: &mut Conn,
    id: i64,
    version: i32,
    changes: ArticleChanges,
    tag_ids: Option<&[i64]>,
    editor: Option<i64>,
    action: RevisionAction,
) -> QueryResult<Option<Article>> {
    let now = crate::db::time::now();
    let updated: Option<Article> = run!(conn, c => {
        diesel::update(
            articles::table.filter(articles::id.eq(id)).filter(articles::version.eq(version)),
        )
        .set((&changes, articles::version.eq(version + 1), articles::updated_at.eq(now)))
        .returning(Article::as_returning())
        .get_result(c)
        .await
        .optional()
    })?;
    let Some(article) = updated else {
        return Ok(None);
    };
    if let Some(tag_ids) = tag_ids {
        replace_tags(conn, id, tag_ids).await?;
    }
    revisions::record(conn, &article, tag_ids, editor, action).await?;
    Ok(Some(article))
}

/// Writes a workflow transition if the article is still at `version`, with
/// its revision (call it inside a transaction); `None` when someone changed
/// it meanwhile.
pub async fn set_status(
    conn: &mut Conn,
    read: &Article,
    t: Transition,
    editor: Option<i64>,
    action: RevisionAction,
) -> QueryResult<Option<Article>> {
    let now = crate::db::time::now();
    let (id, version) = (read.id, read.version);
    let updated: Option<Article> = run!(conn, c => {
        // Also the stored status read: the publication tick changes it
        // without a new version.
        diesel::update(
            articles::table
                .filter(articles::id.eq(id))
                .filter(articles::version.eq(version))
                .filter(articles::status.eq(read.status)),
        )
            .set((
                articles::status.eq(t.status),
                articles::publish_at.eq(t.publish_at),
                articles::published_at.eq(t.published_at),
                articles::version.eq(version + 1),
                articles::updated_at.eq(now),
            ))
            .returning(Article::as_returning())
            .get_result(c)
            .await
            .optional()
    })?;
    if let Some(article) = &updated {
        revisions::record(conn, article, None, editor, action).await?;
    }
    Ok(updated)
}

/// How many articles there are (any status).
pub async fn count(conn: &mut Conn) -> QueryResult<i64> {
    run!(conn, c => articles::table.count().get_result(c).await)
}

/// How many articles (any status) `author_id` has.
pub async fn count_by_author(conn: &mut Conn, author_id: i64) -> QueryResult<i64> {
    run!(conn, c => {
        articles::table
            .filter(articles::author_id.eq(author_id))
            .count()
            .get_result(c)
            .await
    })
}

/// How many of `author_id`'s articles are in the trash.
pub async fn count_trashed_by_author(conn: &mut Conn, author_id: i64) -> QueryResult<i64> {
    run!(conn, c => {
        articles::table
            .filter(articles::author_id.eq(author_id))
            .filter(articles::trashed_at.is_not_null())
            .count()
            .get_result(c)
            .await
    })
}

/// Deletes an article for good (its tags, revisions and comments go with
/// it) if it is still at `version`; `false` when someone changed it
/// meanwhile.
pub async fn delete(conn: &mut Conn, id: i64, version: i32) -> QueryResult<bool> {
    let deleted = run!(conn, c => {
        diesel::delete(
            articles::table.filter(articles::id.eq(id)).filter(articles::version.eq(version)),
        )
        .execute(c)
        .await
    })?;
    Ok(deleted > 0)
}

/// Sets an article's tags to `tag_ids`, in that display order (call it
/// inside a transaction).
pub async fn replace_tags(conn: &mut Conn, article_id: i64, tag_ids: &[i64]) -> QueryResult<()> {
    run!(conn, c => {
        diesel::delete(article_tags::table.filter(article_tags::article_id.eq(article_id)))
            .execute(c)
            .await
    })?;
    insert_tags(conn, article_id, tag_ids).await
}

/// One tag of an article, at its display position.
#[derive(Debug, Insertable)]
#[diesel(table_name = article_tags)]
struct NewArticleTag {
    article_id: i64,
    tag_id: i64,
    position: i32,
}

async fn insert_tags(conn: &mut Conn, article_id: i64, tag_ids: &[i64]) -> QueryResult<()> {
    let rows: Vec<NewArticleTag> = tag_ids
        .iter()
        .zip(0i32..)
        .map(|(tag_id, position)| NewArticleTag {
            article_id,
            tag_id: *tag_id,
            position,
        })
        .collect();
    for row in rows {
        run!(conn, c => diesel::insert_into(article_tags::table).values(&row).execute(c).await)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_condition_names_exactly_the_public_statuses() {
        let named: Vec<String> = PUBLIC_STATUSES
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        assert_eq!(
            PUBLIC_CONDITION,
            format!(
                "articles.status IN ({}) AND articles.trashed_at IS NULL",
                named.join(", ")
            )
        );
    }
}
