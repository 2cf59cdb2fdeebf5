//! Bodies of the API key endpoints. The secret appears only in the answer
//! to its creation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::ApiKey;
use super::scope::KeyScope;
use crate::db::time::utc;
use crate::types::NonBlank;

/// Body of `POST /api/v1/api-keys`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for.
    pub name: NonBlank<100>,
    /// `read` or `preview`.
    pub scope: KeyScope,
    /// When the key stops working (never when omitted).
    pub expires_at: Option<DateTime<Utc>>,
}

/// An API key (without its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyResponse {
    /// Numeric id.
    pub id: i64,
    /// What the key is for.
    pub name: String,
    /// Public part of the key, to recognise it.
    pub prefix: String,
    /// `read` or `preview`.
    pub scope: KeyScope,
    /// Expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// Last use (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

impl From<ApiKey> for ApiKeyResponse {
    fn from(k: ApiKey) -> Self {
        Self {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            scope: k.scope,
            expires_at: k.expires_at.map(utc),
            last_used_at: k.last_used_at.map(utc),
            created_at: utc(k.created_at),
        }
    }
}

/// A new key, with its secret shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKeyResponse {
    /// The key's metadata.
    #[serde(flatten)]
    pub key: ApiKeyResponse,
    /// The full key; send it as `Authorization: Bearer …` or `X-Api-Key`.
    /// It cannot be shown again.
    pub secret: String,
}
