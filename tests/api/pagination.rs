//! Page and cursor pagination, Link headers, include and sparse fields.

use std::collections::HashSet;

use crate::fixtures;
use crate::harness::{both_backends, TestApp};
use reqwest::Method;
use serde_json::Value;

both_backends!(
    pages_and_links,
    cursor_walk_is_stable_while_articles_are_added,
    include_and_fields_shape_the_items,
    sort_orders
);

async fn seed(app: &TestApp, n: usize) -> Value {
    let author = fixtures::author(app, "Pager").await;
    fixtures::tag(app, "Paged").await;
    for i in 0..n {
        fixtures::published(app, &author["id"], &format!("Article {i:03}"), &["paged"]).await;
    }
    author
}

async fn pages_and_links(app: TestApp) {
    seed(&app, 7).await;
    let res = app
        .get("/api/v1/articles?per_page=3&page=2&tag=paged")
        .await;
    assert_eq!(res.status(), 200);
    let link = res.headers()["link"].to_str().unwrap().to_owned();
    assert!(
        link.contains("page=3") && link.contains("rel=\"next\""),
        "{link}"
    );
    assert!(
        link.contains("page=1") && link.contains("rel=\"prev\""),
        "{link}"
    );
    assert!(
        link.contains("tag=paged"),
        "filters are kept in links: {link}"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["meta"]["page"], 2);
    assert_eq!(body["meta"]["per_page"], 3);
    assert_eq!(body["meta"]["total"], 7);
    assert_eq!(body["data"].as_array().unwrap().len(), 3);
    // Newest first: page 2 of 7 holds the 4th..6th newest.
    assert_eq!(body["data"][0]["title"], "Article 003");
    let (_, last) = app.public_get("/api/v1/articles?per_page=3&page=3").await;
    assert_eq!(last["data"].as_array().unwrap().len(), 1);
    assert_eq!(last["meta"]["next_cursor"], Value::Null);
    let (_, beyond) = app.public_get("/api/v1/articles?per_page=3&page=9").await;
    assert_eq!(beyond["data"].as_array().unwrap().len(), 0);
    let (_, default) = app.public_get("/api/v1/articles").await;
    assert_eq!(default["meta"]["per_page"], 20);
}

async fn cursor_walk_is_stable_while_articles_are_added(app: TestApp) {
    let author = seed(&app, 9).await;
    let mut seen = Vec::new();
    let (_, mut page) = app.public_get("/api/v1/articles?per_page=4").await;
    assert_eq!(page["meta"]["page"], 1);
    loop {
        for item in page["data"].as_array().unwrap() {
            seen.push(item["title"].as_str().unwrap().to_owned());
        }
        // Newer articles arrive while the client walks: they must not shift pages.
        fixtures::published(&app, &author["id"], &format!("Late {}", seen.len()), &[]).await;
        let Some(cursor) = page["meta"]["next_cursor"].as_str().map(str::to_owned) else {
            break;
        };
        let res = app
            .get(&format!("/api/v1/articles?per_page=4&cursor={cursor}"))
            .await;
        let link = res
            .headers()
            .get("link")
            .map(|v| v.to_str().unwrap().to_owned());
        page = res.json().await.unwrap();
        if page["meta"]["next_cursor"].is_string() {
            assert!(link.unwrap().contains("cursor="));
        }
        assert_eq!(page["meta"]["page"], Value::Null);
    }
    let expected: Vec<String> = (0..9).rev().map(|i| format!("Article {i:03}")).collect();
    assert_eq!(seen, expected, "no duplicates, no gaps");
    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len());
    // A cursor carries its sort order, which wins over `sort`; malformed
    // cursors are refused.
    let (_, first) = app.public_get("/api/v1/articles?per_page=2").await;
    let cursor = first["meta"]["next_cursor"].as_str().unwrap();
    assert!(cursor.starts_with("pd."), "{cursor}");
    let (status, other_sort) = app
        .public_get(&format!(
            "/api/v1/articles?per_page=2&sort=title&cursor={cursor}"
        ))
        .await;
    let (_, same_sort) = app
        .public_get(&format!("/api/v1/articles?per_page=2&cursor={cursor}"))
        .await;
    assert_eq!((status, &other_sort["data"]), (200, &same_sort["data"]));
    assert_eq!(other_sort["data"].as_array().unwrap().len(), 2);
    for bad in [
        "pd.1",
        "zz.1.1",
        "t.abc.1",
        "eyJzb3J0IjoiLXB1Ymxpc2hlZF9hdCJ9",
    ] {
        let res = app.get(&format!("/api/v1/articles?cursor={bad}")).await;
        crate::harness::assert_problem(res, 400, "invalid_cursor").await;
    }
    // `page` with a cursor contradicts it: 400, whatever its value (an
    // out-of-range page used to pass unchecked).
    for page in ["2", "2398507"] {
        let res = app
            .get(&format!("/api/v1/articles?page={page}&cursor={cursor}"))
            .await;
        let problem = crate::harness::assert_problem(res, 400, "invalid_query").await;
        assert_eq!(problem["errors"][0]["field"], "page", "{problem}");
    }
}

async fn include_and_fields_shape_the_items(app: TestApp) {
    seed(&app, 3).await;
    let (_, plain) = app.public_get("/api/v1/articles").await;
    assert!(plain["data"][0].get("author").is_none());
    assert!(plain["data"][0].get("tags").is_none());
    let (_, full) = app
        .public_get("/api/v1/articles?include=author,tags&per_page=100")
        .await;
    for item in full["data"].as_array().unwrap() {
        assert_eq!(item["author"]["name"], "Pager");
        assert_eq!(item["tags"][0]["slug"], "paged");
    }
    let (_, sparse) = app.public_get("/api/v1/articles?fields=title,slug").await;
    let keys: HashSet<&str> = sparse["data"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, HashSet::from(["id", "title", "slug"]));
    let (_, one) = app
        .public_get(&format!(
            "/api/v1/articles/{}?fields=excerpt&include=tags",
            sparse["data"][0]["id"]
        ))
        .await;
    let keys: HashSet<&str> = one
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, HashSet::from(["id", "excerpt"]));
    let (status, _) = app.public_get("/api/v1/articles?include=comments").await;
    assert_eq!(status, 400);
}

async fn sort_orders(app: TestApp) {
    let author = fixtures::author(&app, "Sorter").await;
    for title in ["Bravo", "Alpha", "Charlie"] {
        fixtures::published(&app, &author["id"], title, &[]).await;
    }
    let titles = |body: &Value| -> Vec<String> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, by_title) = app.public_get("/api/v1/articles?sort=title").await;
    assert_eq!(titles(&by_title), ["Alpha", "Bravo", "Charlie"]);
    let (_, oldest) = app.public_get("/api/v1/articles?sort=published_at").await;
    assert_eq!(titles(&oldest), ["Bravo", "Alpha", "Charlie"]);
    app.admin_json(
        Method::PATCH,
        &format!("/api/v1/articles/{}", by_title["data"][1]["id"]),
        serde_json::json!({"excerpt": "edited"}),
    )
    .await;
    let (_, edited) = app.public_get("/api/v1/articles?sort=-updated_at").await;
    assert_eq!(titles(&edited)[0], "Bravo");
    // Title cursor walk.
    let (_, p1) = app
        .public_get("/api/v1/articles?sort=title&per_page=2")
        .await;
    let cursor = p1["meta"]["next_cursor"].as_str().unwrap();
    let (_, p2) = app
        .public_get(&format!(
            "/api/v1/articles?sort=title&per_page=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(titles(&p2), ["Charlie"]);
    let after = chrono::Utc::now().to_rfc3339().replace('+', "%2B");
    let (status, none) = app
        .public_get(&format!("/api/v1/articles?published_after={after}"))
        .await;
    assert_eq!(
        (status, none["meta"]["total"].clone()),
        (200, serde_json::json!(0)),
        "{none}"
    );
}
