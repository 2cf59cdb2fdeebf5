//! The public-answer cache: answers from it are the handlers' answers
//! (and 304s), and every write is seen by the next read on the same
//! instance. `cache_rules.rs` covers who bypasses it, scheduling and its
//! budget.

use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::fixtures;
use crate::harness::{both_backends, send_json, TestApp};

both_backends!(
    cached_answers_are_the_handlers_answers,
    writes_are_seen_by_the_next_read,
    remembered_totals_follow_every_write,
);

/// Headers a cached answer must repeat exactly.
const REPEATED: [&str; 6] = [
    "content-type",
    "etag",
    "cache-control",
    "vary",
    "last-modified",
    "link",
];

/// Status, the repeated headers and the body of an answer.
async fn snapshot(res: Response) -> (u16, Vec<Option<String>>, String) {
    let status = res.status().as_u16();
    let headers = REPEATED
        .iter()
        .map(|h| {
            res.headers()
                .get(*h)
                .map(|v| v.to_str().unwrap().to_owned())
        })
        .collect();
    (status, headers, res.text().await.unwrap())
}

/// Answers served from `app`'s cache so far.
pub fn hits(app: &TestApp) -> u64 {
    app.state.cache.stats().hits
}

/// A published article with a news-length body (about 5,000 characters).
pub async fn long_article(app: &TestApp, author_id: &Value, title: &str, tags: &[&str]) -> Value {
    let paragraph = "The council met on Tuesday to weigh the harbour plan, \
                     and residents filled the gallery to hear the vote. ";
    let body: String = (0..50)
        .map(|i| format!("{paragraph}{i}\n\n"))
        .collect::<String>();
    let (status, draft) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": title, "body": body, "author_id": author_id, "tags": tags }),
        )
        .await;
    assert_eq!(status, 201, "{draft}");
    fixtures::publish(app, &draft["id"]).await
}

async fn cached_answers_are_the_handlers_answers(app: TestApp) {
    let uncached = app.another_instance(&[("CACHE_MAX_BYTES", "0")]).await;
    let author = fixtures::author(&app, "Ana Writer").await;
    fixtures::tag(&app, "Harbour").await;
    let a = long_article(&app, &author["id"], "Harbour vote", &["harbour"]).await;
    long_article(&app, &author["id"], "Harbour vote again", &["harbour"]).await;
    let slug = a["slug"].as_str().unwrap();
    let author_slug = author["slug"].as_str().unwrap();
    let paths = [
        "/api/v1/articles".to_owned(),
        "/api/v1/articles?per_page=1&include=author,tags".to_owned(),
        "/api/v1/articles?tag=harbour&sort=-published_at&per_page=1&page=2".to_owned(),
        format!("/api/v1/articles/{slug}"),
        format!("/api/v1/articles/{}?fields=title,slug", a["id"]),
        format!("/api/v1/articles/{slug}/related"),
        format!("/api/v1/articles/{slug}/comments"),
        "/api/v1/authors".to_owned(),
        format!("/api/v1/authors/{author_slug}"),
        "/api/v1/tags".to_owned(),
        "/api/v1/tags/harbour".to_owned(),
    ];
    for path in &paths {
        let (first, second) = twice_until_hit(&app, path).await;
        assert_eq!(first.0, 200, "{path}: {}", first.2);
        assert_eq!(second, first, "{path}: the cached answer differs");
        let handler = snapshot(uncached.get(path).await).await;
        assert_eq!(handler, first, "{path}: differs from an uncached server");
        // 304 from the cache, with the same validators and no body.
        let etag = first.1[1].clone().expect("an ETag");
        let res = app
            .request(Method::GET, path)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 304, "{path}");
        assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);
        assert!(res.text().await.unwrap().is_empty());
    }
    // A read-scoped key shares the anonymous answers; a bad key is still 401.
    let key = fixtures::api_key(&app, "read").await;
    cached(&app, "/api/v1/articles").await;
    let before = hits(&app);
    let res = app
        .request(Method::GET, "/api/v1/articles")
        .header("x-api-key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        hits(&app),
        before + 1,
        "read keys are served from the cache"
    );
    let res = app
        .request(Method::GET, "/api/v1/articles")
        .header("x-api-key", format!("{key}x"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        401,
        "a wrong key is never served from the cache"
    );
    // Errors are not kept: a 404 stays a 404 when the article appears.
    assert_eq!(app.get("/api/v1/articles/later").await.status(), 404);
    let later = fixtures::draft(&app, &author["id"], "Later", &[]).await;
    fixtures::publish(&app, &later["id"]).await;
    assert_eq!(app.get("/api/v1/articles/later").await.status(), 200);
}

/// GETs `path` twice, again until the second answer comes from the cache
/// (right after a write the watcher may still be reading the new
/// generation, and nothing is stored until it has); returns both answers.
async fn twice_until_hit(
    app: &TestApp,
    path: &str,
) -> (
    (u16, Vec<Option<String>>, String),
    (u16, Vec<Option<String>>, String),
) {
    for _ in 0..100 {
        let first = snapshot(app.get(path).await).await;
        let before = hits(app);
        let second = snapshot(app.get(path).await).await;
        if hits(app) == before + 1 {
            return (first, second);
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("{path} was never answered from the cache");
}

/// GETs `path` anonymously until an answer comes from the cache; returns
/// that answer's body (which equals the handler's).
pub async fn cached(app: &TestApp, path: &str) -> Value {
    let (first, second) = twice_until_hit(app, path).await;
    assert_eq!(first.0, 200, "{path}: {}", first.2);
    assert_eq!(first, second, "{path}");
    serde_json::from_str(&second.2).unwrap()
}

/// The titles of a list answer, in order.
pub fn titles(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn writes_are_seen_by_the_next_read(app: TestApp) {
    let author = fixtures::author(&app, "Ana Writer").await;
    let first = fixtures::published(&app, &author["id"], "First", &[]).await;
    let id = &first["id"];
    let item = format!("/api/v1/articles/{id}");
    assert_eq!(titles(&cached(&app, "/api/v1/articles").await), ["First"]);
    assert_eq!(cached(&app, &item).await["title"], "First");

    // Publish: the cached list shows the new article at once.
    let second = fixtures::published(&app, &author["id"], "Second", &[]).await;
    assert_eq!(
        titles(&cached(&app, "/api/v1/articles").await),
        ["Second", "First"]
    );
    // Edit.
    let (status, body) = app
        .admin_json(Method::PATCH, &item, json!({ "title": "First, edited" }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(cached(&app, &item).await["title"], "First, edited");
    // Unpublish.
    let (status, body) = app
        .admin_json(Method::POST, &format!("{item}/unpublish"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.get(&item).await.status(), 404);
    assert_eq!(titles(&cached(&app, "/api/v1/articles").await), ["Second"]);
    // Delete.
    let (status, _) = send_json(app.admin(
        Method::DELETE,
        &format!("/api/v1/articles/{}", second["id"]),
    ))
    .await;
    assert_eq!(status, 204);
    let (_, list) = app.public_get("/api/v1/articles").await;
    assert_eq!(list["meta"]["total"], 0, "{list}");
    // An author's rename reaches the cached author page and its embeds.
    let author_path = format!("/api/v1/authors/{}", author["id"]);
    cached(&app, &author_path).await;
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &author_path,
            json!({ "name": "Ana Renamed" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(cached(&app, &author_path).await["name"], "Ana Renamed");
    // A comment stored directly (no HTTP request) is seen too.
    let third = fixtures::published(&app, &author["id"], "Third", &[]).await;
    let thread = format!("/api/v1/articles/{}/comments", third["id"]);
    assert_eq!(cached(&app, &thread).await["meta"]["total"], 0);
    let third_id = third["id"].as_i64().unwrap();
    fixtures::stored_comment(&app, third_id, None, "Gus", "Well said.", "approved").await;
    let (_, comments) = app.public_get(&thread).await;
    assert_eq!(comments["meta"]["total"], 1, "{comments}");
}

/// List totals are remembered per filter for the current content, for
/// staff lists too (which the answer cache never holds): every write that
/// changes a count is seen by the next list.
async fn remembered_totals_follow_every_write(app: TestApp) {
    let desk = fixtures::author(&app, "Count Desk").await;
    let total = |path: &'static str| {
        let app = &app;
        async move {
            let (status, list) = app.admin_get(path).await;
            assert_eq!(status, 200, "{list}");
            let staff = list["meta"]["total"].as_i64().unwrap();
            let (_, list) = app.public_get(path).await;
            (staff, list["meta"]["total"].as_i64())
        }
    };
    let drafts = "/api/v1/articles?status=draft&per_page=1";
    let public = "/api/v1/articles?per_page=1";
    assert_eq!(total(public).await, (0, Some(0)));
    let first = fixtures::draft(&app, &desk["id"], "One", &[]).await;
    fixtures::draft(&app, &desk["id"], "Two", &[]).await;
    for _ in 0..2 {
        assert_eq!(total(drafts).await.0, 2);
        assert_eq!(total(public).await, (0, Some(0)));
    }
    fixtures::publish(&app, &first["id"]).await;
    assert_eq!(total(drafts).await.0, 1);
    assert_eq!(total(public).await, (1, Some(1)));
    let (status, _) =
        send_json(app.admin(Method::DELETE, &format!("/api/v1/articles/{}", first["id"]))).await;
    assert_eq!(status, 204);
    assert_eq!(total(public).await, (0, Some(0)));
    assert_eq!(total(drafts).await.0, 1);
}
