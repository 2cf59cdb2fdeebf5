//! Who is calling. [`Credentials`] is extracted from the request headers
//! (form and signature only, no database); [`Credentials::resolve`] checks
//! them on the request's connection and yields the [`Caller`].

use std::future::{ready, Ready};

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};

use super::role::Role;
use super::{jwt, sessions};
use crate::api_keys::{model as api_keys, scope::KeyScope};
use crate::db::time::now;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::users::model as users;

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct Staff {
    /// The user account (none for the bootstrap token).
    pub user_id: Option<i64>,
    /// Their role.
    pub role: Role,
    /// The author profile they write as, if any.
    pub author_id: Option<i64>,
    /// The session (refresh-token family) of the access token.
    pub session: Option<String>,
}

/// The party making a request.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No credentials: sees published content only.
    Anonymous,
    /// A member of staff.
    Staff(Staff),
    /// A frontend or integrator with an API key (read-only).
    ApiKey {
        /// The key's id.
        id: i64,
        /// What it may read.
        scope: KeyScope,
    },
}

impl Caller {
    /// The staff member, if signed in.
    pub fn staff(&self) -> Option<&Staff> {
        match self {
            Self::Staff(staff) => Some(staff),
            Self::Anonymous | Self::ApiKey { .. } => None,
        }
    }
}

/// The credential a request presents, its form and signature checked.
#[derive(Debug)]
pub enum Credentials {
    /// None presented.
    Anonymous,
    /// The configured bootstrap admin token.
    Bootstrap,
    /// An API key (`X-Api-Key` or `Bearer cms_…`), not yet looked up.
    ApiKey(String),
    /// A signed, unexpired access token whose user and session are not yet
    /// checked.
    Access(jwt::Claims),
}

impl FromRequest for Credentials {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(read_credentials(req))
    }
}

fn read_credentials(req: &HttpRequest) -> ApiResult<Credentials> {
    let presented = bearer_token(req).or_else(|| {
        req.headers()
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    });
    let Some(token) = presented else {
        return Ok(Credentials::Anonymous);
    };
    if token.starts_with(api_keys::KEY_PREFIX) {
        return Ok(Credentials::ApiKey(token.to_owned()));
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("app state missing"))?;
    if let Some(bootstrap) = &state.config.bootstrap_admin_token {
        if constant_time_eq(bootstrap.expose().as_bytes(), token.as_bytes()) {
            return Ok(Credentials::Bootstrap);
        }
    }
    jwt::verify(&state.config, token).map(Credentials::Access)
}

impl Credentials {
    /// Checks the credential against the database: an API key that exists
    /// and has not expired, or an access token whose user is enabled and
    /// whose session is still open. 401 otherwise.
    pub async fn resolve(self, conn: &mut Conn) -> ApiResult<Caller> {
        match self {
            Self::Anonymous => Ok(Caller::Anonymous),
            Self::Bootstrap => Ok(Caller::Staff(Staff {
                user_id: None,
                role: Role::Admin,
                author_id: None,
                session: None,
            })),
            Self::ApiKey(presented) => api_key(conn, &presented).await,
            Self::Access(claims) => access(conn, claims).await,
        }
    }
}

async fn api_key(conn: &mut Conn, presented: &str) -> ApiResult<Caller> {
    let (prefix, secret) = api_keys::split(presented).ok_or_else(jwt::invalid)?;
    let key = api_keys::find_by_prefix(conn, prefix)
        .await?
        .ok_or_else(jwt::invalid)?;
    let at = now();
    if !constant_time_eq(
        key.secret_hash.as_bytes(),
        super::tokens::digest(secret).as_bytes(),
    ) || key.expires_at.is_some_and(|e| e <= at)
    {
        return Err(jwt::invalid());
    }
    api_keys::record_use(conn, &key, at).await?;
    Ok(Caller::ApiKey {
        id: key.id,
        scope: key.scope,
    })
}

async fn access(conn: &mut Conn, claims: jwt::Claims) -> ApiResult<Caller> {
    let user_id: i64 = claims.sub.parse().map_err(|_| jwt::invalid())?;
    let user = users::find(conn, user_id).await?.ok_or_else(jwt::invalid)?;
    let issued_before_revocation =
        (claims.iat as i64) < user.sessions_valid_after.and_utc().timestamp();
    if user.disabled || issued_before_revocation || !sessions::is_active(conn, &claims.sid).await? {
        return Err(jwt::invalid());
    }
    Ok(Caller::Staff(Staff {
        user_id: Some(user.id),
        role: user.role,
        author_id: user.author_id,
        session: Some(claims.sid),
    }))
}

/// The token of an `Authorization: Bearer …` header.
fn bearer_token(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Compares secrets without an early exit on the first differing byte.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
