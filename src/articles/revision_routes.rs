//! Revisions of an article: the list, one revision with its diff against
//! the current text, and restore. Who may read and restore them follows
//! the article's write permissions.

use std::collections::HashMap;

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::audited;
use super::content::derive;
use super::model::{self, Article, ArticleChanges};
use super::present::Shape;
use super::revision_dto::{compare, RevisionListItem, RevisionResponse};
use super::revisions::{self, Revision, RevisionAction, Snapshot};
use super::routes::{etag_prefix, respond_one};
use super::writes::{changed_meanwhile, require_writer};
use crate::api_docs::responses::{
    BadRequest, Conflict, Forbidden, NotFound, PreconditionFailed, Unauthorized, Unavailable,
};
use crate::audit::{Action, Auditor};
use crate::auth::{policy, Credentials, Staff};
use crate::authors::reference::require_author;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::caching::{check_if_match, IfMatch, Visibility};
use crate::http::pagination::{page_response, ListResponse, PageRequest};
use crate::http::params::{parse_id, IdOrSlug};
use crate::http::{fresh, PageParams};
use crate::state::AppState;
use crate::webhooks;

/// An article's revisions, newest first, without bodies. Editors see any
/// article's; authors their own; contributors those of their own drafts
/// and articles in review.
#[utoipa::path(
    tag = "revisions", operation_id = "list_revisions",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of revisions", body = ListResponse<RevisionListItem>, headers(("Link" = String))),
        BadRequest, Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[get("/api/v1/articles/{id_or_slug}/revisions")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "article")?;
    let page = PageRequest::pages(&params)?;
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_staff(&caller)?;
    let article = model::find(&mut conn, &key, None)
        .await?
        .or_not_found("article")?;
    require_writer(&caller, &article)?;
    let (rows, total) = revisions::list(&mut conn, article.id, page.offset(), page.limit()).await?;
    let data: Vec<RevisionListItem> = rows.into_iter().map(RevisionListItem::from).collect();
    page_response(&req, &page, data, total, Visibility::Private)
}

/// One revision: its content, and how it differs from the current article
/// (a unified diff of the Markdown body and the other changed fields).
#[utoipa::path(
    tag = "revisions", operation_id = "get_revision",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("version" = i32, Path, description = "The version the revision holds")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The revision", body = RevisionResponse),
        Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[get("/api/v1/articles/{id_or_slug}/revisions/{version}")]
pub async fn get(
    state: web::Data<AppState>,
    auth: Credentials,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (key, version) = parse_path(&path)?;
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_staff(&caller)?;
    let article = model::find(&mut conn, &key, None)
        .await?
        .or_not_found("article")?;
    require_writer(&caller, &article)?;
    let revision = revisions::find(&mut conn, article.id, version)
        .await?
        .or_not_found("revision")?;
    let current = Snapshot::of(&article, revisions::tag_ids(&mut conn, article.id).await?);
    let mut ids = current.tag_ids.clone();
    ids.extend(revision.snapshot().map(|s| s.tag_ids).unwrap_or_default());
    let slugs = revisions::tag_slugs(&mut conn, &ids).await?;
    Ok(fresh(&compare(revision, &current, &slugs)))
}

/// Restore a revision: its content (title, slug, body, excerpt, tags,
/// author, lead image, SEO fields, comments) becomes a new version, with a
/// revision of its own. The workflow status stays as it is. Send the ETag
/// you read in `If-Match` to refuse overwriting someone else's change
/// (412). Tags and a lead image deleted since are left out; a slug taken
/// since is a 409 `duplicate`; moving the article back to another author
/// needs an editor.
#[utoipa::path(
    tag = "revisions", operation_id = "restore_revision",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("version" = i32, Path, description = "The version to restore"),
           ("If-Match" = Option<IfMatch>, Header, nullable = false, description = "ETag of the version you saw")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Restored, as a new version", body = super::dto::ArticleResponse, headers(("ETag" = String))),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, Unavailable,
    )
)]
#[post("/api/v1/articles/{id_or_slug}/revisions/{version}/restore")]
pub async fn restore(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (key, version) = parse_path(&path)?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_staff(&caller)?;
    conn.transaction(async |conn| {
        let article = model::find(conn, &key, None)
            .await?
            .or_not_found("article")?;
        let staff = require_writer(&caller, &article)?;
        check_if_match(&req, &etag_prefix(&article))?;
        let revision = revisions::find(conn, article.id, version)
            .await?
            .or_not_found("revision")?;
        let (changes, tag_ids) = restored(conn, staff, &article, &revision).await?;
        let old_tag_ids = match tag_ids {
            Some(_) => revisions::tag_ids(conn, article.id).await?,
            None => Vec::new(),
        };
        let updated = model::update(
            conn,
            article.id,
            article.version,
            changes,
            tag_ids.as_deref(),
            staff.user_id,
            RevisionAction::Restore,
        )
        .await?
        .ok_or_else(changed_meanwhile)?;
        Auditor::new(&req, &caller)
            .record(
                conn,
                Action::ArticleRevisionRestore,
                Some(article.id),
                audited::change(
                    &article,
                    &updated,
                    tag_ids.as_deref().map(|new| (old_tag_ids.as_slice(), new)),
                )
                .noting("restored_version", version),
            )
            .await?;
        webhooks::announce_if_live(conn, &updated).await?;
        respond_one(conn, &req, updated, &Shape::full(), Visibility::Private).await
    })
    .await
}

/// The changes that bring `article` back to `revision`, and its tags (of
/// those that still exist); title and body only for a revision without a
/// snapshot.
async fn restored(
    conn: &mut Conn,
    staff: &Staff,
    article: &Article,
    revision: &Revision,
) -> ApiResult<(ArticleChanges, Option<Vec<i64>>)> {
    let derived = derive(&revision.body);
    let mut changes = ArticleChanges {
        title: Some(revision.title.clone()),
        body: Some(revision.body.clone()),
        body_html: Some(derived.body_html),
        word_count: Some(derived.word_count),
        reading_time_minutes: Some(derived.reading_time_minutes),
        body_lead: Some(Some(derived.body_lead)),
        ..Default::default()
    };
    let Some(then) = revision.snapshot() else {
        if revision.snapshot.is_some() {
            // Stored but unreadable: restoring less than promised is worse
            // than not restoring.
            return Err(ApiError::internal("unreadable revision snapshot"));
        }
        return Ok((changes, None));
    };
    if then.author_id != article.author_id {
        let author = policy::article_author(staff, Some(then.author_id))?;
        require_author(conn, author).await?;
        changes.author_id = Some(author);
    }
    let existing: HashMap<i64, String> = revisions::tag_slugs(conn, &then.tag_ids).await?;
    let tag_ids: Vec<i64> = then
        .tag_ids
        .iter()
        .copied()
        .filter(|id| existing.contains_key(id))
        .collect();
    let image = match then.featured_image_id {
        Some(id) if crate::media::model::exists(conn, id).await? => Some(id),
        _ => None,
    };
    changes.slug = Some(then.slug);
    changes.excerpt = Some(then.excerpt);
    changes.featured_image_id = Some(image);
    changes.featured_image_url = Some(then.featured_image_url);
    changes.meta_title = Some(then.meta_title);
    changes.meta_description = Some(then.meta_description);
    changes.canonical_url = Some(then.canonical_url);
    changes.comments_open = Some(then.comments_open);
    Ok((changes, Some(tag_ids)))
}

/// The article key and the version of a revision path.
fn parse_path(path: &(String, String)) -> ApiResult<(IdOrSlug, i32)> {
    let key = IdOrSlug::parse(&path.0, "article")?;
    let version = parse_id(&path.1, "revision")?;
    let version =
        i32::try_from(version).map_err(|_| ApiError::NotFound("revision not found".into()))?;
    Ok((key, version))
}
