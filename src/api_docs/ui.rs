//! Interactive API documentation at `/docs`: Swagger UI compiled into the
//! binary (the `vendored` feature), reading `/openapi.json`. Works offline.

use std::sync::{Arc, OnceLock};

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use utoipa_swagger_ui::Config;

use crate::error::{ApiError, ApiResult};

fn config() -> Arc<Config<'static>> {
    static CONFIG: OnceLock<Arc<Config<'static>>> = OnceLock::new();
    CONFIG
        .get_or_init(|| Arc::new(Config::new(["/openapi.json"]).try_it_out_enabled(true)))
        .clone()
}

/// The Swagger UI page and its assets.
pub async fn asset(path: web::Path<String>) -> ApiResult<HttpResponse> {
    let file = utoipa_swagger_ui::serve(&path, config())
        .map_err(|e| ApiError::internal(format!("swagger ui: {e}")))?
        .ok_or_else(|| ApiError::NotFound(format!("no documentation asset {}", path.as_str())))?;
    Ok(HttpResponse::Ok()
        .content_type(file.content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(file.bytes.into_owned()))
}
