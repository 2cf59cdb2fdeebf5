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
}

/// Body of `POST /api/v1/auth/refresh` (and optionally of logout).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    pub refresh_token: NonBlank<200>,
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
    /// Opaque single-use token for `POST /api/v1/auth/refresh`.
    pub refresh_token: String,
}
