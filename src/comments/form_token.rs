//! Signed comment-form tokens: prove when the form was served (for the
//! minimum fill time) and for which article, without storing anything. Each
//! token carries a random nonce, so two forms are never alike; posting
//! spends the token (`comments::model::spend_form_token`), so one form
//! serves one comment.
//!
//! Format: `<issued unix secs>.<article id>.<nonce>.<base64url HMAC-SHA256>`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token we signed, or for another article.
    Invalid,
    /// Older than the configured lifetime.
    Expired,
}

fn mac(secret: &[u8], issued: u64, article_id: i64, nonce: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("comment-form:{issued}:{article_id}:{nonce}").as_bytes());
    mac
}

/// A token for a form on `article_id` served at `now` (unix seconds).
pub fn issue(secret: &[u8], article_id: i64, now: u64) -> String {
    let nonce = crate::auth::tokens::random_token(12);
    let sig = mac(secret, now, article_id, &nonce).finalize().into_bytes();
    format!("{now}.{article_id}.{nonce}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// [`verify`] against each of `secrets` in turn (the current key, then
/// retired ones, so forms served before a key rotation stay valid): the
/// first answer that is not "not ours".
pub fn verify_any<'a>(
    secrets: impl IntoIterator<Item = &'a [u8]>,
    article_id: i64,
    token: &str,
    now: u64,
    ttl_secs: u64,
) -> Result<u64, TokenError> {
    secrets
        .into_iter()
        .map(|secret| verify(secret, article_id, token, now, ttl_secs))
        .find(|result| !matches!(result, Err(TokenError::Invalid)))
        .unwrap_or(Err(TokenError::Invalid))
}

/// Seconds since the form was served, if `token` is ours, for this article
/// and not older than `ttl_secs`.
pub fn verify(
    secret: &[u8],
    article_id: i64,
    token: &str,
    now: u64,
    ttl_secs: u64,
) -> Result<u64, TokenError> {
    let mut parts = token.split('.');
    let (Some(issued), Some(article), Some(nonce), Some(sig), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(TokenError::Invalid);
    };
    let issued: u64 = issued.parse().map_err(|_| TokenError::Invalid)?;
    let article: i64 = article.parse().map_err(|_| TokenError::Invalid)?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| TokenError::Invalid)?;
    if article != article_id {
        return Err(TokenError::Invalid);
    }
    mac(secret, issued, article, nonce)
        .verify_slice(&sig)
        .map_err(|_| TokenError::Invalid)?;
    if issued > now {
        return Err(TokenError::Invalid);
    }
    let age = now - issued;
    if age > ttl_secs {
        return Err(TokenError::Expired);
    }
    Ok(age)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trip_reports_age() {
        let token = issue(KEY, 7, 1_000);
        assert_eq!(verify(KEY, 7, &token, 1_004, 60), Ok(4));
    }

    #[test]
    fn no_two_forms_are_alike() {
        assert_ne!(issue(KEY, 7, 1_000), issue(KEY, 7, 1_000));
    }

    #[test]
    fn refuses_other_articles_keys_tampering_and_age() {
        let token = issue(KEY, 7, 1_000);
        assert_eq!(verify(KEY, 8, &token, 1_004, 60), Err(TokenError::Invalid));
        assert_eq!(
            verify(b"another key", 7, &token, 1_004, 60),
            Err(TokenError::Invalid)
        );
        let older = token.replacen("1000", "900", 1);
        assert_eq!(verify(KEY, 7, &older, 1_004, 600), Err(TokenError::Invalid));
        assert_eq!(verify(KEY, 7, &token, 1_100, 60), Err(TokenError::Expired));
        assert_eq!(verify(KEY, 7, &token, 999, 60), Err(TokenError::Invalid));
        assert_eq!(
            verify(KEY, 7, "garbage", 1_004, 60),
            Err(TokenError::Invalid)
        );
    }
}
