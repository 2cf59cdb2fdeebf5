//! Strong ETags, `If-None-Match` → 304, `If-Match` → 412, and cache headers.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// Who may cache a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Published content seen anonymously: shared caches may keep it briefly.
    Public,
    /// Content that depends on the caller's rights (drafts, private fields).
    Private,
}

/// Serializes `body` and answers 200 with ETag/Cache-Control, or 304 when the
/// client's `If-None-Match` already names this representation.
///
/// `tag_prefix` lets a resource put its version in the tag (see
/// [`check_if_match`]); the rest is a hash of the exact bytes sent.
pub fn cached_json(
    req: &HttpRequest,
    body: &impl Serialize,
    visibility: Visibility,
    tag_prefix: &str,
    last_modified: Option<DateTime<Utc>>,
) -> ApiResult<HttpResponse> {
    let bytes = serde_json::to_vec(body).map_err(ApiError::internal)?;
    cached_bytes(
        req,
        bytes,
        "application/json",
        visibility,
        tag_prefix,
        last_modified,
    )
}

/// Like [`cached_json`], for a body already written (a feed, a sitemap):
/// 200 with `content_type`, ETag and Cache-Control, or 304.
pub fn cached_bytes(
    req: &HttpRequest,
    bytes: Vec<u8>,
    content_type: &str,
    visibility: Visibility,
    tag_prefix: &str,
    last_modified: Option<DateTime<Utc>>,
) -> ApiResult<HttpResponse> {
    let digest = Sha256::digest(&bytes);
    let hash: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{tag_prefix}{hash}\"");
    let cache_control = match visibility {
        Visibility::Public => "public, max-age=60",
        Visibility::Private => "private, no-cache",
    };
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut res = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache_control))
        .insert_header((header::VARY, "Authorization, X-Api-Key"));
    if let Some(at) = last_modified {
        let value = crate::db::time::http_date(at.naive_utc());
        if let Ok(value) = HeaderValue::from_str(&value) {
            res.insert_header((header::LAST_MODIFIED, value));
        }
    }
    if not_modified {
        return Ok(res.finish());
    }
    Ok(res.content_type(content_type).body(bytes))
}

/// Syntax of an `If-Match` header (RFC 9110): `*` or entity tags separated
/// by commas; an empty value is taken as no precondition. Published as the
/// header's pattern.
pub const IF_MATCH_PATTERN: &str = r#"^(|\*|(W/)?"[!#-~]*"( *, *(W/)?"[!#-~]*")*)$"#;

/// The `If-Match` header as the OpenAPI document describes it.
pub struct IfMatch;

impl utoipa::PartialSchema for IfMatch {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(IF_MATCH_PATTERN))
            .description(Some(
                "`*` or the ETags of the versions the change was made from",
            ))
            .into()
    }
}

impl utoipa::ToSchema for IfMatch {}

fn if_match_regex() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(IF_MATCH_PATTERN).expect("valid If-Match pattern"))
}

/// Enforces `If-Match` for a write: passes when the header is absent, is `*`,
/// or names a tag starting with `current_prefix` (the resource's version);
/// a malformed header is a 400; otherwise 412, so two editors cannot
/// overwrite each other unknowingly.
pub fn check_if_match(req: &HttpRequest, current_prefix: &str) -> ApiResult<()> {
    let Some(raw) = req.headers().get(header::IF_MATCH) else {
        return Ok(());
    };
    let raw = raw.to_str().unwrap_or("\u{0}");
    if raw.trim().is_empty() {
        return Ok(());
    }
    if !if_match_regex().is_match(raw) {
        return Err(ApiError::BadRequest {
            code: "invalid_header",
            detail: "If-Match must be * or a list of quoted entity tags".to_owned(),
            errors: vec![crate::error::FieldError::new("If-Match", "malformed")],
        });
    }
    let wanted = format!("\"{current_prefix}");
    let matches = raw
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.starts_with(&wanted));
    if matches {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed(
            "the resource changed since you read it (If-Match does not match its ETag)".to_owned(),
        ))
    }
}

#[cfg(test)]
mod if_match_tests {
    use super::IF_MATCH_PATTERN;

    #[test]
    fn if_match_syntax() {
        let re = regex::Regex::new(IF_MATCH_PATTERN).unwrap();
        for ok in ["", "*", "\"a1v2-ab\"", "W/\"x\"", "\"a\", \"b\"", "\"\""] {
            assert!(re.is_match(ok), "{ok}");
        }
        for bad in ["a1v2", "\"a", "*, \"a\"", "\"a\" \"b\"", "\"a b\""] {
            assert!(!re.is_match(bad), "{bad}");
        }
    }
}
