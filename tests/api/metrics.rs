//! `/metrics`: off without `METRICS_TOKEN`, 401 without the token, and the
//! Prometheus text with requests, latencies, pools and the cache.

use reqwest::Method;

use crate::caching::cached;
use crate::harness::{assert_problem, both_backends_with, TestApp};

const TOKEN: &str = "metrics-token-metrics-token-0123456789abcdef";

both_backends_with!(
    [("METRICS_TOKEN", crate::metrics::TOKEN)],
    metrics_are_exposed_to_the_token
);

async fn metrics(app: &TestApp) -> String {
    let res = app
        .request(Method::GET, "/metrics")
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    res.text().await.unwrap()
}

/// The value of the sample line starting with `series ` (0 when absent).
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.parse().unwrap())
}

async fn metrics_are_exposed_to_the_token(app: TestApp) {
    assert_problem(app.get("/metrics").await, 401, "unauthorized").await;
    let wrong = app
        .request(Method::GET, "/metrics")
        .bearer_auth("metrics-token-metrics-token-0123456789abcdeX")
        .send()
        .await
        .unwrap();
    assert_problem(wrong, 401, "unauthorized").await;
    assert_problem(
        app.request(Method::POST, "/metrics").send().await.unwrap(),
        405,
        "method_not_allowed",
    )
    .await;

    let before = metrics(&app).await;
    let list = r#"{route="/api/v1/articles",method="GET",status="200"}"#;
    let item = r#"{route="/api/v1/articles/{id_or_slug}",method="GET",status="404"}"#;
    cached(&app, "/api/v1/articles").await;
    app.get("/api/v1/articles/nothing-here").await;
    app.get("/no/such/path").await;
    let after = metrics(&app).await;

    let counted = |name: &str| sample(&after, name) - sample(&before, name);
    assert!(
        counted(&format!("cms_http_requests_total{list}")) >= 2.0,
        "{after}"
    );
    assert_eq!(
        counted(&format!("cms_http_requests_total{item}")),
        1.0,
        "{after}"
    );
    assert_eq!(
        counted(r#"cms_http_requests_total{route="unmatched",method="GET",status="404"}"#),
        1.0,
        "unknown paths share one series, whatever the path: {after}"
    );
    assert!(!after.contains("/no/such/path"));
    let histogram = r#"cms_http_request_duration_seconds_bucket{route="/api/v1/articles/{id_or_slug}",method="GET",status="404",le="+Inf"}"#;
    assert_eq!(counted(histogram), 1.0, "{after}");
    assert!(counted("cms_cache_hits_total") >= 1.0, "{after}");
    assert!(sample(&after, "cms_cache_entries") >= 1.0, "{after}");
    assert!(sample(&after, "cms_cache_bytes") > 0.0, "{after}");
    assert!(sample(&after, "cms_content_generation") >= 1.0, "{after}");
    let pool = match app.backend {
        crate::harness::Backend::Postgres => "main",
        crate::harness::Backend::Sqlite => "readers",
    };
    assert_eq!(
        sample(
            &after,
            &format!("cms_db_pool_max_connections{{pool=\"{pool}\"}}")
        ),
        4.0,
        "{after}"
    );
    assert!(after.contains("# TYPE cms_http_request_duration_seconds histogram"));
    assert!(after.contains("cms_database_errors_total "));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_off_without_a_token() {
    let app = TestApp::spawn(crate::harness::Backend::Sqlite).await;
    assert_problem(
        app.request(Method::GET, "/metrics")
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
}
