//! Validated JSON bodies. [`Valid<T>`] reads the body as `web::Json` would
//! (size, content type, syntax), then [`parse_body`] turns it into `T`:
//!
//! - not an object, a wrong type or an unknown field → 400;
//! - a value that breaks its type's rule (see [`crate::types`]), a `NUL`
//!   character anywhere, or a `validator` rule (list sizes) → 422 naming
//!   the field.
//!
//! Values that break a rule are rejected, never truncated.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use super::extractors::{deserialize_error, json_error};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::state::AppState;

/// A JSON body checked against its rules. The outcome is held until the
/// handler asks for it with [`Valid::into_inner`], after its permission
/// checks: a caller without rights gets 401/403, not a report on their body.
#[derive(Debug)]
pub struct Valid<T> {
    body: ApiResult<T>,
    fingerprint: String,
    /// No body came (`Content-Length: 0`, or neither a length nor a
    /// chunked encoding), or the body is JSON `null`.
    absent: bool,
}

impl<T> Valid<T> {
    /// The body, or its 400/413/415/422 problem.
    pub fn into_inner(self) -> ApiResult<T> {
        self.body
    }

    /// Like [`Valid::into_inner`] for an optional body: `None` when the
    /// request carries no body at all (whatever its `Content-Type`) or the
    /// body is `null`, the body or its problem otherwise.
    pub fn into_optional(self) -> ApiResult<Option<T>> {
        if self.absent {
            Ok(None)
        } else {
            self.body.map(Some)
        }
    }

    /// The body's content in one canonical form (keys sorted), to tell
    /// whether two requests carried the same body (`Idempotency-Key`).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

impl<T> FromRequest for Valid<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(DEFAULT_BODY_LIMIT, |state| state.config.json_body_limit);
        let no_body = has_no_body(req);
        let json = web::JsonBody::<Value>::new(req, payload, None, true).limit(limit);
        Box::pin(async move {
            let value = json.await.map_err(json_error);
            let fingerprint = value
                .as_ref()
                .map(|v| serde_json::to_string(v).unwrap_or_default())
                .unwrap_or_default();
            let absent = no_body || matches!(value, Ok(Value::Null));
            Ok(Valid {
                body: value.and_then(parse_body),
                fingerprint,
                absent,
            })
        })
    }
}

/// Whether the request's head says no body follows.
fn has_no_body(req: &HttpRequest) -> bool {
    let headers = req.headers();
    match headers.get(header::CONTENT_LENGTH) {
        Some(length) => length.to_str().is_ok_and(|l| l.trim() == "0"),
        None => !headers.contains_key(header::TRANSFER_ENCODING),
    }
}

/// Body limit when no application state is present (unit tests).
const DEFAULT_BODY_LIMIT: usize = 1 << 20;

/// A request body as `T`: it must be a JSON object (serde would also build
/// a struct from an array such as `[null, null]`, which no client means),
/// every value must keep its rules, and no string may hold NUL.
pub fn parse_body<T: DeserializeOwned + Validate>(value: Value) -> ApiResult<T> {
    if !value.is_object() {
        return Err(ApiError::bad_request(
            "invalid_body",
            "the body must be a JSON object".to_owned(),
        ));
    }
    let mut errors = Vec::new();
    find_nul("", &value, &mut errors);
    let body: T = match serde_path_to_error::deserialize(&value) {
        Ok(body) => body,
        Err(e) => {
            let inner = e.inner().to_string();
            let Some(message) = crate::types::broken_rule(&inner) else {
                return Err(deserialize_error(e.inner()));
            };
            errors.retain(|nul| nul.field != e.path().to_string());
            errors.push(FieldError::new(e.path().to_string(), message));
            return Err(unprocessable(errors));
        }
    };
    if let Err(e) = body.validate() {
        flatten("", &e, &mut errors);
    }
    if errors.is_empty() {
        Ok(body)
    } else {
        Err(unprocessable(errors))
    }
}

/// 422 listing `errors`, sorted by field.
fn unprocessable(mut errors: Vec<FieldError>) -> ApiError {
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    let detail = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ");
    ApiError::Unprocessable { detail, errors }
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
            (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
            (None, Some(max)) => format!("must have at most {max} items"),
            (Some(min), None) => format!("must have at least {min} items"),
            _ => "invalid length".to_owned(),
        },
        "range" => "out of range".to_owned(),
        other => format!("invalid ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{NonBlank, Slug};

    #[derive(Debug, serde::Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only deserialized")]
    struct Body {
        title: NonBlank<10>,
        slug: Option<Slug>,
        #[validate(length(max = 2))]
        #[serde(default)]
        tags: Vec<String>,
    }

    fn problem(value: Value) -> (u16, Vec<FieldError>) {
        match parse_body::<Body>(value) {
            Err(ApiError::Unprocessable { errors, .. }) => (422, errors),
            Err(ApiError::BadRequest { errors, .. }) => (400, errors),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn broken_rules_are_422_naming_the_field_and_shapes_400() {
        assert!(parse_body::<Body>(serde_json::json!({ "title": "Hi" })).is_ok());
        let (status, errors) = problem(serde_json::json!({ "title": "Hi", "slug": "No Slug" }));
        assert_eq!((status, errors[0].field.as_str()), (422, "slug"));
        let (status, errors) = problem(serde_json::json!({ "title": "   " }));
        assert_eq!(
            (status, errors[0].message.as_str()),
            (422, "must not be blank")
        );
        let (status, errors) = problem(serde_json::json!({ "title": "a\u{0}b" }));
        assert_eq!((status, errors.len()), (422, 1));
        let (status, _) = problem(serde_json::json!({ "title": 3 }));
        assert_eq!(status, 400);
        let (status, errors) = problem(serde_json::json!({ "title": "x", "role": "admin" }));
        assert_eq!((status, errors[0].field.as_str()), (400, "role"));
        let (status, errors) =
            problem(serde_json::json!({ "title": "x", "tags": ["a", "b", "c"] }));
        assert_eq!((status, errors[0].field.as_str()), (422, "tags"));
        assert_eq!(problem(serde_json::json!([])).0, 400);
    }
}
