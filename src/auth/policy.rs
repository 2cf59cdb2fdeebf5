//! Every permission rule in one place. Handlers call these and never test
//! roles themselves.

use super::caller::{Caller, Staff};
use super::role::Role;
use crate::api_keys::scope::KeyScope;
use crate::error::{ApiError, ApiResult};

/// Whether the caller may see unpublished content (drafts, scheduled):
/// staff and preview keys.
pub fn can_preview(caller: &Caller) -> bool {
    match caller {
        Caller::Staff(_) => true,
        Caller::ApiKey { scope, .. } => *scope == KeyScope::Preview,
        Caller::Anonymous => false,
    }
}

/// Whether the caller may see this unpublished article: editors, admins and
/// preview keys any; contributors and authors their own.
pub fn can_preview_article(caller: &Caller, article_author_id: i64) -> bool {
    match caller {
        Caller::Staff(staff) => {
            staff.role >= Role::Editor || staff.author_id == Some(article_author_id)
        }
        other => can_preview(other),
    }
}

/// In staff lists of unpublished articles, the author a caller is limited to
/// (contributors and authors see only their own).
pub fn preview_scope(caller: &Caller) -> Option<i64> {
    match caller {
        Caller::Staff(staff) if staff.role < Role::Editor => Some(staff.author_id.unwrap_or(-1)),
        _ => None,
    }
}

/// Any signed-in staff member: 401 for anonymous callers, 403 for API keys
/// (they are read-only).
pub fn require_staff(caller: &Caller) -> ApiResult<&Staff> {
    match caller {
        Caller::Staff(staff) => Ok(staff),
        Caller::ApiKey { .. } => Err(forbidden("API keys are read-only")),
        Caller::Anonymous => Err(ApiError::Unauthorized("sign in to do this".to_owned())),
    }
}

/// Admins only: users and API keys.
pub fn require_admin(caller: &Caller) -> ApiResult<&Staff> {
    let staff = require_staff(caller)?;
    if staff.role == Role::Admin {
        Ok(staff)
    } else {
        Err(forbidden("admins only"))
    }
}

/// Editors and admins: tags, authors, anyone's articles, moderation.
pub fn require_editor(caller: &Caller) -> ApiResult<&Staff> {
    let staff = require_staff(caller)?;
    if staff.role >= Role::Editor {
        Ok(staff)
    } else {
        Err(forbidden("editors only"))
    }
}

/// Editing an article: editors any; contributors and authors their own.
pub fn require_article_editor(caller: &Caller, article_author_id: i64) -> ApiResult<&Staff> {
    let staff = require_staff(caller)?;
    if staff.role >= Role::Editor || staff.author_id == Some(article_author_id) {
        Ok(staff)
    } else {
        Err(forbidden("you may only edit your own articles"))
    }
}

/// Changing or deleting an article: editors any; authors their own;
/// contributors their own only while it is still a work in progress (draft or
/// in review): once an editor has scheduled or published it, it is theirs no
/// more to change.
pub fn require_article_writer(
    caller: &Caller,
    article_author_id: i64,
    in_progress: bool,
) -> ApiResult<&Staff> {
    let staff = require_article_editor(caller, article_author_id)?;
    if staff.role >= Role::Author || in_progress {
        Ok(staff)
    } else {
        Err(forbidden(
            "contributors may only change their drafts and articles in review",
        ))
    }
}

/// Publishing or scheduling: authors their own, editors any; never contributors.
pub fn require_publisher(caller: &Caller, article_author_id: i64) -> ApiResult<&Staff> {
    let staff = require_article_editor(caller, article_author_id)?;
    if staff.role >= Role::Author {
        Ok(staff)
    } else {
        Err(forbidden("contributors cannot publish; submit for review"))
    }
}

/// Uploading to the media library: authors, editors and admins.
pub fn require_uploader(caller: &Caller) -> ApiResult<&Staff> {
    let staff = require_staff(caller)?;
    if staff.role >= Role::Author {
        Ok(staff)
    } else {
        Err(forbidden("authors, editors and admins upload media"))
    }
}

/// Describing or deleting a media item: editors any; authors the ones they
/// uploaded.
pub fn require_media_owner(caller: &Caller, uploaded_by: Option<i64>) -> ApiResult<&Staff> {
    let staff = require_uploader(caller)?;
    if staff.role >= Role::Editor || (staff.user_id.is_some() && staff.user_id == uploaded_by) {
        Ok(staff)
    } else {
        Err(forbidden("you may only change media you uploaded"))
    }
}

/// The author an article is written as: editors may choose anyone; others
/// always write as their own author profile.
pub fn article_author(staff: &Staff, requested: Option<i64>) -> ApiResult<i64> {
    match (staff.role >= Role::Editor, requested, staff.author_id) {
        (true, Some(id), _) => Ok(id),
        (_, None, Some(own)) => Ok(own),
        (false, Some(id), Some(own)) if id == own => Ok(own),
        (false, Some(_), _) => Err(forbidden("you may only write as your own author")),
        (_, None, None) => Err(ApiError::Conflict {
            code: "no_author_profile",
            detail: "your account has no author profile: pass author_id or have one linked"
                .to_owned(),
        }),
    }
}

fn forbidden(detail: &str) -> ApiError {
    ApiError::Forbidden(detail.to_owned())
}
