//! `GET /metrics`: the Prometheus text format, written by hand. Served only
//! when `METRICS_TOKEN` is set, to callers presenting it as a bearer token.

use std::fmt::Write as _;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{database_errors, BUCKETS};
use crate::auth::caller::constant_time_eq;
use crate::db::PoolStatus;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Answers the metrics, or 404 when they are off and 401 without the token.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let Some(token) = &state.config.metrics_token else {
        return Err(ApiError::NotFound("no such resource".to_owned()));
    };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !constant_time_eq(presented.trim().as_bytes(), token.expose().as_bytes()) {
        return Err(ApiError::Unauthorized(
            "the metrics need the METRICS_TOKEN bearer token".to_owned(),
        ));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(render(&state)))
}

/// The whole exposition.
pub fn render(state: &AppState) -> String {
    let mut out = String::with_capacity(8 * 1024);
    requests(&mut out, state);
    pools(&mut out, state);
    cache(&mut out, state);
    family(
        &mut out,
        "cms_database_errors_total",
        "counter",
        "Database errors answered as 500 or 503 (whole process)",
    );
    let _ = writeln!(out, "cms_database_errors_total {}", database_errors());
    out
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Label values escaped as the format asks (`\`, `"` and newlines).
fn escape(value: &str) -> String {
    value
        .replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('\n', r"\n")
}

fn requests(out: &mut String, state: &AppState) {
    let series = state.metrics.snapshot();
    family(
        out,
        "cms_http_requests_total",
        "counter",
        "Requests answered, by route pattern, method and status",
    );
    for (key, s) in &series {
        let _ = writeln!(
            out,
            "cms_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}",
            escape(&key.route),
            key.method,
            key.status,
            s.count
        );
    }
    family(
        out,
        "cms_http_request_duration_seconds",
        "histogram",
        "Time from request to answer, by route pattern, method and status",
    );
    for (key, s) in &series {
        let labels = format!(
            "route=\"{}\",method=\"{}\",status=\"{}\"",
            escape(&key.route),
            key.method,
            key.status
        );
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(s.buckets) {
            cumulative += n;
            let _ = writeln!(
                out,
                "cms_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "cms_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\n\
             cms_http_request_duration_seconds_sum{{{labels}}} {}\n\
             cms_http_request_duration_seconds_count{{{labels}}} {}",
            s.count, s.sum, s.count
        );
    }
}

/// A pool gauge: its name, help and how it is read from a status.
type PoolGauge = (&'static str, &'static str, fn(&PoolStatus) -> usize);

fn pools(out: &mut String, state: &AppState) {
    let pools = state.db.pool_status();
    let gauges: [PoolGauge; 4] = [
        (
            "cms_db_pool_max_connections",
            "Most connections the pool may hold",
            |p| p.max_size,
        ),
        ("cms_db_pool_connections", "Connections open", |p| p.size),
        ("cms_db_pool_in_use", "Connections checked out", |p| {
            p.size.saturating_sub(p.available)
        }),
        (
            "cms_db_pool_waiters",
            "Tasks waiting for a connection",
            |p| p.waiting,
        ),
    ];
    for (name, help, value) in gauges {
        family(out, name, "gauge", help);
        for pool in &pools {
            let _ = writeln!(out, "{name}{{pool=\"{}\"}} {}", pool.name, value(pool));
        }
    }
}

fn cache(out: &mut String, state: &AppState) {
    let stats = state.cache.stats();
    let figures = [
        (
            "cms_cache_hits_total",
            "counter",
            "Public reads answered from the cache",
            stats.hits,
        ),
        (
            "cms_cache_misses_total",
            "counter",
            "Cacheable public reads that went to the database",
            stats.misses,
        ),
        (
            "cms_cache_evictions_total",
            "counter",
            "Answers evicted to stay within CACHE_MAX_BYTES",
            stats.evictions,
        ),
        (
            "cms_cache_bytes",
            "gauge",
            "Bytes the cached answers take",
            stats.bytes,
        ),
        (
            "cms_cache_entries",
            "gauge",
            "Answers in the cache",
            stats.entries,
        ),
        (
            "cms_content_generation",
            "gauge",
            "Last content generation this instance knows",
            stats.generation,
        ),
    ];
    for (name, kind, help, value) in figures {
        family(out, name, kind, help);
        let _ = writeln!(out, "{name} {value}");
    }
}
