//! The `Caller` extractor: anonymous, a signed-in staff member, or an API key.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};

use crate::error::ApiError;
use crate::state::AppState;

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

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct Staff {
    /// The user account (none for the bootstrap token).
    pub user_id: Option<i64>,
    /// Their role.
    pub role: Role,
    /// The author profile they write as, if any.
    pub author_id: Option<i64>,
}

/// The party making a request.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No credentials: sees published content only.
    Anonymous,
    /// A member of staff.
    Staff(Staff),
}

impl Caller {
    /// The staff member, if signed in.
    pub fn staff(&self) -> Option<&Staff> {
        match self {
            Self::Staff(staff) => Some(staff),
            Self::Anonymous => None,
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let bearer = bearer_token(req);
        Box::pin(async move {
            let Some(token) = bearer else {
                return Ok(Self::Anonymous);
            };
            let state = state.ok_or_else(|| ApiError::internal("app state missing"))?;
            authenticate(&state, &token).await
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

async fn authenticate(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    if let Some(bootstrap) = &state.config.bootstrap_admin_token {
        if constant_time_eq(bootstrap.expose().as_bytes(), token.as_bytes()) {
            return Ok(Caller::Staff(Staff {
                user_id: None,
                role: Role::Admin,
                author_id: None,
            }));
        }
    }
    Err(ApiError::Unauthorized(
        "invalid or expired credentials".to_owned(),
    ))
}

/// Compares secrets without an early exit on the first differing byte.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
