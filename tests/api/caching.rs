//! The public-answer cache: answers from it are the handlers' answers,
//! every write is seen by the next read, staff and preview answers never
//! go through it, scheduled articles appear on time, and it stays within
//! its budget.

use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::fixtures;
use crate::harness::{both_backends, both_backends_with, send_json, Backend, TestApp};

both_backends!(
    cached_answers_are_the_handlers_answers,
    writes_are_seen_by_the_next_read,
    staff_and_preview_answers_never_go_through_the_cache,
    scheduled_article_appears_in_a_cached_list_on_time,
);
both_backends_with!(
    [("CACHE_MAX_BYTES", "60000")],
    the_cache_stays_within_its_budget
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

fn hits(app: &TestApp) -> u64 {
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

fn titles(list: &Value) -> Vec<String> {
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

async fn staff_and_preview_answers_never_go_through_the_cache(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let public = fixtures::published(&app, &editor.author["id"], "Public", &[]).await;
    let draft = fixtures::draft(&app, &editor.author["id"], "Secret draft", &[]).await;
    let draft_path = format!("/api/v1/articles/{}", draft["slug"].as_str().unwrap());
    let preview = fixtures::api_key(&app, "preview").await;
    // Warm the cache with the anonymous list and item.
    assert_eq!(titles(&cached(&app, "/api/v1/articles").await), ["Public"]);
    cached(&app, &format!("/api/v1/articles/{}", public["id"])).await;

    let before = app.state.cache.stats();
    for _ in 0..2 {
        let (status, body) = send_json(
            app.request(Method::GET, &draft_path)
                .bearer_auth(&editor.token),
        )
        .await;
        assert_eq!((status, &body["title"]), (200, &json!("Secret draft")));
        let (status, _) = send_json(
            app.request(Method::GET, &draft_path)
                .header("x-api-key", &preview),
        )
        .await;
        assert_eq!(status, 200, "a preview key sees the draft");
        let (status, list) = send_json(
            app.request(Method::GET, "/api/v1/articles?status=draft")
                .bearer_auth(&editor.token),
        )
        .await;
        assert_eq!(
            (status, titles(&list)),
            (200, vec!["Secret draft".to_owned()])
        );
        let res = app
            .request(Method::GET, "/api/v1/articles")
            .bearer_auth(&editor.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["cache-control"], "private, no-cache");
    }
    let after = app.state.cache.stats();
    assert_eq!(
        (after.hits, after.misses, after.entries),
        (before.hits, before.misses, before.entries),
        "staff and preview requests neither read nor fill the cache"
    );
    // The anonymous answers are unchanged by all that.
    assert_eq!(app.get(&draft_path).await.status(), 404);
    assert_eq!(titles(&cached(&app, "/api/v1/articles").await), ["Public"]);
    let res = app.get("/api/v1/articles").await;
    assert_eq!(res.headers()["cache-control"], "public, max-age=60");
}

async fn scheduled_article_appears_in_a_cached_list_on_time(app: TestApp) {
    let author = fixtures::author(&app, "Writer").await;
    fixtures::published(&app, &author["id"], "Already out", &[]).await;
    let embargoed = fixtures::draft(&app, &author["id"], "Embargoed", &[]).await;
    let at = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
    let (status, body) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{}/publish", embargoed["id"]),
            json!({ "publish_at": at.to_rfc3339() }),
        )
        .await;
    assert_eq!((status, &body["status"]), (200, &json!("scheduled")));
    assert_eq!(
        titles(&cached(&app, "/api/v1/articles").await),
        ["Already out"]
    );
    let wait = at - chrono::Utc::now() + chrono::Duration::milliseconds(50);
    tokio::time::sleep(wait.to_std().unwrap_or_default()).await;
    let (_, list) = app.public_get("/api/v1/articles").await;
    assert_eq!(titles(&list), ["Embargoed", "Already out"], "on time");
    assert_eq!(
        titles(&cached(&app, "/api/v1/articles").await),
        ["Embargoed", "Already out"]
    );
}

async fn the_cache_stays_within_its_budget(app: TestApp) {
    let author = fixtures::author(&app, "Ana Writer").await;
    let mut ids = Vec::new();
    for i in 0..8 {
        let a = long_article(&app, &author["id"], &format!("Story {i}"), &[]).await;
        ids.push(a["id"].clone());
    }
    // Once the watcher has vouched for the content, every miss is kept.
    cached(&app, "/api/v1/tags").await;
    for id in &ids {
        let res = app.get(&format!("/api/v1/articles/{id}")).await;
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().len() > 4000);
    }
    let stats = app.state.cache.stats();
    assert!(stats.bytes <= 60_000, "{} bytes", stats.bytes);
    assert!(stats.evictions > 0, "{stats:?}");
    assert!(stats.entries >= 2 && stats.entries < 8, "{stats:?}");
    // The most recent answers are the ones kept.
    let before = hits(&app);
    app.get(&format!("/api/v1/articles/{}", ids[7])).await;
    assert_eq!(hits(&app), before + 1);
    let before = hits(&app);
    app.get(&format!("/api/v1/articles/{}", ids[0])).await;
    assert_eq!(hits(&app), before, "the oldest answer was evicted");
}

/// Two instances on one SQLite file: the periodic check shows each the
/// other's writes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_instances_see_each_others_writes_by_the_periodic_check() {
    let a = TestApp::spawn_with(Backend::Sqlite, &[("CACHE_CHECK_INTERVAL_MS", "100")]).await;
    let b = a.another_instance(&[]).await;
    let author = fixtures::author(&a, "Ana Writer").await;
    assert_eq!(cached(&b, "/api/v1/articles").await["meta"]["total"], 0);
    fixtures::published(&a, &author["id"], "From A", &[]).await;
    let seen = crate::instances::until_seen(&b, "From A").await;
    assert!(seen < std::time::Duration::from_secs(1), "{seen:?}");
}
