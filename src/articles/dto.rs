//! Request and response bodies of the article endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::AnyOfBuilder;
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};
use validator::Validate;

use super::workflow::Status;
use crate::authors::dto::AuthorResponse;
use crate::media::dto::FeaturedImage;
use crate::tags::dto::TagSummary;
use crate::types::{HttpUrl, NonBlank, Slug, Text};

/// Body of `POST /api/v1/articles`. Status always starts as `draft`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArticleRequest {
    /// Headline.
    pub title: NonBlank<200>,
    /// URL slug; generated from the title when omitted (collisions get `-2`, `-3`…).
    pub slug: Option<Slug>,
    /// Markdown source, stored byte-for-byte.
    pub body: Text<200000>,
    /// Teaser; the first paragraph of the body when omitted.
    pub excerpt: Option<Text<1000>>,
    /// Author id; editors may choose any author, others write as themselves.
    #[serde(default, deserialize_with = "crate::http::json_int::optional")]
    #[schema(minimum = 1)]
    pub author_id: Option<i64>,
    /// Tag slugs, in display order (existing tags only).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub tags: Vec<Text<200>>,
    /// Lead image URL (http/https), for images outside the media library.
    pub featured_image_url: Option<HttpUrl>,
    /// Lead image from the media library (its id).
    #[serde(default, deserialize_with = "crate::http::json_int::optional")]
    #[schema(minimum = 1)]
    pub featured_image_id: Option<i64>,
    /// SEO title.
    pub meta_title: Option<Text<200>>,
    /// SEO description.
    pub meta_description: Option<Text<500>>,
    /// Canonical URL (http/https).
    pub canonical_url: Option<HttpUrl>,
    /// Whether readers may comment (default true).
    pub comments_open: Option<bool>,
}

/// Body of `PATCH /api/v1/articles/{id}`: only the fields given change;
/// `null` clears an optional field. Status changes go through the workflow
/// actions, never through PATCH.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleRequest {
    /// Headline.
    pub title: Option<NonBlank<200>>,
    /// URL slug.
    pub slug: Option<Slug>,
    /// Markdown source.
    pub body: Option<Text<200000>>,
    /// Teaser; `null` returns to the first-paragraph fallback.
    #[serde(default, deserialize_with = "crate::http::patch::nullable")]
    #[schema(value_type = Option<Text<1000>>)]
    pub excerpt: Option<Option<Text<1000>>>,
    /// Author id (editors only may move an article to another author).
    #[serde(default, deserialize_with = "crate::http::json_int::optional")]
    #[schema(minimum = 1)]
    pub author_id: Option<i64>,
    /// Tag slugs; replaces the whole list.
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub tags: Option<Vec<Text<200>>>,
    /// Lead image URL; `null` removes it.
    #[serde(default, deserialize_with = "crate::http::patch::nullable")]
    #[schema(value_type = Option<HttpUrl>)]
    pub featured_image_url: Option<Option<HttpUrl>>,
    /// Lead image from the media library; `null` removes it.
    #[serde(default, deserialize_with = "crate::http::json_int::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub featured_image_id: Option<Option<i64>>,
    /// SEO title; `null` removes it.
    #[serde(default, deserialize_with = "crate::http::patch::nullable")]
    #[schema(value_type = Option<Text<200>>)]
    pub meta_title: Option<Option<Text<200>>>,
    /// SEO description; `null` removes it.
    #[serde(default, deserialize_with = "crate::http::patch::nullable")]
    #[schema(value_type = Option<Text<500>>)]
    pub meta_description: Option<Option<Text<500>>>,
    /// Canonical URL; `null` removes it.
    #[serde(default, deserialize_with = "crate::http::patch::nullable")]
    #[schema(value_type = Option<HttpUrl>)]
    pub canonical_url: Option<Option<HttpUrl>>,
    /// Whether readers may comment.
    pub comments_open: Option<bool>,
}

/// Optional body of `POST /api/v1/articles/{id}/publish`.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
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
    /// Lead image URL (outside the media library).
    pub featured_image_url: Option<String>,
    /// Lead image from the media library.
    pub featured_image_id: Option<i64>,
    /// The lead image with its sizes and `srcset` (with
    /// `include=featured_image`; absent when there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub featured_image: Option<FeaturedImage>,
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
    /// When it was moved to the trash (only on articles in the trash: it
    /// is purged `TRASH_RETENTION_DAYS` later unless restored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trashed_at: Option<DateTime<Utc>>,
    /// Lists searched with `q` only: where the article matches, as HTML
    /// (text escaped, matched words in `<mark>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

/// An article as a read returns it: whole, or with `fields=` only the
/// fields asked for (and `id`).
pub struct ArticleBody;

impl PartialSchema for ArticleBody {
    fn schema() -> RefOr<Schema> {
        AnyOfBuilder::new()
            .item(Ref::from_schema_name("ArticleResponse"))
            .item(Ref::from_schema_name("ArticleFields"))
            .into()
    }
}

impl ToSchema for ArticleBody {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push(("ArticleResponse".to_owned(), ArticleResponse::schema()));
        schemas.push(("ArticleFields".to_owned(), ArticleFields::schema()));
    }
}

/// [`ArticleResponse`] reduced by `fields=`: the same properties, of which
/// only `id` is always present.
pub struct ArticleFields;

impl PartialSchema for ArticleFields {
    fn schema() -> RefOr<Schema> {
        let mut schema = ArticleResponse::schema();
        if let RefOr::T(Schema::Object(object)) = &mut schema {
            object.required = vec!["id".to_owned()];
            object.description = Some(
                "An article reduced by `fields=`: `id` plus the properties asked for.".to_owned(),
            );
        }
        schema
    }
}

impl ToSchema for ArticleFields {}
