//! `cms seed-demo`: loads the fictional sample in `seed::content` into an
//! empty database, through the same model functions the API uses.

use std::collections::HashMap;

use chrono::Duration;

use crate::articles::content::derive;
use crate::articles::model::{self as articles, NewArticle};
use crate::articles::workflow::{Status, Transition};
use crate::authors::model::{self as authors, NewAuthor};
use crate::comments::model::{self as comments, NewComment};
use crate::comments::status::CommentStatus;
use crate::db::slugs::{base_slug, unique_slug, SlugTable};
use crate::db::time::now;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult};
use crate::seed::content::{ARTICLES, AUTHORS, COMMENTS, TAGS};
use crate::state::AppState;
use crate::tags::model::{self as tags, NewTag};

/// Loads the sample; refuses a database that already has articles.
pub async fn run(state: &AppState) -> Result<String, String> {
    let mut conn = state.db.conn().await.map_err(|e| e.to_string())?;
    conn.transaction(async |conn| load(conn).await)
        .await
        .map_err(|e| e.to_string())
}

async fn load(conn: &mut Conn) -> ApiResult<String> {
    let existing = articles::count(conn).await?;
    if existing > 0 {
        return Err(ApiError::Conflict {
            code: "not_empty",
            detail: format!("the database already holds {existing} article(s); seed an empty one"),
        });
    }
    let at = now();
    let mut author_ids = HashMap::new();
    for a in AUTHORS {
        let row = authors::create(
            conn,
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
            conn,
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
    let tag_ids = tags::ids_by_slug(conn, &TAGS.iter().map(|t| t.slug).collect::<Vec<_>>()).await?;
    let mut article_ids = Vec::with_capacity(ARTICLES.len());
    for a in ARTICLES {
        let article_tags = a
            .tags
            .iter()
            .map(|s| {
                tag_ids
                    .get(*s)
                    .copied()
                    .ok_or_else(|| ApiError::internal(format!("unknown demo tag {s}")))
            })
            .collect::<ApiResult<Vec<i64>>>()?;
        let derived = derive(a.body);
        let base = base_slug(a.title, "article");
        let slug = unique_slug(conn, SlugTable::Articles, &base, None).await?;
        let author_id = *author_ids
            .get(a.author)
            .ok_or_else(|| ApiError::internal(format!("unknown demo author {}", a.author)))?;
        let row = articles::create(
            conn,
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
            &article_tags,
            None,
        )
        .await?;
        if let Some(t) = transition(a.state, at - Duration::days(a.days_ago)) {
            articles::set_status(conn, row.id, row.version, t).await?;
        }
        article_ids.push(row.id);
    }
    let mut comment_ids: Vec<(i64, i32)> = Vec::with_capacity(COMMENTS.len());
    for (i, c) in COMMENTS.iter().enumerate() {
        let parent = c.reply_to.and_then(|p| comment_ids.get(p).copied());
        let posted = at - Duration::hours((COMMENTS.len() - i) as i64);
        let status = CommentStatus::parse(c.status)
            .ok_or_else(|| ApiError::internal(format!("unknown demo status {}", c.status)))?;
        let row = comments::insert(
            conn,
            NewComment {
                article_id: article_ids[c.article],
                parent_id: parent.map(|(id, _)| id),
                depth: parent.map_or(0, |(_, depth)| depth + 1),
                author_name: c.author_name.to_owned(),
                author_email: c.author_email.to_owned(),
                author_url: c.author_url.map(str::to_owned),
                body: c.body.to_owned(),
                status,
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

/// The workflow state a demo article is put in, `when` days ago.
fn transition(state: &str, when: chrono::NaiveDateTime) -> Option<Transition> {
    let (status, publish_at, published_at) = match state {
        "published" => (Status::Published, None, Some(when)),
        "scheduled" => (Status::Scheduled, Some(when), Some(when)),
        "in_review" => (Status::InReview, None, None),
        _ => return None,
    };
    Some(Transition {
        status,
        publish_at,
        published_at,
    })
}
