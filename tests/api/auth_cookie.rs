//! Cookie mode for the browser admin: the refresh token in an `HttpOnly`
//! cookie scoped to `/api/v1/auth`, rotated on refresh, cleared on logout
//! and on a dead token, and only used by requests from this origin.
//!
//! The client has no cookie store: every `Cookie` header is set by hand and
//! every `Set-Cookie` is read as sent, so the attributes are checked exactly.

use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};

use crate::fixtures::{self, me_status, PASSWORD};
use crate::harness::{assert_problem, both_backends, both_backends_with, TestApp};

both_backends!(
    cookie_login_sets_a_scoped_http_only_cookie,
    cookie_refresh_rotates_and_a_replay_ends_the_session,
    cookie_login_needs_this_origin,
    two_tabs_refreshing_one_cookie_at_once_end_the_session,
    cookie_refresh_needs_this_origin,
    logout_clears_the_cookie,
);
both_backends_with!(
    [("CORS_ORIGINS", super::ADMIN_ORIGIN)],
    cookie_refresh_accepts_a_cors_origin,
);

/// An admin served from another origin, listed in `CORS_ORIGINS`.
const ADMIN_ORIGIN: &str = "https://admin.newsroom.example";

/// `REFRESH_TOKEN_TTL_DAYS` (30) in seconds.
const TTL_SECS: &str = "2592000";

/// The `cms_refresh` cookie a response sets: its value and its attributes
/// (lower-cased names, values as sent).
#[derive(Debug)]
struct SetCookie {
    value: String,
    attributes: Vec<(String, String)>,
}

impl SetCookie {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// HttpOnly, Secure, SameSite=Strict and the auth path, on every
    /// cookie this server sets, issued or cleared.
    fn assert_scoped(&self) {
        assert_eq!(self.attribute("httponly"), Some(""), "{self:?}");
        assert_eq!(self.attribute("secure"), Some(""), "{self:?}");
        assert_eq!(self.attribute("samesite"), Some("Strict"), "{self:?}");
        assert_eq!(self.attribute("path"), Some("/api/v1/auth"), "{self:?}");
    }

    fn assert_issued(&self) {
        self.assert_scoped();
        assert_eq!(self.attribute("max-age"), Some(TTL_SECS), "{self:?}");
        assert!(self.value.len() >= 43, "≥ 256 bits: {self:?}");
    }

    fn assert_cleared(&self) {
        self.assert_scoped();
        assert_eq!(self.attribute("max-age"), Some("0"), "{self:?}");
        assert_eq!(self.value, "", "{self:?}");
    }
}

/// The `cms_refresh` cookie `res` sets, if any (at most one).
fn set_cookie(res: &Response) -> Option<SetCookie> {
    let mut found: Vec<SetCookie> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .filter_map(|header| {
            let mut parts = header.split(';').map(str::trim);
            let value = parts.next()?.strip_prefix("cms_refresh=")?.to_owned();
            let attributes = parts
                .map(|p| match p.split_once('=') {
                    Some((n, v)) => (n.to_ascii_lowercase(), v.to_owned()),
                    None => (p.to_ascii_lowercase(), String::new()),
                })
                .collect();
            Some(SetCookie { value, attributes })
        })
        .collect();
    assert!(
        found.len() <= 1,
        "one cms_refresh cookie at most: {found:?}"
    );
    found.pop()
}

/// Signs in in cookie mode; returns the answer's body and its cookie.
async fn cookie_login(app: &TestApp, email: &str) -> (Value, SetCookie) {
    let res = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("origin", &app.base)
        .json(&json!({ "email": email, "password": PASSWORD, "refresh_mode": "cookie" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = set_cookie(&res).expect("a cms_refresh cookie");
    (res.json().await.unwrap(), cookie)
}

/// `POST /api/v1/auth/refresh` with the cookie `value` and no body.
fn cookie_refresh(app: &TestApp, value: &str) -> RequestBuilder {
    app.request(Method::POST, "/api/v1/auth/refresh")
        .header("cookie", format!("cms_refresh={value}"))
}

/// A cookie refresh from this server's own origin, with no body.
async fn refresh_here(app: &TestApp, value: &str) -> Response {
    cookie_refresh(app, value)
        .header("origin", &app.base)
        .send()
        .await
        .unwrap()
}

/// A refused cookie: 401, and the answer clears it.
async fn assert_ended(res: Response) {
    set_cookie(&res)
        .expect("a clearing cookie")
        .assert_cleared();
    assert_problem(res, 401, "unauthorized").await;
}

fn access_token(body: &Value) -> &str {
    body["access_token"].as_str().unwrap()
}

async fn cookie_login_sets_a_scoped_http_only_cookie(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let (body, cookie) = cookie_login(&app, &editor.email).await;
    cookie.assert_issued();
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(me_status(&app, access_token(&body)).await, 200);

    // JSON mode, named or by default, sets no cookie and answers as before.
    for extra in [json!({}), json!({ "refresh_mode": "body" })] {
        let mut login = json!({ "email": editor.email, "password": PASSWORD });
        login
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let res = app
            .request(Method::POST, "/api/v1/auth/login")
            .json(&login)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(set_cookie(&res).is_none());
        let body: Value = res.json().await.unwrap();
        assert!(
            body["refresh_token"].as_str().unwrap().len() >= 43,
            "{body}"
        );
    }
    // An unknown mode is a malformed body.
    let res = app
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({ "email": editor.email, "password": PASSWORD, "refresh_mode": "header" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_body").await;
}

async fn cookie_refresh_rotates_and_a_replay_ends_the_session(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let (_, first) = cookie_login(&app, &editor.email).await;

    // No body at all, as a browser's fetch sends it.
    let res = refresh_here(&app, &first.value).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let second = set_cookie(&res).expect("a rotated cookie");
    second.assert_issued();
    assert_ne!(second.value, first.value);
    let body: Value = res.json().await.unwrap();
    assert!(body.get("refresh_token").is_none(), "{body}");
    let second_access = access_token(&body).to_owned();
    assert_eq!(me_status(&app, &second_access).await, 200);

    // `{}` and `null` bodies mean the cookie too.
    let mut current = second.value.clone();
    for empty in [json!({}), Value::Null] {
        let res = cookie_refresh(&app, &current)
            .header("origin", &app.base)
            .json(&empty)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "body {empty}");
        let next = set_cookie(&res).expect("a rotated cookie");
        next.assert_issued();
        current = next.value;
    }

    // The first cookie again: a replay. 401, the cookie is cleared, and the
    // whole session is over.
    let res = refresh_here(&app, &first.value).await;
    assert_ended(res).await;
    let res = refresh_here(&app, &current).await;
    assert_ended(res).await;
    assert_eq!(
        me_status(&app, &second_access).await,
        401,
        "its access tokens died"
    );

    // An unknown cookie is cleared as well.
    let res = refresh_here(&app, "not-a-token").await;
    assert_ended(res).await;

    // Neither a body token nor a cookie: 401, nothing to clear.
    for req in [
        app.request(Method::POST, "/api/v1/auth/refresh"),
        app.request(Method::POST, "/api/v1/auth/refresh")
            .json(&json!({})),
    ] {
        let res = req.header("origin", &app.base).send().await.unwrap();
        assert!(set_cookie(&res).is_none());
        let body = assert_problem(res, 401, "unauthorized").await;
        assert!(
            body["detail"].as_str().unwrap().contains("cms_refresh"),
            "{body}"
        );
    }
    // A malformed body is still a 400, cookie or not.
    let (_, fresh) = cookie_login(&app, &editor.email).await;
    let res = cookie_refresh(&app, &fresh.value)
        .header("origin", &app.base)
        .json(&json!({ "refresh": "x" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_body").await;
    // A token in the body wins over the cookie (JSON mode: no cookie set).
    let editor_refresh = editor.refresh.clone();
    let res = cookie_refresh(&app, &fresh.value)
        .json(&json!({ "refresh_token": editor_refresh }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(set_cookie(&res).is_none());
    let body: Value = res.json().await.unwrap();
    assert!(body["refresh_token"].is_string(), "{body}");
    // … and the cookie was left alone.
    let res = refresh_here(&app, &fresh.value).await;
    assert_eq!(res.status(), 200);
}

async fn cookie_login_needs_this_origin(app: TestApp) {
    // Login CSRF: another site must not sign a browser in to its account.
    let editor = fixtures::staff(&app, "editor").await;
    for origin in [None, Some("https://evil.example"), Some("null")] {
        let mut req = app.request(Method::POST, "/api/v1/auth/login").json(
            &json!({ "email": editor.email, "password": PASSWORD, "refresh_mode": "cookie" }),
        );
        if let Some(origin) = origin {
            req = req.header("origin", origin);
        }
        let res = req.send().await.unwrap();
        assert!(set_cookie(&res).is_none(), "{origin:?}: no cookie");
        let body = assert_problem(res, 403, "forbidden").await;
        assert!(
            body["detail"].as_str().unwrap().contains("Origin"),
            "{body}"
        );
    }
    // JSON mode needs no Origin (non-browser clients).
    fixtures::login(&app, &editor.email, PASSWORD).await;
}

/// Why the admin serializes its refreshes across tabs (Web Locks): two
/// refreshes with one cookie at once are one rotation and one replay, and
/// the replay ends the session. Many rounds, on both backends.
async fn two_tabs_refreshing_one_cookie_at_once_end_the_session(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    for round in 0..crate::races::rounds() {
        let (_, cookie) = cookie_login(&app, &editor.email).await;
        let (a, b) = tokio::join!(
            refresh_here(&app, &cookie.value),
            refresh_here(&app, &cookie.value)
        );
        let (won, lost) = match (a.status().as_u16(), b.status().as_u16()) {
            (200, 401) => (a, b),
            (401, 200) => (b, a),
            other => panic!("round {round}: {other:?}"),
        };
        let next = set_cookie(&won).expect("a rotated cookie").value;
        assert_ended(lost).await;
        assert_ended(refresh_here(&app, &next).await).await;
    }
}

async fn cookie_refresh_needs_this_origin(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let (_, cookie) = cookie_login(&app, &editor.email).await;
    let port = app.base.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    let other_port = format!("http://127.0.0.1:{}", port.wrapping_add(1));
    for origin in [
        None,
        Some("https://evil.example"),
        Some(ADMIN_ORIGIN),
        Some(other_port.as_str()),
        Some("null"),
    ] {
        let mut req = cookie_refresh(&app, &cookie.value);
        if let Some(origin) = origin {
            req = req.header("origin", origin);
        }
        let res = req.send().await.unwrap();
        assert!(set_cookie(&res).is_none(), "{origin:?}: the cookie stays");
        let body = assert_problem(res, 403, "forbidden").await;
        assert!(
            body["detail"].as_str().unwrap().contains("Origin"),
            "{origin:?}: {body}"
        );
    }
    // The refusals spent nothing: the cookie still works from this origin.
    let res = refresh_here(&app, &cookie.value).await;
    assert_eq!(res.status(), 200);
    set_cookie(&res).expect("a rotated cookie").assert_issued();
}

async fn cookie_refresh_accepts_a_cors_origin(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let (_, cookie) = cookie_login(&app, &editor.email).await;
    let res = cookie_refresh(&app, &cookie.value)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = cookie_refresh(&app, &cookie.value)
        .header("origin", ADMIN_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let next = set_cookie(&res).expect("a rotated cookie");
    next.assert_issued();
    let body: Value = res.json().await.unwrap();
    assert_eq!(me_status(&app, access_token(&body)).await, 200);
}

async fn logout_clears_the_cookie(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let (body, cookie) = cookie_login(&app, &editor.email).await;
    let access = access_token(&body).to_owned();
    let logout = |origin: &str| {
        app.request(Method::POST, "/api/v1/auth/logout")
            .bearer_auth(&access)
            .header("cookie", format!("cms_refresh={}", cookie.value))
            .header("origin", origin)
    };
    // With the cookie from a foreign origin: refused, the session lives.
    let res = logout("https://evil.example").send().await.unwrap();
    assert!(set_cookie(&res).is_none());
    assert_problem(res, 403, "forbidden").await;
    assert_eq!(me_status(&app, &access).await, 200);
    // The bearer token comes first: without it, 401 whatever the cookie.
    let res = app
        .request(Method::POST, "/api/v1/auth/logout")
        .header("cookie", format!("cms_refresh={}", cookie.value))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthorized").await;

    let res = logout(&app.base).send().await.unwrap();
    assert_eq!(res.status(), 204);
    set_cookie(&res)
        .expect("a clearing cookie")
        .assert_cleared();
    assert_eq!(me_status(&app, &access).await, 401);
    let res = refresh_here(&app, &cookie.value).await;
    assert_ended(res).await;

    // A JSON-mode logout (no cookie, no Origin) clears it too, harmlessly.
    let session = fixtures::login(&app, &editor.email, PASSWORD).await;
    let res = app
        .request(Method::POST, "/api/v1/auth/logout")
        .bearer_auth(access_token(&session))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    set_cookie(&res)
        .expect("a clearing cookie")
        .assert_cleared();
}
