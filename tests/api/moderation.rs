//! The moderation queue: who may use it, filters, edits, deletes.

use reqwest::Method;
use serde_json::json;

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, send_json, TestApp};

both_backends!(
    moderation_is_for_editors_and_admins,
    edit_and_delete,
    delete_never_takes_live_comments_below_hidden_ones
);

async fn seed_comment(app: &TestApp, article_id: i64, parent: Option<i64>, status: &str) -> i64 {
    let body = format!("A {status} comment");
    fixtures::stored_comment(app, article_id, parent, "Ivy", &body, status).await
}

async fn moderation_is_for_editors_and_admins(app: TestApp) {
    let writer = fixtures::author(&app, "Moderated").await;
    let article = fixtures::published(&app, &writer["id"], "Queue", &[]).await;
    let id = seed_comment(&app, article["id"].as_i64().unwrap(), None, "pending").await;
    let author = fixtures::staff(&app, "author").await;
    let editor = fixtures::staff(&app, "editor").await;
    let read_key = fixtures::api_key(&app, "preview").await;
    let paths = [
        "/api/v1/comments".to_owned(),
        format!("/api/v1/comments/{id}"),
    ];
    for path in &paths {
        assert_problem(app.get(path).await, 401, "unauthorized").await;
        let res = app
            .request(Method::GET, path)
            .bearer_auth(&author.token)
            .send()
            .await
            .unwrap();
        assert_problem(res, 403, "forbidden").await;
        let res = app
            .request(Method::GET, path)
            .header("x-api-key", &read_key)
            .send()
            .await
            .unwrap();
        assert_problem(res, 403, "forbidden").await;
        let (status, body) =
            send_json(app.request(Method::GET, path).bearer_auth(&editor.token)).await;
        assert_eq!(status, 200, "{body}");
    }
    let res = app
        .request(Method::PATCH, &paths[1])
        .bearer_auth(&author.token)
        .json(&json!({ "status": "approved" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app
        .request(Method::DELETE, &paths[1])
        .bearer_auth(&author.token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;

    // Filters and their validation.
    let (_, pending) = app.admin_get("/api/v1/comments?status=pending").await;
    assert_eq!(pending["meta"]["total"], 1);
    assert_eq!(pending["data"][0]["ip"], "203.0.113.9");
    let (_, none) = app.admin_get("/api/v1/comments?status=approved").await;
    assert_eq!(none["meta"]["total"], 0);
    let (_, other) = app.admin_get("/api/v1/comments?article=999").await;
    assert_eq!(other["meta"]["total"], 0);
    for bad in ["status=lost", "sort=title", "article=x"] {
        let res = app
            .admin(Method::GET, &format!("/api/v1/comments?{bad}"))
            .send()
            .await
            .unwrap();
        assert_problem(res, 400, "invalid_query").await;
    }
}

async fn edit_and_delete(app: TestApp) {
    let writer = fixtures::author(&app, "Edited").await;
    let article = fixtures::published(&app, &writer["id"], "Edits", &[]).await;
    let article_id = article["id"].as_i64().unwrap();
    let parent = seed_comment(&app, article_id, None, "approved").await;
    let child = seed_comment(&app, article_id, Some(parent), "approved").await;

    let (status, body) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/comments/{child}"),
            json!({ "body": "Edited by the desk" }),
        )
        .await;
    assert_eq!(
        (status, body["body"].clone(), body["status"].clone()),
        (200, json!("Edited by the desk"), json!("approved"))
    );
    let (_, public) = app
        .public_get(&format!("/api/v1/articles/{article_id}/comments"))
        .await;
    assert_eq!(public["data"][1]["body"], "Edited by the desk");

    for (patch, field) in [
        (json!({ "body": "" }), "body"),
        (json!({ "body": "x".repeat(5001) }), "body"),
    ] {
        let res = app
            .admin(Method::PATCH, &format!("/api/v1/comments/{child}"))
            .json(&patch)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let res = app
        .admin(Method::PATCH, &format!("/api/v1/comments/{child}"))
        .json(&json!({ "status": "published" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_body").await;
    let res = app
        .admin(Method::PATCH, &format!("/api/v1/comments/{child}"))
        .json(&json!({ "author_email": "x@y.example" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_body").await;

    // A parent with replies cannot be erased; its reply can, then it can.
    let res = app
        .admin(Method::DELETE, &format!("/api/v1/comments/{parent}"))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "has_replies").await;
    assert_eq!(
        app.admin(Method::DELETE, &format!("/api/v1/comments/{child}"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        app.admin(Method::DELETE, &format!("/api/v1/comments/{parent}"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    let res = app
        .admin(Method::DELETE, &format!("/api/v1/comments/{parent}"))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    let (_, public) = app
        .public_get(&format!("/api/v1/articles/{article_id}/comments"))
        .await;
    assert_eq!(public["meta"]["total"], 0);
}

/// A delete takes the spam and trashed replies below a comment, but never an
/// approved or pending comment further down: 409 while one hangs anywhere
/// below, and nothing is erased.
async fn delete_never_takes_live_comments_below_hidden_ones(app: TestApp) {
    let writer = fixtures::author(&app, "Threads").await;
    let article = fixtures::published(&app, &writer["id"], "Deep thread", &[]).await;
    let article_id = article["id"].as_i64().unwrap();
    let top = seed_comment(&app, article_id, None, "approved").await;
    let trashed = seed_comment(&app, article_id, Some(top), "trash").await;
    let spam = seed_comment(&app, article_id, Some(trashed), "spam").await;
    let deep = seed_comment(&app, article_id, Some(spam), "approved").await;
    for id in [top, trashed, spam] {
        let res = app
            .admin(Method::DELETE, &format!("/api/v1/comments/{id}"))
            .send()
            .await
            .unwrap();
        assert_problem(res, 409, "has_replies").await;
    }
    for id in [top, trashed, spam, deep] {
        let (status, _) = app.admin_get(&format!("/api/v1/comments/{id}")).await;
        assert_eq!(status, 200, "comment {id} was erased");
    }
    // Once the deep comment is trashed too, the whole hidden subtree goes.
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/comments/{deep}"),
            json!({ "status": "trash" }),
        )
        .await;
    assert_eq!(status, 200);
    let res = app
        .admin(Method::DELETE, &format!("/api/v1/comments/{trashed}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    for id in [trashed, spam, deep] {
        let (status, _) = app.admin_get(&format!("/api/v1/comments/{id}")).await;
        assert_eq!(status, 404, "comment {id} outlived its deleted parent");
    }
    let (status, _) = app.admin_get(&format!("/api/v1/comments/{top}")).await;
    assert_eq!(status, 200);
}
