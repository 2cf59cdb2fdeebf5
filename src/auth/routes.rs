//! Sign-in endpoints: login, refresh, logout, the current user, password change.

use actix_web::{web, HttpRequest, HttpResponse};

use super::dto::{ChangePasswordRequest, LoginRequest, RefreshRequest, TokenResponse};
use super::{jwt, password, policy, sessions, Caller};
use crate::error::{ApiError, ApiResult, ProblemDetails};
use crate::http::client_ip::client_ip;
use crate::http::{fresh, no_content};
use crate::state::AppState;
use crate::throttle::{self, Limit};
use crate::users::{dto::UserResponse, model as users};
use crate::validation::Valid;

/// Exchange email and password for an access token and a refresh token.
///
/// Unknown email and wrong password get the same answer in similar time.
/// Failures are throttled per account and per client IP (429 + `Retry-After`).
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth", operation_id = "create_token",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Wrong email or password", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = ProblemDetails, content_type = "application/problem+json",
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
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
    throttle::check(&state.db, &account_key).await?;
    throttle::check(&state.db, &ip_key).await?;
    let user = users::find_by_email(&state.db, &body.email).await?;
    let ok = password::verify(
        body.password,
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let user = match user {
        Some(user) if ok && !user.disabled => user,
        _ => {
            let window_secs = config.login_window_secs;
            throttle::hit(
                &state.db,
                &account_key,
                Limit {
                    max: config.login_max_failures,
                    window_secs,
                },
            )
            .await?;
            throttle::hit(
                &state.db,
                &ip_key,
                Limit {
                    max: config.login_ip_max_failures,
                    window_secs,
                },
            )
            .await?;
            return Err(ApiError::Unauthorized("wrong email or password".to_owned()));
        }
    };
    throttle::clear(&state.db, &account_key).await?;
    let (family, refresh_token) =
        sessions::start(&state.db, user.id, config.refresh_token_ttl_days).await?;
    tokens(&state, user.id, &family, refresh_token)
}

/// Trade a refresh token for a new pair. Each refresh token works once;
/// presenting a spent one ends the whole session.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth", operation_id = "refresh_token",
    request_body = RefreshRequest,
    security(()),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Unknown, spent, expired or revoked token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn refresh(
    state: web::Data<AppState>,
    body: Valid<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let (user_id, family, token) = sessions::rotate(
        &state.db,
        &body.into_inner()?.refresh_token,
        state.config.refresh_token_ttl_days,
    )
    .await?;
    let user = users::find(&state.db, user_id)
        .await
        .map_err(|_| jwt::invalid())?;
    if user.disabled {
        sessions::revoke_family(&state.db, &family).await?;
        return Err(jwt::invalid());
    }
    tokens(&state, user_id, &family, token)
}

/// End this session: its refresh token and access tokens stop working at once.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth", operation_id = "revoke_token",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not a user session", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn logout(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let staff = policy::require_staff(&caller)?;
    let session = staff
        .session
        .as_deref()
        .ok_or_else(|| ApiError::Forbidden("this credential is not a user session".to_owned()))?;
    sessions::revoke_family(&state.db, session).await?;
    Ok(no_content())
}

/// The signed-in user's own account.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "auth", operation_id = "get_me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your account", body = UserResponse),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not a user session", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn me(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let user_id = own_user_id(&caller)?;
    let user = users::find(&state.db, user_id).await?;
    Ok(fresh(&UserResponse::from(user)))
}

/// Change your password; every session of yours ends (sign in again).
#[utoipa::path(
    post, path = "/api/v1/me/password", tag = "auth", operation_id = "update_password",
    request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed; all sessions ended"),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Wrong current password, or not a user session", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "New password too short or too long", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    body: Valid<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let user_id = own_user_id(&caller)?;
    let body = body.into_inner()?;
    password::check_policy(&body.new_password)?;
    let user = users::find(&state.db, user_id).await?;
    if !password::verify(body.current_password, Some(user.password_hash)).await? {
        return Err(ApiError::Forbidden(
            "the current password is wrong".to_owned(),
        ));
    }
    let at = crate::db::time::now();
    let changes = users::UserChanges {
        password_hash: Some(password::hash(body.new_password).await?),
        sessions_valid_after: Some(at),
        updated_at: Some(at),
        ..Default::default()
    };
    users::update(&state.db, user_id, changes).await?;
    sessions::revoke_user(&state.db, user_id).await?;
    Ok(no_content())
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
