//! The one route table. Each path lists its methods; any other method gets
//! 405 with an `Allow` header, and unknown paths get a problem+json 404.

use actix_web::web::{self, ServiceConfig};

use crate::{health, openapi};

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
    resource!(cfg, "/openapi.json", get => openapi::spec);
}
