//! The OpenAPI document, generated from the handlers' annotations.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::articles::{actions, dto as article_dto, listing, routes as articles, workflow, writes};
use crate::error::{FieldError, ProblemDetails};
use crate::http::pagination::ListMeta;
use crate::{api_keys, auth, authors, comments, health, tags, users};

/// The API description served at `/openapi.json` and committed at
/// `openapi/openapi.json`.
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
    paths(
        health::live, health::ready, spec,
        articles::list, articles::get, articles::related,
        writes::create, writes::update, writes::delete,
        actions::submit, actions::publish, actions::unpublish, actions::archive,
        comments::routes::list_for_article, comments::posting::form, comments::posting::create,
        comments::moderation::list, comments::moderation::get,
        comments::moderation::update, comments::moderation::delete,
        authors::routes::list, authors::routes::get, authors::routes::create,
        authors::routes::update, authors::routes::delete,
        tags::routes::list, tags::routes::get, tags::routes::create,
        tags::routes::update, tags::routes::delete,
        auth::routes::login, auth::routes::refresh, auth::routes::logout,
        auth::routes::me, auth::routes::change_password,
        users::routes::list, users::routes::get, users::routes::create,
        users::routes::update, users::routes::delete,
        api_keys::routes::list, api_keys::routes::create, api_keys::routes::get,
        api_keys::routes::delete,
    ),
    components(schemas(
        ProblemDetails, FieldError, ListMeta, workflow::Status, listing::Sort,
        article_dto::ArticleResponse, article_dto::CreateArticleRequest,
        article_dto::UpdateArticleRequest, article_dto::PublishRequest,
    )),
    modifiers(&SecuritySchemes),
    tags(
        (name = "articles", description = "Articles: public reads and staff writes"),
        (name = "workflow", description = "Editorial workflow actions"),
        (name = "authors", description = "Author profiles"),
        (name = "tags", description = "Tags"),
        (name = "comments", description = "Reader comments: the form, posting, public threads and moderation"),
        (name = "auth", description = "Sign-in, tokens and your own account"),
        (name = "users", description = "User accounts (admins)"),
        (name = "api-keys", description = "API keys for frontends and integrators (admins)"),
        (name = "health", description = "Liveness and readiness probes"),
        (name = "meta", description = "The API description itself")
    )
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme used by staff operations.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "X-Api-Key",
                    "API key (read or preview scope)",
                ),
            )),
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

/// The document as pretty-printed JSON with a trailing newline.
pub fn spec_json() -> String {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serializes");
    crate::openapi_refine::refine(&mut doc);
    let mut json = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
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
