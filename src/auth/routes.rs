//! Sign-in endpoints: login, refresh, logout, the current user, password change.
//!
//! Password hashing takes tens of milliseconds on the blocking pool; no
//! handler holds a database connection while it runs (a login flood would
//! otherwise drain the pool), so these handlers use one connection before
//! the hash and one after.

use actix_web::{get, post, web, HttpRequest, HttpResponse, ResponseError};

use super::dto::{ChangePasswordRequest, LoginRequest, RefreshMode, RefreshRequest, TokenResponse};
use super::sessions::{self, Rotation};
use super::{cookie, jwt, password, policy, Caller, Credentials};
use crate::api_docs::responses::{Forbidden, JsonBody, TooManyRequests, Unauthorized, Unavailable};
use crate::audit::{Action, Auditor, Change};
use crate::config::Config;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::client_ip::client_ip;
use crate::http::validation::Valid;
use crate::http::{fresh, no_content};
use crate::state::AppState;
use crate::throttle::{self, Limit, Reservation};
use crate::users::{dto::UserResponse, model as users};

/// Exchange email and password for an access token and a refresh token.
///
/// Unknown email and wrong password get the same answer (401) in similar
/// time. Failures are throttled per account and per client IP (429 +
/// `Retry-After`).
///
/// **Cookie mode** (`"refresh_mode": "cookie"`), for a browser app served
/// from this server's origin: the answer has no `refresh_token`; it sets the
/// cookie `cms_refresh=<token>; HttpOnly; Secure; SameSite=Strict;
/// Path=/api/v1/auth; Max-Age=<REFRESH_TOKEN_TTL_DAYS in seconds>` instead.
/// Keep the access token in memory only; after a reload, get a new one
/// from `POST /api/v1/auth/refresh` with an empty body. A cookie-mode
/// sign-in needs an `Origin` naming this server (or one of `CORS_ORIGINS`),
/// else 403, as the cookie requests do.
#[utoipa::path(
    tag = "auth", operation_id = "create_token",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "Signed in", body = TokenResponse,
         headers(("Set-Cookie" = String, description = "Cookie mode only: the refresh token, `cms_refresh=<token>; HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth; Max-Age=<seconds>`"))),
        JsonBody, Unauthorized, Forbidden, TooManyRequests, Unavailable,
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
    if matches!(body.refresh_mode, RefreshMode::Cookie) {
        // Login CSRF: no other site may sign a browser in to an account of
        // its choosing, so cookie mode needs this server's Origin too.
        cookie::check_origin(&req, &config.cors_origins)?;
    }
    let ip = client_ip(&req, &config.trusted_proxies)
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    let (attempts, user) = {
        let mut conn = state.db.writer().await?;
        let attempts = reserve_attempts(&mut conn, config, &body.email, Some(&ip)).await?;
        (
            attempts,
            users::find_by_email(&mut conn, &body.email).await?,
        )
    };
    let ok = password::verify(
        body.password.into(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let audit = Auditor::anonymous(&req);
    let mut conn = state.db.writer().await?;
    let user = match user {
        Some(user) if ok && !user.disabled => user,
        // The attempts stay counted.
        _ => {
            let reason = match &user {
                None => "unknown_email",
                Some(user) if user.disabled => "disabled",
                Some(_) => "wrong_password",
            };
            let failure = failed_login(&body.email, reason);
            audit
                .record(
                    &mut conn,
                    Action::AuthLoginFailed,
                    user.map(|u| u.id),
                    failure,
                )
                .await?;
            return Err(ApiError::Unauthorized("wrong email or password".to_owned()));
        }
    };
    let ttl = config.refresh_token_ttl_days;
    let started = conn
        .transaction(async |conn| {
            // Not if the password changed or the account was disabled since
            // it was read.
            if !users::lock_unchanged(conn, user.id, &user.password_hash).await? {
                let failure = failed_login(&body.email, "changed_meanwhile");
                audit
                    .record(conn, Action::AuthLoginFailed, Some(user.id), failure)
                    .await?;
                return Ok(None);
            }
            let session = sessions::start(conn, user.id, ttl).await?;
            attempts.give_back(conn).await?;
            audit
                .clone()
                .as_user(user.id)
                .record(conn, Action::AuthLogin, Some(user.id), Change::none())
                .await?;
            Ok::<_, ApiError>(Some(session))
        })
        .await?;
    let Some((session, refresh_token)) = started else {
        return Err(ApiError::Unauthorized("wrong email or password".to_owned()));
    };
    tokens(&state, user.id, &session, refresh_token, body.refresh_mode)
}

/// What a refused sign-in records: the email tried (normalized) and why.
fn failed_login(email: &str, reason: &str) -> Change {
    Change::none()
        .noting("email", users::normalize_email(email))
        .noting("reason", reason)
}

/// Password attempts reserved against the account's (and, at login, the
/// client IP's) limits before a password is checked: a burst of parallel
/// guesses can never check more than the limit.
struct Attempts(Vec<Reservation>);

impl Attempts {
    /// A right password does not count as a failure.
    async fn give_back(self, conn: &mut Conn) -> ApiResult<()> {
        for reservation in self.0 {
            throttle::release(conn, reservation).await?;
        }
        Ok(())
    }
}

/// Reserves one password attempt for the account of `email` and, when
/// given, for the client `ip` (the IP first, so a client over its own limit
/// spends nothing of the account's); 429 when either is used up.
async fn reserve_attempts(
    conn: &mut Conn,
    config: &Config,
    email: &str,
    ip: Option<&str>,
) -> ApiResult<Attempts> {
    let window_secs = config.login_window_secs;
    let mut reserved = Vec::with_capacity(2);
    if let Some(ip) = ip {
        let limit = Limit {
            max: config.login_ip_max_failures,
            window_secs,
        };
        let key = format!("login:ip:{ip}");
        reserved.push(throttle::reserve(conn, &key, limit).await?.or_too_many()?);
    }
    let limit = Limit {
        max: config.login_max_failures,
        window_secs,
    };
    let key = format!("login:account:{}", users::normalize_email(email));
    reserved.push(throttle::reserve(conn, &key, limit).await?.or_too_many()?);
    Ok(Attempts(reserved))
}

/// Trade a refresh token for a new pair. Each refresh token works once;
/// presenting a spent one ends the whole session (401).
///
/// The token comes from the body's `refresh_token` or, when the body has
/// none (no body, `null` or `{}`), from the `cms_refresh` cookie (cookie
/// mode, see `POST /api/v1/auth/login`). A request that uses the cookie
/// must carry an `Origin` header naming this server (the same host and
/// port as its `Host`) or one of `CORS_ORIGINS`, else 403 (a browser sends
/// `Origin` on every `fetch` POST). In cookie mode the answer has no
/// `refresh_token` and sets the cookie again with the new token; when the
/// cookie is invalid, expired or spent, the 401 also clears it
/// (`Max-Age=0`). 401 too when there is neither a body token nor a cookie.
#[utoipa::path(
    tag = "auth", operation_id = "refresh_token",
    request_body(content = Option<RefreshRequest>, description = "The refresh token; leave the body empty or `{}` to use the `cms_refresh` cookie"),
    params(("cms_refresh" = Option<String>, Cookie, nullable = false, pattern = r"^[A-Za-z0-9_-]{1,200}$",
            description = "The refresh token in cookie mode (set by the login or the last refresh; the browser sends it). Used only when the body has no `refresh_token`")),
    security(()),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse,
         headers(("Set-Cookie" = String, description = "Cookie mode only: the new refresh token, same attributes as at login"))),
        JsonBody, Unauthorized, Forbidden, Unavailable,
    )
)]
#[post("/api/v1/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Valid<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let in_body = body.into_optional()?.and_then(|b| b.refresh_token);
    let (presented, mode) = match in_body {
        Some(token) => (String::from(token), RefreshMode::Body),
        None => {
            let Some(token) = cookie::presented(&req) else {
                return Err(ApiError::Unauthorized(
                    "no refresh token: send refresh_token in the body, or the cms_refresh cookie"
                        .to_owned(),
                ));
            };
            cookie::check_origin(&req, &state.config.cors_origins)?;
            (token, RefreshMode::Cookie)
        }
    };
    let mut conn = state.db.writer().await?;
    let ttl = state.config.refresh_token_ttl_days;
    let audit = Auditor::anonymous(&req);
    match sessions::rotate(&mut conn, &presented, ttl, &audit).await? {
        Rotation::Rotated {
            user_id,
            session,
            token,
        } => tokens(&state, user_id, &session, token, mode),
        Rotation::Invalid | Rotation::Reused => match mode {
            RefreshMode::Body => Err(jwt::invalid()),
            // A dead cookie is of no further use: the browser forgets it.
            RefreshMode::Cookie => {
                let mut res = jwt::invalid().error_response();
                res.add_cookie(&cookie::cleared())
                    .map_err(ApiError::internal)?;
                Ok(res)
            }
        },
    }
}

/// End this session: its refresh token and access tokens stop working at
/// once. 403 for a credential that is not a user session.
///
/// The answer also clears the `cms_refresh` cookie (`Max-Age=0`). A request
/// that carries that cookie must pass the same `Origin` check as a cookie
/// refresh (403 otherwise).
#[utoipa::path(
    tag = "auth", operation_id = "revoke_token",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out",
         headers(("Set-Cookie" = String, description = "Clears the refresh cookie: `cms_refresh=; …; Path=/api/v1/auth; Max-Age=0`"))),
        Unauthorized, Forbidden, Unavailable,
    )
)]
#[post("/api/v1/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_writer(auth).await?;
    let staff = policy::require_staff(&caller)?;
    let session = staff
        .session
        .as_deref()
        .ok_or_else(|| ApiError::Forbidden("this credential is not a user session".to_owned()))?;
    if cookie::presented(&req).is_some() {
        cookie::check_origin(&req, &state.config.cors_origins)?;
    }
    conn.transaction(async |conn| {
        sessions::revoke(conn, session).await?;
        Auditor::new(&req, &caller)
            .record(conn, Action::AuthLogout, staff.user_id, Change::none())
            .await
    })
    .await?;
    Ok(HttpResponse::NoContent().cookie(cookie::cleared()).finish())
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
    let (mut conn, caller) = state.open_reader(auth).await?;
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
    req: HttpRequest,
    auth: Credentials,
    body: Valid<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let (user, attempts, body, audit) = {
        let (mut conn, caller) = state.open_writer(auth).await?;
        let user_id = own_user_id(&caller)?;
        let user = users::find(&mut conn, user_id)
            .await?
            .or_not_found("user")?;
        let body = body.into_inner()?;
        // Guessing the current password is throttled like logins.
        let attempts = reserve_attempts(&mut conn, &state.config, &user.email, None).await?;
        (user, attempts, body, Auditor::new(&req, &caller))
    };
    password::check_policy("new_password", &body.new_password, &[&user.email])?;
    if !password::verify(
        body.current_password.into(),
        Some(user.password_hash.clone()),
    )
    .await?
    {
        return Err(ApiError::Forbidden(
            "the current password is wrong".to_owned(),
        ));
    }
    let hash = password::hash(body.new_password.into()).await?;
    let mut conn = state.db.writer().await?;
    conn.transaction(async |conn| {
        if !users::lock_unchanged(conn, user.id, &user.password_hash).await? {
            return Err(ApiError::Conflict {
                code: "changed_meanwhile",
                detail: "the password was changed meanwhile; sign in again".to_owned(),
            });
        }
        set_password(conn, user.id, hash).await?;
        audit
            .record(
                conn,
                Action::AuthPasswordChange,
                Some(user.id),
                Change::none(),
            )
            .await?;
        attempts.give_back(conn).await
    })
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

/// The answer of a login or refresh: a new access token, and the refresh
/// token in the JSON or in the cookie.
fn tokens(
    state: &AppState,
    user_id: i64,
    family: &str,
    refresh_token: String,
    mode: RefreshMode,
) -> ApiResult<HttpResponse> {
    let (access_token, expires_in) = jwt::issue(&state.config, user_id, family)?;
    let (in_body, in_cookie) = match mode {
        RefreshMode::Body => (Some(refresh_token), None),
        RefreshMode::Cookie => (None, Some(refresh_token)),
    };
    let mut res = fresh(&TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in,
        refresh_token: in_body,
    });
    if let Some(token) = in_cookie {
        let cookie = cookie::issue(token, state.config.refresh_token_ttl_days);
        res.add_cookie(&cookie).map_err(ApiError::internal)?;
    }
    Ok(res)
}
