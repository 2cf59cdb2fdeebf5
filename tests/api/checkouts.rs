//! One connection per unit of work: each request checks out one pooled
//! connection, whatever it reads and writes (logins excepted: no connection
//! is held while a password hash is computed, so they take two).

use reqwest::{Method, RequestBuilder};
use serde_json::json;

use crate::fixtures;
use crate::harness::{both_backends_with, send_json, Backend, TestApp};

both_backends_with!([("COMMENT_MIN_FILL_SECS", "0")], one_checkout_per_request);

/// SQLite: writes have a connection of their own. With every reader
/// connection taken, a read waits and gets 503, and a write still goes
/// through at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_writes_never_wait_behind_readers() {
    let settings = [("DATABASE_POOL_SIZE", "2"), ("DATABASE_TIMEOUT_MS", "300")];
    let app = TestApp::spawn_with(Backend::Sqlite, &settings).await;
    let held = [
        app.state.db.reader().await.unwrap(),
        app.state.db.reader().await.unwrap(),
    ];
    let (status, _) = app.public_get("/api/v1/tags").await;
    assert_eq!(status, 503, "a read needs a reader connection");
    let started = std::time::Instant::now();
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/tags",
            json!({ "name": "Still writable" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert!(started.elapsed() < std::time::Duration::from_millis(250));
    drop(held);
    let (status, list) = app.public_get("/api/v1/tags").await;
    assert_eq!((status, &list["meta"]["total"]), (200, &json!(1)));
}

/// Pool checkouts `req` caused, and its status.
async fn checkouts(app: &TestApp, req: RequestBuilder) -> (u64, u16) {
    let before = app.state.db.checkouts();
    let (status, body) = send_json(req).await;
    assert!(status < 400, "{status}: {body}");
    (app.state.db.checkouts() - before, status)
}

async fn one_checkout_per_request(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    fixtures::tag(&app, "Politics").await;
    let article = fixtures::published(&app, &editor.author["id"], "Hello", &["politics"]).await;
    let slug = article["slug"].as_str().unwrap();
    let id = &article["id"];
    let (_, form) = app
        .public_get(&format!("/api/v1/articles/{slug}/comment-form"))
        .await;
    let cases: Vec<(&str, RequestBuilder, u64)> = vec![
        (
            "GET article",
            app.request(Method::GET, &format!("/api/v1/articles/{slug}")),
            1,
        ),
        ("GET list", app.request(Method::GET, "/api/v1/articles"), 1),
        (
            "GET list with author and tags",
            app.request(Method::GET, "/api/v1/articles?include=author,tags"),
            1,
        ),
        (
            "GET article as editor",
            app.request(Method::GET, &format!("/api/v1/articles/{slug}"))
                .bearer_auth(&editor.token),
            1,
        ),
        (
            "POST comment",
            app.request(Method::POST, &format!("/api/v1/articles/{id}/comments"))
                .json(&json!({
                    "author_name": "Ana", "author_email": "ana@readers.example",
                    "body": "A fine piece.", "form_token": form["form_token"],
                })),
            1,
        ),
        (
            "PATCH article as editor",
            app.request(Method::PATCH, &format!("/api/v1/articles/{id}"))
                .bearer_auth(&editor.token)
                .json(&json!({ "title": "Hello again", "tags": ["politics"] })),
            1,
        ),
        (
            "POST article as editor",
            app.request(Method::POST, "/api/v1/articles")
                .bearer_auth(&editor.token)
                .json(&json!({ "title": "Another", "body": "Text.", "tags": ["politics"] })),
            1,
        ),
        (
            "POST login",
            app.request(Method::POST, "/api/v1/auth/login")
                .json(&json!({ "email": editor.email, "password": fixtures::PASSWORD })),
            2,
        ),
    ];
    for (name, req, expected) in cases {
        let (used, status) = checkouts(&app, req).await;
        assert_eq!(used, expected, "{name} ({status}) used {used} connections");
    }
}
