//! Article revisions: a full snapshot of the content for every version,
//! stored in the write's own transaction, and their queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::{
    ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::Article;
use super::workflow::Status;
use crate::db::schema::{article_revisions, article_tags, tags};
use crate::db::Conn;

/// What made a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevisionAction {
    /// The article was created.
    Create,
    /// Its content was changed (`PATCH`).
    Edit,
    /// Submitted for review.
    Submit,
    /// Published or scheduled.
    Publish,
    /// Returned to draft.
    Unpublish,
    /// Archived.
    Archive,
    /// An earlier revision's content was restored.
    Restore,
    /// Its lead image was deleted from the media library.
    MediaRemoved,
    /// Moved to the trash.
    Trash,
    /// Restored from the trash.
    Untrash,
}

crate::named_enum!(RevisionAction {
    Create => "create",
    Edit => "edit",
    Submit => "submit",
    Publish => "publish",
    Unpublish => "unpublish",
    Archive => "archive",
    Restore => "restore",
    MediaRemoved => "media_removed",
    Trash => "trash",
    Untrash => "untrash",
});

/// An article's content at one version: everything a restore brings back,
/// and the workflow state for the record (a restore never changes it).
/// Optional fields default when absent, so snapshots stored before a field
/// existed still read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Snapshot {
    /// URL slug.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Markdown source.
    pub body: String,
    /// The stored teaser (null: the body's first paragraph).
    #[serde(default)]
    pub excerpt: Option<String>,
    /// The author's id.
    pub author_id: i64,
    /// Tag ids, in display order.
    #[serde(default)]
    pub tag_ids: Vec<i64>,
    /// Lead image from the media library.
    #[serde(default)]
    pub featured_image_id: Option<i64>,
    /// Lead image URL.
    #[serde(default)]
    pub featured_image_url: Option<String>,
    /// SEO title.
    #[serde(default)]
    pub meta_title: Option<String>,
    /// SEO description.
    #[serde(default)]
    pub meta_description: Option<String>,
    /// Canonical URL.
    #[serde(default)]
    pub canonical_url: Option<String>,
    /// Whether readers may comment.
    pub comments_open: bool,
    /// Workflow status (as stored).
    pub status: Status,
    /// Requested publication time of a scheduled article.
    #[serde(default)]
    pub publish_at: Option<NaiveDateTime>,
    /// When it became (or becomes) public.
    #[serde(default)]
    pub published_at: Option<NaiveDateTime>,
}

impl Snapshot {
    /// The snapshot of `article` with its tags.
    pub fn of(article: &Article, tag_ids: Vec<i64>) -> Self {
        Self {
            slug: article.slug.clone(),
            title: article.title.clone(),
            body: article.body.clone(),
            excerpt: article.excerpt.clone(),
            author_id: article.author_id,
            tag_ids,
            featured_image_id: article.featured_image_id,
            featured_image_url: article.featured_image_url.clone(),
            meta_title: article.meta_title.clone(),
            meta_description: article.meta_description.clone(),
            canonical_url: article.canonical_url.clone(),
            comments_open: article.comments_open,
            status: article.status,
            publish_at: article.publish_at,
            published_at: article.published_at,
        }
    }
}

/// A stored revision.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = article_revisions)]
pub struct Revision {
    pub id: i64,
    pub article_id: i64,
    pub version: i32,
    pub title: String,
    pub body: String,
    pub editor_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub action: String,
    pub snapshot: Option<String>,
}

impl Revision {
    /// The stored snapshot, if this revision has one (older ones hold only
    /// their title and body).
    pub fn snapshot(&self) -> Option<Snapshot> {
        let stored = self.snapshot.as_deref()?;
        match serde_json::from_str(stored) {
            Ok(snapshot) => Some(snapshot),
            Err(e) => {
                // Never silently: a restore would bring back less than promised.
                tracing::error!(error = %e, revision = self.id, "unreadable revision snapshot");
                None
            }
        }
    }
}

/// A revision as listed: without bodies.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = article_revisions)]
pub struct RevisionSummary {
    pub version: i32,
    pub title: String,
    pub editor_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub action: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = article_revisions)]
struct NewRevision<'a> {
    article_id: i64,
    version: i32,
    title: &'a str,
    body: &'a str,
    editor_id: Option<i64>,
    created_at: NaiveDateTime,
    action: &'a str,
    snapshot: Option<String>,
}

/// The tag ids of an article, in display order.
pub async fn tag_ids(conn: &mut Conn, article_id: i64) -> QueryResult<Vec<i64>> {
    run!(conn, c => {
        article_tags::table
            .filter(article_tags::article_id.eq(article_id))
            .order_by(article_tags::position)
            .select(article_tags::tag_id)
            .load(c)
            .await
    })
}

/// The slugs of the tags with these ids (ids of deleted tags are absent).
pub async fn tag_slugs(conn: &mut Conn, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = run!(conn, c => {
        tags::table
            .filter(tags::id.eq_any(ids))
            .select((tags::id, tags::slug))
            .load(c)
            .await
    })?;
    Ok(rows.into_iter().collect())
}

/// Stores the revision of `article` as it now is (call it inside the
/// transaction of the write that made this version). `tags`: its tag ids
/// when the write just set them (otherwise they are read).
pub async fn record(
    conn: &mut Conn,
    article: &Article,
    tags: Option<&[i64]>,
    editor: Option<i64>,
    action: RevisionAction,
) -> QueryResult<()> {
    let tags = match tags {
        Some(ids) => ids.to_vec(),
        None => tag_ids(conn, article.id).await?,
    };
    let snapshot = serde_json::to_string(&Snapshot::of(article, tags))
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let row = NewRevision {
        article_id: article.id,
        version: article.version,
        title: &article.title,
        body: &article.body,
        editor_id: editor,
        created_at: article.updated_at,
        action: action.as_str(),
        snapshot: Some(snapshot),
    };
    run!(conn, c => diesel::insert_into(article_revisions::table).values(&row).execute(c).await)?;
    Ok(())
}

/// A page of an article's revisions, newest first, and the total.
pub async fn list(
    conn: &mut Conn,
    article_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<RevisionSummary>, i64)> {
    run!(conn, c => {
        let total: i64 = article_revisions::table
            .filter(article_revisions::article_id.eq(article_id))
            .count()
            .get_result(c)
            .await?;
        let rows = article_revisions::table
            .filter(article_revisions::article_id.eq(article_id))
            .order_by(article_revisions::version.desc())
            .select(RevisionSummary::as_select())
            .offset(offset)
            .limit(limit)
            .load(c)
            .await?;
        Ok((rows, total))
    })
}

/// One revision of an article.
pub async fn find(conn: &mut Conn, article_id: i64, version: i32) -> QueryResult<Option<Revision>> {
    run!(conn, c => {
        article_revisions::table
            .filter(article_revisions::article_id.eq(article_id))
            .filter(article_revisions::version.eq(version))
            .select(Revision::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// Deletes the revisions that are neither among the newest `keep` of their
/// article nor newer than `after`; the number deleted. One statement, so
/// instances pruning at once only repeat each other's work.
pub async fn prune(conn: &mut Conn, keep: i64, after: NaiveDateTime) -> QueryResult<usize> {
    let sql = "DELETE FROM article_revisions WHERE created_at < $1 AND id IN ( \
                 SELECT id FROM ( \
                   SELECT id, ROW_NUMBER() OVER (PARTITION BY article_id ORDER BY version DESC) AS n \
                   FROM article_revisions) ranked \
                 WHERE n > $2)";
    match conn.get() {
        crate::db::ConnMut::Pg(c) => {
            diesel::sql_query(sql)
                .bind::<diesel::sql_types::Timestamp, _>(after)
                .bind::<diesel::sql_types::BigInt, _>(keep)
                .execute(c)
                .await
        }
        crate::db::ConnMut::Sqlite(c) => {
            diesel::sql_query(sql.replace("$1", "?").replace("$2", "?"))
                .bind::<diesel::sql_types::Timestamp, _>(after)
                .bind::<diesel::sql_types::BigInt, _>(keep)
                .execute(c)
                .await
        }
    }
}
