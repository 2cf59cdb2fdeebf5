//! Request and response bodies of the tag endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::Tag;

/// Body of `POST /api/v1/tags`.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTagRequest {
    /// Display name.
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::validation::not_blank")
    )]
    #[schema(
        format = "text",
        example = "Persian Gulf",
        min_length = 1,
        max_length = 100
    )]
    pub name: String,
    /// URL slug; generated from the name when omitted.
    #[validate(custom(function = "crate::validation::slug"))]
    #[schema(format = "slug", example = "persian-gulf", max_length = 80)]
    pub slug: Option<String>,
    /// What the tag covers.
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub description: Option<String>,
}

/// Body of `PATCH /api/v1/tags/{id_or_slug}`: only the fields given change.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTagRequest {
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
    /// What the tag covers.
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub description: Option<String>,
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
