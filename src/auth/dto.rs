//! Bodies of the sign-in endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// Body of `POST /api/v1/auth/login`.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Sign-in email.
    #[validate(length(min = 1, max = 254))]
    #[schema(example = "editor@example.com", min_length = 1, max_length = 254)]
    pub email: String,
    /// Password.
    #[validate(length(min = 1, max = 256))]
    #[schema(format = Password, min_length = 1, max_length = 256)]
    pub password: String,
}

/// Body of `POST /api/v1/auth/refresh` (and optionally of logout).
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub refresh_token: String,
}

/// Body of `POST /api/v1/me/password`.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The current password.
    #[validate(length(min = 1, max = 256))]
    #[schema(format = Password, min_length = 1, max_length = 256)]
    pub current_password: String,
    /// The new password (8 to 256 characters).
    #[schema(format = Password, min_length = 8, max_length = 256)]
    pub new_password: String,
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
