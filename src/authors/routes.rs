//! Author endpoints: public profiles, editor writes.

use actix_web::{web, HttpRequest, HttpResponse};

use super::dto::{AuthorResponse, CreateAuthorRequest, UpdateAuthorRequest};
use super::model::{self, AuthorChanges, NewAuthor};
use crate::auth::{policy, Caller};
use crate::db::time::now;
use crate::error::{ApiResult, ProblemDetails};
use crate::http::caching::{cached_json, Visibility};
use crate::http::pagination::{list_response, ListMeta, ListResponse, PageRequest};
use crate::http::params::IdOrSlug;
use crate::http::{created, fresh, no_content, PageParams};
use crate::state::AppState;
use crate::validation::Valid;

/// List authors by name, with their published-article counts.
#[utoipa::path(
    get, path = "/api/v1/authors", tag = "authors", operation_id = "list_authors",
    security(()),
    params(PageParams),
    responses(
        (status = 200, description = "A page of authors", body = ListResponse<AuthorResponse>,
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
            AuthorResponse::new(&t, Some(count))
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

/// One author by numeric id or slug.
#[utoipa::path(
    get, path = "/api/v1/authors/{id_or_slug}", tag = "authors", operation_id = "get_author",
    security(()),
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    responses(
        (status = 200, description = "The author", body = AuthorResponse, headers(("ETag" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, description = "No such author", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let author = model::find(&state.db, &IdOrSlug::parse(&path, "author")?).await?;
    let body = with_count(&state, author).await?;
    cached_json(&req, &body, Visibility::Public, "", None)
}

/// Create an author (editors).
#[utoipa::path(
    post, path = "/api/v1/authors", tag = "authors", operation_id = "create_author",
    request_body = CreateAuthorRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = AuthorResponse, headers(("Location" = String))),
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
    body: Valid<CreateAuthorRequest>,
) -> ApiResult<HttpResponse> {
    policy::require_editor(&caller)?;
    let body = body.into_inner()?;
    let slug = match body.slug {
        Some(slug) => slug,
        None => {
            let base = crate::db::slugs::base_slug(&body.name, "author");
            crate::db::slugs::first_free(&base, &taken_slugs!(&state.db, authors, &base, None)?)?
        }
    };
    let at = now();
    let author = model::create(
        &state.db,
        NewAuthor {
            slug,
            name: body.name.trim().to_owned(),
            bio: body.bio.unwrap_or_default(),
            avatar_url: body.avatar_url,
            website: body.website,
            created_at: at,
            updated_at: at,
        },
    )
    .await?;
    let location = format!("/api/v1/authors/{}", author.id);
    Ok(created(location, &AuthorResponse::new(&author, Some(0))))
}

/// Change an author's profile (editors).
#[utoipa::path(
    patch, path = "/api/v1/authors/{id_or_slug}", tag = "authors", operation_id = "update_author",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    request_body = UpdateAuthorRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = AuthorResponse),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Editors only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such author", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Slug already used", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: Valid<UpdateAuthorRequest>,
) -> ApiResult<HttpResponse> {
    policy::require_editor(&caller)?;
    let author = model::find(&state.db, &IdOrSlug::parse(&path, "author")?).await?;
    let body = body.into_inner()?;
    let changes = AuthorChanges {
        slug: body.slug,
        name: body.name.map(|n| n.trim().to_owned()),
        bio: body.bio,
        avatar_url: body.avatar_url,
        website: body.website,
        updated_at: Some(now()),
    };
    let author = model::update(&state.db, author.id, changes).await?;
    Ok(fresh(&with_count(&state, author).await?))
}

/// Delete an author who has no articles (editors); otherwise 409.
#[utoipa::path(
    delete, path = "/api/v1/authors/{id_or_slug}", tag = "authors", operation_id = "delete_author",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Editors only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such author", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "The author still has articles", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    policy::require_editor(&caller)?;
    let author = model::find(&state.db, &IdOrSlug::parse(&path, "author")?).await?;
    model::delete(&state.db, author.id).await?;
    Ok(no_content())
}

async fn with_count(state: &AppState, author: super::model::Author) -> ApiResult<AuthorResponse> {
    let counts = model::published_counts(&state.db, &[author.id], now()).await?;
    let count = counts.get(&author.id).copied().unwrap_or(0);
    Ok(AuthorResponse::new(&author, Some(count)))
}
