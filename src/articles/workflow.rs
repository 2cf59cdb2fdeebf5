//! The editorial workflow: statuses and the transitions the actions allow.
//!
//! `draft → in_review → published | scheduled → archived`, with `unpublish`
//! returning published, scheduled or archived articles to `draft`. A scheduled
//! article whose time has come *is* published: visibility is decided at query
//! time, so no background job flips it.

use chrono::NaiveDateTime;
use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// Where an article is in the editorial workflow.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow,
)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Status {
    /// Being written; visible to staff only.
    Draft,
    /// Submitted for an editor's review.
    InReview,
    /// Will become public at `publish_at`.
    Scheduled,
    /// Public.
    Published,
    /// Withdrawn from lists but kept.
    Archived,
    /// In the trash: never stored (a trashed article keeps its status for
    /// a restore); answers and the trash list (`status=trashed`, editors)
    /// show it.
    Trashed,
}

stored_as_text!(Status {
    Draft => "draft",
    InReview => "in_review",
    Scheduled => "scheduled",
    Published => "published",
    Archived => "archived",
    Trashed => "trashed",
});

impl Status {
    /// Still being written or reviewed (what a contributor may change).
    pub fn in_progress(self) -> bool {
        matches!(self, Self::Draft | Self::InReview)
    }

    /// The status as readers see it: scheduled with its time reached is published.
    pub fn effective(self, published_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Self {
        match (self, published_at) {
            (Self::Scheduled, Some(at)) if at <= now => Self::Published,
            (status, _) => status,
        }
    }
}

/// Stored statuses that can be public (when `published_at <= now`).
pub const PUBLIC_STATUSES: [Status; 2] = [Status::Published, Status::Scheduled];

/// A workflow action (`POST /articles/{id}/<action>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Draft → in review.
    Submit,
    /// Draft/in review/scheduled → published now, or scheduled for later.
    Publish,
    /// Published/scheduled/archived → draft.
    Unpublish,
    /// Published → archived.
    Archive,
}

impl Action {
    /// What its revision records.
    pub fn revision(self) -> super::revisions::RevisionAction {
        use super::revisions::RevisionAction;
        match self {
            Self::Submit => RevisionAction::Submit,
            Self::Publish => RevisionAction::Publish,
            Self::Unpublish => RevisionAction::Unpublish,
            Self::Archive => RevisionAction::Archive,
        }
    }

    /// What the audit log calls it.
    pub fn audit(self) -> crate::audit::Action {
        use crate::audit::Action as Audit;
        match self {
            Self::Submit => Audit::ArticleSubmit,
            Self::Publish => Audit::ArticlePublish,
            Self::Unpublish => Audit::ArticleUnpublish,
            Self::Archive => Audit::ArticleArchive,
        }
    }

    /// The action's name in URLs and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Publish => "publish",
            Self::Unpublish => "unpublish",
            Self::Archive => "archive",
        }
    }
}

/// What a legal transition writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// New stored status.
    pub status: Status,
    /// New `publish_at` (the requested schedule).
    pub publish_at: Option<NaiveDateTime>,
    /// New `published_at` (when it is or becomes public).
    pub published_at: Option<NaiveDateTime>,
}

/// Decides the transition for `action` from the effective status `from`, or
/// 409 `invalid_transition`. `at` is a requested publication time (publish only).
pub fn transition(
    action: Action,
    from: Status,
    current_published_at: Option<NaiveDateTime>,
    at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<Transition, ApiError> {
    use Status::*;
    let to = |status, publish_at, published_at| Transition {
        status,
        publish_at,
        published_at,
    };
    match (action, from) {
        (Action::Submit, Draft) => Ok(to(InReview, None, None)),
        (Action::Publish, Draft | InReview | Scheduled) => match at {
            Some(at) if at > now => Ok(to(Scheduled, Some(at), Some(at))),
            _ => Ok(to(Published, None, Some(now))),
        },
        (Action::Unpublish, Published | Scheduled | Archived) => Ok(to(Draft, None, None)),
        (Action::Archive, Published) => Ok(to(Archived, None, current_published_at.or(Some(now)))),
        (action, from) => Err(ApiError::Conflict {
            code: "invalid_transition",
            detail: format!(
                "cannot {} an article that is {}",
                action.as_str(),
                from.as_str()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn now() -> NaiveDateTime {
        crate::db::time::now()
    }

    #[test]
    fn legal_and_illegal_transitions() {
        let n = now();
        let later = n + Duration::hours(1);
        assert_eq!(
            transition(Action::Submit, Status::Draft, None, None, n)
                .unwrap()
                .status,
            Status::InReview
        );
        let t = transition(Action::Publish, Status::InReview, None, Some(later), n).unwrap();
        assert_eq!((t.status, t.published_at), (Status::Scheduled, Some(later)));
        let t = transition(Action::Publish, Status::Draft, None, None, n).unwrap();
        assert_eq!((t.status, t.published_at), (Status::Published, Some(n)));
        assert!(transition(Action::Submit, Status::Published, None, None, n).is_err());
        assert!(transition(Action::Archive, Status::Draft, None, None, n).is_err());
        assert!(transition(Action::Publish, Status::Archived, None, None, n).is_err());
        assert!(transition(Action::Unpublish, Status::Draft, None, None, n).is_err());
    }

    #[test]
    fn scheduled_in_the_past_is_published() {
        let n = now();
        assert_eq!(
            Status::Scheduled.effective(Some(n - Duration::seconds(1)), n),
            Status::Published
        );
        assert_eq!(
            Status::Scheduled.effective(Some(n + Duration::seconds(1)), n),
            Status::Scheduled
        );
    }
}
