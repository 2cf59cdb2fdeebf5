//! Error handlers installed on actix's JSON, path and query extractors, so
//! their failures are problem+json like every other error.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::{ApiError, FieldError};

/// JSON body config: size limit, content type and problem+json errors.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .content_type_required(true)
        .error_handler(|err, _req| json_error(err).into())
}

/// Path parameter config: a malformed id is a 400, never a 500.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| path_error(err).into())
}

/// Query string config: unknown or malformed parameters are a 400.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| query_error(err).into())
}

/// Maps a JSON body failure to 400/413/415.
pub fn json_error(err: JsonPayloadError) -> ApiError {
    match err {
        JsonPayloadError::OverflowKnownLength { length, limit } => ApiError::PayloadTooLarge(
            format!("body of {length} bytes exceeds the limit of {limit} bytes"),
        ),
        JsonPayloadError::Overflow { limit } => {
            ApiError::PayloadTooLarge(format!("body exceeds the limit of {limit} bytes"))
        }
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType("request body must be application/json".to_owned())
        }
        JsonPayloadError::Deserialize(e) => deserialize_error(&e),
        JsonPayloadError::Payload(e) => {
            ApiError::bad_request("invalid_body", format!("could not read the body: {e}"))
        }
        other => ApiError::bad_request("invalid_body", other.to_string()),
    }
}

/// A serde_json failure: syntax errors and shape errors are both 400.
pub fn deserialize_error(e: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let (code, detail) = match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ("invalid_json", format!("malformed JSON: {e}"))
        }
        Category::Data => (
            "invalid_body",
            format!("the body does not match the expected shape: {e}"),
        ),
    };
    let errors = unknown_field(&e.to_string())
        .map(|f| vec![FieldError::new(f, "unknown field")])
        .unwrap_or_default();
    ApiError::BadRequest {
        code,
        detail,
        errors,
    }
}

/// Extracts the name from serde's "unknown field `x`" message.
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_owned())
}

fn path_error(err: PathError) -> ApiError {
    let PathError::Deserialize(e) = err else {
        return ApiError::bad_request("invalid_path", err.to_string());
    };
    ApiError::bad_request("invalid_path", format!("invalid path parameter: {e}"))
}

pub(crate) fn query_error(err: QueryPayloadError) -> ApiError {
    let message = match &err {
        QueryPayloadError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    let errors = unknown_field(&message)
        .map(|f| vec![FieldError::new(f, "unknown query parameter")])
        .unwrap_or_default();
    ApiError::BadRequest {
        code: "invalid_query",
        detail: format!("invalid query string: {message}"),
        errors,
    }
}

/// Default service: no route matches the path.
pub async fn route_not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!("no route for {}", req.path())))
}

/// Parses an optional JSON body: empty or `null` → `T::default()`; otherwise it must be
/// `application/json` and match `T` (same errors as the JSON extractor).
pub fn optional_json<T>(req: &HttpRequest, body: &[u8]) -> Result<T, ApiError>
where
    T: serde::de::DeserializeOwned + Default + validator::Validate,
{
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let is_json = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<actix_web::mime::Mime>().ok())
        .is_some_and(|m| {
            m.subtype() == actix_web::mime::JSON || m.suffix() == Some(actix_web::mime::JSON)
        });
    if !is_json {
        return Err(json_error(JsonPayloadError::ContentType));
    }
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| deserialize_error(&e))?;
    if value.is_null() {
        return Ok(T::default());
    }
    super::validation::parse_body(value)
}
