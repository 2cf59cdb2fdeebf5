//! Article writes: create, patch, delete. Permission checks come from the
//! policy module; multi-row writes run in one transaction (see `model`).

use actix_web::{patch, post, web, HttpRequest, HttpResponse};

use super::audited;
use super::content::derive;
use super::dto::{ArticleResponse, CreateArticleRequest, UpdateArticleRequest};
use super::model::{self, Article, ArticleChanges, NewArticle};
use super::present::Shape;
use super::revisions::RevisionAction;
use super::routes::{etag_prefix, present_one, respond_one};
use crate::api_docs::responses::{
    Conflict, Forbidden, JsonBody, NotFound, PreconditionFailed, Unauthorized, Unavailable,
};
use crate::audit::{Action, Auditor, Change};
use crate::auth::{policy, Caller, Credentials, Staff};
use crate::authors::reference::require_author;
use crate::db::slugs::{slug_for, SlugTable};
use crate::db::time::now;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::caching::{check_if_match, IfMatch, Visibility};
use crate::http::params::IdOrSlug;
use crate::http::validation::Valid;
use crate::idempotency::{self, Answer, IdempotencyKey, IdempotencyKeyHeader};
use crate::state::AppState;
use crate::webhooks;

/// Create a draft article. The slug comes from the title unless given;
/// `body_html`, `word_count` and reading time are derived from the body.
///
/// 403 when writing as another author without being an editor; 409
/// `duplicate` when the slug is taken, `unknown_reference` for an unknown
/// author or tag, `no_author_profile` when the account has no author to
/// write as.
#[utoipa::path(
    tag = "articles", operation_id = "create_article",
    params(("Idempotency-Key" = Option<IdempotencyKeyHeader>, Header, nullable = false, description = "Makes a retry of this create safe: the same key and body get the first answer again")),
    request_body = CreateArticleRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created as a draft", body = ArticleResponse, headers(("Location" = String))),
        JsonBody, Unauthorized, Forbidden, Conflict, Unavailable,
    )
)]
#[post("/api/v1/articles")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    key: IdempotencyKey,
    body: Valid<CreateArticleRequest>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_writer(auth).await?;
    let staff = policy::require_staff(&caller)?;
    let fingerprint = body.fingerprint().to_owned();
    let body = body.into_inner()?;
    let author_id = policy::article_author(staff, body.author_id)?;
    let derived = derive(&body.body);
    let request = idempotency::Request::new(key, &caller, None, &req, &fingerprint);
    let audit = Auditor::new(&req, &caller);
    idempotency::once(&mut conn, &state, request, async |conn| {
        require_author(conn, author_id).await?;
        require_media(conn, body.featured_image_id).await?;
        let tag_ids = tag_ids(conn, &body.tags).await?;
        let slug = slug_for(conn, SlugTable::Articles, body.slug, &body.title).await?;
        let at = now();
        let new = NewArticle {
            slug,
            title: body.title.into(),
            excerpt: body.excerpt.map(String::from),
            body: body.body.into(),
            body_html: derived.body_html,
            author_id,
            featured_image_url: body.featured_image_url.map(String::from),
            featured_image_id: body.featured_image_id,
            meta_title: body.meta_title.map(String::from),
            meta_description: body.meta_description.map(String::from),
            canonical_url: body.canonical_url.map(String::from),
            word_count: derived.word_count,
            reading_time_minutes: derived.reading_time_minutes,
            comments_open: body.comments_open.unwrap_or(true),
            created_at: at,
            updated_at: at,
            body_lead: Some(derived.body_lead),
        };
        let article = model::create(conn, new, &tag_ids, staff.user_id).await?;
        let view = audited::view(&article, Some(&tag_ids));
        audit
            .record(
                conn,
                Action::ArticleCreate,
                Some(article.id),
                Change::created(&view),
            )
            .await?;
        let location = format!("/api/v1/articles/{}", article.id);
        let base = &state.config.media.base_url;
        Answer::created(
            location,
            &present_one(conn, article, &Shape::full(), base).await?,
        )
    })
    .await
}

/// Change an article. Send the ETag you read in `If-Match` to refuse
/// overwriting someone else's change (412). Status changes use the actions.
///
/// Editors change any article, authors their own, contributors their own
/// drafts and articles in review (403 otherwise). 409 `duplicate` when the
/// slug is taken, `unknown_reference` for an unknown author or tag.
#[utoipa::path(
    tag = "articles", operation_id = "update_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("If-Match" = Option<IfMatch>, Header, nullable = false, description = "ETag of the version you edited")),
    request_body = UpdateArticleRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = ArticleResponse, headers(("ETag" = String))),
        JsonBody, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, Unavailable,
    )
)]
#[patch("/api/v1/articles/{id_or_slug}")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    body: Valid<UpdateArticleRequest>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "article")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    let staff = policy::require_staff(&caller)?;
    conn.transaction(async |conn| {
        let article = model::find(conn, &key, None)
            .await?
            .or_not_found("article")?;
        require_writer(&caller, &article)?;
        check_if_match(&req, &etag_prefix(&article))?;
        let body = body.into_inner()?;
        let author_id = match body.author_id {
            Some(id) if id != article.author_id => {
                let id = policy::article_author(staff, Some(id))?;
                require_author(conn, id).await?;
                Some(id)
            }
            _ => None,
        };
        let tag_ids = match &body.tags {
            Some(slugs) => Some(tag_ids(conn, slugs).await?),
            None => None,
        };
        let old_tag_ids = match tag_ids {
            Some(_) => super::revisions::tag_ids(conn, article.id).await?,
            None => Vec::new(),
        };
        require_media(conn, body.featured_image_id.flatten()).await?;
        let derived = body.body.as_deref().map(derive);
        let changes = ArticleChanges {
            slug: body.slug.map(String::from),
            title: body.title.map(String::from),
            excerpt: cleared(body.excerpt),
            body_html: derived.as_ref().map(|d| d.body_html.clone()),
            word_count: derived.as_ref().map(|d| d.word_count),
            reading_time_minutes: derived.as_ref().map(|d| d.reading_time_minutes),
            body_lead: derived.as_ref().map(|d| Some(d.body_lead.clone())),
            body: body.body.map(String::from),
            author_id,
            featured_image_url: cleared(body.featured_image_url),
            featured_image_id: body.featured_image_id,
            meta_title: cleared(body.meta_title),
            meta_description: cleared(body.meta_description),
            canonical_url: cleared(body.canonical_url),
            comments_open: body.comments_open,
        };
        let updated = model::update(
            conn,
            article.id,
            article.version,
            changes,
            tag_ids.as_deref(),
            staff.user_id,
            RevisionAction::Edit,
        )
        .await?
        .ok_or_else(changed_meanwhile)?;
        let tags = tag_ids.as_deref().map(|new| (old_tag_ids.as_slice(), new));
        Auditor::new(&req, &caller)
            .record(
                conn,
                Action::ArticleUpdate,
                Some(article.id),
                audited::change(&article, &updated, tags),
            )
            .await?;
        webhooks::announce_if_live(conn, &updated).await?;
        respond_one(conn, &req, updated, &Shape::full(), Visibility::Private).await
    })
    .await
}

/// The policy check for changing or deleting `article` (contributors only
/// while it is a work in progress).
pub fn require_writer<'a>(caller: &'a Caller, article: &Article) -> ApiResult<&'a Staff> {
    policy::require_article_writer(caller, article.author_id, article.status.in_progress())
}

/// The ids of the tags named by `slugs`, in order and without repeats;
/// an unknown slug is a 409 (`unknown_reference` on `tags`).
async fn tag_ids<S: std::ops::Deref<Target = str>>(
    conn: &mut Conn,
    slugs: &[S],
) -> ApiResult<Vec<i64>> {
    let slugs: Vec<&str> = slugs.iter().map(|s| &**s).collect();
    let found = crate::tags::model::ids_by_slug(conn, &slugs).await?;
    let mut ids = Vec::with_capacity(slugs.len());
    for slug in slugs {
        let id = *found.get(slug).ok_or_else(|| ApiError::UnknownReference {
            field: "tags",
            detail: format!("no tag has the slug {slug:?}; create it first"),
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// 409 `unknown_reference` on `featured_image_id` when no media item has
/// that id.
async fn require_media(conn: &mut Conn, id: Option<i64>) -> ApiResult<()> {
    match id {
        Some(id) if !crate::media::model::exists(conn, id).await? => {
            Err(ApiError::UnknownReference {
                field: "featured_image_id",
                detail: format!("no media item has the id {id}; upload it first"),
            })
        }
        _ => Ok(()),
    }
}

/// A PATCH value as stored: absent, cleared (`null`) or set.
fn cleared<T: Into<String>>(value: Option<Option<T>>) -> Option<Option<String>> {
    value.map(|inner| inner.map(Into::into))
}

/// 412: the article changed between our read and our write.
pub fn changed_meanwhile() -> ApiError {
    ApiError::PreconditionFailed(
        "the article was changed by someone else meanwhile; reload and retry".to_owned(),
    )
}
