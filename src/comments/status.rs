//! Moderation states of a comment.

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a comment is in moderation. Only `approved` comments are public.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow,
)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum CommentStatus {
    /// Waiting for a moderator.
    Pending,
    /// Public.
    Approved,
    /// Judged spam (kept for review, never shown).
    Spam,
    /// Removed from view by a moderator (kept; delete erases).
    Trash,
}

stored_as_text!(CommentStatus {
    Pending => "pending",
    Approved => "approved",
    Spam => "spam",
    Trash => "trash",
});
