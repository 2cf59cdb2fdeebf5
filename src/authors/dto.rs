//! Request and response bodies of the author endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::Author;
use crate::types::{HttpUrl, NonBlank, Slug, Text};

/// Body of `POST /api/v1/authors`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAuthorRequest {
    /// Display name; a wire service is named as such (e.g. "core").
    pub name: NonBlank<100>,
    /// URL slug; generated from the name when omitted.
    pub slug: Option<Slug>,
    /// Biography shown in the "About" box.
    pub bio: Option<Text<5000>>,
    /// Portrait image URL (http/https).
    pub avatar_url: Option<HttpUrl>,
    /// Personal or organisation website (http/https).
    pub website: Option<HttpUrl>,
}

/// Body of `PATCH /api/v1/authors/{id_or_slug}`: only the fields given change;
/// `null` clears `avatar_url` or `website`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAuthorRequest {
    /// Display name.
    pub name: Option<NonBlank<100>>,
    /// URL slug.
    pub slug: Option<Slug>,
    /// Biography.
    pub bio: Option<Text<5000>>,
    /// Portrait image URL; `null` removes it.
    #[serde(default, deserialize_with = "crate::http::patch::nullable")]
    #[schema(value_type = Option<HttpUrl>)]
    pub avatar_url: Option<Option<HttpUrl>>,
    /// Website; `null` removes it.
    #[serde(default, deserialize_with = "crate::http::patch::nullable")]
    #[schema(value_type = Option<HttpUrl>)]
    pub website: Option<Option<HttpUrl>>,
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
