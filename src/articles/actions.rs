//! Workflow actions: `POST /api/v1/articles/{id_or_slug}/{submit|publish|unpublish|archive}`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::dto::{ArticleResponse, PublishRequest};
use super::model;
use super::present::Shape;
use super::routes::respond_one;
use super::workflow::{transition, Action, Status};
use crate::auth::{policy, Caller};
use crate::db::time::{now, to_stored};
use crate::error::{ApiResult, ProblemDetails};
use crate::http::caching::{check_if_match, Visibility};
use crate::http::params::IdOrSlug;
use crate::state::AppState;

/// Submit a draft for review (draft → in_review).
#[utoipa::path(
    post, path = "/api/v1/articles/{id_or_slug}/submit", tag = "workflow", operation_id = "submit_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Now in review", body = ArticleResponse),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not your article", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    apply(&state, &req, &caller, &path, Action::Submit, None).await
}

/// Publish now, or schedule with a future `publish_at` (draft, in_review or
/// scheduled → published/scheduled). The body is optional.
#[utoipa::path(
    post, path = "/api/v1/articles/{id_or_slug}/publish", tag = "workflow", operation_id = "publish_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    request_body(content = Option<PublishRequest>, description = "Optional schedule", content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Published or scheduled", body = ArticleResponse),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Contributors cannot publish; not your article", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Already published or archived", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn publish(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<String>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let request: PublishRequest = crate::extractors::optional_json(&req, &body)?;
    let at = request.publish_at.map(to_stored);
    apply(&state, &req, &caller, &path, Action::Publish, at).await
}

/// Take an article back to draft (published, scheduled or archived → draft).
#[utoipa::path(
    post, path = "/api/v1/articles/{id_or_slug}/unpublish", tag = "workflow", operation_id = "unpublish_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Back to draft", body = ArticleResponse),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Not published, scheduled or archived", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn unpublish(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    apply(&state, &req, &caller, &path, Action::Unpublish, None).await
}

/// Archive a published article (published → archived): it leaves public reads.
#[utoipa::path(
    post, path = "/api/v1/articles/{id_or_slug}/archive", tag = "workflow", operation_id = "archive_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Archived", body = ArticleResponse),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Not published", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn archive(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    apply(&state, &req, &caller, &path, Action::Archive, None).await
}

async fn apply(
    state: &AppState,
    req: &HttpRequest,
    caller: &Caller,
    path: &str,
    action: Action,
    at: Option<chrono::NaiveDateTime>,
) -> ApiResult<HttpResponse> {
    policy::require_staff(caller)?;
    let article = model::find(&state.db, &IdOrSlug::parse(path, "article")?, None).await?;
    match action {
        Action::Submit => policy::require_article_editor(caller, article.author_id)?,
        _ => policy::require_publisher(caller, article.author_id)?,
    };
    check_if_match(req, &super::routes::etag_prefix(&article))?;
    let now = now();
    let from = Status::from_db(&article.status)?.effective(article.published_at, now);
    let change = transition(action, from, article.published_at, at, now)?;
    let updated = model::set_status(&state.db, article.id, article.version, change).await?;
    respond_one(state, req, updated, &Shape::full(), Visibility::Private).await
}
