//! Request and response bodies of the user endpoints. Responses never carry
//! the password hash.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::User;
use crate::auth::Role;
use crate::db::time::utc;
use crate::types::{Email, Password};

/// Body of `POST /api/v1/users`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// Sign-in email (unique, compared case-insensitively).
    pub email: Email,
    /// 8 to 256 characters; stored as an Argon2id hash.
    pub password: Password<8>,
    /// Role.
    pub role: Role,
    /// Author profile this user writes as.
    #[serde(default, deserialize_with = "crate::http::json_int::optional")]
    #[schema(minimum = 1)]
    pub author_id: Option<i64>,
}

/// Body of `PATCH /api/v1/users/{id}`. Changing the password or role, or
/// disabling the user, ends all their sessions at once.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// Sign-in email.
    pub email: Option<Email>,
    /// New password (8 to 256 characters).
    pub password: Option<Password<8>>,
    /// New role.
    pub role: Option<Role>,
    /// Author profile; `null` unlinks it.
    #[serde(default, deserialize_with = "crate::http::json_int::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub author_id: Option<Option<i64>>,
    /// Disable (true) or re-enable (false) sign-in.
    pub disabled: Option<bool>,
}

/// A user account as admins (and the user themselves) see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    /// Numeric id.
    pub id: i64,
    /// Sign-in email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Author profile this user writes as.
    pub author_id: Option<i64>,
    /// Whether sign-in is disabled.
    pub disabled: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserResponse {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            email: u.email,
            role: u.role,
            author_id: u.author_id,
            disabled: u.disabled,
            created_at: utc(u.created_at),
            updated_at: utc(u.updated_at),
        }
    }
}
