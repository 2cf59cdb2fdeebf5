//! Cross-cutting response middleware: security headers and the
//! problem+json safety net for errors produced outside our handlers.

use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::http::Method;
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpRequest, HttpResponse};

use crate::error::{problem, PROBLEM_JSON};

/// Headers every response carries.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
}

/// Rewrites any error response that is not already problem+json.
pub fn problem_fallback<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(|res: ServiceResponse<B>| {
        let is_problem = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(PROBLEM_JSON));
        if is_problem {
            return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
        }
        let (req, original) = res.into_parts();
        let status = original.status();
        let code = status
            .canonical_reason()
            .unwrap_or("error")
            .to_ascii_lowercase()
            .replace([' ', '-'], "_");
        let detail = if status.is_server_error() {
            tracing::error!(status = status.as_u16(), "unhandled server error response");
            "an unexpected error occurred; it has been logged".to_owned()
        } else if is_cors_refusal(&req) {
            "CORS preflight refused: an Origin on the CORS_ORIGINS list, an allowed Access-Control-Request-Method and allowed headers are required"
                .to_owned()
        } else {
            status.canonical_reason().unwrap_or("error").to_owned()
        };
        let mut builder = HttpResponse::build(status);
        // Keep what the layers below said (Allow, Retry-After, CORS headers…),
        // only the body and its type change.
        for (name, value) in original.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                builder.append_header((name.clone(), value.clone()));
            }
        }
        let body =
            builder
                .content_type(PROBLEM_JSON)
                .json(problem(status, &code, detail, Vec::new()));
        Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, body).map_into_right_body(),
        ))
    })
}

/// An `OPTIONS` request: the CORS layer answers every one as a preflight,
/// so an error here is a refused preflight.
fn is_cors_refusal(req: &HttpRequest) -> bool {
    req.method() == Method::OPTIONS
}

/// Refuses any request whose path or query string holds a NUL character
/// (`%00`): no resource has one in its name, PostgreSQL cannot compare
/// text containing one, and catching it here covers every route and
/// parameter, today's and tomorrow's.
pub async fn refuse_nul(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<
    ServiceResponse<actix_web::body::EitherBody<impl actix_web::body::MessageBody>>,
    actix_web::Error,
> {
    let uri = req.uri();
    let has_nul = |s: &str| s.contains('\0') || s.to_ascii_lowercase().contains("%00");
    if has_nul(uri.path()) || uri.query().is_some_and(has_nul) {
        let problem = crate::error::ApiError::bad_request(
            "invalid_request",
            "NUL characters (%00) are not allowed in a URL",
        );
        let response = actix_web::ResponseError::error_response(&problem);
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
