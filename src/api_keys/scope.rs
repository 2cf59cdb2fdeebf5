//! What an API key may read.

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The reach of an API key (keys are always read-only).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow,
)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum KeyScope {
    /// Published content only (a public frontend).
    Read,
    /// Published and unpublished content (a preview frontend).
    Preview,
}

stored_as_text!(KeyScope {
    Read => "read",
    Preview => "preview",
});
