//! Absolute http(s) URLs.

use std::sync::LazyLock;

use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// URLs the API stores: `http(s)://`, a host name (labels start with a
/// letter), an optional port and printable ASCII after it. Written for both
/// ECMA-262 (JSON Schema) and Rust's `regex`.
pub const HTTP_URL_PATTERN: &str = r"^https?://[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z][A-Za-z0-9-]*)*(:[0-9]{1,4})?([/?#][!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~]*)?$";

/// Longest URL accepted.
pub const MAX_URL_CHARS: usize = 2048;

static HTTP_URL: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(HTTP_URL_PATTERN).expect("valid URL pattern"));

/// An absolute `http` or `https` URL of at most 2048 characters matching
/// [`HTTP_URL_PATTERN`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(String);

impl HttpUrl {
    /// Checks `raw` against the URL rule.
    pub fn parse(raw: String) -> Result<Self, &'static str> {
        if raw.len() <= MAX_URL_CHARS && HTTP_URL.is_match(&raw) {
            Ok(Self(raw))
        } else {
            Err("must be an absolute http(s) URL")
        }
    }
}

super::text_type!(HttpUrl);

impl PartialSchema for HttpUrl {
    fn schema() -> RefOr<Schema> {
        super::string_schema(HTTP_URL_PATTERN, None, MAX_URL_CHARS)
            .description(Some("An absolute http or https URL with a host name"))
            .examples(["https://example.org/images/harbour.jpg"])
            .into()
    }
}

impl ToSchema for HttpUrl {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_accepts_web_urls_only() {
        for ok in [
            "https://example.org",
            "http://cdn.example.org:8080/a/b.png?w=1&h=2#top",
        ] {
            assert!(HttpUrl::parse(ok.into()).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "ftp://example.org",
            "https://",
            "https://1.2.3.4/",
            "https://a b",
            "javascript:alert(1)",
            "https://x.org/\"<",
        ] {
            assert!(HttpUrl::parse(bad.into()).is_err(), "{bad}");
        }
    }
}
