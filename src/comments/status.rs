//! Moderation states of a comment.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// Where a comment is in moderation. Only `approved` comments are public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
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

impl CommentStatus {
    /// The stored text value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Spam => "spam",
            Self::Trash => "trash",
        }
    }

    /// Parses a stored value (500 on an unknown one: the schema forbids it).
    pub fn from_db(value: &str) -> Result<Self, ApiError> {
        match value {
            "pending" => Ok(Self::Pending),
            "approved" => Ok(Self::Approved),
            "spam" => Ok(Self::Spam),
            "trash" => Ok(Self::Trash),
            other => Err(ApiError::Internal(format!(
                "unknown comment status {other:?}"
            ))),
        }
    }
}
