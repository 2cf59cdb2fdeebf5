//! Liveness and readiness probes.

use std::time::Duration;

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api_docs::responses::Unavailable;
use crate::error::ApiResult;
use crate::state::AppState;

/// How long `/health/ready` waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// Probe answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthResponse {
    /// Always `ok` when the probe succeeds.
    #[schema(example = "ok")]
    pub status: String,
    /// The database backend (`postgres` or `sqlite`); readiness only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "postgres")]
    pub database: Option<String>,
}

/// Liveness: the process is up and serving HTTP. Never touches the database.
#[utoipa::path(
    tag = "health", operation_id = "get_health_live",
    security(()),
    responses((status = 200, description = "The process is alive", body = HealthResponse))
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(HealthResponse {
            status: "ok".to_owned(),
            database: None,
        })
}

/// Readiness: the database answers a ping within 2 seconds.
#[utoipa::path(
    tag = "health", operation_id = "get_health_ready",
    security(()),
    responses(
        (status = 200, description = "Ready to serve traffic", body = HealthResponse),
        Unavailable,
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    state.db.ping(READY_TIMEOUT).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(HealthResponse {
            status: "ok".to_owned(),
            database: Some(state.config.database_url.backend_name().to_owned()),
        }))
}
