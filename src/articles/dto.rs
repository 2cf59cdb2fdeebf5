//! Request and response bodies of the article endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::listing::Sort;
use super::workflow::Status;
use crate::authors::dto::AuthorResponse;
use crate::tags::dto::TagSummary;

/// Body of `POST /api/v1/articles`. Status always starts as `draft`.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArticleRequest {
    /// Headline.
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::validation::not_blank")
    )]
    #[schema(
        format = "text",
        example = "Iran, Russia Cooperate for Peace in Persian Gulf",
        min_length = 1,
        max_length = 200
    )]
    pub title: String,
    /// URL slug; generated from the title when omitted (collisions get `-2`, `-3`…).
    #[validate(custom(function = "crate::validation::slug"))]
    #[schema(format = "slug", max_length = 80)]
    pub slug: Option<String>,
    /// Markdown source, stored byte-for-byte.
    #[validate(length(max = 200000))]
    #[schema(max_length = 200000)]
    pub body: String,
    /// Teaser; the first paragraph of the body when omitted.
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub excerpt: Option<String>,
    /// Author id; editors may choose any author, others write as themselves.
    #[serde(default, deserialize_with = "crate::json_int::optional")]
    #[schema(minimum = 1)]
    pub author_id: Option<i64>,
    /// Tag slugs, in display order (existing tags only).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub tags: Vec<String>,
    /// Lead image URL (http/https).
    #[validate(custom(function = "crate::validation::http_url"))]
    #[schema(format = "http-url", max_length = 2048)]
    pub featured_image_url: Option<String>,
    /// SEO title.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub meta_title: Option<String>,
    /// SEO description.
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub meta_description: Option<String>,
    /// Canonical URL (http/https).
    #[validate(custom(function = "crate::validation::http_url"))]
    #[schema(format = "http-url", max_length = 2048)]
    pub canonical_url: Option<String>,
    /// Whether readers may comment (default true).
    pub comments_open: Option<bool>,
}

/// Body of `PATCH /api/v1/articles/{id}`: only the fields given change;
/// `null` clears an optional field. Status changes go through the workflow
/// actions, never through PATCH.
#[derive(Debug, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleRequest {
    /// Headline.
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::validation::not_blank")
    )]
    #[schema(format = "text", min_length = 1, max_length = 200)]
    pub title: Option<String>,
    /// URL slug.
    #[validate(custom(function = "crate::validation::slug"))]
    #[schema(format = "slug", max_length = 80)]
    pub slug: Option<String>,
    /// Markdown source.
    #[validate(length(max = 200000))]
    #[schema(max_length = 200000)]
    pub body: Option<String>,
    /// Teaser; `null` returns to the first-paragraph fallback.
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[validate(length(max = 1000))]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub excerpt: Option<Option<String>>,
    /// Author id (editors only may move an article to another author).
    #[serde(default, deserialize_with = "crate::json_int::optional")]
    #[schema(minimum = 1)]
    pub author_id: Option<i64>,
    /// Tag slugs; replaces the whole list.
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub tags: Option<Vec<String>>,
    /// Lead image URL; `null` removes it.
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[validate(custom(function = "crate::validation::http_url"))]
    #[schema(format = "http-url", value_type = Option<String>, max_length = 2048)]
    pub featured_image_url: Option<Option<String>>,
    /// SEO title; `null` removes it.
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[validate(length(max = 200))]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub meta_title: Option<Option<String>>,
    /// SEO description; `null` removes it.
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[validate(length(max = 500))]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub meta_description: Option<Option<String>>,
    /// Canonical URL; `null` removes it.
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[validate(custom(function = "crate::validation::http_url"))]
    #[schema(format = "http-url", value_type = Option<String>, max_length = 2048)]
    pub canonical_url: Option<Option<String>>,
    /// Whether readers may comment.
    pub comments_open: Option<bool>,
}

/// Optional body of `POST /api/v1/articles/{id}/publish`.
#[derive(Debug, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// Publish at this future instant (schedules the article); omitted or
    /// past means now.
    pub publish_at: Option<DateTime<Utc>>,
}

/// An article. With `fields=`, only the named fields (and `id`) are present.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleResponse {
    /// Numeric id.
    pub id: i64,
    /// URL slug.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Teaser: the stored excerpt, or the body's first paragraph.
    pub excerpt: String,
    /// Markdown source, byte-for-byte as written.
    pub body: String,
    /// Rendered, sanitized HTML of the body.
    pub body_html: String,
    /// Workflow status (a scheduled article whose time has come is `published`).
    pub status: Status,
    /// Requested publication time of a scheduled article.
    pub publish_at: Option<DateTime<Utc>>,
    /// When it became (or becomes) public.
    pub published_at: Option<DateTime<Utc>>,
    /// The author's id.
    pub author_id: i64,
    /// The author (with `include=author`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<AuthorResponse>,
    /// Tags in display order (with `include=tags`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagSummary>>,
    /// Lead image URL.
    pub featured_image_url: Option<String>,
    /// SEO title.
    pub meta_title: Option<String>,
    /// SEO description.
    pub meta_description: Option<String>,
    /// Canonical URL.
    pub canonical_url: Option<String>,
    /// Estimated reading time at 200 words per minute.
    pub reading_time_minutes: i32,
    /// Words in the body.
    pub word_count: i32,
    /// Whether readers may comment.
    pub comments_open: bool,
    /// Approved (public) comments.
    pub comment_count: i64,
    /// Incremented on every change; part of the ETag.
    pub version: i32,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Fields `fields=` may name.
pub const ARTICLE_FIELDS: &[&str] = &[
    "id",
    "slug",
    "title",
    "excerpt",
    "body",
    "body_html",
    "status",
    "publish_at",
    "published_at",
    "author_id",
    "author",
    "tags",
    "featured_image_url",
    "meta_title",
    "meta_description",
    "canonical_url",
    "reading_time_minutes",
    "word_count",
    "comments_open",
    "comment_count",
    "version",
    "created_at",
    "updated_at",
];

/// Relations `include=` may embed.
pub const ARTICLE_INCLUDES: &[&str] = &["author", "tags"];

/// Query of `GET /api/v1/articles` (unknown parameters are a 400).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArticleListParams {
    /// Page number, from 1 (not with `cursor`).
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
    /// Opaque cursor from `meta.next_cursor` (keyset pagination).
    #[param(max_length = 512)]
    pub cursor: Option<String>,
    /// Full-text search: articles whose title, excerpt or body contain every
    /// word of `q`. Words of 3+ characters match as word prefixes (`elect`
    /// finds "elections"), shorter ones as whole words. Case does not
    /// matter; punctuation separates words; up to 16 words count.
    #[param(min_length = 1, max_length = 200)]
    pub q: Option<String>,
    /// Only articles with this tag slug.
    pub tag: Option<String>,
    /// Only articles by this author (id or slug).
    pub author: Option<String>,
    /// Only this status (staff only, except `published`).
    pub status: Option<Status>,
    /// Published at or after this instant.
    pub published_after: Option<DateTime<Utc>>,
    /// Published before this instant.
    pub published_before: Option<DateTime<Utc>>,
    /// Sort order (default `-published_at`).
    pub sort: Option<Sort>,
    /// Relations to embed: comma-separated `author`, `tags`.
    #[param(example = "author,tags")]
    pub include: Option<String>,
    /// Sparse fieldset: comma-separated article fields.
    #[param(example = "id,slug,title,excerpt")]
    pub fields: Option<String>,
}

/// Query of single-article reads: `include` and `fields`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArticleReadParams {
    /// Relations to embed: comma-separated `author`, `tags`.
    pub include: Option<String>,
    /// Sparse fieldset: comma-separated article fields.
    pub fields: Option<String>,
}
