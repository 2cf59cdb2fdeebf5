//! The `Caller` extractor: anonymous, a signed-in staff member, or an API key.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};

use super::{jwt, sessions};
use crate::error::ApiError;
use crate::state::AppState;
use crate::users::model as users;

/// Editorial roles, weakest first (the WordPress model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Writes own drafts and submits them for review.
    Contributor,
    /// Also publishes own articles.
    Author,
    /// Edits and publishes anyone's articles; manages tags, authors, comments.
    Editor,
    /// Also manages users and API keys.
    Admin,
}

impl Role {
    /// Parses a stored role name.
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "contributor" => Self::Contributor,
            "author" => Self::Author,
            "editor" => Self::Editor,
            "admin" => Self::Admin,
            _ => return None,
        })
    }
}

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

/// What an API key may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyScope {
    /// Published content.
    Read,
    /// Published and unpublished content, read-only.
    Preview,
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

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let bearer = bearer_token(req).or_else(|| {
            req.headers()
                .get("x-api-key")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned())
        });
        Box::pin(async move {
            let Some(token) = bearer else {
                return Ok(Self::Anonymous);
            };
            let state = state.ok_or_else(|| ApiError::internal("app state missing"))?;
            // Its own task: when another extractor fails first, this future
            // is dropped, and an abandoned SQLite query panics the worker
            // (diesel-async waits for it with `block_in_place`). A task runs
            // to completion whatever happens to the request.
            actix_web::rt::spawn(async move { authenticate(&state, &token).await })
                .await
                .map_err(ApiError::internal)?
        })
    }
}

/// The token of an `Authorization: Bearer …` header.
fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// Resolves a presented credential: an API key, the bootstrap token, or an
/// access JWT whose user is enabled and whose session is still open.
async fn authenticate(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    if token.starts_with(crate::api_keys::model::KEY_PREFIX) {
        let key = crate::api_keys::model::authenticate(&state.db, token).await?;
        let scope = if key.scope == "preview" {
            KeyScope::Preview
        } else {
            KeyScope::Read
        };
        return Ok(Caller::ApiKey { id: key.id, scope });
    }
    if let Some(bootstrap) = &state.config.bootstrap_admin_token {
        if constant_time_eq(bootstrap.expose().as_bytes(), token.as_bytes()) {
            return Ok(Caller::Staff(Staff {
                user_id: None,
                role: Role::Admin,
                author_id: None,
                session: None,
            }));
        }
    }
    let claims = jwt::verify(&state.config, token)?;
    let user_id: i64 = claims.sub.parse().map_err(|_| jwt::invalid())?;
    let user = match users::find(&state.db, user_id).await {
        Ok(user) => user,
        Err(ApiError::NotFound(_)) => return Err(jwt::invalid()),
        Err(other) => return Err(other),
    };
    let issued_before_revocation =
        (claims.iat as i64) < user.sessions_valid_after.and_utc().timestamp();
    if user.disabled
        || issued_before_revocation
        || !sessions::is_active(&state.db, &claims.sid).await?
    {
        return Err(jwt::invalid());
    }
    Ok(Caller::Staff(Staff {
        user_id: Some(user.id),
        role: user.role()?,
        author_id: user.author_id,
        session: Some(claims.sid),
    }))
}

/// Compares secrets without an early exit on the first differing byte.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
