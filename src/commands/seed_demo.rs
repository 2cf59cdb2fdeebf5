//! `cms seed-demo`: loads the fictional sample in `seed::content` into an
//! empty database, through the same model functions the API uses.

use std::collections::HashMap;

use chrono::Duration;

use crate::articles::content::derive;
use crate::articles::model::{self as articles, NewArticle};
use crate::articles::workflow::{Status, Transition};
use crate::authors::model::{self as authors, NewAuthor};
use crate::comments::model::{self as comments, NewComment};
use crate::db::time::now;
use crate::error::ApiResult;
use crate::seed::content::{ARTICLES, AUTHORS, COMMENTS, TAGS};
use crate::state::AppState;
use crate::tags::model::{self as tags, NewTag};

/// Loads the sample; refuses a database that already has articles.
pub async fn run(state: &AppState) -> Result<String, String> {
    load(state).await.map_err(|e| e.to_string())
}

async fn load(state: &AppState) -> ApiResult<String> {
    articles::ensure_empty(&state.db).await?;
    let db = &state.db;
    let at = now();
    let mut author_ids = HashMap::new();
    for a in AUTHORS {
        let row = authors::create(
            db,
            NewAuthor {
                slug: a.slug.to_owned(),
                name: a.name.to_owned(),
                bio: a.bio.to_owned(),
                avatar_url: None,
                website: a.website.map(str::to_owned),
                created_at: at,
                updated_at: at,
            },
        )
        .await?;
        author_ids.insert(a.slug, row.id);
    }
    for t in TAGS {
        tags::create(
            db,
            NewTag {
                slug: t.slug.to_owned(),
                name: t.name.to_owned(),
                description: t.description.to_owned(),
                created_at: at,
                updated_at: at,
            },
        )
        .await?;
    }
    let mut article_ids = Vec::with_capacity(ARTICLES.len());
    for a in ARTICLES {
        let slugs: Vec<String> = a.tags.iter().map(|s| (*s).to_owned()).collect();
        let tag_ids = tags::ids_for_slugs(db, &slugs).await?;
        let derived = derive(a.body);
        let slug =
            articles::unique_slug(db, &crate::db::slugs::base_slug(a.title, "article"), None)
                .await?;
        let author_id = *author_ids.get(a.author).ok_or_else(|| {
            crate::error::ApiError::internal(format!("unknown demo author {}", a.author))
        })?;
        let row = articles::create(
            db,
            NewArticle {
                slug,
                title: a.title.to_owned(),
                excerpt: a.excerpt.map(str::to_owned),
                body: a.body.to_owned(),
                body_html: derived.body_html,
                author_id,
                featured_image_url: None,
                meta_title: None,
                meta_description: None,
                canonical_url: None,
                word_count: derived.word_count,
                reading_time_minutes: derived.reading_time_minutes,
                comments_open: true,
                created_at: at,
                updated_at: at,
            },
            &tag_ids,
            None,
        )
        .await?;
        let when = at - Duration::days(a.days_ago);
        let transition = match a.state {
            "published" => Some(Transition {
                status: Status::Published,
                publish_at: None,
                published_at: Some(when),
            }),
            "scheduled" => Some(Transition {
                status: Status::Scheduled,
                publish_at: Some(when),
                published_at: Some(when),
            }),
            "in_review" => Some(Transition {
                status: Status::InReview,
                publish_at: None,
                published_at: None,
            }),
            _ => None,
        };
        if let Some(t) = transition {
            articles::set_status(db, row.id, row.version, t).await?;
        }
        article_ids.push(row.id);
    }
    let mut comment_ids: Vec<(i64, i32)> = Vec::with_capacity(COMMENTS.len());
    for (i, c) in COMMENTS.iter().enumerate() {
        let parent = c.reply_to.and_then(|p| comment_ids.get(p).copied());
        let posted = at - Duration::hours((COMMENTS.len() - i) as i64);
        let row = comments::insert(
            db,
            NewComment {
                article_id: article_ids[c.article],
                parent_id: parent.map(|(id, _)| id),
                depth: parent.map_or(0, |(_, depth)| depth + 1),
                author_name: c.author_name.to_owned(),
                author_email: c.author_email.to_owned(),
                author_url: c.author_url.map(str::to_owned),
                body: c.body.to_owned(),
                status: c.status.to_owned(),
                user_id: None,
                ip: None,
                user_agent: None,
                created_at: posted,
                updated_at: posted,
            },
        )
        .await?;
        comment_ids.push((row.id, row.depth));
    }
    Ok(format!(
        "seeded {} authors, {} tags, {} articles, {} comments",
        AUTHORS.len(),
        TAGS.len(),
        ARTICLES.len(),
        COMMENTS.len()
    ))
}
