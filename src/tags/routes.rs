//! Tag endpoints: public reads, editor writes.

use actix_web::{web, HttpRequest, HttpResponse};

use super::dto::{CreateTagRequest, TagResponse, UpdateTagRequest};
use super::model::{self, NewTag, TagChanges};
use crate::auth::{policy, Caller};
use crate::db::time::now;
use crate::error::{ApiResult, ProblemDetails};
use crate::http::caching::{cached_json, Visibility};
use crate::http::pagination::{list_response, ListMeta, ListResponse, PageRequest};
use crate::http::params::IdOrSlug;
use crate::http::{created, fresh, no_content, PageParams};
use crate::state::AppState;
use crate::validation::Valid;

/// List tags by name, with their published-article counts.
#[utoipa::path(
    get, path = "/api/v1/tags", tag = "tags", operation_id = "list_tags",
    security(()),
    params(PageParams),
    responses(
        (status = 200, description = "A page of tags", body = ListResponse<TagResponse>,
         headers(("Link" = String, description = "RFC 8288 next/prev links"), ("ETag" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "Unknown or invalid query parameter", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::from_params(params.page, params.per_page, None)?;
    let (rows, total) = model::list(&state.db, page.offset(), i64::from(page.per_page())).await?;
    let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    let counts = model::published_counts(&state.db, &ids, now()).await?;
    let data = rows
        .into_iter()
        .map(|t| {
            let count = counts.get(&t.id).copied().unwrap_or(0);
            TagResponse::new(t, count)
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

/// One tag by numeric id or slug.
#[utoipa::path(
    get, path = "/api/v1/tags/{id_or_slug}", tag = "tags", operation_id = "get_tag",
    security(()),
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    responses(
        (status = 200, description = "The tag", body = TagResponse, headers(("ETag" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, description = "No such tag", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let tag = model::find(&state.db, &IdOrSlug::parse(&path, "tag")?).await?;
    let body = with_count(&state, tag).await?;
    cached_json(&req, &body, Visibility::Public, "", None)
}

/// Create a tag (editors).
#[utoipa::path(
    post, path = "/api/v1/tags", tag = "tags", operation_id = "create_tag",
    request_body = CreateTagRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = TagResponse, headers(("Location" = String))),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Editors only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Slug already used", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Valid<CreateTagRequest>,
) -> ApiResult<HttpResponse> {
    policy::require_editor(&caller)?;
    let body = body.into_inner()?;
    let slug = match body.slug {
        Some(slug) => slug,
        None => {
            let base = crate::db::slugs::base_slug(&body.name, "tag");
            crate::db::slugs::first_free(&base, &taken_slugs!(&state.db, tags, &base, None)?)?
        }
    };
    let at = now();
    let tag = model::create(
        &state.db,
        NewTag {
            slug,
            name: body.name.trim().to_owned(),
            description: body.description.unwrap_or_default(),
            created_at: at,
            updated_at: at,
        },
    )
    .await?;
    let location = format!("/api/v1/tags/{}", tag.id);
    Ok(created(location, &TagResponse::new(tag, 0)))
}

/// Change a tag's name, slug or description (editors).
#[utoipa::path(
    patch, path = "/api/v1/tags/{id_or_slug}", tag = "tags", operation_id = "update_tag",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    request_body = UpdateTagRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = TagResponse),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Editors only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such tag", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Slug already used", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: Valid<UpdateTagRequest>,
) -> ApiResult<HttpResponse> {
    policy::require_editor(&caller)?;
    let tag = model::find(&state.db, &IdOrSlug::parse(&path, "tag")?).await?;
    let body = body.into_inner()?;
    let changes = TagChanges {
        slug: body.slug,
        name: body.name.map(|n| n.trim().to_owned()),
        description: body.description,
        updated_at: Some(now()),
    };
    let tag = model::update(&state.db, tag.id, changes).await?;
    Ok(fresh(&with_count(&state, tag).await?))
}

/// Delete a tag; its articles stay, detached from it (editors).
#[utoipa::path(
    delete, path = "/api/v1/tags/{id_or_slug}", tag = "tags", operation_id = "delete_tag",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Editors only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such tag", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    policy::require_editor(&caller)?;
    let tag = model::find(&state.db, &IdOrSlug::parse(&path, "tag")?).await?;
    model::delete(&state.db, tag.id).await?;
    Ok(no_content())
}

async fn with_count(state: &AppState, tag: super::model::Tag) -> ApiResult<TagResponse> {
    let counts = model::published_counts(&state.db, &[tag.id], now()).await?;
    let count = counts.get(&tag.id).copied().unwrap_or(0);
    Ok(TagResponse::new(tag, count))
}
