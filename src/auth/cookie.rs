//! Cookie mode for browser apps: the refresh token travels in an `HttpOnly`
//! cookie instead of the JSON (`refresh_mode: "cookie"` at login), so the
//! page keeps only the short-lived access token, in memory.
//!
//! The cookie is `Secure; SameSite=Strict; Path=/api/v1/auth`: only the
//! refresh and logout endpoints receive it, and never on a request another
//! site starts. A request that uses it must also come from this origin
//! ([`check_origin`]), a second guard that does not depend on the browser
//! honouring `SameSite`.

use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::http::header;
use actix_web::HttpRequest;

use crate::error::{ApiError, ApiResult};

/// The cookie's name.
pub const NAME: &str = "cms_refresh";

/// The only paths the browser sends it to: refresh and logout.
pub const PATH: &str = "/api/v1/auth";

/// The cookie carrying `token`, living as long as the token
/// (`REFRESH_TOKEN_TTL_DAYS`).
pub fn issue(token: String, ttl_days: u64) -> Cookie<'static> {
    let seconds = i64::try_from(ttl_days.saturating_mul(86_400)).unwrap_or(i64::MAX);
    base(token).max_age(Duration::seconds(seconds)).finish()
}

/// A cookie that makes the browser forget it (`Max-Age=0`, same path).
pub fn cleared() -> Cookie<'static> {
    let mut cookie = base(String::new()).finish();
    cookie.make_removal();
    cookie
}

fn base(value: String) -> actix_web::cookie::CookieBuilder<'static> {
    Cookie::build(NAME, value)
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .path(PATH)
}

/// The refresh token in the request's cookie, if any (an empty value counts
/// as none).
pub fn presented(req: &HttpRequest) -> Option<String> {
    req.cookie(NAME)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// A request that uses the cookie must say where it comes from: its
/// `Origin` must name this server (scheme aside, host and port equal to the
/// `Host` header) or be one of `CORS_ORIGINS`. 403 otherwise.
pub fn check_origin(req: &HttpRequest, cors_origins: &[String]) -> ApiResult<()> {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(refused(
            "a request with the cms_refresh cookie needs an Origin header",
        ));
    };
    if cors_origins.iter().any(|allowed| allowed == origin) {
        return Ok(());
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    match host {
        Some(host) if same_host(origin, host) => Ok(()),
        _ => Err(refused(
            "the Origin of a request with the cms_refresh cookie must be this server or one of CORS_ORIGINS",
        )),
    }
}

fn refused(detail: &str) -> ApiError {
    ApiError::Forbidden(detail.to_owned())
}

/// Whether `origin` (`scheme://host[:port]`) names `host` (a `Host`
/// header: `host[:port]`), default ports included.
fn same_host(origin: &str, host: &str) -> bool {
    let Ok(origin) = url::Url::parse(origin) else {
        return false;
    };
    // An origin is a scheme and an authority, nothing more.
    let bare = origin.path() == "/" && origin.query().is_none() && origin.fragment().is_none();
    if !bare || !origin.username().is_empty() || origin.password().is_some() {
        return false;
    }
    if !matches!(origin.scheme(), "http" | "https") {
        return false;
    }
    let Ok(server) = url::Url::parse(&format!("{}://{host}", origin.scheme())) else {
        return false;
    };
    server.path() == "/"
        && server.username().is_empty()
        && origin.host() == server.host()
        && origin.port_or_known_default() == server.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_match_their_host_only() {
        assert!(same_host("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assert!(same_host("https://News.Example", "news.example"));
        assert!(same_host("https://news.example", "news.example:443"));
        assert!(same_host("http://[::1]:8080", "[::1]:8080"));
        assert!(!same_host("http://127.0.0.1:8081", "127.0.0.1:8080"));
        assert!(!same_host("https://news.example", "news.example:80"));
        assert!(!same_host("https://evil.example", "news.example"));
        assert!(!same_host("https://news.example.evil", "news.example"));
        assert!(!same_host("null", "news.example"));
        assert!(!same_host("https://news.example/path", "news.example"));
        assert!(!same_host("https://a@news.example", "news.example"));
        assert!(!same_host("ftp://news.example", "news.example"));
        assert!(!same_host("https://news.example", "news.example/x"));
        assert!(!same_host("https://news.example", "a@news.example"));
    }

    #[test]
    fn the_cookie_is_scoped_and_cleared_on_the_same_path() {
        let issued = issue("tok".to_owned(), 30).to_string();
        for attribute in [
            "cms_refresh=tok",
            "HttpOnly",
            "Secure",
            "SameSite=Strict",
            "Path=/api/v1/auth",
            "Max-Age=2592000",
        ] {
            assert!(issued.contains(attribute), "{issued}");
        }
        let gone = cleared().to_string();
        assert!(gone.starts_with("cms_refresh=;"), "{gone}");
        assert!(gone.contains("Max-Age=0"), "{gone}");
        assert!(gone.contains("Path=/api/v1/auth"), "{gone}");
    }
}
