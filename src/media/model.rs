//! Media rows and their queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, BoolExpressionMethods, EscapeExpressionMethods, ExpressionMethods, Insertable,
    OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper, TextExpressionMethods,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};

use super::format::ImageFormat;
use super::store::FileKey;
use crate::db::schema::{articles, media};
use crate::db::Conn;

/// A media item as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media)]
pub struct Media {
    pub id: i64,
    pub content_hash: String,
    pub storage_key: String,
    pub format: ImageFormat,
    pub width: i32,
    pub height: i32,
    pub byte_size: i64,
    pub variants: String,
    pub filename: String,
    pub title: String,
    pub alt_text: String,
    pub caption: String,
    pub credit: String,
    pub focal_x: Option<f64>,
    pub focal_y: Option<f64>,
    pub uploaded_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Media {
    /// What the audit log records of it: its description and size, not
    /// where its files are.
    pub fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "filename": self.filename,
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "byte_size": self.byte_size,
            "title": self.title,
            "alt_text": self.alt_text,
            "caption": self.caption,
            "credit": self.credit,
            "focal_x": self.focal_x,
            "focal_y": self.focal_y,
        })
    }
}

/// One stored file of an item (the `variants` column holds a JSON array).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Its format.
    pub format: ImageFormat,
    /// Its size in bytes.
    pub bytes: u64,
    /// Whether `srcset` offers it.
    pub srcset: bool,
}

impl Media {
    /// The item's stored files, the full-size one first.
    pub fn files(&self) -> Vec<StoredFile> {
        serde_json::from_str(&self.variants).unwrap_or_default()
    }

    /// The store keys of its files.
    pub fn file_keys(&self) -> Vec<FileKey> {
        keys_of(&self.storage_key, &self.files())
    }
}

/// The store keys of `files` in `folder`.
pub fn keys_of(folder: &str, files: &[StoredFile]) -> Vec<FileKey> {
    files
        .iter()
        .map(|f| FileKey {
            folder: folder.to_owned(),
            width: f.width,
            format: f.format,
        })
        .collect()
}

/// A new media row.
#[derive(Debug, Insertable)]
#[diesel(table_name = media)]
pub struct NewMedia {
    pub content_hash: String,
    pub storage_key: String,
    pub format: ImageFormat,
    pub width: i32,
    pub height: i32,
    pub byte_size: i64,
    pub variants: String,
    pub filename: String,
    pub title: String,
    pub alt_text: String,
    pub caption: String,
    pub credit: String,
    pub search_text: String,
    pub uploaded_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Changed columns of a PATCH (`None` leaves a column alone).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = media)]
pub struct MediaChanges {
    pub title: Option<String>,
    pub alt_text: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub search_text: Option<String>,
    pub focal_x: Option<Option<f64>>,
    pub focal_y: Option<Option<f64>>,
    pub updated_at: Option<NaiveDateTime>,
}

/// What `q` searches of an item: its description and file name, lower-cased
/// here (Unicode-aware), so both backends compare the same bytes.
pub fn search_text(
    title: &str,
    alt_text: &str,
    caption: &str,
    credit: &str,
    filename: &str,
) -> String {
    [title, alt_text, caption, credit, filename]
        .join("\n")
        .to_lowercase()
}

/// Filters of the media list.
#[derive(Debug, Default)]
pub struct MediaFilter {
    /// Words in the title, caption, credit, alt text or file name.
    pub q: Option<String>,
    /// Only this format.
    pub format: Option<ImageFormat>,
}

/// An article that uses an item.
#[derive(Debug, Clone, Queryable)]
pub struct Use {
    pub id: i64,
    pub slug: String,
    /// In the trash (restorable, so still a use).
    pub trashed: bool,
}

/// One item by id.
pub async fn find(conn: &mut Conn, id: i64) -> QueryResult<Option<Media>> {
    run!(conn, c => {
        media::table
            .find(id)
            .select(Media::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// The item with these bytes, if uploaded before.
pub async fn find_by_hash(conn: &mut Conn, hash: &str) -> QueryResult<Option<Media>> {
    run!(conn, c => {
        media::table
            .filter(media::content_hash.eq(hash))
            .select(Media::as_select())
            .first(c)
            .await
            .optional()
    })
}

/// Inserts an item, or finds the one with the same bytes that another
/// upload inserted first (`Err(existing)`): the unique hash decides, in one
/// statement, so two uploads of one file never make two items.
pub async fn insert_or_existing(
    conn: &mut Conn,
    new: NewMedia,
) -> QueryResult<Result<Media, Media>> {
    // The row we clashed with may be deleted before we read it: then try
    // the insert again (once is enough unless deletes keep racing).
    for _ in 0..3 {
        let inserted: Option<Media> = run!(conn, c => {
            diesel::insert_into(media::table)
                .values(&new)
                .on_conflict(media::content_hash)
                .do_nothing()
                .returning(Media::as_returning())
                .get_result(c)
                .await
                .optional()
        })?;
        if let Some(item) = inserted {
            return Ok(Ok(item));
        }
        if let Some(existing) = find_by_hash(conn, &new.content_hash).await? {
            return Ok(Err(existing));
        }
    }
    Err(diesel::result::Error::RollbackTransaction)
}

/// One item, locked until the transaction ends (PostgreSQL; SQLite's
/// writes are serialized anyway): an article write that is about to point
/// at it commits first, so [`uses`] sees it.
pub async fn find_locked(conn: &mut Conn, id: i64) -> QueryResult<Option<Media>> {
    match conn.get() {
        crate::db::ConnMut::Pg(c) => media::table
            .find(id)
            .select(Media::as_select())
            .for_update()
            .first(c)
            .await
            .optional(),
        crate::db::ConnMut::Sqlite(c) => media::table
            .find(id)
            .select(Media::as_select())
            .first(c)
            .await
            .optional(),
    }
}

/// A page of items, newest first, and the total.
pub async fn list(
    conn: &mut Conn,
    filter: &MediaFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Media>, i64)> {
    let pattern = filter.q.as_deref().map(like_pattern);
    run!(conn, c => {
        let filtered = || {
            let mut query = media::table.into_boxed();
            if let Some(format) = filter.format {
                query = query.filter(media::format.eq(format));
            }
            if let Some(pattern) = &pattern {
                query = query.filter(media::search_text.like(pattern.clone()).escape('\\'));
            }
            query
        };
        let total: i64 = filtered().count().get_result(c).await?;
        let rows = filtered()
            .select(Media::as_select())
            .order_by((media::created_at.desc(), media::id.desc()))
            .offset(offset)
            .limit(limit)
            .load(c)
            .await?;
        Ok((rows, total))
    })
}

/// `%words%` in lower case (as [`search_text`]), with LIKE's wildcards
/// escaped.
fn like_pattern(q: &str) -> String {
    let mut pattern = String::from("%");
    for ch in q.trim().to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

/// Items by id (for articles that embed their lead image).
pub async fn by_ids(conn: &mut Conn, ids: &[i64]) -> QueryResult<HashMap<i64, Media>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<Media> = run!(conn, c => {
        media::table
            .filter(media::id.eq_any(ids))
            .select(Media::as_select())
            .load(c)
            .await
    })?;
    Ok(rows.into_iter().map(|m| (m.id, m)).collect())
}

/// Whether an item exists.
pub async fn exists(conn: &mut Conn, id: i64) -> QueryResult<bool> {
    let found: Option<i64> = run!(conn, c => {
        media::table.find(id).select(media::id).first(c).await.optional()
    })?;
    Ok(found.is_some())
}

/// Changes an item's description.
pub async fn update(conn: &mut Conn, id: i64, changes: &MediaChanges) -> QueryResult<Media> {
    run!(conn, c => {
        diesel::update(media::table.find(id))
            .set(changes)
            .returning(Media::as_returning())
            .get_result(c)
            .await
    })
}

/// The articles using an item: as their lead image, or by a file URL (its
/// folder) in their body or their `featured_image_url`.
pub async fn uses(conn: &mut Conn, item: &Media) -> QueryResult<Vec<Use>> {
    let in_body = format!("%/{}/%", item.storage_key);
    run!(conn, c => {
        articles::table
            .filter(
                articles::featured_image_id
                    .eq(item.id)
                    .or(articles::body.like(in_body.clone()))
                    .or(articles::featured_image_url.like(in_body.clone())),
            )
            .select((articles::id, articles::slug, articles::trashed_at.is_not_null()))
            .order_by(articles::id)
            .load(c)
            .await
    })
}

/// Deletes an item (call inside a transaction). Articles leading with it
/// lose their lead image, as a change of their own: a new version, with its
/// revision by `editor`.
/// Returns those articles as they are now.
pub async fn delete(
    conn: &mut Conn,
    id: i64,
    at: NaiveDateTime,
    editor: Option<i64>,
) -> QueryResult<Vec<crate::articles::model::Article>> {
    use crate::articles::model::Article;
    use crate::articles::revisions::{self, RevisionAction};
    let changed: Vec<Article> = run!(conn, c => {
        diesel::update(articles::table.filter(articles::featured_image_id.eq(id)))
            .set((
                articles::featured_image_id.eq(None::<i64>),
                articles::version.eq(articles::version + 1),
                articles::updated_at.eq(at),
            ))
            .returning(Article::as_returning())
            .get_results(c)
            .await
    })?;
    for article in &changed {
        revisions::record(conn, article, None, editor, RevisionAction::MediaRemoved).await?;
    }
    run!(conn, c => diesel::delete(media::table.find(id)).execute(c).await)?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn search_patterns_escape_like_wildcards() {
        assert_eq!(like_pattern(" Storm "), "%storm%");
        assert_eq!(like_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }
}
