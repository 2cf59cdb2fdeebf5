//! The moderation queue (editors and admins): list, read, approve or trash,
//! edit, delete. Every change is visible to readers at once.

use actix_web::{delete, get, patch, web, HttpRequest, HttpResponse};

use super::admin_dto::{ModerateCommentRequest, ModeratedComment, ModerationParams};
use super::model::{self, Moderation};
use super::status::CommentStatus;
use super::visibility;
use crate::api_docs::responses::{
    BadRequest, Conflict, Forbidden, JsonBody, NotFound, Unauthorized, Unavailable,
};
use crate::audit::{Action, Auditor, Change};
use crate::auth::{policy, Credentials};
use crate::db::time::now;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::caching::Visibility;
use crate::http::pagination::{bad_param, page_response, ListResponse, PageRequest};
use crate::http::params::parse_id;
use crate::http::validation::Valid;
use crate::http::{fresh, no_content};
use crate::state::AppState;
use crate::webhooks::{self, Event};

/// The moderation queue: comments of every status (or one), newest first,
/// with the commenter's email and IP (editors and admins).
#[utoipa::path(
    tag = "comments", operation_id = "list_comments",
    params(ModerationParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of comments", body = ListResponse<ModeratedComment>, headers(("Link" = String))),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    )
)]
#[get("/api/v1/comments")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    params: web::Query<ModerationParams>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_editor(&caller)?;
    let params = params.into_inner();
    let page = PageRequest::from_params(params.page, params.per_page, None)?;
    if params.article.is_some_and(|id| id < 1) {
        return Err(bad_param("article", "must be an article id (1 or more)"));
    }
    let (rows, total) = model::moderation_list(
        &mut conn,
        params.status,
        params.article,
        page.offset(),
        page.limit(),
    )
    .await?;
    let data: Vec<ModeratedComment> = rows.into_iter().map(ModeratedComment::from).collect();
    page_response(&req, &page, data, total, Visibility::Private)
}

/// One comment with its private fields (editors and admins).
#[utoipa::path(
    tag = "comments", operation_id = "get_comment",
    params(("id" = i64, Path, description = "Comment id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The comment", body = ModeratedComment),
        Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[get("/api/v1/comments/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_editor(&caller)?;
    let id = parse_id(&path, "comment")?;
    let comment = model::find(&mut conn, id).await?.or_not_found("comment")?;
    Ok(fresh(&ModeratedComment::from(comment)))
}

/// Approve, hold, mark as spam or trash a comment, and/or correct its text
/// (editors and admins).
#[utoipa::path(
    tag = "comments", operation_id = "update_comment",
    params(("id" = i64, Path, description = "Comment id")),
    request_body = ModerateCommentRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated comment", body = ModeratedComment),
        JsonBody, Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[patch("/api/v1/comments/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    body: Valid<ModerateCommentRequest>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_editor(&caller)?;
    let id = parse_id(&path, "comment")?;
    let body = body.into_inner()?;
    let changes = Moderation {
        status: body.status,
        body: body.body.map(String::from),
        updated_at: now(),
    };
    let updated = conn
        .transaction(async |conn| {
            let found = model::find(conn, id).await?.or_not_found("comment")?;
            // Locked before the status is read, so two moderators approving
            // at once announce it once.
            model::lock_threads(conn, found.article_id).await?;
            let comment = model::find(conn, id).await?.or_not_found("comment")?;
            let updated = model::moderate(conn, id, comment.article_id, &changes).await?;
            let change = Change::between(&comment.audit_view(), &updated.audit_view());
            Auditor::new(&req, &caller)
                .record(conn, Action::CommentModerate, Some(id), change)
                .await?;
            let approved = CommentStatus::Approved;
            if updated.status == approved && comment.status != approved {
                webhooks::announce(conn, Event::comment_approved(&updated)).await?;
            }
            Ok::<_, ApiError>(updated)
        })
        .await?;
    Ok(fresh(&ModeratedComment::from(updated)))
}

/// Erase a comment for good (editors and admins), with the spam and trashed
/// replies below it. While an approved or pending comment hangs anywhere
/// below it, 409 `has_replies`: trash it instead, so the thread stays
/// readable and nobody's words are lost.
#[utoipa::path(
    tag = "comments", operation_id = "delete_comment",
    params(("id" = i64, Path, description = "Comment id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    )
)]
#[delete("/api/v1/comments/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_editor(&caller)?;
    let id = parse_id(&path, "comment")?;
    conn.transaction(async |conn| {
        let comment = model::find(conn, id).await?.or_not_found("comment")?;
        // No moderation of this thread may change what hangs below meanwhile.
        model::lock_threads(conn, comment.article_id).await?;
        let thread = model::threads(conn, comment.article_id).await?;
        let replies = visibility::live_below(&thread, id);
        if replies > 0 {
            return Err(ApiError::Conflict {
                code: "has_replies",
                detail: format!(
                    "the comment has {replies} approved or pending {}; set its status to trash instead",
                    if replies == 1 { "reply" } else { "replies" }
                ),
            });
        }
        if !model::delete(conn, id).await? {
            return Err(ApiError::NotFound("comment not found".to_owned()));
        }
        Auditor::new(&req, &caller)
            .record(conn, Action::CommentDelete, Some(id), Change::deleted(&comment.audit_view()))
            .await?;
        Ok(no_content())
    })
    .await
}
