//! The one route list. Every handler is registered here once: the router
//! takes its path and method from the handler's `#[get("…")]`-style
//! attribute, and the OpenAPI document collects the same handlers (with
//! their `#[utoipa::path]`) from this list. A documented path asked with a
//! method it does not have gets 405 with an `Allow` header; unknown paths
//! get a problem+json 404.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::articles::{actions, revision_routes, routes as articles, trash, writes};
use crate::error::ApiError;
use crate::{
    api_docs, api_keys, audit, auth, authors, comments, feeds, health, media, sitemaps, tags,
    users, webhooks,
};

/// Every documented route. The router tries them in this order, so the
/// busiest public reads come first.
pub fn api(cfg: &mut ServiceConfig) {
    cfg.service(articles::get)
        .service(articles::list)
        .service(articles::related)
        .service(comments::routes::list_for_article)
        .service(authors::routes::get)
        .service(authors::routes::list)
        .service(tags::routes::get)
        .service(tags::routes::list)
        .service(media::serve::file)
        .service(feeds::routes::site_rss_feed)
        .service(feeds::routes::site_atom_feed)
        .service(feeds::routes::site_json_feed)
        .service(feeds::routes::tag_rss_feed)
        .service(feeds::routes::tag_atom_feed)
        .service(feeds::routes::tag_json_feed)
        .service(feeds::routes::author_rss_feed)
        .service(feeds::routes::author_atom_feed)
        .service(feeds::routes::author_json_feed)
        .service(sitemaps::routes::index)
        .service(sitemaps::routes::page)
        .service(sitemaps::routes::news)
        .service(comments::posting::form)
        .service(comments::posting::create)
        .service(writes::create)
        .service(writes::update)
        .service(trash::delete)
        .service(trash::restore)
        .service(actions::submit)
        .service(actions::publish)
        .service(actions::unpublish)
        .service(actions::archive)
        .service(revision_routes::list)
        .service(revision_routes::get)
        .service(revision_routes::restore)
        .service(comments::moderation::list)
        .service(comments::moderation::get)
        .service(comments::moderation::update)
        .service(comments::moderation::delete)
        .service(authors::routes::create)
        .service(authors::routes::update)
        .service(authors::routes::delete)
        .service(tags::routes::create)
        .service(tags::routes::update)
        .service(tags::routes::delete)
        .service(auth::routes::login)
        .service(auth::routes::refresh)
        .service(auth::routes::logout)
        .service(auth::routes::me)
        .service(auth::routes::change_password)
        .service(users::routes::list)
        .service(users::routes::get)
        .service(users::routes::create)
        .service(users::routes::update)
        .service(users::routes::delete)
        .service(api_keys::routes::list)
        .service(api_keys::routes::get)
        .service(api_keys::routes::create)
        .service(api_keys::routes::delete)
        .service(media::routes::upload)
        .service(media::routes::list)
        .service(media::routes::get)
        .service(media::routes::update)
        .service(media::routes::delete)
        .service(audit::routes::list)
        .service(crate::articles::preview::preview)
        .service(webhooks::routes::list)
        .service(webhooks::routes::create)
        .service(webhooks::routes::get)
        .service(webhooks::routes::update)
        .service(webhooks::routes::delete)
        .service(webhooks::deliveries::list)
        .service(webhooks::deliveries::redeliver)
        .service(health::live)
        .service(health::ready)
        .service(api_docs::spec);
}

/// After [`api`]: every documented path answers the methods it lacks with
/// 405 and the `Allow` header; then `/metrics` (operators' only, outside
/// the API document), the web admin and the documentation UI (last, since
/// `/admin/{path:.*}` and `/docs/{path:.*}` are regex matches API requests
/// should not pay for).
pub fn fallbacks(cfg: &mut web::ServiceConfig) {
    for (path, allow) in allowed_methods() {
        cfg.service(web::resource(path.as_str()).default_service(not_allowed(allow)));
    }
    cfg.service(
        web::resource("/metrics")
            .get(crate::metrics::serve)
            .default_service(not_allowed("GET")),
    );
    cfg.service(
        web::resource("/admin")
            .route(to_folder("/admin/"))
            .default_service(not_allowed("GET")),
    )
    .service(
        web::resource("/admin/{path:.*}")
            .get(crate::admin::file)
            .default_service(not_allowed("GET")),
    );
    cfg.service(
        web::resource("/docs")
            .route(to_folder("/docs/"))
            .default_service(not_allowed("GET")),
    )
    .service(
        web::resource("/docs/{path:.*}")
            .get(api_docs::ui::asset)
            .default_service(not_allowed("GET")),
    );
}

/// `GET /folder` → 308 to `/folder/`: the page there loads its files
/// relative to itself.
fn to_folder(folder: &'static str) -> actix_web::Route {
    web::get().to(move || async move {
        HttpResponse::PermanentRedirect()
            .insert_header((header::LOCATION, folder))
            .finish()
    })
}

/// A handler answering 405 with `Allow: allow`.
fn not_allowed(allow: &str) -> actix_web::Route {
    let allow = allow.to_owned();
    web::to(move || {
        let allow = allow.clone();
        async move { Err::<HttpResponse, _>(ApiError::MethodNotAllowed { allow }) }
    })
}

/// Each documented path with its methods (`GET, POST`), from the document.
fn allowed_methods() -> &'static BTreeMap<String, String> {
    static ALLOWED: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    ALLOWED.get_or_init(|| {
        let doc: serde_json::Value =
            serde_json::from_str(api_docs::spec_json()).expect("the OpenAPI document is JSON");
        doc["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(path, item)| {
                let methods: Vec<String> = item
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(method, _)| method.to_uppercase())
                    .collect();
                (path.clone(), methods.join(", "))
            })
            .collect()
    })
}
