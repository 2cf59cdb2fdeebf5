//! Liveness and readiness probes.

use crate::harness::{assert_problem, both_backends, Backend, TestApp};
use serde_json::Value;

both_backends!(live_and_ready_answer_ok);

async fn live_and_ready_answer_ok(app: TestApp) {
    let res = app.get("/health/live").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("x-request-id"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");

    let res = app.get("/health/ready").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let expected = match app.backend {
        Backend::Postgres => "postgres",
        Backend::Sqlite => "sqlite",
    };
    assert_eq!(body["database"], expected);
}

/// With the database gone, readiness is a fast 503 problem and liveness stays 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_is_503_when_postgres_is_unreachable() {
    let app = TestApp::spawn(Backend::Postgres).await;
    // Take the database away under the running server.
    let admin = crate::harness::pg_connect(&crate::harness::pg_admin_url()).await;
    let name = app.database_url.rsplit('/').next().unwrap().to_owned();
    admin
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();

    let started = std::time::Instant::now();
    let res = app.get("/health/ready").await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(res.headers().contains_key("retry-after"));
    let body = assert_problem(res, 503, "service_unavailable").await;
    assert!(
        !body["detail"].as_str().unwrap().contains(&name),
        "no internals: {body}"
    );

    assert_eq!(app.get("/health/live").await.status(), 200);
}

/// Every answer carries a request id: the caller's when it is a sane token,
/// a fresh one otherwise (also on errors).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_ids_are_echoed_or_made() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let id = |res: &reqwest::Response| res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let res = app
        .request(reqwest::Method::GET, "/health/live")
        .header("x-request-id", "edge-42.a_b")
        .send()
        .await
        .unwrap();
    assert_eq!(id(&res), "edge-42.a_b");
    let res = app
        .request(reqwest::Method::GET, "/no/such")
        .header("x-request-id", "bad id <script>")
        .send()
        .await
        .unwrap();
    let made = id(&res);
    assert_eq!(res.status(), 404);
    assert!(
        made.len() == 32 && made.bytes().all(|b| b.is_ascii_hexdigit()),
        "{made}"
    );
    let other = id(&app.get("/health/live").await);
    assert_ne!(made, other);
}
