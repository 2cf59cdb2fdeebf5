//! Decides the status of a new comment: spam traps first, then duplicates,
//! then rate and content rules (which hold it), then auto-approval.

use super::model;
use super::settings::CommentSettings;
use super::spam::{blocked_word, count_links};
use super::status::CommentStatus;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult};

/// What the screening knows about a submission.
#[derive(Debug)]
pub struct Submission<'a> {
    /// The article commented on.
    pub article_id: i64,
    /// Normalized email.
    pub email: &'a str,
    /// Name, website and body, as sent.
    pub name: &'a str,
    /// Website, as sent.
    pub url: Option<&'a str>,
    /// The text.
    pub body: &'a str,
    /// Honeypot value, as sent.
    pub honeypot: Option<&'a str>,
    /// Seconds between serving the form and this submission.
    pub fill_secs: u64,
    /// Posted by a signed-in member of staff.
    pub by_staff: bool,
    /// Carried the reader token of its email (see `reader_token`).
    pub known_reader: bool,
    /// Past the per-email or per-article rate limit: held for a moderator.
    pub over_limit: bool,
}

/// The status to store; 409 for a duplicate.
pub async fn screen(
    conn: &mut Conn,
    rules: &CommentSettings,
    s: &Submission<'_>,
) -> ApiResult<CommentStatus> {
    // Traps: answered like any other submission, stored as spam.
    if s.honeypot.is_some_and(|v| !v.is_empty()) || s.fill_secs < rules.min_fill_secs {
        return Ok(CommentStatus::Spam);
    }
    if model::is_duplicate(conn, s.article_id, s.email, s.body).await? {
        return Err(ApiError::Conflict {
            code: "duplicate_comment",
            detail: "you already left this comment on this article".to_owned(),
        });
    }
    let texts = [s.name, s.email, s.url.unwrap_or_default(), s.body];
    if s.over_limit
        || count_links(s.body) > rules.max_links
        || blocked_word(&texts, &rules.blocked_words).is_some()
    {
        return Ok(CommentStatus::Pending);
    }
    if s.by_staff {
        return Ok(CommentStatus::Approved);
    }
    // An approved comment under this email is not enough: anyone can type
    // it. Only its owner has the reader token.
    if rules.auto_approve_known
        && s.known_reader
        && model::email_has_approved(conn, s.email).await?
    {
        return Ok(CommentStatus::Approved);
    }
    Ok(CommentStatus::Pending)
}
