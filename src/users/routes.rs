//! User management (admins only). Passwords are hashed with no database
//! connection held (see `auth::routes`).

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::dto::{CreateUserRequest, UpdateUserRequest, UserResponse};
use super::model::{self, normalize_email, NewUser, UserChanges};
use crate::api_docs::responses::{
    BadRequest, Conflict, Forbidden, JsonBody, NotFound, Unauthorized, Unavailable,
};
use crate::audit::{Action, Auditor, Change};
use crate::auth::{password, policy, sessions, Credentials};
use crate::authors::reference::require_author;
use crate::db::time::now;
use crate::db::{Conn, Db};
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::caching::Visibility;
use crate::http::pagination::{page_response, ListResponse, PageRequest};
use crate::http::params::parse_id;
use crate::http::validation::Valid;
use crate::http::{fresh, no_content, PageParams};
use crate::idempotency::{self, Answer, IdempotencyKey, IdempotencyKeyHeader};
use crate::state::AppState;

/// List user accounts (admins).
#[utoipa::path(
    tag = "users", operation_id = "list_users",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of users", body = ListResponse<UserResponse>, headers(("Link" = String))),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    )
)]
#[get("/api/v1/users")]
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
    let data: Vec<UserResponse> = rows.into_iter().map(UserResponse::from).collect();
    page_response(&req, &page, data, total, Visibility::Private)
}

/// Create a user account (admins). 409 `duplicate` when the email or the
/// author profile is taken, `unknown_reference` for an unknown author.
#[utoipa::path(
    tag = "users", operation_id = "create_user",
    params(("Idempotency-Key" = Option<IdempotencyKeyHeader>, Header, nullable = false, description = "Makes a retry of this create safe: the same key and body get the first answer again")),
    request_body = CreateUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = UserResponse, headers(("Location" = String))),
        JsonBody, Unauthorized, Forbidden, Conflict, Unavailable,
    )
)]
#[post("/api/v1/users")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    key: IdempotencyKey,
    body: Valid<CreateUserRequest>,
) -> ApiResult<HttpResponse> {
    let caller = {
        let (_conn, caller) = state.open_writer(auth).await?;
        policy::require_admin(&caller)?;
        caller
    };
    let fingerprint = body.fingerprint().to_owned();
    let new = new_user(body.into_inner()?).await?;
    let mut conn = state.db.writer().await?;
    let request = idempotency::Request::new(key, &caller, None, &req, &fingerprint);
    let audit = Auditor::new(&req, &caller);
    idempotency::once(&mut conn, &state, request, async |conn| {
        let user = insert_user(conn, new, &audit).await?;
        Answer::created(
            format!("/api/v1/users/{}", user.id),
            &UserResponse::from(user),
        )
    })
    .await
}

/// Creates a user (`cms create-admin`: the audit log names the system).
pub async fn create_user(db: &Db, body: CreateUserRequest) -> ApiResult<UserResponse> {
    let new = new_user(body).await?;
    let mut conn = db.writer().await?;
    let user = conn
        .transaction(async |conn| insert_user(conn, new, &Auditor::system()).await)
        .await?;
    Ok(UserResponse::from(user))
}

/// The row of a new user: the password checked against the policy and
/// hashed (no connection held meanwhile).
async fn new_user(body: CreateUserRequest) -> ApiResult<NewUser> {
    password::check_policy("password", &body.password, &[&body.email])?;
    let hash = password::hash(body.password.into()).await?;
    let at = now();
    Ok(NewUser {
        email: normalize_email(&body.email),
        password_hash: hash,
        role: body.role,
        author_id: body.author_id,
        disabled: false,
        sessions_valid_after: at,
        created_at: at,
        updated_at: at,
    })
}

/// Stores a new user whose author profile, if any, exists, with its audit
/// event (call it inside a transaction).
async fn insert_user(
    conn: &mut Conn,
    new: NewUser,
    audit: &Auditor,
) -> ApiResult<super::model::User> {
    if let Some(author_id) = new.author_id {
        require_author(conn, author_id).await?;
    }
    let user = model::create(conn, new).await?;
    let view = UserResponse::from(user.clone());
    audit
        .record(
            conn,
            Action::UserCreate,
            Some(user.id),
            Change::created(&view),
        )
        .await?;
    Ok(user)
}

/// One user account (admins).
#[utoipa::path(
    tag = "users", operation_id = "get_user",
    params(("id" = i64, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user", body = UserResponse),
        Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[get("/api/v1/users/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_admin(&caller)?;
    let user = model::find(&mut conn, parse_id(&path, "user")?)
        .await?
        .or_not_found("user")?;
    Ok(fresh(&UserResponse::from(user)))
}

/// Change a user (admins). A new password or role, or disabling, ends
/// their sessions at once. 409 as for creating.
#[utoipa::path(
    tag = "users", operation_id = "update_user",
    params(("id" = i64, Path, description = "User id")),
    request_body = UpdateUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = UserResponse),
        JsonBody, Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    )
)]
#[patch("/api/v1/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    body: Valid<UpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    let (id, email, audit) = {
        let (mut conn, caller) = state.open_writer(auth).await?;
        policy::require_admin(&caller)?;
        let id = parse_id(&path, "user")?;
        let user = model::find(&mut conn, id).await?.or_not_found("user")?;
        (user.id, user.email, Auditor::new(&req, &caller))
    };
    let body = body.into_inner()?;
    let password_set = body.password.is_some();
    let password_hash = match body.password {
        Some(p) => {
            let email = body.email.as_deref().unwrap_or(&email);
            password::check_policy("password", &p, &[email])?;
            Some(password::hash(p.into()).await?)
        }
        None => None,
    };
    let mut conn = state.db.writer().await?;
    let updated = conn
        .transaction(async |conn| {
            let user = model::find(conn, id).await?.or_not_found("user")?;
            if let Some(Some(author_id)) = body.author_id {
                require_author(conn, author_id).await?;
            }
            let revoke = password_hash.is_some()
                || body.role.is_some_and(|r| r != user.role)
                || body.disabled == Some(true);
            let at = now();
            let changes = UserChanges {
                email: body.email.as_deref().map(normalize_email),
                password_hash,
                role: body.role,
                author_id: body.author_id,
                disabled: body.disabled,
                sessions_valid_after: revoke.then_some(at),
                updated_at: Some(at),
            };
            let updated = model::update(conn, id, changes).await?;
            if revoke {
                sessions::revoke_user(conn, id).await?;
            }
            let action = match (user.disabled, updated.disabled) {
                (false, true) => Action::UserDisable,
                (true, false) => Action::UserEnable,
                _ if user.role != updated.role => Action::UserRoleChange,
                _ => Action::UserUpdate,
            };
            let mut change = Change::between(
                &UserResponse::from(user),
                &UserResponse::from(updated.clone()),
            );
            if password_set {
                change = change.noting("password_reset", true);
            }
            audit.record(conn, action, Some(id), change).await?;
            Ok::<_, ApiError>(updated)
        })
        .await?;
    Ok(fresh(&UserResponse::from(updated)))
}

/// Delete a user account (admins); their articles stay with their author.
/// 409 `self_delete` for your own account.
#[utoipa::path(
    tag = "users", operation_id = "delete_user",
    params(("id" = i64, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    )
)]
#[delete("/api/v1/users/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_writer(auth).await?;
    let admin = policy::require_admin(&caller)?;
    let id = parse_id(&path, "user")?;
    conn.transaction(async |conn| {
        let user = model::find(conn, id).await?.or_not_found("user")?;
        if admin.user_id == Some(user.id) {
            return Err(ApiError::Conflict {
                code: "self_delete",
                detail: "you cannot delete your own account".to_owned(),
            });
        }
        sessions::revoke_user(conn, user.id).await?;
        if !model::delete(conn, user.id).await? {
            return Err(ApiError::NotFound("user not found".to_owned()));
        }
        Auditor::new(&req, &caller)
            .record(
                conn,
                Action::UserDelete,
                Some(id),
                Change::deleted(&UserResponse::from(user)),
            )
            .await?;
        Ok(no_content())
    })
    .await
}
