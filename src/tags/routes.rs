//! Tag endpoints: public reads, editor writes.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::dto::{CreateTagRequest, TagResponse, UpdateTagRequest};
use super::model::{self, NewTag, Tag, TagChanges};
use crate::api_docs::responses::{
    BadRequest, Conflict, Forbidden, JsonBody, NotFound, NotModified, Unauthorized, Unavailable,
};
use crate::auth::{policy, Credentials};
use crate::db::slugs::{base_slug, unique_slug, SlugTable};
use crate::db::time::now;
use crate::db::Conn;
use crate::error::{ApiResult, OrNotFound};
use crate::http::caching::{cached_json, Visibility};
use crate::http::pagination::{page_response, ListResponse, PageRequest};
use crate::http::params::IdOrSlug;
use crate::http::validation::Valid;
use crate::http::{created, fresh, no_content, PageParams};
use crate::state::AppState;

/// List tags by name, with their published-article counts.
#[utoipa::path(
    tag = "tags", operation_id = "list_tags",
    security(()),
    params(PageParams),
    responses(
        (status = 200, description = "A page of tags", body = ListResponse<TagResponse>,
         headers(("Link" = String, description = "RFC 8288 next/prev links"), ("ETag" = String))),
        NotModified, BadRequest, Unavailable,
    )
)]
#[get("/api/v1/tags")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::pages(&params)?;
    let mut conn = state.db.conn().await?;
    let (rows, total) = model::list(&mut conn, page.offset(), page.limit()).await?;
    let data = with_counts(&mut conn, rows).await?;
    page_response(&req, &page, data, total, Visibility::Public)
}

/// One tag by numeric id or slug.
#[utoipa::path(
    tag = "tags", operation_id = "get_tag",
    security(()),
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    responses(
        (status = 200, description = "The tag", body = TagResponse, headers(("ETag" = String))),
        NotModified, NotFound, Unavailable,
    )
)]
#[get("/api/v1/tags/{id_or_slug}")]
pub async fn get(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "tag")?;
    let mut conn = state.db.conn().await?;
    let tag = model::find(&mut conn, &key).await?.or_not_found("tag")?;
    let body = with_count(&mut conn, tag).await?;
    cached_json(&req, &body, Visibility::Public, "", None)
}

/// Create a tag (editors). 409 `duplicate` when the slug is taken.
#[utoipa::path(
    tag = "tags", operation_id = "create_tag",
    request_body = CreateTagRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = TagResponse, headers(("Location" = String))),
        JsonBody, Unauthorized, Forbidden, Conflict, Unavailable,
    )
)]
#[post("/api/v1/tags")]
pub async fn create(
    state: web::Data<AppState>,
    auth: Credentials,
    body: Valid<CreateTagRequest>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open(auth).await?;
    policy::require_editor(&caller)?;
    let body = body.into_inner()?;
    let tag = conn
        .transaction(async |conn| {
            let slug = match body.slug {
                Some(slug) => slug.into(),
                None => {
                    let base = base_slug(&body.name, "tag");
                    unique_slug(conn, SlugTable::Tags, &base, None).await?
                }
            };
            let at = now();
            let new = NewTag {
                slug,
                name: body.name.trim().to_owned(),
                description: body.description.map(String::from).unwrap_or_default(),
                created_at: at,
                updated_at: at,
            };
            Ok::<_, crate::error::ApiError>(model::create(conn, new).await?)
        })
        .await?;
    let location = format!("/api/v1/tags/{}", tag.id);
    Ok(created(location, &TagResponse::new(tag, 0)))
}

/// Change a tag's name, slug or description (editors). 409 `duplicate`
/// when the slug is taken.
#[utoipa::path(
    tag = "tags", operation_id = "update_tag",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    request_body = UpdateTagRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = TagResponse),
        JsonBody, Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    )
)]
#[patch("/api/v1/tags/{id_or_slug}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: Credentials,
    path: web::Path<String>,
    body: Valid<UpdateTagRequest>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "tag")?;
    let (mut conn, caller) = state.open(auth).await?;
    policy::require_editor(&caller)?;
    let tag = model::find(&mut conn, &key).await?.or_not_found("tag")?;
    let body = body.into_inner()?;
    let changes = TagChanges {
        slug: body.slug.map(String::from),
        name: body.name.map(|n| n.trim().to_owned()),
        description: body.description.map(String::from),
        updated_at: Some(now()),
    };
    let tag = model::update(&mut conn, tag.id, changes).await?;
    Ok(fresh(&with_count(&mut conn, tag).await?))
}

/// Delete a tag; its articles stay, detached from it (editors).
#[utoipa::path(
    tag = "tags", operation_id = "delete_tag",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[delete("/api/v1/tags/{id_or_slug}")]
pub async fn delete(
    state: web::Data<AppState>,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "tag")?;
    let (mut conn, caller) = state.open(auth).await?;
    policy::require_editor(&caller)?;
    let tag = model::find(&mut conn, &key).await?.or_not_found("tag")?;
    model::delete(&mut conn, tag.id).await?;
    Ok(no_content())
}

/// The responses of `rows`, with their published-article counts (one query).
async fn with_counts(conn: &mut Conn, rows: Vec<Tag>) -> ApiResult<Vec<TagResponse>> {
    let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    let counts = model::published_counts(conn, &ids, now()).await?;
    Ok(rows
        .into_iter()
        .map(|t| {
            let count = counts.get(&t.id).copied().unwrap_or(0);
            TagResponse::new(t, count)
        })
        .collect())
}

async fn with_count(conn: &mut Conn, tag: Tag) -> ApiResult<TagResponse> {
    let mut one = with_counts(conn, vec![tag]).await?;
    Ok(one.remove(0))
}
