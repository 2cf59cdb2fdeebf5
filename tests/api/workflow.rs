//! Every workflow transition, legal and illegal, and scheduling by time.

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

both_backends!(
    transitions_follow_the_workflow,
    scheduled_article_goes_public_when_its_time_comes
);

async fn act(app: &TestApp, id: &Value, action: &str) -> (u16, Value) {
    app.admin_json(
        Method::POST,
        &format!("/api/v1/articles/{id}/{action}"),
        json!({}),
    )
    .await
}

async fn transitions_follow_the_workflow(app: TestApp) {
    let author = fixtures::author(&app, "Writer").await;
    let a = fixtures::draft(&app, &author["id"], "Workflow", &[]).await;
    let id = &a["id"];
    // From draft: archive and unpublish are illegal.
    for action in ["archive", "unpublish"] {
        let (status, body) = act(&app, id, action).await;
        assert_eq!(
            (status, body["code"].clone()),
            (409, json!("invalid_transition")),
            "{action}: {body}"
        );
    }
    let (status, body) = act(&app, id, "submit").await;
    assert_eq!(
        (status, body["status"].clone()),
        (200, json!("in_review")),
        "{body}"
    );
    // From in_review: submit, archive and unpublish are illegal.
    for action in ["submit", "archive", "unpublish"] {
        assert_eq!(
            act(&app, id, action).await.0,
            409,
            "{action} from in_review"
        );
    }
    let (status, body) = act(&app, id, "publish").await;
    assert_eq!(
        (status, body["status"].clone()),
        (200, json!("published")),
        "{body}"
    );
    assert!(body["published_at"].is_string());
    // From published: submit and publish are illegal.
    for action in ["submit", "publish"] {
        assert_eq!(
            act(&app, id, action).await.0,
            409,
            "{action} from published"
        );
    }
    let (status, body) = act(&app, id, "archive").await;
    assert_eq!(
        (status, body["status"].clone()),
        (200, json!("archived")),
        "{body}"
    );
    assert_problem(
        app.get(&format!("/api/v1/articles/{id}")).await,
        404,
        "not_found",
    )
    .await;
    // From archived: only unpublish.
    for action in ["submit", "publish", "archive"] {
        assert_eq!(act(&app, id, action).await.0, 409, "{action} from archived");
    }
    let (status, body) = act(&app, id, "unpublish").await;
    assert_eq!(
        (status, body["status"].clone()),
        (200, json!("draft")),
        "{body}"
    );
    assert_eq!(body["published_at"], Value::Null);
    // Draft straight to published, then back to draft.
    assert_eq!(act(&app, id, "publish").await.1["status"], "published");
    assert_eq!(act(&app, id, "unpublish").await.1["status"], "draft");
    // Anonymous callers cannot act at all.
    let res = app
        .request(Method::POST, &format!("/api/v1/articles/{id}/publish"))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthorized").await;
    // Unknown fields in the optional body are refused.
    let (status, body) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{id}/publish"),
            json!({ "status": "x" }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
}

async fn scheduled_article_goes_public_when_its_time_comes(app: TestApp) {
    let author = fixtures::author(&app, "Writer").await;
    let a = fixtures::draft(&app, &author["id"], "Embargoed", &[]).await;
    let id = &a["id"];
    let at = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
    let (status, body) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{id}/publish"),
            json!({ "publish_at": at.to_rfc3339() }),
        )
        .await;
    assert_eq!(
        (status, body["status"].clone()),
        (200, json!("scheduled")),
        "{body}"
    );
    assert_problem(
        app.get(&format!("/api/v1/articles/{id}")).await,
        404,
        "not_found",
    )
    .await;
    let (_, list) = app.public_get("/api/v1/articles").await;
    assert_eq!(list["meta"]["total"], 0);
    // Rescheduling a scheduled article is allowed.
    let (status, _) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{id}/publish"),
            json!({ "publish_at": at.to_rfc3339() }),
        )
        .await;
    assert_eq!(status, 200);

    tokio::time::sleep(std::time::Duration::from_millis(1800)).await;
    let (status, body) = app.public_get(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(
        (status, body["status"].clone()),
        (200, json!("published")),
        "{body}"
    );
    let (_, list) = app.public_get("/api/v1/articles").await;
    assert_eq!(list["meta"]["total"], 1);
    // Now it is published: archiving is legal.
    assert_eq!(act(&app, id, "archive").await.0, 200);
}
