//! User management (admins only).

use actix_web::{web, HttpRequest, HttpResponse};

use super::dto::{CreateUserRequest, UpdateUserRequest, UserResponse};
use super::model::{self, normalize_email, NewUser, UserChanges};
use crate::auth::{password, policy, sessions, Caller};
use crate::db::time::now;
use crate::error::{ApiError, ApiResult, ProblemDetails};
use crate::http::caching::Visibility;
use crate::http::pagination::{list_response, ListMeta, ListResponse, PageRequest};
use crate::http::params::parse_id;
use crate::http::{created, fresh, no_content, PageParams};
use crate::state::AppState;
use crate::validation::Valid;

/// List user accounts (admins).
#[utoipa::path(
    get, path = "/api/v1/users", tag = "users", operation_id = "list_users",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of users", body = ListResponse<UserResponse>, headers(("Link" = String))),
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
    let data: Vec<UserResponse> = rows.into_iter().map(UserResponse::from).collect();
    let meta = ListMeta {
        page: page.page(),
        per_page: page.per_page(),
        total,
        next_cursor: None,
    };
    list_response(&req, &page, data, meta, Visibility::Private)
}

/// Create a user account (admins).
#[utoipa::path(
    post, path = "/api/v1/users", tag = "users", operation_id = "create_user",
    request_body = CreateUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = UserResponse, headers(("Location" = String))),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Email or author already taken, or no such author (`unknown_reference`)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Valid<CreateUserRequest>,
) -> ApiResult<HttpResponse> {
    policy::require_admin(&caller)?;
    let body = body.into_inner()?;
    let user = create_user(&state, body).await?;
    Ok(created(format!("/api/v1/users/{}", user.id), &user))
}

/// Creates a user (shared with `cms create-admin`).
pub async fn create_user(state: &AppState, body: CreateUserRequest) -> ApiResult<UserResponse> {
    password::check_policy(&body.password)?;
    if let Some(author_id) = body.author_id {
        crate::authors::model::ensure_exists(&state.db, author_id).await?;
    }
    let hash = password::hash(body.password).await?;
    let at = now();
    let user = model::create(
        &state.db,
        NewUser {
            email: normalize_email(&body.email),
            password_hash: hash,
            role: body.role.as_str().to_owned(),
            author_id: body.author_id,
            disabled: false,
            sessions_valid_after: at,
            created_at: at,
            updated_at: at,
        },
    )
    .await?;
    Ok(UserResponse::from(user))
}

/// One user account (admins).
#[utoipa::path(
    get, path = "/api/v1/users/{id}", tag = "users", operation_id = "get_user",
    params(("id" = i64, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user", body = UserResponse),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    policy::require_admin(&caller)?;
    let user = model::find(&state.db, parse_id(&path, "user")?).await?;
    Ok(fresh(&UserResponse::from(user)))
}

/// Change a user (admins). Password, role or disabling ends their sessions.
#[utoipa::path(
    patch, path = "/api/v1/users/{id}", tag = "users", operation_id = "update_user",
    params(("id" = i64, Path, description = "User id")),
    request_body = UpdateUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = UserResponse),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Email or author already taken, or no such author (`unknown_reference`)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: Valid<UpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    policy::require_admin(&caller)?;
    let user = model::find(&state.db, parse_id(&path, "user")?).await?;
    let body = body.into_inner()?;
    if let Some(Some(author_id)) = body.author_id {
        crate::authors::model::ensure_exists(&state.db, author_id).await?;
    }
    let password_hash = match body.password {
        Some(p) => {
            password::check_policy(&p)?;
            Some(password::hash(p).await?)
        }
        None => None,
    };
    let role = body.role.map(|r| r.as_str().to_owned());
    let revoke = password_hash.is_some()
        || role.as_ref().is_some_and(|r| *r != user.role)
        || body.disabled == Some(true);
    let at = now();
    let changes = UserChanges {
        email: body.email.as_deref().map(normalize_email),
        password_hash,
        role,
        author_id: body.author_id,
        disabled: body.disabled,
        sessions_valid_after: revoke.then_some(at),
        updated_at: Some(at),
    };
    let updated = model::update(&state.db, user.id, changes).await?;
    if revoke {
        sessions::revoke_user(&state.db, user.id).await?;
    }
    Ok(fresh(&UserResponse::from(updated)))
}

/// Delete a user account (admins); their articles stay with their author.
#[utoipa::path(
    delete, path = "/api/v1/users/{id}", tag = "users", operation_id = "delete_user",
    params(("id" = i64, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "You cannot delete yourself", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let admin = policy::require_admin(&caller)?;
    let user = model::find(&state.db, parse_id(&path, "user")?).await?;
    if admin.user_id == Some(user.id) {
        return Err(ApiError::Conflict {
            code: "self_delete",
            detail: "you cannot delete your own account".to_owned(),
        });
    }
    sessions::revoke_user(&state.db, user.id).await?;
    model::delete(&state.db, user.id).await?;
    Ok(no_content())
}
