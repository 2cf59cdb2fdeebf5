//! The editors' web admin at `/admin`: static files from `admin/`, compiled
//! into release binaries (in debug builds they are read from the source
//! folder, so the interface can change without a rebuild). The admin is a
//! client of the public API and nothing else.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

use crate::error::{ApiError, ApiResult};
use crate::http::caching::{cached_bytes, Visibility};

#[derive(RustEmbed)]
#[folder = "admin/"]
struct Files;

/// Everything the admin may load comes from this server; nothing runs
/// inline, and no other site may frame it. Images may also come from any
/// https origin (featured images and pictures in article bodies).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' https: data: blob:; connect-src 'self'; \
     font-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; \
     frame-ancestors 'none'";

/// The admin page (`/admin/`) and its files (`/admin/js/main.js`…).
pub async fn file(req: HttpRequest, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let name = match path.as_str() {
        "" => "index.html",
        other => other,
    };
    let file =
        Files::get(name).ok_or_else(|| ApiError::NotFound(format!("no admin file {name}")))?;
    // Revalidated on every load (ETag → 304): a deploy is seen at once.
    let mut res = cached_bytes(
        &req,
        file.data.into_owned(),
        content_type(name),
        Visibility::Private,
        "",
        None,
    )?;
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        header::HeaderValue::from_static("same-origin"),
    );
    Ok(res)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}
