//! API key management (admins only).

use actix_web::{web, HttpRequest, HttpResponse};

use super::dto::{ApiKeyResponse, CreateApiKeyRequest, CreatedApiKeyResponse};
use super::model;
use crate::auth::{policy, Caller};
use crate::db::time::{now, to_stored};
use crate::error::{ApiError, ApiResult, ProblemDetails};
use crate::http::caching::Visibility;
use crate::http::pagination::{list_response, ListMeta, ListResponse, PageRequest};
use crate::http::params::parse_id;
use crate::http::{created, fresh, no_content, PageParams};
use crate::state::AppState;
use crate::validation::Valid;

/// List API keys (admins). Secrets are never shown again.
#[utoipa::path(
    get, path = "/api/v1/api-keys", tag = "api-keys", operation_id = "list_api_keys",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of keys", body = ListResponse<ApiKeyResponse>, headers(("Link" = String))),
        (status = 400, description = "Invalid query parameter", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    policy::require_admin(&caller)?;
    let page = PageRequest::from_params(params.page, params.per_page, None)?;
    let (rows, total) = model::list(&state.db, page.offset(), i64::from(page.per_page())).await?;
    let data: Vec<ApiKeyResponse> = rows.into_iter().map(ApiKeyResponse::from).collect();
    let meta = ListMeta {
        page: page.page(),
        per_page: page.per_page(),
        total,
        next_cursor: None,
    };
    list_response(&req, &page, data, meta, Visibility::Private)
}

/// Create an API key (admins). The answer holds the secret, once.
#[utoipa::path(
    post, path = "/api/v1/api-keys", tag = "api-keys", operation_id = "create_api_key",
    request_body = CreateApiKeyRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `secret` is shown only now", body = CreatedApiKeyResponse, headers(("Location" = String))),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values (e.g. expiry in the past)", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Valid<CreateApiKeyRequest>,
) -> ApiResult<HttpResponse> {
    let admin = policy::require_admin(&caller)?;
    let body = body.into_inner()?;
    let expires_at = body.expires_at.map(to_stored);
    if expires_at.is_some_and(|e| e <= now()) {
        return Err(ApiError::invalid_field(
            "expires_at",
            "must be in the future",
        ));
    }
    let (key, secret) = model::create(
        &state.db,
        body.name.trim().to_owned(),
        body.scope.as_str(),
        expires_at,
        admin.user_id,
    )
    .await?;
    let location = format!("/api/v1/api-keys/{}", key.id);
    Ok(created(
        location,
        &CreatedApiKeyResponse {
            key: ApiKeyResponse::from(key),
            secret,
        },
    ))
}

/// One API key (admins); its secret is never shown again.
#[utoipa::path(
    get, path = "/api/v1/api-keys/{id}", tag = "api-keys", operation_id = "get_api_key",
    params(("id" = i64, Path, description = "Key id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The key", body = ApiKeyResponse),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such key", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    policy::require_admin(&caller)?;
    let key = model::find(&state.db, parse_id(&path, "API key")?).await?;
    Ok(fresh(&ApiKeyResponse::from(key)))
}

/// Revoke an API key (admins); it stops working at once.
#[utoipa::path(
    delete, path = "/api/v1/api-keys/{id}", tag = "api-keys", operation_id = "delete_api_key",
    params(("id" = i64, Path, description = "Key id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such key", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    policy::require_admin(&caller)?;
    model::delete(&state.db, parse_id(&path, "API key")?).await?;
    Ok(no_content())
}
