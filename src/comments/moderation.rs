//! The moderation queue (editors and admins): list, read, approve or trash,
//! edit, delete. Every change is visible to readers at once.

use actix_web::{web, HttpRequest, HttpResponse};

use super::admin_dto::{ModerateCommentRequest, ModeratedComment, ModerationParams};
use super::model;
use crate::auth::{policy, Caller};
use crate::error::{ApiResult, ProblemDetails};
use crate::http::caching::Visibility;
use crate::http::pagination::{bad_param, list_response, ListMeta, ListResponse, PageRequest};
use crate::http::params::parse_id;
use crate::http::{fresh, no_content};
use crate::state::AppState;
use crate::validation::Valid;

/// The moderation queue: comments of every status (or one), newest first,
/// with the commenter's email and IP (editors and admins).
#[utoipa::path(
    get, path = "/api/v1/comments", tag = "comments", operation_id = "list_comments",
    params(ModerationParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of comments", body = ListResponse<ModeratedComment>, headers(("Link" = String))),
        (status = 400, description = "Unknown or invalid query parameter", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Editors and admins only", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    params: web::Query<ModerationParams>,
) -> ApiResult<HttpResponse> {
    policy::require_editor(&caller)?;
    let params = params.into_inner();
    let page = PageRequest::from_params(params.page, params.per_page, None)?;
    if params.article.is_some_and(|id| id < 1) {
        return Err(bad_param("article", "must be an article id (1 or more)"));
    }
    let (rows, total) = model::moderation_list(
        &state.db,
        params.status,
        params.article,
        page.offset(),
        i64::from(page.per_page()),
    )
    .await?;
    let data = rows
        .into_iter()
        .map(ModeratedComment::try_from)
        .collect::<ApiResult<Vec<_>>>()?;
    let meta = ListMeta {
        page: page.page(),
        per_page: page.per_page(),
        total,
        next_cursor: None,
    };
    list_response(&req, &page, data, meta, Visibility::Private)
}

/// One comment with its private fields (editors and admins).
#[utoipa::path(
    get, path = "/api/v1/comments/{id}", tag = "comments", operation_id = "get_comment",
    params(("id" = i64, Path, description = "Comment id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The comment", body = ModeratedComment),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Editors and admins only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such comment", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    policy::require_editor(&caller)?;
    let comment = model::find(&state.db, parse_id(&path, "comment")?).await?;
    Ok(fresh(&ModeratedComment::try_from(comment)?))
}

/// Approve, hold, mark as spam or trash a comment, and/or correct its text
/// (editors and admins).
#[utoipa::path(
    patch, path = "/api/v1/comments/{id}", tag = "comments", operation_id = "update_comment",
    params(("id" = i64, Path, description = "Comment id")),
    request_body = ModerateCommentRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated comment", body = ModeratedComment),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Editors and admins only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such comment", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: Valid<ModerateCommentRequest>,
) -> ApiResult<HttpResponse> {
    policy::require_editor(&caller)?;
    let id = parse_id(&path, "comment")?;
    let body = body.into_inner()?;
    let updated = model::moderate(&state.db, id, body.status, body.body).await?;
    Ok(fresh(&ModeratedComment::try_from(updated)?))
}

/// Erase a comment for good (editors and admins). A comment with replies
/// cannot be erased (409): trash it so the thread stays readable.
#[utoipa::path(
    delete, path = "/api/v1/comments/{id}", tag = "comments", operation_id = "delete_comment",
    params(("id" = i64, Path, description = "Comment id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Editors and admins only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such comment", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "The comment has replies", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    policy::require_editor(&caller)?;
    model::delete(&state.db, parse_id(&path, "comment")?).await?;
    Ok(no_content())
}
