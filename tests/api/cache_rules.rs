//! Who never goes through the public cache (staff, preview keys), how a
//! scheduled article reaches cached lists on time, the byte budget, and two
//! SQLite instances kept in step by the periodic check.

use reqwest::Method;
use serde_json::json;

use crate::caching::{cached, hits, long_article, titles};
use crate::fixtures;
use crate::harness::{both_backends, both_backends_with, send_json, Backend, TestApp};

both_backends!(
    staff_and_preview_answers_never_go_through_the_cache,
    scheduled_article_appears_in_a_cached_list_on_time,
);
both_backends_with!(
    [("CACHE_MAX_BYTES", "60000")],
    the_cache_stays_within_its_budget
);

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
