//! Comment bodies for moderators (editors and admins): with email and IP.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::dto::MAX_BODY_CHARS;
use super::model::Comment;
use super::status::CommentStatus;
use crate::db::time::utc;
use crate::types::NonBlank;

/// A comment with its private fields, for moderation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModeratedComment {
    /// Numeric id.
    pub id: i64,
    /// The article commented on.
    pub article_id: i64,
    /// The comment replied to, if any.
    pub parent_id: Option<i64>,
    /// Nesting depth (0 for top-level comments).
    pub depth: i32,
    /// Name the commenter gave.
    pub author_name: String,
    /// Email the commenter gave (private).
    pub author_email: String,
    /// Website the commenter gave.
    pub author_url: Option<String>,
    /// Plain text.
    pub body: String,
    /// Moderation state.
    pub status: CommentStatus,
    /// Whether readers see it: approved, and every comment above it in the
    /// thread approved too.
    pub visible: bool,
    /// The signed-in user who posted it, if any.
    pub user_id: Option<i64>,
    /// Client IP address (private).
    pub ip: Option<String>,
    /// Client user agent (private).
    pub user_agent: Option<String>,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
    /// Last moderation change.
    pub updated_at: DateTime<Utc>,
}

impl From<Comment> for ModeratedComment {
    fn from(c: Comment) -> Self {
        Self {
            id: c.id,
            article_id: c.article_id,
            parent_id: c.parent_id,
            depth: c.depth,
            author_name: c.author_name,
            author_email: c.author_email,
            author_url: c.author_url,
            body: c.body,
            status: c.status,
            visible: c.visible,
            user_id: c.user_id,
            ip: c.ip,
            user_agent: c.user_agent,
            created_at: utc(c.created_at),
            updated_at: utc(c.updated_at),
        }
    }
}

/// Query of the moderation queue `GET /api/v1/comments`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ModerationParams {
    /// Only comments in this state (default: all).
    pub status: Option<CommentStatus>,
    /// Only comments on this article id.
    #[param(minimum = 1)]
    pub article: Option<i64>,
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// Body of `PATCH /api/v1/comments/{id}`: moderate and/or edit.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerateCommentRequest {
    /// New moderation state.
    pub status: Option<CommentStatus>,
    /// Corrected text (plain, at most 5000 characters).
    pub body: Option<NonBlank<{ MAX_BODY_CHARS }>>,
}
