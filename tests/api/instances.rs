//! Two instances on one PostgreSQL database behave as one service: a
//! publish on one is seen on the other within a second (cache invalidation
//! by NOTIFY), and sessions, the login throttle and comment rate limits are
//! shared.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::caching::cached;
use crate::fixtures;
use crate::harness::{send_json, Backend, TestApp};

/// Polls `app`'s article list until an article titled `title` shows;
/// returns how long that took (panics after five seconds).
pub async fn until_seen(app: &TestApp, title: &str) -> Duration {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(5) {
        let (status, list) = app.public_get("/api/v1/articles").await;
        assert_eq!(status, 200, "{list}");
        let shown = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["title"] == title);
        if shown {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{title} never showed");
}

async fn two_instances(overrides: &[(&str, &str)]) -> (TestApp, TestApp) {
    let a = TestApp::spawn_with(Backend::Postgres, overrides).await;
    let b = a.another_instance(&[]).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_on_one_instance_is_seen_on_the_other_within_a_second() {
    // A long periodic check, so only the notification can be fast.
    let (a, b) = two_instances(&[("CACHE_CHECK_INTERVAL_MS", "60000")]).await;
    let author = fixtures::author(&a, "Ana Writer").await;
    for round in 0..3 {
        assert_eq!(
            cached(&b, "/api/v1/articles").await["meta"]["total"],
            round,
            "B serves its list from its cache"
        );
        let title = format!("From A, {round}");
        fixtures::published(&a, &author["id"], &title, &[]).await;
        let seen = until_seen(&b, &title).await;
        eprintln!("cross-instance propagation: {seen:?}");
        assert!(seen < Duration::from_secs(1), "{seen:?}");
    }
    // And the other way round, for an edit.
    let (_, list) = b.public_get("/api/v1/articles").await;
    let id = list["data"][0]["id"].clone();
    cached(&a, &format!("/api/v1/articles/{id}")).await;
    let (status, _) = b
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/articles/{id}"),
            json!({ "title": "Edited on B" }),
        )
        .await;
    assert_eq!(status, 200);
    let started = Instant::now();
    loop {
        let (_, item) = a.public_get(&format!("/api/v1/articles/{id}")).await;
        if item["title"] == "Edited on B" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "A still shows {item}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_and_limits_are_shared_by_the_instances() {
    let (a, b) = two_instances(&[
        ("LOGIN_MAX_FAILURES", "4"),
        ("COMMENT_MIN_FILL_SECS", "0"),
        ("COMMENT_IP_MAX", "2"),
    ])
    .await;
    // A session opened on A is refreshed on B, and its rotation is seen by A.
    let editor = fixtures::staff(&a, "editor").await;
    let refresh = |app: &TestApp, token: &str| {
        send_json(
            app.request(Method::POST, "/api/v1/auth/refresh")
                .json(&json!({ "refresh_token": token })),
        )
    };
    let (status, rotated) = refresh(&b, &editor.refresh).await;
    assert_eq!(status, 200, "{rotated}");
    let (status, _) = refresh(&a, &editor.refresh).await;
    assert_eq!(status, 401, "the old refresh token is spent everywhere");
    let (status, me) = send_json(
        a.request(Method::GET, "/api/v1/me")
            .bearer_auth(&editor.token),
    )
    .await;
    assert_eq!(status, 401, "the replay revoked the session on A too: {me}");

    // Login failures split over A and B count together.
    let login = |app: &TestApp, password: &str| {
        send_json(
            app.request(Method::POST, "/api/v1/auth/login")
                .json(&json!({ "email": editor.email, "password": password })),
        )
    };
    for app in [&a, &b, &a, &b] {
        assert_eq!(login(app, "wrong password here").await.0, 401);
    }
    assert_eq!(login(&a, fixtures::PASSWORD).await.0, 429);
    assert_eq!(login(&b, fixtures::PASSWORD).await.0, 429);

    // Comments from one IP over A and B share one budget.
    let story = fixtures::published(&a, &editor.author["id"], "Open thread", &[]).await;
    let mut statuses = Vec::new();
    for app in [&a, &b, &a] {
        statuses.push(comment(app, &story).await);
    }
    assert_eq!(statuses, [202, 202, 429]);
}

/// Posts a comment on `story` through `app`; returns the status.
async fn comment(app: &TestApp, story: &Value) -> u16 {
    let slug = story["slug"].as_str().unwrap();
    let (status, form) = app
        .public_get(&format!("/api/v1/articles/{slug}/comment-form"))
        .await;
    assert_eq!(status, 200, "{form}");
    let (status, body) = send_json(
        app.request(
            Method::POST,
            &format!("/api/v1/articles/{}/comments", story["id"]),
        )
        .json(&json!({
            "author_name": "Ana Reader",
            "author_email": format!("ana{}@readers.example", rand::random::<u32>()),
            "body": "A fine piece.",
            "form_token": form["form_token"],
        })),
    )
    .await;
    assert!(status == 202 || status == 429, "{status}: {body}");
    status
}

/// A change whose notification never comes (here: made with the trigger
/// off, the generation raised by hand) is still seen, by the periodic check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_notification_is_caught_by_the_periodic_check() {
    let app = TestApp::spawn_with(Backend::Postgres, &[("CACHE_CHECK_INTERVAL_MS", "200")]).await;
    let author = fixtures::author(&app, "Ana Writer").await;
    let article = fixtures::published(&app, &author["id"], "Before", &[]).await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    assert_eq!(cached(&app, &path).await["title"], "Before");
    let client = crate::harness::pg_connect(&app.database_url).await;
    client
        .batch_execute(&format!(
            "BEGIN; \
             ALTER TABLE articles DISABLE TRIGGER articles_content_generation; \
             UPDATE articles SET title = 'After' WHERE id = {}; \
             ALTER TABLE articles ENABLE TRIGGER articles_content_generation; \
             UPDATE content_generation SET generation = generation + 1; \
             COMMIT",
            article["id"]
        ))
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let (_, item) = app.public_get(&path).await;
        if item["title"] == "After" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "still {item} after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
