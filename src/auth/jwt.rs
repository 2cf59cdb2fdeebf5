//! Access tokens: HS256 JWTs with the algorithm pinned, `iss`/`aud`/`exp`/
//! `sub` required, a small leeway, and an explicit type (`typ` header
//! `at+jwt` and claim `typ = "access"`, RFC 8725 §3.11) so no other token
//! can pass for one. The `kid` header names the signing key among the
//! server's own (`JWT_SECRET` and the retired `JWT_PREVIOUS_SECRETS`); a
//! token without a known `kid` is refused, and keys are never fetched.

use jsonwebtoken::{
    decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::{ApiError, ApiResult};

/// Clock-skew allowance in seconds.
pub const LEEWAY_SECS: u64 = 5;
/// Header `typ` of access tokens (RFC 9068).
const HEADER_TYP: &str = "at+jwt";
/// Claim `typ` of access tokens.
const CLAIM_TYP: &str = "access";

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// The user id.
    pub sub: String,
    /// Expiry (Unix seconds).
    pub exp: u64,
    /// Not before (Unix seconds).
    pub nbf: u64,
    /// Issued at (Unix seconds).
    pub iat: u64,
    /// Unique token id.
    pub jti: String,
    /// Token type: always `access`.
    pub typ: String,
    /// The session (refresh-token family) the token belongs to.
    pub sid: String,
}

/// Signs an access token for `user_id` in session `sid`; returns it and its lifetime.
pub fn issue(config: &Config, user_id: i64, sid: &str) -> ApiResult<(String, u64)> {
    let now = unix_now();
    let ttl = config.access_token_ttl_secs;
    let claims = Claims {
        iss: config.jwt_issuer.clone(),
        aud: config.jwt_audience.clone(),
        sub: user_id.to_string(),
        exp: now + ttl,
        nbf: now,
        iat: now,
        jti: crate::auth::tokens::random_token(16),
        typ: CLAIM_TYP.to_owned(),
        sid: sid.to_owned(),
    };
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some(HEADER_TYP.to_owned());
    header.kid = Some(key_id(config.jwt_secret.expose()));
    let key = EncodingKey::from_secret(config.jwt_secret.expose().as_bytes());
    let token = encode(&header, &claims, &key).map_err(ApiError::internal)?;
    Ok((token, ttl))
}

/// Verifies signature, algorithm, type, issuer, audience and times.
pub fn verify(config: &Config, token: &str) -> ApiResult<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = LEEWAY_SECS;
    validation.validate_nbf = true;
    validation.set_issuer(&[&config.jwt_issuer]);
    validation.set_audience(&[&config.jwt_audience]);
    validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
    let kid = decode_header(token).map_err(|_| invalid())?.kid;
    let secret = kid
        .and_then(|kid| {
            config
                .jwt_secrets()
                .find(|secret| key_id(secret.expose()) == kid)
        })
        .ok_or_else(invalid)?;
    let key = DecodingKey::from_secret(secret.expose().as_bytes());
    let data = decode::<Claims>(token, &key, &validation).map_err(|_| invalid())?;
    if data.header.typ.as_deref() != Some(HEADER_TYP) || data.claims.typ != CLAIM_TYP {
        return Err(invalid());
    }
    Ok(data.claims)
}

/// The public name of a signing secret (the `kid` header): 16 hex digits
/// of a SHA-256 over the secret, which tells nothing about the secret.
pub fn key_id(secret: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"cms jwt kid\0")
        .chain_update(secret.as_bytes())
        .finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The one answer for every bad token.
pub fn invalid() -> ApiError {
    ApiError::Unauthorized("invalid or expired credentials".to_owned())
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}
