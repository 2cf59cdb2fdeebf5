//! What the audit log records of an article: its fields, with a digest
//! standing in for the body (the revision holds the text itself).

use serde_json::{json, Value};

use super::model::Article;
use crate::audit::Change;
use crate::auth::tokens::digest;

/// The article as the audit log shows it; `tag_ids` when the write knows
/// them.
pub fn view(article: &Article, tag_ids: Option<&[i64]>) -> Value {
    let mut view = json!({
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "author_id": article.author_id,
        "excerpt": article.excerpt,
        "body_sha256": &digest(&article.body)[..16],
        "word_count": article.word_count,
        "featured_image_id": article.featured_image_id,
        "featured_image_url": article.featured_image_url,
        "meta_title": article.meta_title,
        "meta_description": article.meta_description,
        "canonical_url": article.canonical_url,
        "comments_open": article.comments_open,
        "publish_at": article.publish_at,
        "published_at": article.published_at,
        "trashed_at": article.trashed_at,
        "version": article.version,
    });
    if let Some(ids) = tag_ids {
        view["tag_ids"] = json!(ids);
    }
    view
}

/// What a write changed, from the article before and after it (with the
/// tag ids on both sides when the write set them).
pub fn change(before: &Article, after: &Article, tags: Option<(&[i64], &[i64])>) -> Change {
    Change::between(
        &view(before, tags.map(|t| t.0)),
        &view(after, tags.map(|t| t.1)),
    )
}
