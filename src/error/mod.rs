//! One error type for the whole API, rendered as RFC 9457 problem details.
//!
//! Every failure, including actix's own extractor errors, unknown routes and
//! wrong methods, leaves the server as `application/problem+json` with a
//! stable snake_case `code`. 5xx responses log their cause and return a
//! generic body.

mod database;
mod problem;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use crate::telemetry::flood;

pub use problem::{problem, FieldError, ProblemDetails, PROBLEM_JSON};

/// Everything that can go wrong in a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed (syntax, unknown field or parameter).
    #[error("{detail}")]
    BadRequest {
        /// Stable code, e.g. `invalid_json`, `invalid_query`.
        code: &'static str,
        /// Explanation.
        detail: String,
        /// Offending fields.
        errors: Vec<FieldError>,
    },
    /// 401: missing or invalid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: authenticated but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such resource (or not visible to the caller).
    #[error("{0}")]
    NotFound(String),
    /// 405: the route exists but not with this method.
    #[error("method not allowed; allowed: {allow}")]
    MethodNotAllowed {
        /// Value of the `Allow` header.
        allow: String,
    },
    /// 408: the request body did not arrive in time.
    #[error("{0}")]
    RequestTimeout(String),
    /// 409: conflicts with the current state (duplicate, illegal transition).
    #[error("{detail}")]
    Conflict {
        /// Stable code, e.g. `duplicate`, `invalid_transition`.
        code: &'static str,
        /// Explanation.
        detail: String,
    },
    /// 409: a unique value (a slug, an email…) is already taken.
    #[error("{field}: already taken")]
    Duplicate {
        /// The request field holding the value (the column that clashed).
        field: String,
    },
    /// 409: a well-formed reference to something that does not exist (yet),
    /// e.g. an unknown tag slug or author id.
    #[error("{field}: {detail}")]
    UnknownReference {
        /// The request field holding the reference.
        field: &'static str,
        /// What was not found.
        detail: String,
    },
    /// 412: `If-Match` did not match the current ETag.
    #[error("{0}")]
    PreconditionFailed(String),
    /// 413: the body is larger than allowed.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 416: a `Range` outside the file.
    #[error("the range is outside the file of {size} bytes")]
    RangeNotSatisfiable {
        /// The file's size (`Content-Range: bytes */size`).
        size: u64,
    },
    /// 415: the body is not `application/json`.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: well-formed but invalid values.
    #[error("{detail}")]
    Unprocessable {
        /// Explanation.
        detail: String,
        /// Offending fields.
        errors: Vec<FieldError>,
    },
    /// 429: throttled; retry after the given seconds.
    #[error("too many requests; retry after {retry_after_secs} s")]
    TooManyRequests {
        /// Seconds until a retry may succeed (`Retry-After`).
        retry_after_secs: u64,
    },
    /// 503: a dependency (the database) is unavailable.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// 500: a bug or unexpected failure; the cause is logged, never returned.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Result alias for handlers and services.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// 400 with a code and explanation.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// 422 for a single invalid field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Unprocessable {
            detail: format!("{field}: {message}"),
            errors: vec![FieldError::new(field, message)],
        }
    }

    /// 500 from any displayable cause (logged, not shown).
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. } | Self::Conflict { code, .. } => code,
            Self::UnknownReference { .. } => "unknown_reference",
            Self::Duplicate { .. } => "duplicate",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::RequestTimeout(_) => "request_timeout",
            Self::PreconditionFailed(_) => "precondition_failed",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::RangeNotSatisfiable { .. } => "range_not_satisfiable",
            Self::Unprocessable { .. } => "validation_failed",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::Unavailable(_) => "service_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }

    /// The body shown to the client; 5xx details stay in the logs.
    pub fn problem(&self) -> ProblemDetails {
        let status = self.status_code();
        let detail = match self {
            Self::Internal(_) => "an unexpected error occurred; it has been logged".to_owned(),
            Self::Unavailable(_) => {
                "the service is temporarily unavailable; retry shortly".to_owned()
            }
            other => other.to_string(),
        };
        let errors = match self {
            Self::BadRequest { errors, .. } | Self::Unprocessable { errors, .. } => errors.clone(),
            Self::UnknownReference { field, detail } => {
                vec![FieldError::new(*field, detail.clone())]
            }
            Self::Duplicate { field } => vec![FieldError::new(field, "already taken")],
            _ => Vec::new(),
        };
        problem(status, self.code(), detail, errors)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Conflict { .. } | Self::UnknownReference { .. } | Self::Duplicate { .. } => {
                StatusCode::CONFLICT
            }
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RangeNotSatisfiable { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        // The first of a kind at once, then a count (telemetry::flood).
        match self {
            Self::Internal(cause) if flood::first("internal error") => {
                tracing::error!(error.cause = %cause, "request failed")
            }
            Self::Unavailable(cause) if flood::first("database unavailable") => {
                tracing::warn!(error.cause = %cause, "dependency unavailable")
            }
            _ => {}
        }
        let mut builder = HttpResponse::build(self.status_code());
        match self {
            Self::MethodNotAllowed { allow } => {
                builder.insert_header((header::ALLOW, allow.as_str()));
            }
            Self::TooManyRequests { retry_after_secs } => {
                builder.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Unavailable(_) => {
                builder.insert_header((header::RETRY_AFTER, "5"));
            }
            Self::Unauthorized(_) => {
                builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::RangeNotSatisfiable { size } => {
                builder.insert_header((header::CONTENT_RANGE, format!("bytes */{size}")));
            }
            // The rest of the body may still be on its way: do not reuse
            // the connection.
            Self::RequestTimeout(_) => {
                builder.force_close();
            }
            _ => {}
        }
        builder
            .content_type(PROBLEM_JSON)
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(self.problem())
    }
}

/// `Option` → 404 for model lookups: `find(…).await?.or_not_found("tag")?`.
pub trait OrNotFound<T> {
    /// The value, or a 404 saying `what` was not found.
    fn or_not_found(self, what: &str) -> ApiResult<T>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_not_found(self, what: &str) -> ApiResult<T> {
        self.ok_or_else(|| ApiError::NotFound(format!("{what} not found")))
    }
}
