//! API key management (admins only).

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};

use super::dto::{ApiKeyResponse, CreateApiKeyRequest, CreatedApiKeyResponse};
use super::model;
use crate::api_docs::responses::{
    BadRequest, Forbidden, JsonBody, NotFound, Unauthorized, Unavailable,
};
use crate::audit::{Action, Auditor, Change};
use crate::auth::{policy, Credentials};
use crate::db::time::{now, to_stored};
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::caching::Visibility;
use crate::http::pagination::{page_response, ListResponse, PageRequest};
use crate::http::params::parse_id;
use crate::http::validation::Valid;
use crate::http::{fresh, no_content, PageParams};
use crate::idempotency::{self, Answer, IdempotencyKey, IdempotencyKeyHeader};
use crate::state::AppState;

/// List API keys, newest first (admins). Secrets are never shown again.
#[utoipa::path(
    tag = "api-keys", operation_id = "list_api_keys",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of keys", body = ListResponse<ApiKeyResponse>, headers(("Link" = String))),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    )
)]
#[get("/api/v1/api-keys")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_admin(&caller)?;
    let page = PageRequest::pages(&params)?;
    let (rows, total) = model::list(&mut conn, page.offset(), page.limit()).await?;
    let data: Vec<ApiKeyResponse> = rows.into_iter().map(ApiKeyResponse::from).collect();
    page_response(&req, &page, data, total, Visibility::Private)
}

/// Create an API key (admins). The answer holds the secret, once. 422 for
/// an expiry in the past.
#[utoipa::path(
    tag = "api-keys", operation_id = "create_api_key",
    params(("Idempotency-Key" = Option<IdempotencyKeyHeader>, Header, nullable = false, description = "Makes a retry of this create safe: the same key and body get the first answer again")),
    request_body = CreateApiKeyRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `secret` is shown only now", body = CreatedApiKeyResponse, headers(("Location" = String))),
        JsonBody, Unauthorized, Forbidden, Unavailable,
    )
)]
#[post("/api/v1/api-keys")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    key: IdempotencyKey,
    body: Valid<CreateApiKeyRequest>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_writer(auth).await?;
    let admin = policy::require_admin(&caller)?;
    let fingerprint = body.fingerprint().to_owned();
    let body = body.into_inner()?;
    let expires_at = body.expires_at.map(to_stored);
    if expires_at.is_some_and(|e| e <= now()) {
        return Err(ApiError::invalid_field(
            "expires_at",
            "must be in the future",
        ));
    }
    let name = body.name.trim().to_owned();
    let request = idempotency::Request::new(key, &caller, None, &req, &fingerprint);
    let audit = Auditor::new(&req, &caller);
    idempotency::once(&mut conn, &state, request, async |conn| {
        let (row, secret) =
            model::create(conn, name, body.scope, expires_at, admin.user_id).await?;
        let location = format!("/api/v1/api-keys/{}", row.id);
        let key = ApiKeyResponse::from(row);
        audit
            .record(
                conn,
                Action::ApiKeyCreate,
                Some(key.id),
                Change::created(&key),
            )
            .await?;
        Answer::created(location, &CreatedApiKeyResponse { key, secret })
    })
    .await
}

/// One API key (admins); its secret is never shown again.
#[utoipa::path(
    tag = "api-keys", operation_id = "get_api_key",
    params(("id" = i64, Path, description = "Key id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The key", body = ApiKeyResponse),
        Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[get("/api/v1/api-keys/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_admin(&caller)?;
    let key = model::find(&mut conn, parse_id(&path, "API key")?)
        .await?
        .or_not_found("API key")?;
    Ok(fresh(&ApiKeyResponse::from(key)))
}

/// Revoke an API key (admins); it stops working at once.
#[utoipa::path(
    tag = "api-keys", operation_id = "delete_api_key",
    params(("id" = i64, Path, description = "Key id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[delete("/api/v1/api-keys/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_admin(&caller)?;
    let id = parse_id(&path, "API key")?;
    conn.transaction(async |conn| {
        let key = model::find(conn, id).await?.or_not_found("API key")?;
        if !model::delete(conn, id).await? {
            return Err(ApiError::NotFound("API key not found".to_owned()));
        }
        let view = ApiKeyResponse::from(key);
        Auditor::new(&req, &caller)
            .record(conn, Action::ApiKeyRevoke, Some(id), Change::deleted(&view))
            .await?;
        Ok(no_content())
    })
    .await
}
