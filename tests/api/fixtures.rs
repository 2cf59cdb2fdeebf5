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

/// A signed-in staff member: their user, author profile and access token.
pub struct StaffUser {
    pub user: Value,
    pub author: Value,
    pub token: String,
    pub refresh: String,
    pub email: String,
}

/// The password every fixture user has.
pub const PASSWORD: &str = "correct horse battery staple";

/// Creates an author profile and a user with `role` writing as it, then signs in.
pub async fn staff(app: &TestApp, role: &str) -> StaffUser {
    let author = author(app, &format!("{role} {}", rand_suffix())).await;
    let email = format!("{role}.{}@newsroom.example", rand_suffix());
    let (status, user) = app
        .admin_json(
            Method::POST,
            "/api/v1/users",
            json!({ "email": email, "password": PASSWORD, "role": role, "author_id": author["id"] }),
        )
        .await;
    assert_eq!(status, 201, "{user}");
    let tokens = login(app, &email, PASSWORD).await;
    StaffUser {
        user,
        author,
        token: tokens["access_token"].as_str().unwrap().to_owned(),
        refresh: tokens["refresh_token"].as_str().unwrap().to_owned(),
        email,
    }
}

/// Signs in; returns the token response.
pub async fn login(app: &TestApp, email: &str, password: &str) -> Value {
    let (status, body) = crate::harness::send_json(
        app.request(Method::POST, "/api/v1/auth/login")
            .json(&json!({ "email": email, "password": password })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The status of `GET /api/v1/me` with `token`: does it still work?
pub async fn me_status(app: &TestApp, token: &str) -> u16 {
    app.request(Method::GET, "/api/v1/me")
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Creates an API key with `scope`; returns its secret.
pub async fn api_key(app: &TestApp, scope: &str) -> String {
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/api-keys",
            json!({ "name": format!("{scope} key"), "scope": scope }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["secret"].as_str().unwrap().to_owned()
}

fn rand_suffix() -> String {
    use rand::Rng;
    format!("{:06x}", rand::rng().random::<u32>() & 0xffffff)
}

/// Stores a comment directly (any status, as moderation would leave it);
/// the email is `<name>@readers.example`. Returns its id.
pub async fn stored_comment(
    app: &TestApp,
    article_id: i64,
    parent: Option<i64>,
    name: &str,
    body: &str,
    status: &str,
) -> i64 {
    let now = cms::db::time::now();
    let mut conn = app.state.db.writer().await.unwrap();
    let depth = match parent {
        Some(id) => {
            let parent = cms::comments::model::find(&mut conn, id).await.unwrap();
            parent.expect("the parent comment exists").depth + 1
        }
        None => 0,
    };
    cms::comments::model::insert(
        &mut conn,
        cms::comments::model::NewComment {
            article_id,
            parent_id: parent,
            depth,
            author_name: name.to_owned(),
            author_email: format!("{}@readers.example", name.to_lowercase()),
            author_url: None,
            body: body.to_owned(),
            status: cms::comments::status::CommentStatus::parse(status).expect("a comment status"),
            user_id: None,
            ip: Some("203.0.113.9".to_owned()),
            user_agent: None,
            created_at: now,
            updated_at: now,
        },
    )
    .await
    .unwrap()
    .id
}
