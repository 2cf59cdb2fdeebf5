//! Request and response bodies of the author endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::Author;

/// Body of `POST /api/v1/authors`.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAuthorRequest {
    /// Display name; a wire service is named as such (e.g. "core").
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::validation::not_blank")
    )]
    #[schema(format = "text", example = "core", min_length = 1, max_length = 100)]
    pub name: String,
    /// URL slug; generated from the name when omitted.
    #[validate(custom(function = "crate::validation::slug"))]
    #[schema(format = "slug", max_length = 80)]
    pub slug: Option<String>,
    /// Biography shown in the "About" box.
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub bio: Option<String>,
    /// Portrait image URL (http/https).
    #[validate(custom(function = "crate::validation::http_url"))]
    #[schema(format = "http-url", max_length = 2048)]
    pub avatar_url: Option<String>,
    /// Personal or organisation website (http/https).
    #[validate(custom(function = "crate::validation::http_url"))]
    #[schema(format = "http-url", max_length = 2048)]
    pub website: Option<String>,
}

/// Body of `PATCH /api/v1/authors/{id_or_slug}`: only the fields given change;
/// `null` clears `avatar_url` or `website`.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAuthorRequest {
    /// Display name.
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::validation::not_blank")
    )]
    #[schema(format = "text", min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// URL slug.
    #[validate(custom(function = "crate::validation::slug"))]
    #[schema(format = "slug", max_length = 80)]
    pub slug: Option<String>,
    /// Biography.
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub bio: Option<String>,
    /// Portrait image URL; `null` removes it.
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[validate(custom(function = "crate::validation::http_url"))]
    #[schema(format = "http-url", value_type = Option<String>, max_length = 2048)]
    pub avatar_url: Option<Option<String>>,
    /// Website; `null` removes it.
    #[serde(default, deserialize_with = "crate::patch::nullable")]
    #[validate(custom(function = "crate::validation::http_url"))]
    #[schema(format = "http-url", value_type = Option<String>, max_length = 2048)]
    pub website: Option<Option<String>>,
}

/// A public author profile.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthorResponse {
    /// Numeric id.
    pub id: i64,
    /// URL slug.
    #[schema(example = "core")]
    pub slug: String,
    /// Display name.
    #[schema(example = "core")]
    pub name: String,
    /// Biography ("About …").
    pub bio: String,
    /// Portrait image URL.
    pub avatar_url: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Published articles by this author (omitted when embedded in an article).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_count: Option<i64>,
}

impl AuthorResponse {
    /// Builds the response; `article_count` is given on author endpoints.
    pub fn new(author: &Author, article_count: Option<i64>) -> Self {
        Self {
            id: author.id,
            slug: author.slug.clone(),
            name: author.name.clone(),
            bio: author.bio.clone(),
            avatar_url: author.avatar_url.clone(),
            website: author.website.clone(),
            article_count,
        }
    }
}
