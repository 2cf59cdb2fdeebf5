//! `cms seed-demo`: loads the fictional sample in `seed::content` into an
//! empty database, through the same model functions the API uses.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};

use crate::articles::content::derive;
use crate::articles::model::{self as articles, NewArticle};
use crate::articles::workflow::{Status, Transition};
use crate::authors::model::{self as authors, NewAuthor};
use crate::comments::model::{self as comments, NewComment};
use crate::comments::status::CommentStatus;
use crate::db::slugs::{unique_slug, SlugTable};
use crate::db::time::now;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult};
use crate::seed::content::{ARTICLES, AUTHORS, COMMENTS, TAGS};
use crate::state::AppState;
use crate::tags::model::{self as tags, NewTag};

/// Loads the sample; refuses a database that already has articles.
pub async fn run(state: &AppState) -> Result<String, String> {
    let mut conn = state.db.writer().await.map_err(|e| e.to_string())?;
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
    let author_ids = seed_authors(conn, at).await?;
    let tag_ids = seed_tags(conn, at).await?;
    let article_ids = seed_articles(conn, at, &author_ids, &tag_ids).await?;
    seed_comments(conn, at, &article_ids).await?;
    Ok(format!(
        "seeded {} authors, {} tags, {} articles, {} comments",
        AUTHORS.len(),
        TAGS.len(),
        ARTICLES.len(),
        COMMENTS.len()
    ))
}

/// The demo authors; their ids by slug.
async fn seed_authors(conn: &mut Conn, at: NaiveDateTime) -> ApiResult<HashMap<&'static str, i64>> {
    let mut ids = HashMap::new();
    for a in AUTHORS {
        let new = NewAuthor {
            slug: a.slug.to_owned(),
            name: a.name.to_owned(),
            bio: a.bio.to_owned(),
            avatar_url: None,
            website: a.website.map(str::to_owned),
            created_at: at,
            updated_at: at,
        };
        ids.insert(a.slug, authors::create(conn, new).await?.id);
    }
    Ok(ids)
}

/// The demo tags; their ids by slug.
async fn seed_tags(conn: &mut Conn, at: NaiveDateTime) -> ApiResult<HashMap<String, i64>> {
    for t in TAGS {
        let new = NewTag {
            slug: t.slug.to_owned(),
            name: t.name.to_owned(),
            description: t.description.to_owned(),
            created_at: at,
            updated_at: at,
        };
        tags::create(conn, new).await?;
    }
    let slugs: Vec<&str> = TAGS.iter().map(|t| t.slug).collect();
    Ok(tags::ids_by_slug(conn, &slugs).await?)
}

/// The demo articles, each in its workflow state; their ids in order.
async fn seed_articles(
    conn: &mut Conn,
    at: NaiveDateTime,
    author_ids: &HashMap<&str, i64>,
    tag_ids: &HashMap<String, i64>,
) -> ApiResult<Vec<i64>> {
    let known = |map_value: Option<i64>, what: &str| {
        map_value.ok_or_else(|| ApiError::internal(format!("unknown demo {what}")))
    };
    let mut ids = Vec::with_capacity(ARTICLES.len());
    for a in ARTICLES {
        let article_tags = a
            .tags
            .iter()
            .map(|s| known(tag_ids.get(*s).copied(), s))
            .collect::<ApiResult<Vec<i64>>>()?;
        let derived = derive(a.body);
        let new = NewArticle {
            slug: unique_slug(conn, SlugTable::Articles, a.title).await?,
            title: a.title.to_owned(),
            excerpt: a.excerpt.map(str::to_owned),
            body: a.body.to_owned(),
            body_html: derived.body_html,
            author_id: known(author_ids.get(a.author).copied(), a.author)?,
            featured_image_url: None,
            featured_image_id: None,
            meta_title: None,
            meta_description: None,
            canonical_url: None,
            word_count: derived.word_count,
            reading_time_minutes: derived.reading_time_minutes,
            comments_open: true,
            created_at: at,
            updated_at: at,
            body_lead: Some(derived.body_lead),
        };
        let row = articles::create(conn, new, &article_tags, None).await?;
        if let Some(t) = transition(a.state, at - Duration::days(a.days_ago)) {
            use crate::articles::revisions::RevisionAction;
            use crate::articles::workflow::Status;
            let action = match t.status {
                Status::InReview => RevisionAction::Submit,
                Status::Archived => RevisionAction::Archive,
                Status::Draft => RevisionAction::Unpublish,
                Status::Published | Status::Scheduled => RevisionAction::Publish,
                Status::Trashed => RevisionAction::Trash,
            };
            articles::set_status(conn, &row, t, None, action).await?;
        }
        ids.push(row.id);
    }
    Ok(ids)
}

/// The demo comments, threads included, an hour apart.
async fn seed_comments(conn: &mut Conn, at: NaiveDateTime, article_ids: &[i64]) -> ApiResult<()> {
    let mut stored: Vec<(i64, i32)> = Vec::with_capacity(COMMENTS.len());
    for (i, c) in COMMENTS.iter().enumerate() {
        let parent = c.reply_to.and_then(|p| stored.get(p).copied());
        let posted = at - Duration::hours((COMMENTS.len() - i) as i64);
        let status = CommentStatus::parse(c.status)
            .ok_or_else(|| ApiError::internal(format!("unknown demo status {}", c.status)))?;
        let new = NewComment {
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
        };
        let row = comments::insert(conn, new).await?;
        stored.push((row.id, row.depth));
    }
    Ok(())
}

/// The workflow state a demo article is put in, `when` days ago.
fn transition(state: &str, when: NaiveDateTime) -> Option<Transition> {
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
