//! Public comment bodies: what readers send and see. No email, no IP.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::Comment;
use super::render::body_html;
use super::status::CommentStatus;
use crate::db::time::utc;
use crate::types::{Email, HttpUrl, NonBlank, Text};

/// Longest comment body, in characters.
pub const MAX_BODY_CHARS: usize = 5000;
/// Longest commenter name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

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
    /// Author profile of a signed-in staff commenter (for a badge), if any.
    pub author_id: Option<i64>,
    /// Plain text exactly as written; escape it when rendering.
    pub body: String,
    /// The body as HTML: escaped text in paragraphs, safe to insert as is.
    pub body_html: String,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
}

impl PublicComment {
    /// The public view of `c`; `author_id` is the poster's author profile.
    pub fn new(c: Comment, author_id: Option<i64>) -> Self {
        Self {
            id: c.id,
            parent_id: c.parent_id,
            depth: c.depth,
            author_name: c.author_name,
            author_url: c.author_url,
            author_id,
            body_html: body_html(&c.body),
            body: c.body,
            created_at: utc(c.created_at),
        }
    }
}

/// Body of `POST /api/v1/articles/{id_or_slug}/comments` ("Leave a Reply").
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommentRequest {
    /// Name shown with the comment.
    pub author_name: NonBlank<{ MAX_NAME_CHARS }>,
    /// Email address; never published.
    pub author_email: Email,
    /// Website shown with the name (http/https).
    pub author_url: Option<HttpUrl>,
    /// Plain text; rejected (never truncated) beyond 5000 characters.
    pub body: NonBlank<{ MAX_BODY_CHARS }>,
    /// The approved comment of the same article this replies to.
    #[serde(default, deserialize_with = "crate::http::json_int::optional")]
    #[schema(minimum = 1)]
    pub parent_id: Option<i64>,
    /// `form_token` from the comment form (`GET …/comment-form`).
    pub form_token: NonBlank<200>,
    /// Honeypot: render it hidden and leave it empty. Bots fill it in.
    pub honeypot: Option<Text<5000>>,
    /// The `reader_token` of this reader's earlier receipts, if kept: once a
    /// comment from this email has been approved, comments that carry it
    /// are published at once.
    pub reader_token: Option<NonBlank<200>>,
}

/// Answer to a posted comment (202: received; most wait for moderation).
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentReceipt {
    /// Id of the stored comment.
    pub id: i64,
    /// `approved` (already public) or `pending` (awaiting moderation).
    pub status: CommentStatus,
    /// A sentence to show the reader.
    #[schema(example = "Your comment is awaiting moderation.")]
    pub message: String,
    /// Proof that this reader owns the email: keep it (for example in local
    /// storage) and send it with their later comments.
    pub reader_token: String,
}

/// One input of the comment form.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormField {
    /// Property name in the request body.
    pub name: &'static str,
    /// Label to show.
    pub label: &'static str,
    /// HTML input type (`text`, `email`, `url`, `textarea`, `hidden`).
    pub input: &'static str,
    /// Whether the field is required (mark it with `required_marker`).
    pub required: bool,
    /// Maximum length in characters.
    pub max_length: u64,
}

/// Everything a frontend needs to render an article's comment form.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentForm {
    /// The article the form posts to.
    pub article_id: i64,
    /// Whether the article accepts comments; when false, show no form.
    pub comments_open: bool,
    /// Heading of the form.
    #[schema(example = "Leave a Reply")]
    pub heading: &'static str,
    /// Privacy notice to show above the fields.
    #[schema(example = "Your email address will not be published.")]
    pub privacy_notice: &'static str,
    /// Explains the required marker.
    #[schema(example = "Required fields are marked *")]
    pub required_notice: &'static str,
    /// Marker for required fields.
    #[schema(example = "*")]
    pub required_marker: &'static str,
    /// The inputs, in display order.
    pub fields: &'static [FormField],
    /// Name of the honeypot input: render it hidden and send it empty.
    pub honeypot_field: &'static str,
    /// Send back as `form_token`; valid for `form_token_ttl_secs`.
    pub form_token: Option<String>,
    /// Lifetime of `form_token` in seconds.
    pub form_token_ttl_secs: u64,
    /// Nesting levels allowed: a comment of `depth` d takes replies while
    /// d + 1 < `max_depth` (top-level comments have depth 0).
    pub max_depth: i32,
    /// Approved comments on the article.
    pub comment_count: i64,
}
