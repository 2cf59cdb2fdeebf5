//! Public comment reads.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::dto::PublicComment;
use super::model;
use crate::api_docs::responses::{BadRequest, NotFound, NotModified, Unavailable};
use crate::articles::model as articles;
use crate::db::time::now;
use crate::error::{ApiResult, OrNotFound};
use crate::http::caching::Visibility;
use crate::http::pagination::{page_response, ListResponse, PageRequest};
use crate::http::params::IdOrSlug;
use crate::http::PageParams;
use crate::state::AppState;
use crate::users::model as users;

/// Approved comments of a published article, oldest first, flat with
/// `parent_id` and `depth` for threading. Emails and IPs are never included.
#[utoipa::path(
    tag = "comments", operation_id = "list_article_comments",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug of the article"), PageParams),
    security(()),
    responses(
        (status = 200, description = "A page of approved comments", body = ListResponse<PublicComment>,
         headers(("Link" = String, description = "RFC 8288 next/prev links"), ("ETag" = String))),
        NotModified, BadRequest, NotFound, Unavailable,
    )
)]
#[get("/api/v1/articles/{id_or_slug}/comments")]
pub async fn list_for_article(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::pages(&params)?;
    let key = IdOrSlug::parse(&path, "article")?;
    let mut conn = state.db.reader().await?;
    let article = articles::find(&mut conn, &key, Some(now()))
        .await?
        .or_not_found("article")?;
    let (rows, total) =
        model::approved_for_article(&mut conn, article.id, page.offset(), page.limit()).await?;
    let mut user_ids: Vec<i64> = rows.iter().filter_map(|c| c.user_id).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    let authors = users::author_ids(&mut conn, &user_ids).await?;
    let data: Vec<PublicComment> = rows
        .into_iter()
        .map(|c| {
            let author_id = c.user_id.and_then(|u| authors.get(&u).copied());
            PublicComment::new(c, author_id)
        })
        .collect();
    page_response(&req, &page, data, total, Visibility::Public)
}
