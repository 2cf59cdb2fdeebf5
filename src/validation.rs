//! Validated JSON bodies: `Valid<T>` extracts `web::Json<T>` (with its size,
//! content-type and syntax errors), then runs `validator` rules and rejects
//! NUL characters anywhere in the input (PostgreSQL cannot store them).
//!
//! Values that break a rule are rejected with 422, never truncated.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, ApiResult, FieldError};
use crate::extractors::json_error;
use crate::state::AppState;

/// A JSON body checked against its validation rules. The outcome is held
/// until the handler asks for it with [`Valid::into_inner`], after its
/// permission checks: a caller without rights gets 401/403, not a report on
/// their body.
#[derive(Debug)]
pub struct Valid<T>(ApiResult<T>);

impl<T> Valid<T> {
    /// The body, or its 400/413/415/422 problem.
    pub fn into_inner(self) -> ApiResult<T> {
        self.0
    }
}

impl<T> FromRequest for Valid<T>
where
    T: DeserializeOwned + Validate + Serialize + 'static,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(DEFAULT_BODY_LIMIT, |state| state.config.json_body_limit);
        let json = web::JsonBody::<Value>::new(req, payload, None, true).limit(limit);
        Box::pin(async move {
            let body = json.await.map_err(json_error).and_then(|value| {
                let body = from_object::<T>(value)?;
                check(&body)?;
                Ok(body)
            });
            Ok(Valid(body))
        })
    }
}

/// A request body must be a JSON object: serde would also build a struct
/// from an array (`[null, null]`), which no client means.
pub fn from_object<T: DeserializeOwned>(value: Value) -> ApiResult<T> {
    if !value.is_object() {
        return Err(ApiError::bad_request(
            "invalid_body",
            "the body must be a JSON object".to_owned(),
        ));
    }
    serde_json::from_value(value).map_err(|e| crate::extractors::deserialize_error(&e))
}

/// Body limit when no application state is present (unit tests).
const DEFAULT_BODY_LIMIT: usize = 1 << 20;

/// Runs the rules of `body`, mapping failures to a 422 with field errors.
pub fn check<T: Validate + Serialize>(body: &T) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if let Ok(value) = serde_json::to_value(body) {
        find_nul("", &value, &mut errors);
    }
    if let Err(e) = body.validate() {
        flatten("", &e, &mut errors);
    }
    if errors.is_empty() {
        return Ok(());
    }
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    let detail = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ");
    Err(ApiError::Unprocessable { detail, errors })
}

fn find_nul(path: &str, value: &Value, out: &mut Vec<FieldError>) {
    match value {
        Value::String(s) if s.contains('\0') => {
            out.push(FieldError::new(path, "must not contain NUL characters"))
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_nul(&format!("{path}[{i}]"), item, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                find_nul(&p, v, out);
            }
        }
        _ => {}
    }
}

fn flatten(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_else(|| describe(e));
                    out.push(FieldError::new(path.clone(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(&format!("{path}[{i}]"), inner, out);
                }
            }
        }
    }
}

/// A readable message for the built-in rules.
fn describe(e: &validator::ValidationError) -> String {
    let param = |name: &str| e.params.get(name).map(ToString::to_string);
    match e.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("length must be between {min} and {max} characters"),
            (None, Some(max)) => format!("must be at most {max} characters"),
            (Some(min), None) => format!("must be at least {min} characters"),
            _ => "invalid length".to_owned(),
        },
        "url" => "must be an absolute http(s) URL".to_owned(),
        "email" => "must be a valid email address".to_owned(),
        "range" => "out of range".to_owned(),
        other => format!("invalid ({other})"),
    }
}

/// URLs the API stores: `http(s)://`, a host name (labels start with a
/// letter), an optional port and printable ASCII after it. Written for both
/// ECMA-262 (JSON Schema) and Rust's `regex`, and published in the OpenAPI
/// document as the `pattern` of every URL field.
pub const HTTP_URL_PATTERN: &str = r"^https?://[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z][A-Za-z0-9-]*)*(:[0-9]{1,4})?([/?#][!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~]*)?$";

/// Slugs as the OpenAPI document describes them (ASCII letters and digits in
/// hyphen-separated words; a single word needs a letter, so a slug is never
/// a number). The server also accepts
/// lowercase letters of other scripts, which JSON Schema regexes cannot name
/// portably; see `docs/decisions.md`.
pub const SLUG_PATTERN: &str = "^(([a-z0-9]+-)+[a-z0-9]+|[0-9]*[a-z][a-z0-9]*)$";

/// Characters Rust's `char::is_whitespace` knows, as a regex class body.
const WHITESPACE_CLASS: &str =
    r"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Text that is not only whitespace and has no NUL character.
pub fn not_blank_pattern() -> String {
    format!(r"^[^\u0000]*[^\u0000{WHITESPACE_CLASS}][^\u0000]*$")
}

/// Any text without a NUL character (PostgreSQL cannot store one).
pub const NO_NUL_PATTERN: &str = r"^[^\u0000]*$";

fn http_url_regex() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(HTTP_URL_PATTERN).expect("valid URL pattern"))
}

/// `validator` rule: an absolute `http` or `https` URL of at most 2048
/// chars, matching [`HTTP_URL_PATTERN`].
pub fn http_url(value: &str) -> Result<(), validator::ValidationError> {
    let ok = value.len() <= 2048 && http_url_regex().is_match(value);
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("url"))
    }
}

fn slug_regex() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(SLUG_PATTERN).expect("valid slug pattern"))
}

/// `validator` rule for slugs a client chooses: [`SLUG_PATTERN`], at most
/// 80 characters. (Slugs generated from titles may use other scripts.)
pub fn slug(value: &str) -> Result<(), validator::ValidationError> {
    if value.len() <= crate::text::slug::MAX_SLUG_CHARS && slug_regex().is_match(value) {
        Ok(())
    } else {
        let mut e = validator::ValidationError::new("slug");
        e.message = Some(
            "must be lowercase a-z or 0-9 words joined by single hyphens (not a number), at most 80 characters"
                .into(),
        );
        Err(e)
    }
}

/// `validator` rule: not only whitespace (as [`not_blank_pattern`] says).
pub fn not_blank(value: &str) -> Result<(), validator::ValidationError> {
    if value.chars().all(char::is_whitespace) {
        let mut e = validator::ValidationError::new("blank");
        e.message = Some("must not be blank".into());
        Err(e)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::*;

    #[test]
    fn published_patterns_agree_with_the_validators() {
        let url = regex::Regex::new(HTTP_URL_PATTERN).unwrap();
        for ok in [
            "https://example.org",
            "http://cdn.example.org:8080/a/b.png?w=1&h=2#top",
        ] {
            assert!(url.is_match(ok) && http_url(ok).is_ok(), "{ok}");
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
            assert!(http_url(bad).is_err(), "{bad}");
        }
        let slug_re = regex::Regex::new(SLUG_PATTERN).unwrap();
        for s in ["news", "a-1", "2026-budget", "x", "a-b-c9", "12-34"] {
            assert!(slug_re.is_match(s) && slug(s).is_ok(), "{s}");
        }
        for s in ["", "2026", "-a", "a-", "a--b", "A", "a_b"] {
            assert!(!slug_re.is_match(s) && slug(s).is_err(), "{s}");
        }
        let text = regex::Regex::new(&not_blank_pattern()).unwrap();
        for (s, ok) in [
            ("a", true),
            (" a ", true),
            ("", false),
            (" \t\n", false),
            ("\u{3000}", false),
            ("a\u{0}", false),
        ] {
            assert_eq!(text.is_match(s), ok, "{s:?}");
        }
        assert!(not_blank(" \u{3000}\t").is_err());
        assert!(regex::Regex::new(NO_NUL_PATTERN).unwrap().is_match("plain"));
    }
}
