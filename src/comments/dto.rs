//! Comment bodies as the public sees them: no email, no IP.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::Comment;
use crate::db::time::utc;

/// An approved comment as shown to readers.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicComment {
    /// Numeric id.
    pub id: i64,
    /// The comment replied to (threading), if any.
    pub parent_id: Option<i64>,
    /// Nesting depth (0 for top-level comments).
    pub depth: i32,
    /// Name the commenter gave.
    pub author_name: String,
    /// Website the commenter gave.
    pub author_url: Option<String>,
    /// Plain text exactly as written; escape it when rendering.
    pub body: String,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
}

impl From<Comment> for PublicComment {
    fn from(c: Comment) -> Self {
        Self {
            id: c.id,
            parent_id: c.parent_id,
            depth: c.depth,
            author_name: c.author_name,
            author_url: c.author_url,
            body: c.body,
            created_at: utc(c.created_at),
        }
    }
}
