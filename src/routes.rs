//! The one route table. Each path lists its methods; any other method gets
//! 405 with an `Allow` header, and unknown paths get a problem+json 404.

use actix_web::web::{self, ServiceConfig};

use crate::articles::{actions, routes as articles, writes};
use crate::{api_keys, auth, authors, comments, docs_ui, health, openapi, tags, users};

/// Registers a path with its method handlers and a 405 fallback.
macro_rules! resource {
    ($cfg:expr, $path:expr, $($method:ident => $handler:expr),+ $(,)?) => {{
        let allow: String = [$(stringify!($method)),+].join(", ").to_uppercase();
        $cfg.service(
            web::resource($path)
                $(.route(web::$method().to($handler)))+
                .default_service(web::to(move || {
                    let allow = allow.clone();
                    async move { Err::<actix_web::HttpResponse, _>($crate::error::ApiError::MethodNotAllowed { allow }) }
                })),
        );
    }};
}

/// Mounts every route of the service.
pub fn configure(cfg: &mut ServiceConfig) {
    resource!(cfg, "/health/live", get => health::live);
    resource!(cfg, "/health/ready", get => health::ready);

    resource!(cfg, "/api/v1/articles", get => articles::list, post => writes::create);
    resource!(cfg, "/api/v1/articles/{id_or_slug}",
        get => articles::get, patch => writes::update, delete => writes::delete);
    resource!(cfg, "/api/v1/articles/{id_or_slug}/related", get => articles::related);
    resource!(cfg, "/api/v1/articles/{id_or_slug}/comments",
        get => comments::routes::list_for_article, post => comments::posting::create);
    resource!(cfg, "/api/v1/articles/{id_or_slug}/comment-form", get => comments::posting::form);
    resource!(cfg, "/api/v1/comments", get => comments::moderation::list);
    resource!(cfg, "/api/v1/comments/{id}",
        get => comments::moderation::get, patch => comments::moderation::update,
        delete => comments::moderation::delete);
    resource!(cfg, "/api/v1/articles/{id_or_slug}/submit", post => actions::submit);
    resource!(cfg, "/api/v1/articles/{id_or_slug}/publish", post => actions::publish);
    resource!(cfg, "/api/v1/articles/{id_or_slug}/unpublish", post => actions::unpublish);
    resource!(cfg, "/api/v1/articles/{id_or_slug}/archive", post => actions::archive);

    resource!(cfg, "/api/v1/authors", get => authors::routes::list, post => authors::routes::create);
    resource!(cfg, "/api/v1/authors/{id_or_slug}",
        get => authors::routes::get, patch => authors::routes::update, delete => authors::routes::delete);

    resource!(cfg, "/api/v1/auth/login", post => auth::routes::login);
    resource!(cfg, "/api/v1/auth/refresh", post => auth::routes::refresh);
    resource!(cfg, "/api/v1/auth/logout", post => auth::routes::logout);
    resource!(cfg, "/api/v1/me", get => auth::routes::me);
    resource!(cfg, "/api/v1/me/password", post => auth::routes::change_password);

    resource!(cfg, "/api/v1/users", get => users::routes::list, post => users::routes::create);
    resource!(cfg, "/api/v1/users/{id}",
        get => users::routes::get, patch => users::routes::update, delete => users::routes::delete);

    resource!(cfg, "/api/v1/api-keys", get => api_keys::routes::list, post => api_keys::routes::create);
    resource!(cfg, "/api/v1/api-keys/{id}",
        get => api_keys::routes::get, delete => api_keys::routes::delete);

    resource!(cfg, "/api/v1/tags", get => tags::routes::list, post => tags::routes::create);
    resource!(cfg, "/api/v1/tags/{id_or_slug}",
        get => tags::routes::get, patch => tags::routes::update, delete => tags::routes::delete);

    // Last: the router tries resources in order, and `/docs/{path:.*}` is a
    // regex match that API requests should not pay for.
    resource!(cfg, "/openapi.json", get => openapi::spec);
    resource!(cfg, "/docs", get => docs_ui::redirect);
    resource!(cfg, "/docs/{path:.*}", get => docs_ui::asset);
}
