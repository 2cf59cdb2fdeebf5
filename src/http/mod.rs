//! HTTP plumbing shared by every resource: extractors and their
//! problem+json errors, body validation, list envelopes and pagination,
//! conditional requests and caching, middleware, and common parameters.

pub mod body_deadline;
pub mod caching;
pub mod client_ip;
pub mod extractors;
pub mod json_int;
pub mod middleware;
pub mod pagination;
pub mod params;
pub mod patch;
pub mod request_log;
pub mod validation;

use actix_web::http::header;
use actix_web::HttpResponse;
use serde::Serialize;

/// 200 with a private, uncached JSON body (answers to writes).
pub fn fresh(body: &impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// 204 No Content (after a delete).
pub fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// Query of simple paginated lists (`page`, `per_page`).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}
