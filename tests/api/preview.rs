//! The editor's preview: a body rendered exactly as an article write
//! stores it, for staff only, with nothing stored.

use reqwest::Method;
use serde_json::json;

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, send_json, TestApp};

both_backends!(the_preview_is_what_the_article_will_be);

async fn the_preview_is_what_the_article_will_be(app: TestApp) {
    let body = "Ships *move* again & the fog \u{201c}lifts\u{201d}.\n\n\
                <script>alert(1)</script>\n\n\
                [Tide tables](javascript:alert(1)) and [the port](https://port.example/).\n";
    let writer = fixtures::staff(&app, "contributor").await;
    let (status, preview) = send_json(
        app.request(Method::POST, "/api/v1/preview")
            .bearer_auth(&writer.token)
            .json(&json!({ "body": body })),
    )
    .await;
    assert_eq!(status, 200, "{preview}");
    let html = preview["body_html"].as_str().unwrap();
    assert!(
        html.contains("<em>move</em>") && html.contains("&amp;"),
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("javascript:"),
        "{html}"
    );
    assert_eq!(
        preview["lead"],
        "Ships move again & the fog \u{201c}lifts\u{201d}."
    );
    let (_, before) = app.admin_get("/api/v1/articles?status=draft").await;
    let (status, article) = send_json(
        app.request(Method::POST, "/api/v1/articles")
            .bearer_auth(&writer.token)
            .json(&json!({ "title": "Fog lifts", "body": body })),
    )
    .await;
    assert_eq!(status, 201, "{article}");
    assert_eq!(
        article["body_html"], preview["body_html"],
        "what the editor saw is what readers get"
    );
    assert_eq!(article["word_count"], preview["word_count"]);
    assert_eq!(
        article["reading_time_minutes"],
        preview["reading_time_minutes"]
    );
    let (_, after) = app.admin_get("/api/v1/articles?status=draft").await;
    assert_eq!(
        after["meta"]["total"].as_i64().unwrap(),
        before["meta"]["total"].as_i64().unwrap() + 1,
        "the preview stored nothing; only the create did"
    );

    let res = app
        .request(Method::POST, "/api/v1/preview")
        .json(&json!({ "body": body }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let key = fixtures::api_key(&app, "read").await;
    let res = app
        .request(Method::POST, "/api/v1/preview")
        .bearer_auth(&key)
        .json(&json!({ "body": body }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app
        .request(Method::POST, "/api/v1/preview")
        .bearer_auth(&writer.token)
        .json(&json!({ "body": "x".repeat(200_001) }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
}
