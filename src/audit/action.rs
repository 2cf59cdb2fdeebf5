//! What an audit event records: the [`Action`], the kind of its target
//! ([`TargetKind`], implied by the action) and the kind of actor
//! ([`ActorKind`]).

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What happened, as `resource.verb`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Action {
    /// A sign-in with the right password.
    #[serde(rename = "auth.login")]
    AuthLogin,
    /// A refused sign-in (wrong password, unknown email, disabled account).
    #[serde(rename = "auth.login_failed")]
    AuthLoginFailed,
    /// A session ended by its user.
    #[serde(rename = "auth.logout")]
    AuthLogout,
    /// A spent refresh token presented again: its whole session was ended.
    #[serde(rename = "auth.token_reuse")]
    AuthTokenReuse,
    /// A user changed their own password.
    #[serde(rename = "auth.password_change")]
    AuthPasswordChange,
    /// An account created.
    #[serde(rename = "user.create")]
    UserCreate,
    /// An account changed (email, author, password reset).
    #[serde(rename = "user.update")]
    UserUpdate,
    /// An account's role changed.
    #[serde(rename = "user.role_change")]
    UserRoleChange,
    /// An account disabled.
    #[serde(rename = "user.disable")]
    UserDisable,
    /// An account enabled again.
    #[serde(rename = "user.enable")]
    UserEnable,
    /// An account deleted.
    #[serde(rename = "user.delete")]
    UserDelete,
    /// An API key created.
    #[serde(rename = "api_key.create")]
    ApiKeyCreate,
    /// An API key revoked.
    #[serde(rename = "api_key.revoke")]
    ApiKeyRevoke,
    /// An article created.
    #[serde(rename = "article.create")]
    ArticleCreate,
    /// An article's content changed.
    #[serde(rename = "article.update")]
    ArticleUpdate,
    /// Submitted for review.
    #[serde(rename = "article.submit")]
    ArticleSubmit,
    /// Published or scheduled.
    #[serde(rename = "article.publish")]
    ArticlePublish,
    /// Taken back to draft.
    #[serde(rename = "article.unpublish")]
    ArticleUnpublish,
    /// Archived.
    #[serde(rename = "article.archive")]
    ArticleArchive,
    /// An old revision's content restored.
    #[serde(rename = "article.revision_restore")]
    ArticleRevisionRestore,
    /// Moved to the trash.
    #[serde(rename = "article.trash")]
    ArticleTrash,
    /// Brought back from the trash.
    #[serde(rename = "article.restore")]
    ArticleRestore,
    /// Deleted for good by an admin.
    #[serde(rename = "article.delete")]
    ArticleDelete,
    /// Purged from the trash after its retention.
    #[serde(rename = "article.purge")]
    ArticlePurge,
    /// An author created.
    #[serde(rename = "author.create")]
    AuthorCreate,
    /// An author changed.
    #[serde(rename = "author.update")]
    AuthorUpdate,
    /// An author deleted.
    #[serde(rename = "author.delete")]
    AuthorDelete,
    /// A tag created.
    #[serde(rename = "tag.create")]
    TagCreate,
    /// A tag changed.
    #[serde(rename = "tag.update")]
    TagUpdate,
    /// A tag deleted.
    #[serde(rename = "tag.delete")]
    TagDelete,
    /// A comment posted.
    #[serde(rename = "comment.create")]
    CommentCreate,
    /// A comment's status or text changed by a moderator.
    #[serde(rename = "comment.moderate")]
    CommentModerate,
    /// A comment deleted.
    #[serde(rename = "comment.delete")]
    CommentDelete,
    /// An image uploaded.
    #[serde(rename = "media.create")]
    MediaCreate,
    /// An image's description changed.
    #[serde(rename = "media.update")]
    MediaUpdate,
    /// An image deleted.
    #[serde(rename = "media.delete")]
    MediaDelete,
    /// A webhook endpoint registered.
    #[serde(rename = "webhook.create")]
    WebhookCreate,
    /// A webhook endpoint changed (or enabled again).
    #[serde(rename = "webhook.update")]
    WebhookUpdate,
    /// A webhook endpoint deleted.
    #[serde(rename = "webhook.delete")]
    WebhookDelete,
    /// A webhook endpoint disabled by the server after sustained failure.
    #[serde(rename = "webhook.disable")]
    WebhookDisable,
    /// A delivery sent again on request.
    #[serde(rename = "webhook.redeliver")]
    WebhookRedeliver,
}

crate::stored_as_text!(Action {
    AuthLogin => "auth.login",
    AuthLoginFailed => "auth.login_failed",
    AuthLogout => "auth.logout",
    AuthTokenReuse => "auth.token_reuse",
    AuthPasswordChange => "auth.password_change",
    UserCreate => "user.create",
    UserUpdate => "user.update",
    UserRoleChange => "user.role_change",
    UserDisable => "user.disable",
    UserEnable => "user.enable",
    UserDelete => "user.delete",
    ApiKeyCreate => "api_key.create",
    ApiKeyRevoke => "api_key.revoke",
    ArticleCreate => "article.create",
    ArticleUpdate => "article.update",
    ArticleSubmit => "article.submit",
    ArticlePublish => "article.publish",
    ArticleUnpublish => "article.unpublish",
    ArticleArchive => "article.archive",
    ArticleRevisionRestore => "article.revision_restore",
    ArticleTrash => "article.trash",
    ArticleRestore => "article.restore",
    ArticleDelete => "article.delete",
    ArticlePurge => "article.purge",
    AuthorCreate => "author.create",
    AuthorUpdate => "author.update",
    AuthorDelete => "author.delete",
    TagCreate => "tag.create",
    TagUpdate => "tag.update",
    TagDelete => "tag.delete",
    CommentCreate => "comment.create",
    CommentModerate => "comment.moderate",
    CommentDelete => "comment.delete",
    MediaCreate => "media.create",
    MediaUpdate => "media.update",
    MediaDelete => "media.delete",
    WebhookCreate => "webhook.create",
    WebhookUpdate => "webhook.update",
    WebhookDelete => "webhook.delete",
    WebhookDisable => "webhook.disable",
    WebhookRedeliver => "webhook.redeliver",
});

impl Action {
    /// The kind of row this action is about.
    pub const fn target(self) -> TargetKind {
        match self {
            Self::AuthLogin
            | Self::AuthLoginFailed
            | Self::AuthLogout
            | Self::AuthTokenReuse
            | Self::AuthPasswordChange
            | Self::UserCreate
            | Self::UserUpdate
            | Self::UserRoleChange
            | Self::UserDisable
            | Self::UserEnable
            | Self::UserDelete => TargetKind::User,
            Self::ApiKeyCreate | Self::ApiKeyRevoke => TargetKind::ApiKey,
            Self::ArticleCreate
            | Self::ArticleUpdate
            | Self::ArticleSubmit
            | Self::ArticlePublish
            | Self::ArticleUnpublish
            | Self::ArticleArchive
            | Self::ArticleRevisionRestore
            | Self::ArticleTrash
            | Self::ArticleRestore
            | Self::ArticleDelete
            | Self::ArticlePurge => TargetKind::Article,
            Self::AuthorCreate | Self::AuthorUpdate | Self::AuthorDelete => TargetKind::Author,
            Self::TagCreate | Self::TagUpdate | Self::TagDelete => TargetKind::Tag,
            Self::CommentCreate | Self::CommentModerate | Self::CommentDelete => {
                TargetKind::Comment
            }
            Self::MediaCreate | Self::MediaUpdate | Self::MediaDelete => TargetKind::Media,
            Self::WebhookCreate
            | Self::WebhookUpdate
            | Self::WebhookDelete
            | Self::WebhookDisable
            | Self::WebhookRedeliver => TargetKind::Webhook,
        }
    }
}

/// The kind of row an event is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow,
)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum TargetKind {
    /// An article.
    Article,
    /// An author profile.
    Author,
    /// A tag.
    Tag,
    /// A reader comment.
    Comment,
    /// A user account.
    User,
    /// An API key.
    ApiKey,
    /// A media item.
    Media,
    /// A webhook endpoint.
    Webhook,
}

crate::stored_as_text!(TargetKind {
    Article => "article",
    Author => "author",
    Tag => "tag",
    Comment => "comment",
    User => "user",
    ApiKey => "api_key",
    Media => "media",
    Webhook => "webhook",
});

/// Who acted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow,
)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum ActorKind {
    /// A signed-in user (`actor.id` is the user's id).
    User,
    /// An API key (`actor.id` is the key's id).
    ApiKey,
    /// The configured bootstrap admin token.
    Bootstrap,
    /// Nobody signed in: a reader, or a sign-in attempt.
    Anonymous,
    /// The server itself (a background task).
    System,
}

crate::stored_as_text!(ActorKind {
    User => "user",
    ApiKey => "api_key",
    Bootstrap => "bootstrap",
    Anonymous => "anonymous",
    System => "system",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_are_the_serde_names() {
        for action in Action::ALL {
            assert_eq!(serde_json::to_value(action).unwrap(), action.as_str());
            let resource = action.as_str().split('.').next().unwrap();
            let resource = if resource == "auth" { "user" } else { resource };
            assert_eq!(resource, action.target().as_str());
        }
        for kind in TargetKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        for kind in ActorKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
