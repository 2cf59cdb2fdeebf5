//! The OpenAPI document, generated from the handlers' annotations.

use actix_web::HttpResponse;
use utoipa::OpenApi;

use crate::error::{FieldError, ProblemDetails};
use crate::health;

/// The API description served at `/openapi.json` and committed at
/// `openapi/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Headless CMS API",
        description = "JSON content API for news sites: articles, authors, tags and comments. \
                       Errors are RFC 9457 problem details (`application/problem+json`).",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(health::live, health::ready, spec),
    components(schemas(ProblemDetails, FieldError)),
    tags(
        (name = "health", description = "Liveness and readiness probes"),
        (name = "meta", description = "The API description itself")
    )
)]
pub struct ApiDoc;

/// The document as pretty-printed JSON with a trailing newline.
pub fn spec_json() -> String {
    let mut json = ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes");
    json.push('\n');
    json
}

/// This OpenAPI document.
#[utoipa::path(
    get, path = "/openapi.json", tag = "meta", operation_id = "get_openapi",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json"))
)]
pub async fn spec() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(spec_json())
}
