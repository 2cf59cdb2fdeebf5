//! Argon2id password hashing (the `argon2` crate defaults: m=19456 KiB, t=2,
//! p=1), run on the blocking pool with bounded concurrency so a login flood
//! cannot starve the async workers or exhaust memory.

use std::sync::LazyLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};

/// Shortest accepted password.
pub const MIN_LEN: usize = 8;
/// Longest accepted password (never truncated).
pub const MAX_LEN: usize = 256;

/// At most this many hashes run at once (each takes ~19 MiB).
static HASHING: Semaphore = Semaphore::const_new(4);

/// A valid hash of a random password, verified when the user does not
/// exist, so unknown emails and wrong passwords take the same time.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"dummy password for timing equalisation", &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Checks the length rule (in characters).
pub fn check_policy(password: &str) -> ApiResult<()> {
    let len = password.chars().count();
    if (MIN_LEN..=MAX_LEN).contains(&len) {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            "password",
            format!("must be between {MIN_LEN} and {MAX_LEN} characters"),
        ))
    }
}

/// Hashes a password (PHC string, `$argon2id$v=19$m=19456,t=2,p=1$…`).
pub async fn hash(password: String) -> ApiResult<String> {
    let _permit = HASHING.acquire().await.map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)?
}

/// Verifies `password` against `stored`, or against a dummy hash when there
/// is no user, so both failures cost the same.
pub async fn verify(password: String, stored: Option<String>) -> ApiResult<bool> {
    let _permit = HASHING.acquire().await.map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && exists
    })
    .await
    .map_err(ApiError::internal)
}

/// Computes the dummy hash now (at start-up) rather than on the first login.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}
