//! Random opaque secrets (refresh tokens, API keys) and their stored hashes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `bytes` random bytes from the OS-seeded CSPRNG, base64url encoded.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// `bytes` random bytes from the OS-seeded CSPRNG, hex encoded.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 hex of a high-entropy secret (what the database stores; a slow
/// hash is unnecessary for 256-bit random values), or of any bytes (an
/// upload's content hash).
pub fn digest(secret: impl AsRef<[u8]>) -> String {
    Sha256::digest(secret.as_ref())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
