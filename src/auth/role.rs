//! Editorial roles (the WordPress model, which editors already know).

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a user may do, weakest first: each role may do all that the ones
/// before it may.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    AsExpression,
    FromSqlRow,
)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Role {
    /// Writes own drafts and submits them for review.
    Contributor,
    /// Also publishes own articles.
    Author,
    /// Edits and publishes anyone's articles; manages tags, authors, comments.
    Editor,
    /// Also manages users and API keys.
    Admin,
}

stored_as_text!(Role {
    Contributor => "contributor",
    Author => "author",
    Editor => "editor",
    Admin => "admin",
});
