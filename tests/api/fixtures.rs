//! Builders for test content, all through the HTTP API.

use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::TestApp;

/// Creates an author; returns the body.
pub async fn author(app: &TestApp, name: &str) -> Value {
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/authors",
            json!({ "name": name, "bio": format!("About {name}") }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

/// Creates a tag; returns the body.
pub async fn tag(app: &TestApp, name: &str) -> Value {
    let (status, body) = app
        .admin_json(Method::POST, "/api/v1/tags", json!({ "name": name }))
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

/// Creates a draft with `title`, by `author_id`, tagged with `tags` (slugs).
pub async fn draft(app: &TestApp, author_id: &Value, title: &str, tags: &[&str]) -> Value {
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({
                "title": title,
                "body": format!("First paragraph of {title}.\n\nSecond paragraph."),
                "author_id": author_id,
                "tags": tags,
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

/// Publishes an article now; returns the body.
pub async fn publish(app: &TestApp, id: &Value) -> Value {
    let (status, body) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{id}/publish"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Creates and publishes an article.
pub async fn published(app: &TestApp, author_id: &Value, title: &str, tags: &[&str]) -> Value {
    let article = draft(app, author_id, title, tags).await;
    publish(app, &article["id"]).await
}
