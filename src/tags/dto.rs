//! Request and response bodies of the tag endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::Tag;
use crate::types::{NonBlank, Slug, Text};

/// Body of `POST /api/v1/tags`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTagRequest {
    /// Display name.
    pub name: NonBlank<100>,
    /// URL slug; generated from the name when omitted.
    pub slug: Option<Slug>,
    /// What the tag covers.
    pub description: Option<Text<1000>>,
}

/// Body of `PATCH /api/v1/tags/{id_or_slug}`: only the fields given change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTagRequest {
    /// Display name.
    pub name: Option<NonBlank<100>>,
    /// URL slug.
    pub slug: Option<Slug>,
    /// What the tag covers.
    pub description: Option<Text<1000>>,
}

/// A tag.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagResponse {
    /// Numeric id.
    pub id: i64,
    /// URL slug.
    #[schema(example = "persian-gulf")]
    pub slug: String,
    /// Display name.
    #[schema(example = "Persian Gulf")]
    pub name: String,
    /// What the tag covers.
    pub description: String,
    /// Published articles carrying the tag.
    pub article_count: i64,
}

impl TagResponse {
    /// Builds the response from a row and its published-article count.
    pub fn new(tag: Tag, article_count: i64) -> Self {
        Self {
            id: tag.id,
            slug: tag.slug,
            name: tag.name,
            description: tag.description,
            article_count,
        }
    }
}

/// A tag embedded in an article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagSummary {
    /// Numeric id.
    pub id: i64,
    /// URL slug.
    pub slug: String,
    /// Display name.
    pub name: String,
}

impl From<&Tag> for TagSummary {
    fn from(tag: &Tag) -> Self {
        Self {
            id: tag.id,
            slug: tag.slug.clone(),
            name: tag.name.clone(),
        }
    }
}
