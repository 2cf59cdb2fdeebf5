//! Sign-in endpoints: login, refresh, logout, the current user, password change.
//!
//! Password hashing takes tens of milliseconds on the blocking pool; no
//! handler holds a database connection while it runs (a login flood would
//! otherwise drain the pool), so these handlers use one connection before
//! the hash and one after.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::dto::{ChangePasswordRequest, LoginRequest, RefreshRequest, TokenResponse};
use super::sessions::{self, Rotation};
use super::{jwt, password, policy, Caller, Credentials};
use crate::api_docs::responses::{Forbidden, JsonBody, TooManyRequests, Unauthorized, Unavailable};
use crate::db::Conn;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::client_ip::client_ip;
use crate::http::validation::Valid;
use crate::http::{fresh, no_content};
use crate::state::AppState;
use crate::throttle::{self, Limit};
use crate::users::{dto::UserResponse, model as users};

/// Exchange email and password for an access token and a refresh token.
///
/// Unknown email and wrong password get the same answer (401) in similar
/// time. Failures are throttled per account and per client IP (429 +
/// `Retry-After`).
#[utoipa::path(
    tag = "auth", operation_id = "create_token",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        JsonBody, Unauthorized, TooManyRequests, Unavailable,
    )
)]
#[post("/api/v1/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Valid<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner()?;
    let config = &state.config;
    let account_key = format!("login:account:{}", users::normalize_email(&body.email));
    let ip_key = format!(
        "login:ip:{}",
        client_ip(&req, &config.trusted_proxies)
            .map(|ip| ip.to_string())
            .unwrap_or_default()
    );
    let user = {
        let mut conn = state.db.conn().await?;
        throttle::check(&mut conn, &account_key).await?;
        throttle::check(&mut conn, &ip_key).await?;
        users::find_by_email(&mut conn, &body.email).await?
    };
    let ok = password::verify(
        body.password.into(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let mut conn = state.db.conn().await?;
    let user = match user {
        Some(user) if ok && !user.disabled => user,
        _ => {
            let limit = |max| Limit {
                max,
                window_secs: config.login_window_secs,
            };
            throttle::hit(&mut conn, &account_key, limit(config.login_max_failures)).await?;
            throttle::hit(&mut conn, &ip_key, limit(config.login_ip_max_failures)).await?;
            return Err(ApiError::Unauthorized("wrong email or password".to_owned()));
        }
    };
    throttle::clear(&mut conn, &account_key).await?;
    let (family, refresh_token) =
        sessions::start(&mut conn, user.id, config.refresh_token_ttl_days).await?;
    tokens(&state, user.id, &family, refresh_token)
}

/// Trade a refresh token for a new pair. Each refresh token works once;
/// presenting a spent one ends the whole session (401).
#[utoipa::path(
    tag = "auth", operation_id = "refresh_token",
    request_body = RefreshRequest,
    security(()),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        JsonBody, Unauthorized, Unavailable,
    )
)]
#[post("/api/v1/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: Valid<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let presented = body.into_inner()?.refresh_token;
    let mut conn = state.db.conn().await?;
    let ttl = state.config.refresh_token_ttl_days;
    let Rotation::Rotated {
        user_id,
        family,
        token,
    } = sessions::rotate(&mut conn, &presented, ttl).await?
    else {
        return Err(jwt::invalid());
    };
    let user = users::find(&mut conn, user_id)
        .await?
        .ok_or_else(jwt::invalid)?;
    if user.disabled {
        sessions::revoke_family(&mut conn, &family).await?;
        return Err(jwt::invalid());
    }
    tokens(&state, user_id, &family, token)
}

/// End this session: its refresh token and access tokens stop working at
/// once. 403 for a credential that is not a user session.
#[utoipa::path(
    tag = "auth", operation_id = "revoke_token",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        Unauthorized, Forbidden, Unavailable,
    )
)]
#[post("/api/v1/auth/logout")]
pub async fn logout(state: web::Data<AppState>, auth: Credentials) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open(auth).await?;
    let staff = policy::require_staff(&caller)?;
    let session = staff
        .session
        .as_deref()
        .ok_or_else(|| ApiError::Forbidden("this credential is not a user session".to_owned()))?;
    sessions::revoke_family(&mut conn, session).await?;
    Ok(no_content())
}

/// The signed-in user's own account (403 for a credential that is not a
/// user account).
#[utoipa::path(
    tag = "auth", operation_id = "get_me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your account", body = UserResponse),
        Unauthorized, Forbidden, Unavailable,
    )
)]
#[get("/api/v1/me")]
pub async fn me(state: web::Data<AppState>, auth: Credentials) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open(auth).await?;
    let user_id = own_user_id(&caller)?;
    let user = users::find(&mut conn, user_id)
        .await?
        .or_not_found("user")?;
    Ok(fresh(&UserResponse::from(user)))
}

/// Change your password; every session of yours ends (sign in again).
/// 403 when the current password is wrong.
#[utoipa::path(
    tag = "auth", operation_id = "update_password",
    request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed; all sessions ended"),
        JsonBody, Unauthorized, Forbidden, Unavailable,
    )
)]
#[post("/api/v1/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    auth: Credentials,
    body: Valid<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let (user_id, stored) = {
        let (mut conn, caller) = state.open(auth).await?;
        let user_id = own_user_id(&caller)?;
        let user = users::find(&mut conn, user_id)
            .await?
            .or_not_found("user")?;
        (user_id, user.password_hash)
    };
    let body = body.into_inner()?;
    password::check_policy(&body.new_password)?;
    if !password::verify(body.current_password.into(), Some(stored)).await? {
        return Err(ApiError::Forbidden(
            "the current password is wrong".to_owned(),
        ));
    }
    let hash = password::hash(body.new_password.into()).await?;
    let mut conn = state.db.conn().await?;
    conn.transaction(async |conn| set_password(conn, user_id, hash).await)
        .await?;
    Ok(no_content())
}

/// Stores a new password hash and ends every session of the user.
async fn set_password(conn: &mut Conn, user_id: i64, hash: String) -> ApiResult<()> {
    let at = crate::db::time::now();
    let changes = users::UserChanges {
        password_hash: Some(hash),
        sessions_valid_after: Some(at),
        updated_at: Some(at),
        ..Default::default()
    };
    users::update(conn, user_id, changes).await?;
    sessions::revoke_user(conn, user_id).await?;
    Ok(())
}

fn own_user_id(caller: &Caller) -> ApiResult<i64> {
    policy::require_staff(caller)?
        .user_id
        .ok_or_else(|| ApiError::Forbidden("this credential is not a user account".to_owned()))
}

fn tokens(
    state: &AppState,
    user_id: i64,
    family: &str,
    refresh_token: String,
) -> ApiResult<HttpResponse> {
    let (access_token, expires_in) = jwt::issue(&state.config, user_id, family)?;
    Ok(fresh(&TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in,
        refresh_token,
    }))
}
