//! One structured log line per request, inside a span carrying the request
//! id, which is also returned as `X-Request-Id`. A client or proxy may send
//! its own id (up to 64 characters of `A-Z a-z 0-9 - _ .`); otherwise one is
//! made. Nothing is formatted unless the log level lets the line through.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage as _};
use tracing::Instrument as _;

/// The request's id, in its extensions for whoever records it (the audit
/// log).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

fn request_id(req: &ServiceRequest) -> HeaderValue {
    let given = req.headers().get(&REQUEST_ID).filter(|v| {
        let b = v.as_bytes();
        !b.is_empty()
            && b.len() <= 64
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    });
    match given {
        Some(value) => value.clone(),
        None => HeaderValue::from_str(&format!("{:032x}", rand::random::<u128>()))
            .expect("hex is a valid header value"),
    }
}

/// Logs the request (method, path, status, latency) with its id.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = request_id(&req);
    req.extensions_mut()
        .insert(RequestId(id.to_str().unwrap_or_default().to_owned()));
    let started = Instant::now();
    let span = tracing::info_span!(
        "request",
        request_id = id.to_str().unwrap_or_default(),
        method = %req.method(),
        path = req.path(),
    );
    let result = next.call(req).instrument(span.clone()).await;
    let mut res = result?;
    let status = res.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _entered = span.enter();
    if status >= 500 && crate::telemetry::flood::first("server error response") {
        tracing::error!(status, latency_ms, "request failed");
    } else {
        tracing::info!(status, latency_ms, "request completed");
    }
    res.headers_mut().insert(REQUEST_ID, id);
    Ok(res)
}
