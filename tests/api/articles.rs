//! Article CRUD, derived fields, slugs, optimistic concurrency.

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, send_json, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

both_backends!(
    real_article_round_trips_byte_for_byte,
    slugs_are_generated_unique_and_editable,
    patch_changes_only_given_fields_and_checks_if_match,
    privileged_fields_are_rejected_and_nothing_changes,
    delete_removes_the_article,
    unknown_author_or_tag_is_409,
);

/// Written for this project in the style of a wire report: curly quotes,
/// an ellipsis, an apostrophe, an em dash, backticks and non-ASCII names.
const TITLE: &str = "Iran, Russia “Cooperate for Peace” in the Persian Gulf… Zarif";
const BODY: &str = "Iran’s foreign minister said on Monday that the two countries \
“have cooperated for peace” — and would keep doing so.\n\n\
“Unlike others who embark on `defensive` warmongering 1000s of miles from their own shores, \
we seek stability,“ he wrote. Lavrov called the visit “very timely“…\n\n\
Talks in Moscow covered Syria, Afghanistan and the JCPOA — Tehran’s and Moscow’s shared file.";

async fn real_article_round_trips_byte_for_byte(app: TestApp) {
    let author = fixtures::author(&app, "core").await;
    fixtures::tag(&app, "Persian Gulf").await;
    let (status, created) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": TITLE, "body": BODY, "author_id": author["id"], "tags": ["persian-gulf"] }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["version"], 1);
    fixtures::publish(&app, &created["id"]).await;

    let res = app
        .get(&format!(
            "/api/v1/articles/{}?include=author,tags",
            created["slug"].as_str().unwrap()
        ))
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let article: Value = res.json().await.unwrap();
    assert_eq!(article["title"], TITLE);
    assert_eq!(article["body"], BODY, "body must come back byte-for-byte");
    let html = article["body_html"].as_str().unwrap();
    assert_eq!(html.matches("<p>").count(), 3, "{html}");
    assert!(html.contains("Iran’s foreign minister said on Monday that the two countries “have cooperated for peace” — and"), "{html}");
    assert!(html.contains("<code>defensive</code>"), "{html}");
    assert!(html.contains("“very timely“…"), "{html}");
    assert!(article["excerpt"]
        .as_str()
        .unwrap()
        .starts_with("Iran’s foreign minister"));
    assert_eq!(
        article["word_count"], 58,
        "dashes and ellipses are not words"
    );
    assert_eq!(article["reading_time_minutes"], 1);
    assert_eq!(article["author"]["name"], "core");
    assert!(article["author"].get("article_count").is_none());
    assert_eq!(article["tags"][0]["slug"], "persian-gulf");
    assert_eq!(article["status"], "published");

    // Conditional GET.
    let res = app
        .request(
            Method::GET,
            &format!("/api/v1/articles/{}?include=author,tags", created["id"]),
        )
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
}

async fn slugs_are_generated_unique_and_editable(app: TestApp) {
    let author = fixtures::author(&app, "Mina Rahimi").await;
    let a = fixtures::draft(&app, &author["id"], "Café Olé: Iran’s Plan", &[]).await;
    assert_eq!(a["slug"], "café-olé-irans-plan");
    let b = fixtures::draft(&app, &author["id"], "Café Olé: Iran’s Plan", &[]).await;
    assert_eq!(b["slug"], "café-olé-irans-plan-2");
    let c = fixtures::draft(&app, &author["id"], "Привет, мир", &[]).await;
    assert_eq!(c["slug"], "привет-мир");
    let (status, body) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/articles/{}", b["id"]),
            json!({ "slug": "cafe-plan" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["slug"], "cafe-plan");
    let (status, body) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/articles/{}", c["id"]),
            json!({ "slug": "cafe-plan" }),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "duplicate");
    assert_eq!(body["errors"][0]["field"], "slug", "{body}");
    // Chosen slugs follow the published pattern (a-z, 0-9, hyphens);
    // generated ones may keep other scripts.
    for bad in ["Café", "café", "a b", "2026"] {
        let (status, body) = app
            .admin_json(
                Method::PATCH,
                &format!("/api/v1/articles/{}", c["id"]),
                json!({ "slug": bad }),
            )
            .await;
        assert_eq!(
            (status, body["errors"][0]["field"].clone()),
            (422, json!("slug")),
            "{bad}"
        );
    }
    let (status, _) = app.admin_get("/api/v1/articles/cafe-plan").await;
    assert_eq!(status, 200);
}

async fn patch_changes_only_given_fields_and_checks_if_match(app: TestApp) {
    let author = fixtures::author(&app, "Editor").await;
    let a = fixtures::draft(&app, &author["id"], "Original title", &[]).await;
    let path = format!("/api/v1/articles/{}", a["id"]);
    let res = app.admin(Method::GET, &path).send().await.unwrap();
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("private"));

    let (status, body) = send_json(
        app.admin(Method::PATCH, &path)
            .header("if-match", &etag)
            .json(&json!({ "body": "New *body* here.", "meta_title": "SEO" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["title"], "Original title");
    assert_eq!(body["body_html"], "<p>New <em>body</em> here.</p>\n");
    assert_eq!(body["word_count"], 3);
    assert_eq!(body["meta_title"], "SEO");
    assert_eq!(body["version"], 2);

    // The same stale ETag again: someone (we) changed it meanwhile.
    let res = app
        .admin(Method::PATCH, &path)
        .header("if-match", &etag)
        .json(&json!({ "title": "Lost update" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition_failed").await;

    // null clears an optional field.
    let (status, body) = app
        .admin_json(Method::PATCH, &path, json!({ "meta_title": null }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["meta_title"], Value::Null);
    assert_eq!(body["title"], "Original title");
}

async fn privileged_fields_are_rejected_and_nothing_changes(app: TestApp) {
    let author = fixtures::author(&app, "Writer").await;
    let a = fixtures::draft(&app, &author["id"], "Guarded", &[]).await;
    let path = format!("/api/v1/articles/{}", a["id"]);
    for body in [
        json!({ "status": "published" }),
        json!({ "version": 9 }),
        json!({ "created_at": "2020-01-01T00:00:00Z" }),
        json!({ "title": "x", "role": "admin" }),
    ] {
        let res = app
            .admin(Method::PATCH, &path)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_problem(res, 400, "invalid_body").await;
    }
    let (_, after) = app.admin_get(&path).await;
    assert_eq!(after["status"], "draft");
    assert_eq!(after["version"], 1);
    assert_eq!(after["title"], "Guarded");
}

async fn delete_removes_the_article(app: TestApp) {
    let author = fixtures::author(&app, "Writer").await;
    let a = fixtures::published(&app, &author["id"], "Short-lived", &[]).await;
    let path = format!("/api/v1/articles/{}", a["id"]);
    let res = app.request(Method::DELETE, &path).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let res = app.admin(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let res = app.admin(Method::DELETE, &path).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
    assert_problem(app.get(&path).await, 404, "not_found").await;
}

async fn unknown_author_or_tag_is_409(app: TestApp) {
    let author = fixtures::author(&app, "Writer").await;
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "T", "body": "B", "author_id": 999999 }),
        )
        .await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (409, json!("author_id")),
        "{body}"
    );
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "T", "body": "B", "author_id": author["id"], "tags": ["nope"] }),
        )
        .await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (409, json!("tags")),
        "{body}"
    );
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "t".repeat(201), "body": "B", "author_id": author["id"] }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (_, list) = app.admin_get("/api/v1/articles?status=draft").await;
    assert_eq!(list["meta"]["total"], 0);
}
