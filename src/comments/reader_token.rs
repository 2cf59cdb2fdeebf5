//! Reader tokens: what only the real owner of an e-mail address holds, so
//! that auto-approval trusts it and not the address alone (anyone can type
//! someone else's address into a comment form).
//!
//! A posted comment's receipt carries a token signed for its (normalized)
//! e-mail: `r1.<base64url HMAC-SHA256>`. The reader's browser keeps it and
//! sends it with later comments; once a comment from that address has been
//! approved, a later one that carries the token is published at once.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const VERSION: &str = "r1";

fn mac(secret: &[u8], email: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"comment-reader:");
    mac.update(email.as_bytes());
    mac
}

/// The token of the reader who posts as `email` (normalized).
pub fn issue(secret: &[u8], email: &str) -> String {
    let sig = mac(secret, email).finalize().into_bytes();
    format!("{VERSION}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// Whether `token` was issued for `email` under one of `secrets` (the
/// current key first, then retired ones).
pub fn verify_any<'a>(
    secrets: impl IntoIterator<Item = &'a [u8]>,
    email: &str,
    token: &str,
) -> bool {
    let Some(sig) = token
        .strip_prefix(VERSION)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|sig| URL_SAFE_NO_PAD.decode(sig).ok())
    else {
        return false;
    };
    secrets
        .into_iter()
        .any(|secret| mac(secret, email).verify_slice(&sig).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_proves_one_address_under_one_key() {
        let token = issue(b"key one", "ana@example.org");
        assert!(verify_any(
            [b"key one".as_slice()],
            "ana@example.org",
            &token
        ));
        assert!(!verify_any(
            [b"key one".as_slice()],
            "bob@example.org",
            &token
        ));
        assert!(!verify_any(
            [b"key two".as_slice()],
            "ana@example.org",
            &token
        ));
        assert!(verify_any(
            [b"key two".as_slice(), b"key one".as_slice()],
            "ana@example.org",
            &token
        ));
        assert!(!verify_any(
            [b"key one".as_slice()],
            "ana@example.org",
            "r1.AAAA"
        ));
        assert!(!verify_any(
            [b"key one".as_slice()],
            "ana@example.org",
            "nonsense"
        ));
    }
}
