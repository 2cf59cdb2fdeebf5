//! Workflow actions: `POST /api/v1/articles/{id_or_slug}/{submit|publish|unpublish|archive}`.

use actix_web::{post, web, HttpRequest, HttpResponse};

use super::audited;
use super::dto::{ArticleResponse, PublishRequest};
use super::model;
use super::present::Shape;
use super::routes::respond_one;
use super::workflow::{transition, Action, Status};
use super::writes::changed_meanwhile;
use crate::api_docs::responses::{
    BadRequest, Conflict, Forbidden, JsonBody, NotFound, PreconditionFailed, Unauthorized,
    Unavailable,
};
use crate::audit::Auditor;
use crate::auth::{policy, Credentials};
use crate::db::time::{now, to_stored};
use crate::error::{ApiResult, OrNotFound};
use crate::http::caching::{check_if_match, IfMatch, Visibility};
use crate::http::params::IdOrSlug;
use crate::state::AppState;
use crate::webhooks::{self, Event, EventType};

/// Submit a draft for review (draft → in_review). The article's writer or
/// an editor may; 409 unless it is a draft.
#[utoipa::path(
    tag = "workflow", operation_id = "submit_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("If-Match" = Option<IfMatch>, Header, nullable = false, description = "ETag of the version you saw")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Now in review", body = ArticleResponse),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, Unavailable,
    )
)]
#[post("/api/v1/articles/{id_or_slug}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    apply(&state, &req, auth, &path, Action::Submit, None).await
}

/// Publish now, or schedule with a future `publish_at` (draft, in_review or
/// scheduled → published/scheduled). The body is optional. Authors publish
/// their own articles, editors any; contributors never (403). 409 when
/// already published or archived.
#[utoipa::path(
    tag = "workflow", operation_id = "publish_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("If-Match" = Option<IfMatch>, Header, nullable = false, description = "ETag of the version you saw")),
    request_body(content = Option<PublishRequest>, description = "Optional schedule", content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Published or scheduled", body = ArticleResponse),
        JsonBody, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, Unavailable,
    )
)]
#[post("/api/v1/articles/{id_or_slug}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let request: PublishRequest = crate::http::extractors::optional_json(&req, &body)?;
    let at = request.publish_at.map(to_stored);
    apply(&state, &req, auth, &path, Action::Publish, at).await
}

/// Take an article back to draft (published, scheduled or archived → draft);
/// 409 from any other status. Who may: as for publishing.
#[utoipa::path(
    tag = "workflow", operation_id = "unpublish_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("If-Match" = Option<IfMatch>, Header, nullable = false, description = "ETag of the version you saw")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Back to draft", body = ArticleResponse),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, Unavailable,
    )
)]
#[post("/api/v1/articles/{id_or_slug}/unpublish")]
pub async fn unpublish(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    apply(&state, &req, auth, &path, Action::Unpublish, None).await
}

/// Archive a published article (published → archived): it leaves public
/// reads. 409 unless published. Who may: as for publishing.
#[utoipa::path(
    tag = "workflow", operation_id = "archive_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("If-Match" = Option<IfMatch>, Header, nullable = false, description = "ETag of the version you saw")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Archived", body = ArticleResponse),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, Unavailable,
    )
)]
#[post("/api/v1/articles/{id_or_slug}/archive")]
pub async fn archive(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    apply(&state, &req, auth, &path, Action::Archive, None).await
}

async fn apply(
    state: &AppState,
    req: &HttpRequest,
    auth: Credentials,
    path: &str,
    action: Action,
    at: Option<chrono::NaiveDateTime>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(path, "article")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_staff(&caller)?;
    conn.transaction(async |conn| {
        let article = model::find(conn, &key, None)
            .await?
            .or_not_found("article")?;
        let staff = match action {
            Action::Submit => policy::require_article_editor(&caller, article.author_id)?,
            _ => policy::require_publisher(&caller, article.author_id)?,
        };
        check_if_match(req, &super::routes::etag_prefix(&article))?;
        let now = now();
        let from = article.status.effective(article.published_at, now);
        let change = transition(action, from, article.published_at, at, now)?;
        // Written only if the article is still at the version (and stored
        // status) checked above, with its revision.
        let updated = model::set_status(conn, &article, change, staff.user_id, action.revision())
            .await?
            .ok_or_else(changed_meanwhile)?;
        Auditor::new(req, &caller)
            .record(
                conn,
                action.audit(),
                Some(article.id),
                audited::change(&article, &updated, None),
            )
            .await?;
        let event = match action {
            Action::Publish if updated.is_live(now) => Some(EventType::ArticlePublished),
            Action::Unpublish | Action::Archive if from == Status::Published => {
                Some(EventType::ArticleUnpublished)
            }
            _ => None,
        };
        if let Some(kind) = event {
            webhooks::announce(conn, Event::article(kind, &updated)).await?;
        }
        respond_one(conn, req, updated, &Shape::full(), Visibility::Private).await
    })
    .await
}
