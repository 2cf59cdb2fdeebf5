//! The OpenAPI document: generated from the route list ([`crate::routes`])
//! and the handlers' annotations, built once and served at `/openapi.json`.
//! Everything in it comes from the code: rules from the types that carry
//! them (`crate::types`), shared answers from [`responses`].

pub mod responses;
pub mod ui;

use std::sync::OnceLock;

use actix_web::{get, App, HttpResponse};
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::articles::cursor::Cursor;
use crate::articles::listing::Sort;
use crate::articles::params::{ArticleField, Include};
use crate::error::{FieldError, ProblemDetails};
use crate::http::caching::IfMatch;
use crate::http::pagination::ListMeta;
use crate::idempotency::IdempotencyKeyHeader;
use crate::types::NO_NUL_PATTERN;

/// What the document says besides its paths (which come from the routes).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Headless CMS API",
        description = "JSON content API for news sites: articles, authors, tags and comments. \
                       Errors are RFC 9457 problem details (`application/problem+json`).",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0")
    ),
    servers(
        (url = "/", description = "The server that serves this document")
    ),
    // Schemas only parameters name (the route list collects the rest).
    components(schemas(
        ProblemDetails, FieldError, ListMeta, Sort, Cursor, IfMatch, IdempotencyKeyHeader,
        ArticleField, Include
    )),
    modifiers(&SecuritySchemes),
    tags(
        (name = "articles", description = "Articles: public reads and staff writes"),
        (name = "workflow", description = "Editorial workflow actions"),
        (name = "revisions", description = "Every version of an article: list, diff against the current text, restore"),
        (name = "authors", description = "Author profiles"),
        (name = "tags", description = "Tags"),
        (name = "comments", description = "Reader comments: the form, posting, public threads and moderation"),
        (name = "auth", description = "Sign-in, tokens and your own account"),
        (name = "users", description = "User accounts (admins)"),
        (name = "media", description = "The media library: image uploads, their sizes and description, and the files"),
        (name = "api-keys", description = "API keys for frontends and integrators (admins)"),
        (name = "webhooks", description = "Signed webhooks: endpoints, their delivery log and redelivery (admins)"),
        (name = "feeds", description = "RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the newest published articles: the site's, a tag's, an author's"),
        (name = "sitemaps", description = "Sitemaps of the published articles, and a Google News sitemap"),
        (name = "audit", description = "The audit log: who did what, when and from where (admins)"),
        (name = "health", description = "Liveness and readiness probes"),
        (name = "meta", description = "The API description itself")
    )
)]
struct ApiDoc;

/// Declares the `bearer` and `api_key` security schemes.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "API key (read or preview scope)",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Staff access token (JWT from /api/v1/auth/login) or an API key",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document, generated from the route list.
pub fn generated() -> utoipa::openapi::OpenApi {
    let mut doc = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::api)
        .split_for_parts()
        .1;
    no_nul_in_parameters(&mut doc);
    doc
}

/// The server refuses a NUL in any URL (`http::middleware`), so every
/// string parameter without a rule of its own (a pattern, an enum, a
/// format) says it takes none.
fn no_nul_in_parameters(doc: &mut utoipa::openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let Some(RefOr::T(Schema::Object(schema))) = &mut parameter.schema {
                    let unruled = schema.pattern.is_none()
                        && schema.enum_values.is_none()
                        && schema.format.is_none();
                    if schema.schema_type == SchemaType::Type(Type::String) && unruled {
                        schema.pattern = Some(NO_NUL_PATTERN.to_owned());
                    }
                }
            }
        }
    }
}

/// The document as served and committed: pretty-printed JSON with a
/// trailing newline, built once.
pub fn spec_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut json = generated()
            .to_pretty_json()
            .expect("the OpenAPI document serializes");
        json.push('\n');
        json
    })
}

/// This OpenAPI document.
#[utoipa::path(
    tag = "meta", operation_id = "get_openapi",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json"))
)]
#[get("/openapi.json")]
pub async fn spec() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(spec_json())
}
