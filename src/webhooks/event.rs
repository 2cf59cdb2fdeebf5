//! What webhooks announce: the [`EventType`]s and their payloads, in the
//! Standard Webhooks shape `{"type", "timestamp", "data"}`.

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::articles::model::Article;
use crate::comments::model::Comment;
use crate::db::time::{now, utc};
use crate::media::model::Media;

/// An event an endpoint may subscribe to.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    AsExpression,
    FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum EventType {
    /// An article went live: published now, its scheduled time came, or
    /// it came back from the trash published.
    #[serde(rename = "article.published")]
    ArticlePublished,
    /// A live article was taken back (unpublished or archived).
    #[serde(rename = "article.unpublished")]
    ArticleUnpublished,
    /// A live article's content changed.
    #[serde(rename = "article.updated")]
    ArticleUpdated,
    /// An article went to the trash.
    #[serde(rename = "article.trashed")]
    ArticleTrashed,
    /// An article was deleted for good (by an admin or the purge).
    #[serde(rename = "article.deleted")]
    ArticleDeleted,
    /// A comment became public.
    #[serde(rename = "comment.approved")]
    CommentApproved,
    /// A media item's description changed.
    #[serde(rename = "media.updated")]
    MediaUpdated,
}

crate::stored_as_text!(EventType {
    ArticlePublished => "article.published",
    ArticleUnpublished => "article.unpublished",
    ArticleUpdated => "article.updated",
    ArticleTrashed => "article.trashed",
    ArticleDeleted => "article.deleted",
    CommentApproved => "comment.approved",
    MediaUpdated => "media.updated",
});

/// One event, ready to be written to the outbox.
#[derive(Debug, Clone)]
pub struct Event {
    /// What happened.
    pub kind: EventType,
    /// The body every endpoint receives (signed as is).
    pub payload: String,
}

impl Event {
    fn new(kind: EventType, data: Value) -> Self {
        let payload = json!({
            "type": kind,
            "timestamp": utc(now()),
            "data": data,
        });
        Self {
            kind,
            payload: payload.to_string(),
        }
    }

    /// An article event; `data` says what readers can see of it.
    pub fn article(kind: EventType, article: &Article) -> Self {
        let at = now();
        Self::new(
            kind,
            json!({
                "id": article.id,
                "slug": article.slug,
                "title": article.title,
                "status": article.status.effective(article.published_at, at),
                "author_id": article.author_id,
                "published_at": article.published_at.map(utc),
                "updated_at": utc(article.updated_at),
                "version": article.version,
            }),
        )
    }

    /// An article deleted for good (only its id, slug and title are left).
    pub fn article_deleted(id: i64, slug: &str, title: &str) -> Self {
        Self::new(
            EventType::ArticleDeleted,
            json!({ "id": id, "slug": slug, "title": title }),
        )
    }

    /// A comment that became public (never the commenter's email or IP).
    pub fn comment_approved(comment: &Comment) -> Self {
        Self::new(
            EventType::CommentApproved,
            json!({
                "id": comment.id,
                "article_id": comment.article_id,
                "parent_id": comment.parent_id,
                "author_name": comment.author_name,
                "body": comment.body,
                "created_at": utc(comment.created_at),
            }),
        )
    }

    /// A media item whose description changed.
    pub fn media_updated(item: &Media) -> Self {
        let mut data = item.audit_view();
        data["id"] = json!(item.id);
        Self::new(EventType::MediaUpdated, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_are_the_serde_names() {
        for kind in EventType::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
