//! Bodies of the sign-in endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::types::{NonBlank, Password};

/// Body of `POST /api/v1/auth/login`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Sign-in email.
    pub email: NonBlank<254>,
    /// Password.
    pub password: Password<1>,
    /// Where the refresh token goes. `body` (the default): in the answer's
    /// `refresh_token`. `cookie`, for a browser app served from this
    /// server's origin: in an `HttpOnly` cookie `cms_refresh` (`Secure`,
    /// `SameSite=Strict`, `Path=/api/v1/auth`, `Max-Age` = the refresh
    /// token's lifetime), which only the refresh and logout endpoints
    /// receive; the answer then has no `refresh_token`.
    #[serde(default)]
    pub refresh_mode: RefreshMode,
}

/// How a login hands out its refresh token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefreshMode {
    /// In the JSON answer (`refresh_token`).
    #[default]
    Body,
    /// In the `cms_refresh` cookie, never in the JSON.
    Cookie,
}

/// Body of `POST /api/v1/auth/refresh`; may be left out (or be `null` or
/// `{}`) when the refresh token is in the `cms_refresh` cookie.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh. Leave it out to
    /// use the `cms_refresh` cookie (cookie mode) instead.
    pub refresh_token: Option<NonBlank<200>>,
}

/// Body of `POST /api/v1/me/password`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The current password.
    pub current_password: Password<1>,
    /// The new password (8 to 256 characters).
    pub new_password: Password<8>,
}

/// Tokens issued at login and refresh.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: u64,
    /// Opaque single-use token for `POST /api/v1/auth/refresh`. Absent in
    /// cookie mode: the token is then in the `cms_refresh` cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub refresh_token: Option<String>,
}
