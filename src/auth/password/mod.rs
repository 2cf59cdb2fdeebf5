//! Argon2id password hashing (the `argon2` crate defaults: m=19456 KiB, t=2,
//! p=1), run on the blocking pool with bounded concurrency so a login flood
//! cannot starve the async workers or exhaust memory. Passwords are
//! normalized (NFKC) before hashing and verifying, so the same password
//! typed on another keyboard or system still matches; [`policy`] says
//! which passwords may be chosen.

mod policy;

pub use policy::{check_policy, MAX_LEN, MIN_LEN};

use std::sync::LazyLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use tokio::sync::Semaphore;
use unicode_normalization::UnicodeNormalization;

use crate::error::{ApiError, ApiResult};

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

/// Hashes a password (PHC string, `$argon2id$v=19$m=19456,t=2,p=1$…`).
pub async fn hash(password: String) -> ApiResult<String> {
    let _permit = HASHING.acquire().await.map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(normalized(&password).as_bytes(), &salt)
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
        // Hashes made before normalization hold the password as typed.
        let normal = normalized(&password);
        let argon = Argon2::default();
        let ok = argon.verify_password(normal.as_bytes(), &parsed).is_ok()
            || (normal != password && argon.verify_password(password.as_bytes(), &parsed).is_ok());
        ok && exists
    })
    .await
    .map_err(ApiError::internal)
}

/// A password as it is hashed: NFKC (NIST SP 800-63B §3.1.1.2).
pub fn normalized(password: &str) -> String {
    password.nfkc().collect()
}

/// Computes the dummy hash now (at start-up) rather than on the first login.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}
