//! Bodies of the revision endpoints, and the comparison of a revision with
//! the current article (a unified line diff of the Markdown, and the other
//! fields that differ).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::revisions::{Revision, RevisionAction, RevisionSummary, Snapshot};
use super::workflow::Status;
use crate::db::time::utc;

/// A revision as listed (without its body).
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionListItem {
    /// The article version it holds.
    pub version: i32,
    /// What made this version.
    pub action: RevisionAction,
    /// The headline at that version.
    pub title: String,
    /// The user who made it (null: the bootstrap token, or a deleted user).
    pub editor_id: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<RevisionSummary> for RevisionListItem {
    fn from(r: RevisionSummary) -> Self {
        Self {
            version: r.version,
            action: RevisionAction::parse(&r.action).unwrap_or(RevisionAction::Edit),
            title: r.title,
            editor_id: r.editor_id,
            created_at: utc(r.created_at),
        }
    }
}

/// The content of a revision besides its title and body.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionFields {
    /// URL slug.
    pub slug: String,
    /// The stored teaser (null: the body's first paragraph).
    pub excerpt: Option<String>,
    /// The author's id.
    pub author_id: i64,
    /// Tag slugs in display order (tags deleted since are left out).
    pub tags: Vec<String>,
    /// Lead image from the media library.
    pub featured_image_id: Option<i64>,
    /// Lead image URL.
    pub featured_image_url: Option<String>,
    /// SEO title.
    pub meta_title: Option<String>,
    /// SEO description.
    pub meta_description: Option<String>,
    /// Canonical URL.
    pub canonical_url: Option<String>,
    /// Whether readers could comment.
    pub comments_open: bool,
    /// Workflow status at that version (a restore keeps the current one).
    pub status: Status,
    /// Requested publication time then.
    pub publish_at: Option<DateTime<Utc>>,
    /// Publication time then.
    pub published_at: Option<DateTime<Utc>>,
}

/// A field whose value differs between the revision and the article now.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChange {
    /// The field's name (as in the article).
    pub field: String,
    /// Its value at the revision.
    pub revision: Value,
    /// Its value now.
    pub current: Value,
}

/// How a revision differs from the current article.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionDiff {
    /// Unified line diff of the Markdown body, from the revision to the
    /// current text (empty when they are the same).
    pub body: String,
    /// The other fields that differ (all but the body; only `title` for a
    /// revision stored before snapshots).
    pub fields: Vec<FieldChange>,
}

/// One revision: its content and how it differs from the current article.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionResponse {
    /// The article version it holds.
    pub version: i32,
    /// What made this version.
    pub action: RevisionAction,
    /// The user who made it.
    pub editor_id: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The headline.
    pub title: String,
    /// The Markdown body.
    pub body: String,
    /// The rest of the content; null for revisions stored before full
    /// snapshots were kept (title and body only).
    pub fields: Option<RevisionFields>,
    /// The differences from the current article.
    pub diff: RevisionDiff,
}

/// Builds the answer for `revision` compared with `current` (the article
/// now, as a snapshot); `slugs` names tags by id.
pub fn compare(
    revision: Revision,
    current: &Snapshot,
    slugs: &HashMap<i64, String>,
) -> RevisionResponse {
    let then = revision.snapshot();
    let tag_slugs = |ids: &[i64]| -> Vec<String> {
        ids.iter().filter_map(|id| slugs.get(id).cloned()).collect()
    };
    let mut fields = Vec::new();
    match &then {
        Some(then) => {
            let (old, new) = (as_map(then), as_map(current));
            for (name, old_value) in &old {
                if matches!(name.as_str(), "body" | "tag_ids") {
                    continue;
                }
                if new.get(name) != Some(old_value) {
                    fields.push(FieldChange {
                        field: name.clone(),
                        revision: old_value.clone(),
                        current: new.get(name).cloned().unwrap_or(Value::Null),
                    });
                }
            }
            let (old_tags, new_tags) = (tag_slugs(&then.tag_ids), tag_slugs(&current.tag_ids));
            if old_tags != new_tags {
                fields.push(FieldChange {
                    field: "tags".to_owned(),
                    revision: old_tags.into(),
                    current: new_tags.into(),
                });
            }
            fields.sort_by(|a, b| a.field.cmp(&b.field));
        }
        None if revision.title != current.title => fields.push(FieldChange {
            field: "title".to_owned(),
            revision: revision.title.clone().into(),
            current: current.title.clone().into(),
        }),
        None => {}
    }
    let body = unified_diff(&revision.body, &current.body, revision.version);
    RevisionResponse {
        version: revision.version,
        action: RevisionAction::parse(&revision.action).unwrap_or(RevisionAction::Edit),
        editor_id: revision.editor_id,
        created_at: utc(revision.created_at),
        fields: then.map(|s| RevisionFields {
            tags: tag_slugs(&s.tag_ids),
            slug: s.slug,
            excerpt: s.excerpt,
            author_id: s.author_id,
            featured_image_id: s.featured_image_id,
            featured_image_url: s.featured_image_url,
            meta_title: s.meta_title,
            meta_description: s.meta_description,
            canonical_url: s.canonical_url,
            comments_open: s.comments_open,
            status: s.status,
            publish_at: s.publish_at.map(utc),
            published_at: s.published_at.map(utc),
        }),
        title: revision.title,
        body: revision.body,
        diff: RevisionDiff { body, fields },
    }
}

/// The snapshot's fields by name.
fn as_map(snapshot: &Snapshot) -> serde_json::Map<String, Value> {
    match serde_json::to_value(snapshot) {
        Ok(Value::Object(map)) => map,
        _ => Default::default(),
    }
}

/// Unified diff (3 lines of context) from the revision's text to the
/// current one; empty when equal.
pub fn unified_diff(old: &str, new: &str, version: i32) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("revision {version}"), "current")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn the_body_diff_is_a_unified_line_diff() {
        let diff = unified_diff("a\nb\nc\n", "a\nB\nc\n", 3);
        assert_eq!(
            diff,
            "--- revision 3\n+++ current\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert_eq!(unified_diff("same\n", "same\n", 1), "");
    }
}
