//! Turns article rows into responses: derived status, embedded relations
//! (a fixed number of queries per page, whatever its size) and sparse fields.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde_json::{Map, Value};

use super::dto::ArticleResponse;
use super::listing::Columns;
use super::model::Article;
use super::params::{ArticleField, Include};
use super::workflow::Status;
use crate::authors::{dto::AuthorResponse, model as authors};
use crate::comments::model as comments;
use crate::db::time::utc;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult};
use crate::http::params::csv_allow_list;
use crate::media::{dto::FeaturedImage, model as media};
use crate::tags::{dto::TagSummary, model as tags};

/// What to embed and which fields to keep.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// Embed the author.
    pub author: bool,
    /// Embed the tags.
    pub tags: bool,
    /// Embed the lead image from the media library.
    pub featured_image: bool,
    /// Keep only these fields (plus `id`); `None` keeps all.
    pub fields: Option<Vec<ArticleField>>,
}

impl Shape {
    /// Parses `include` and `fields` against their allow-lists (400 otherwise).
    pub fn parse(include: Option<&str>, fields: Option<&str>) -> ApiResult<Self> {
        let include = csv_allow_list("include", include, Include::ALL, Include::as_str)?;
        let fields = fields
            .map(|raw| csv_allow_list("fields", Some(raw), ArticleField::ALL, ArticleField::as_str))
            .transpose()?;
        Ok(Self {
            author: include.contains(&Include::Author),
            tags: include.contains(&Include::Tags),
            featured_image: include.contains(&Include::FeaturedImage),
            fields,
        })
    }

    /// The columns a page must read: bodies only when kept.
    pub fn columns(&self) -> Columns {
        match &self.fields {
            Some(fields)
                if !fields
                    .iter()
                    .any(|f| matches!(f, ArticleField::Body | ArticleField::BodyHtml)) =>
            {
                Columns::WithoutBodies
            }
            _ => Columns::All,
        }
    }

    /// Everything embedded (answers to writes).
    pub fn full() -> Self {
        Self {
            author: true,
            tags: true,
            featured_image: true,
            fields: None,
        }
    }
}

/// Builds the responses of `rows`, loading relations with one query each;
/// `snippets` (search results) by article id.
pub async fn present(
    conn: &mut Conn,
    rows: Vec<Article>,
    snippets: &HashMap<i64, String>,
    shape: &Shape,
    now: NaiveDateTime,
    media_base: &str,
) -> ApiResult<Vec<Value>> {
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let mut author_ids: Vec<i64> = rows.iter().map(|a| a.author_id).collect();
    author_ids.sort_unstable();
    author_ids.dedup();
    let authors = if shape.author && !rows.is_empty() {
        authors::by_ids(conn, &author_ids).await?
    } else {
        Default::default()
    };
    let mut tags = if shape.tags && !rows.is_empty() {
        tags::for_articles(conn, &ids).await?
    } else {
        Default::default()
    };
    let image_ids: Vec<i64> = rows.iter().filter_map(|a| a.featured_image_id).collect();
    let images = if shape.featured_image {
        media::by_ids(conn, &image_ids).await?
    } else {
        Default::default()
    };
    let comment_counts = if rows.is_empty() {
        Default::default()
    } else {
        comments::approved_counts(conn, &ids).await?
    };
    rows.into_iter()
        .map(|article| {
            let comment_count = comment_counts.get(&article.id).copied().unwrap_or(0);
            let author = shape
                .author
                .then(|| {
                    authors
                        .get(&article.author_id)
                        .map(|a| AuthorResponse::new(a, None))
                })
                .flatten();
            let article_tags = shape.tags.then(|| {
                tags.remove(&article.id)
                    .unwrap_or_default()
                    .iter()
                    .map(TagSummary::from)
                    .collect()
            });
            let snippet = snippets.get(&article.id).cloned();
            let image = article
                .featured_image_id
                .and_then(|id| images.get(&id))
                .map(|item| FeaturedImage::new(item, media_base));
            let mut response = response(article, author, article_tags, comment_count, now)?;
            response.snippet = snippet;
            response.featured_image = image;
            sparse(response, shape.fields.as_deref())
        })
        .collect()
}

fn response(
    a: Article,
    author: Option<AuthorResponse>,
    tags: Option<Vec<TagSummary>>,
    comment_count: i64,
    now: NaiveDateTime,
) -> ApiResult<ArticleResponse> {
    let status = match a.trashed_at {
        Some(_) => Status::Trashed,
        None => a.status.effective(a.published_at, now),
    };
    let excerpt = a.shown_excerpt();
    Ok(ArticleResponse {
        id: a.id,
        slug: a.slug,
        title: a.title,
        excerpt,
        body: a.body,
        body_html: a.body_html,
        status,
        publish_at: a.publish_at.map(utc),
        published_at: a.published_at.map(utc),
        author_id: a.author_id,
        author,
        tags,
        featured_image_url: a.featured_image_url,
        featured_image_id: a.featured_image_id,
        featured_image: None,
        meta_title: a.meta_title,
        meta_description: a.meta_description,
        canonical_url: a.canonical_url,
        reading_time_minutes: a.reading_time_minutes,
        word_count: a.word_count,
        comments_open: a.comments_open,
        comment_count,
        version: a.version,
        created_at: utc(a.created_at),
        updated_at: utc(a.updated_at),
        trashed_at: a.trashed_at.map(utc),
        snippet: None,
    })
}

fn sparse(response: ArticleResponse, fields: Option<&[ArticleField]>) -> ApiResult<Value> {
    let value = serde_json::to_value(response).map_err(ApiError::internal)?;
    let Some(fields) = fields else {
        return Ok(value);
    };
    let Value::Object(map) = value else {
        return Ok(value);
    };
    let kept: Map<String, Value> = map
        .into_iter()
        .filter(|(k, _)| k == "id" || fields.iter().any(|f| f.as_str() == k))
        .collect();
    Ok(Value::Object(kept))
}
