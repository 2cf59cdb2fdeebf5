//! The RFC 9457 body every error response carries.

use actix_web::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid input field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// The field, as named in the request (dotted for nested fields).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// RFC 9457 problem details, the body of every error response.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/not_found",
    "title": "Not Found",
    "status": 404,
    "detail": "article not found",
    "code": "not_found",
    "errors": []
}))]
pub struct ProblemDetails {
    /// URI reference naming the problem type (`/problems/<code>`).
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short summary: the HTTP reason phrase.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Human-readable explanation of this occurrence.
    pub detail: String,
    /// Stable machine-readable error code (snake_case).
    pub code: String,
    /// Invalid fields, when the request body or query was rejected.
    pub errors: Vec<FieldError>,
}

/// Builds problem details for a status and code.
pub fn problem(
    status: StatusCode,
    code: &str,
    detail: String,
    errors: Vec<FieldError>,
) -> ProblemDetails {
    ProblemDetails {
        type_uri: format!("/problems/{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        code: code.to_owned(),
        errors,
    }
}
