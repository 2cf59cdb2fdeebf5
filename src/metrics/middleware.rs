//! Records each request in [`super::Metrics`]: its route pattern (never the
//! raw path, so the series stay few), method, status and latency.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error};

use super::SeriesKey;
use crate::state::AppState;

/// Times the request and adds it to its series.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().as_str().to_owned();
    let res = next.call(req).await?;
    if let Some(state) = state {
        let key = SeriesKey {
            route,
            method,
            status: res.status().as_u16(),
        };
        state.metrics.observe(key, started.elapsed().as_secs_f64());
    }
    Ok(res)
}
