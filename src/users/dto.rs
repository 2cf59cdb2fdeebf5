//! Request and response bodies of the user endpoints. Responses never carry
//! the password hash.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::User;
use crate::db::time::utc;

/// A role name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleName {
    /// Writes own drafts, submits them for review.
    Contributor,
    /// Also publishes own articles.
    Author,
    /// Edits and publishes anything; manages tags, authors, comments.
    Editor,
    /// Also manages users and API keys.
    Admin,
}

impl RoleName {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contributor => "contributor",
            Self::Author => "author",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }
}

/// Body of `POST /api/v1/users`.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// Sign-in email (unique, compared case-insensitively).
    #[validate(email, length(max = 254))]
    #[schema(format = "email", example = "editor@example.com", max_length = 254)]
    pub email: String,
    /// 8 to 256 characters; stored as an Argon2id hash.
    #[schema(min_length = 8, max_length = 256, format = Password)]
    pub password: String,
    /// Role.
    pub role: RoleName,
    /// Author profile this user writes as.
    #[serde(default, deserialize_with = "crate::json_int::optional")]
    #[schema(minimum = 1)]
    pub author_id: Option<i64>,
}

/// Body of `PATCH /api/v1/users/{id}`. Changing the password or role, or
/// disabling the user, ends all their sessions at once.
#[derive(Debug, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// Sign-in email.
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254)]
    pub email: Option<String>,
    /// New password (8 to 256 characters).
    #[schema(min_length = 8, max_length = 256, format = Password)]
    pub password: Option<String>,
    /// New role.
    pub role: Option<RoleName>,
    /// Author profile; `null` unlinks it.
    #[serde(default, deserialize_with = "crate::json_int::nullable")]
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
    pub role: String,
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
