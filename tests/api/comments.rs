//! Public comment reads: approved only, threaded, never an email.

use crate::fixtures;
use crate::harness::{both_backends, TestApp};

both_backends!(public_comments_are_approved_only_and_private_fields_hidden);

async fn comment(
    app: &TestApp,
    article_id: i64,
    parent: Option<i64>,
    name: &str,
    status: &str,
) -> i64 {
    let body = format!("<b>{name}</b> says hi");
    fixtures::stored_comment(app, article_id, parent, name, &body, status).await
}

async fn public_comments_are_approved_only_and_private_fields_hidden(app: TestApp) {
    let author = fixtures::author(&app, "Writer").await;
    let article = fixtures::published(&app, &author["id"], "Discussed", &[]).await;
    let id = article["id"].as_i64().unwrap();
    let first = comment(&app, id, None, "Ana", "approved").await;
    comment(&app, id, Some(first), "Ben", "approved").await;
    comment(&app, id, None, "Spammer", "spam").await;
    comment(&app, id, None, "Waiting", "pending").await;

    let (status, body) = app
        .public_get(&format!(
            "/api/v1/articles/{}/comments",
            article["slug"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["meta"]["total"], 2);
    let data = body["data"].as_array().unwrap();
    assert_eq!(data[0]["author_name"], "Ana");
    assert_eq!(data[1]["parent_id"], first);
    assert_eq!(data[1]["depth"], 1);
    assert_eq!(
        data[0]["body"], "<b>Ana</b> says hi",
        "plain text, returned as written"
    );
    let text = body.to_string();
    for secret in [
        "@readers.example",
        "203.0.113.9",
        "Spammer",
        "Waiting",
        "email",
    ] {
        assert!(
            !text.contains(secret),
            "public comments leak {secret}: {text}"
        );
    }
}
