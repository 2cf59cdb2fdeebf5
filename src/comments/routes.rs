//! Public comment reads.

use actix_web::{web, HttpRequest, HttpResponse};

use super::dto::PublicComment;
use super::model;
use crate::articles::model as articles;
use crate::db::time::now;
use crate::error::{ApiResult, ProblemDetails};
use crate::http::caching::Visibility;
use crate::http::pagination::{list_response, ListMeta, ListResponse, PageRequest};
use crate::http::params::IdOrSlug;
use crate::http::PageParams;
use crate::state::AppState;
use crate::users::model as users;

/// Approved comments of a published article, oldest first, flat with
/// `parent_id` and `depth` for threading. Emails and IPs are never included.
#[utoipa::path(
    get, path = "/api/v1/articles/{id_or_slug}/comments", tag = "comments", operation_id = "list_article_comments",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug of the article"), PageParams),
    security(()),
    responses(
        (status = 200, description = "A page of approved comments", body = ListResponse<PublicComment>,
         headers(("Link" = String, description = "RFC 8288 next/prev links"), ("ETag" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "Unknown or invalid query parameter", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such published article", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn list_for_article(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::from_params(params.page, params.per_page, None)?;
    let article =
        articles::find(&state.db, &IdOrSlug::parse(&path, "article")?, Some(now())).await?;
    let (rows, total) = model::approved_for_article(
        &state.db,
        article.id,
        page.offset(),
        i64::from(page.per_page()),
    )
    .await?;
    let mut user_ids: Vec<i64> = rows.iter().filter_map(|c| c.user_id).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    let authors = users::author_ids(&state.db, &user_ids).await?;
    let data: Vec<PublicComment> = rows
        .into_iter()
        .map(|c| {
            let author_id = c.user_id.and_then(|u| authors.get(&u).copied());
            PublicComment::new(c, author_id)
        })
        .collect();
    let meta = ListMeta {
        page: page.page(),
        per_page: page.per_page(),
        total,
        next_cursor: None,
    };
    list_response(&req, &page, data, meta, Visibility::Public)
}
