//! Query parameters of the article reads: filters, sort, pagination,
//! embedded relations (`include`) and sparse fields (`fields`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::cursor::Cursor;
use super::listing::Sort;
use super::workflow::Status;

/// A field `fields=` may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleField {
    Id,
    Slug,
    Title,
    Excerpt,
    Body,
    BodyHtml,
    Status,
    PublishAt,
    PublishedAt,
    AuthorId,
    Author,
    Tags,
    FeaturedImageUrl,
    FeaturedImageId,
    FeaturedImage,
    MetaTitle,
    MetaDescription,
    CanonicalUrl,
    ReadingTimeMinutes,
    WordCount,
    CommentsOpen,
    CommentCount,
    Version,
    CreatedAt,
    UpdatedAt,
    TrashedAt,
    Snippet,
}

crate::named_enum!(ArticleField {
    Id => "id",
    Slug => "slug",
    Title => "title",
    Excerpt => "excerpt",
    Body => "body",
    BodyHtml => "body_html",
    Status => "status",
    PublishAt => "publish_at",
    PublishedAt => "published_at",
    AuthorId => "author_id",
    Author => "author",
    Tags => "tags",
    FeaturedImageUrl => "featured_image_url",
    FeaturedImageId => "featured_image_id",
    FeaturedImage => "featured_image",
    MetaTitle => "meta_title",
    MetaDescription => "meta_description",
    CanonicalUrl => "canonical_url",
    ReadingTimeMinutes => "reading_time_minutes",
    WordCount => "word_count",
    CommentsOpen => "comments_open",
    CommentCount => "comment_count",
    Version => "version",
    CreatedAt => "created_at",
    UpdatedAt => "updated_at",
    TrashedAt => "trashed_at",
    Snippet => "snippet",
});

/// A relation `include=` may embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Include {
    /// The author profile.
    Author,
    /// The tags, in display order.
    Tags,
    /// The lead image from the media library, with its sizes and `srcset`.
    FeaturedImage,
}

crate::named_enum!(Include {
    Author => "author",
    Tags => "tags",
    FeaturedImage => "featured_image",
});

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
    #[param(value_type = Option<Cursor>)]
    pub cursor: Option<String>,
    /// Full-text search of title, excerpt and body, best match first (see
    /// `sort=relevance`), each result with a highlighted `snippet`. Every
    /// word is required; words of 3+ characters match as word prefixes
    /// (`elect` finds "elections"), shorter ones as whole words;
    /// `"a phrase"` matches adjacent words in order; `-word` excludes;
    /// `or` between terms gives alternatives. Case does not matter;
    /// punctuation separates words; up to 16 words count.
    #[param(min_length = 1, max_length = 200)]
    pub q: Option<String>,
    /// Only articles with this tag slug.
    pub tag: Option<String>,
    /// Only articles by this author (id or slug).
    pub author: Option<String>,
    /// Only this status (staff only, except `published`); `trashed` lists
    /// the trash (editors and admins).
    pub status: Option<Status>,
    /// Published at or after this instant.
    pub published_after: Option<DateTime<Utc>>,
    /// Published before this instant.
    pub published_before: Option<DateTime<Utc>>,
    /// Sort order (default `-published_at`; `relevance` with `q`, and only
    /// with `q`; the trash: `-updated_at`, the default there, or `title`).
    pub sort: Option<Sort>,
    /// Relations to embed: comma-separated `author`, `tags`, `featured_image`.
    #[param(value_type = Option<Vec<Include>>, style = Form, explode = false, min_items = 1, example = json!(["author", "tags"]))]
    pub include: Option<String>,
    /// Sparse fieldset: comma-separated article fields.
    #[param(value_type = Option<Vec<ArticleField>>, style = Form, explode = false, min_items = 1, example = json!(["id", "slug", "title", "excerpt"]))]
    pub fields: Option<String>,
}

/// Query of single-article reads: `include` and `fields`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArticleReadParams {
    /// Relations to embed: comma-separated `author`, `tags`, `featured_image`.
    #[param(value_type = Option<Vec<Include>>, style = Form, explode = false, min_items = 1)]
    pub include: Option<String>,
    /// Sparse fieldset: comma-separated article fields.
    #[param(value_type = Option<Vec<ArticleField>>, style = Form, explode = false, min_items = 1)]
    pub fields: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::articles::dto::ArticleResponse;
    use utoipa::PartialSchema;

    #[test]
    fn field_and_include_names_are_their_serde_names() {
        for field in ArticleField::ALL {
            assert_eq!(serde_json::to_value(field).unwrap(), field.as_str());
        }
        for include in Include::ALL {
            assert_eq!(serde_json::to_value(include).unwrap(), include.as_str());
        }
    }

    #[test]
    fn every_response_field_can_be_named() {
        let schema = serde_json::to_value(ArticleResponse::schema()).unwrap();
        let properties = schema["properties"].as_object().unwrap();
        let names: Vec<&str> = ArticleField::ALL.iter().map(|f| f.as_str()).collect();
        assert_eq!(properties.len(), names.len());
        for name in properties.keys() {
            assert!(names.contains(&name.as_str()), "{name}");
        }
    }
}
