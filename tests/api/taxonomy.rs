//! Authors and tags: CRUD, counts, detaching and delete rules.

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

both_backends!(tags_crud_and_delete_detaches, authors_crud_and_delete_rules);

async fn tags_crud_and_delete_detaches(app: TestApp) {
    let author = fixtures::author(&app, "Writer").await;
    let res = app
        .admin(Method::POST, "/api/v1/tags")
        .json(&json!({ "name": "Energy & LNG", "description": "Gas" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let tag: Value = res.json().await.unwrap();
    assert_eq!(tag["slug"], "energy-lng");
    assert_eq!(location, format!("/api/v1/tags/{}", tag["id"]));
    let (status, dup) = app
        .admin_json(
            Method::POST,
            "/api/v1/tags",
            json!({ "name": "Other", "slug": "energy-lng" }),
        )
        .await;
    assert_eq!((status, dup["code"].clone()), (409, json!("duplicate")));
    assert_eq!(dup["errors"][0]["field"], "slug", "{dup}");
    let (status, second) = app
        .admin_json(
            Method::POST,
            "/api/v1/tags",
            json!({ "name": "Energy, LNG" }),
        )
        .await;
    assert_eq!(
        (status, second["slug"].clone()),
        (201, json!("energy-lng-2"))
    );
    let (status, patched) = app
        .admin_json(
            Method::PATCH,
            "/api/v1/tags/energy-lng",
            json!({ "description": "Natural gas" }),
        )
        .await;
    assert_eq!(
        (status, patched["description"].clone()),
        (200, json!("Natural gas"))
    );
    assert_eq!(patched["name"], "Energy & LNG");

    let article = fixtures::published(&app, &author["id"], "Gas deal", &["energy-lng"]).await;
    let (_, listed) = app.public_get("/api/v1/tags").await;
    assert_eq!(listed["meta"]["total"], 2);
    assert_eq!(listed["data"][0]["article_count"], 1);

    let res = app
        .request(Method::DELETE, "/api/v1/tags/energy-lng")
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let res = app
        .admin(Method::DELETE, "/api/v1/tags/energy-lng")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (status, still) = app
        .public_get(&format!("/api/v1/articles/{}?include=tags", article["id"]))
        .await;
    assert_eq!(status, 200, "the article survives");
    assert_eq!(still["tags"], json!([]));
    assert_problem(app.get("/api/v1/tags/energy-lng").await, 404, "not_found").await;
}

async fn authors_crud_and_delete_rules(app: TestApp) {
    // A wire service: no personal name, no account.
    let (status, wire) = app
        .admin_json(
            Method::POST,
            "/api/v1/authors",
            json!({ "name": "core", "bio": "Wire service", "website": "https://example.org" }),
        )
        .await;
    assert_eq!(status, 201, "{wire}");
    assert_eq!(wire["slug"], "core");
    assert_eq!(wire["article_count"], 0);
    let (status, bad) = app
        .admin_json(
            Method::POST,
            "/api/v1/authors",
            json!({ "name": "x", "website": "javascript:alert(1)" }),
        )
        .await;
    assert_eq!(status, 422, "{bad}");
    let (status, patched) = app
        .admin_json(
            Method::PATCH,
            "/api/v1/authors/core",
            json!({ "website": null, "bio": "Newswire" }),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(
        (patched["website"].clone(), patched["bio"].clone()),
        (Value::Null, json!("Newswire"))
    );

    fixtures::draft(&app, &wire["id"], "Pending wire copy", &[]).await;
    let res = app
        .admin(Method::DELETE, "/api/v1/authors/core")
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 409, "author_has_articles").await;
    assert!(body["detail"].as_str().unwrap().contains('1'));

    let lonely = fixtures::author(&app, "Lonely").await;
    let res = app
        .admin(Method::DELETE, &format!("/api/v1/authors/{}", lonely["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (_, list) = app.public_get("/api/v1/authors").await;
    assert_eq!(list["meta"]["total"], 1);
    assert_eq!(list["data"][0]["name"], "core");
    assert!(list.to_string().find("email").is_none());
}
