//! Load benchmark: the real service against a bare actix-web handler that
//! runs the same queries (the same model functions) and writes the same
//! JSON, in one process, on one PostgreSQL database seeded with
//! BENCH_ARTICLES published articles. Reports throughput ratios (the median
//! of BENCH_ROUNDS alternating rounds), p50/p99 latency, cursor depth cost
//! and RSS.
//!
//!   cargo bench --bench load        (needs PostgreSQL at TEST_DATABASE_URL)

mod baseline;
mod driver;
mod seed;

use std::collections::HashMap;
use std::time::Duration;

use cms::config::Config;
use cms::startup::Application;
use driver::{drive, Stats};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let articles: i64 = env_or("BENCH_ARTICLES", 10_000);
    let secs: u64 = env_or("BENCH_SECS", 5);
    let concurrency: usize = env_or("BENCH_CONCURRENCY", 16);
    let rounds: usize = env_or("BENCH_ROUNDS", 5).max(1);
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let database = format!("cms_bench_{}", std::process::id());
    let url = seed::create_database(&admin_url, &database).await;

    let env: HashMap<&str, String> = [
        ("DATABASE_URL", url.clone()),
        ("BIND_ADDR", "127.0.0.1:0".to_owned()),
        ("WORKERS", "1".to_owned()),
        ("LOG_FILTER", "error".to_owned()),
        (
            "JWT_SECRET",
            "bench-secret-bench-secret-bench-secret-0123".to_owned(),
        ),
    ]
    .into_iter()
    .collect();
    let config = Config::from_lookup(|k| env.get(k).cloned()).expect("bench configuration");
    let app = Application::build(config).await.expect("service starts");
    let service = format!("http://127.0.0.1:{}", app.port());
    let db = app.state().db.clone();
    let server = app.into_server();
    let service_handle = server.handle();
    tokio::spawn(server);
    let (bare_port, bare_handle) = baseline::start(db.clone());
    let bare = format!("http://127.0.0.1:{bare_port}");

    let slugs = seed::seed(&url, articles).await;
    println!(
        "seeded {articles} published articles (50 authors, 20 tags, 2 tags each) in {database}"
    );
    println!("load: {concurrency} concurrent connections, {secs} s per measurement, 1 server worker each\n");

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("client");
    let window = Duration::from_secs(secs);
    let by_slug = |base: &str, prefix: &str| -> Vec<String> {
        slugs.iter().map(|s| format!("{base}{prefix}{s}")).collect()
    };
    let scenarios = [
        (
            "GET /api/v1/articles/{slug}",
            by_slug(&service, "/api/v1/articles/"),
            by_slug(&bare, "/article/"),
        ),
        (
            "GET /api/v1/articles?per_page=20&include=author,tags",
            vec![format!(
                "{service}/api/v1/articles?per_page=20&include=author,tags"
            )],
            vec![format!("{bare}/articles")],
        ),
        (
            "GET /api/v1/articles?q=story+123 (11 matches)",
            vec![format!("{service}/api/v1/articles?q=story+123")],
            vec![format!("{bare}/search/story%20123")],
        ),
    ];
    println!("| endpoint | service req/s | bare req/s | ratio | service p50 / p99 ms | bare p50 / p99 ms | bytes (service / bare) |");
    println!("|---|---|---|---|---|---|---|");
    for (name, service_urls, bare_urls) in scenarios {
        // Warm both up, then alternate bare and service for `rounds` rounds
        // and report the round with the median ratio (one noisy window on a
        // shared 2-core machine moves a single ratio by ±15%).
        drive(&client, &bare_urls, Duration::from_secs(1), concurrency).await;
        drive(&client, &service_urls, Duration::from_secs(1), concurrency).await;
        let mut measured: Vec<(Stats, Stats)> = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let b: Stats = drive(&client, &bare_urls, window, concurrency).await;
            let s: Stats = drive(&client, &service_urls, window, concurrency).await;
            measured.push((s, b));
        }
        measured.sort_by(|(s1, b1), (s2, b2)| {
            (s1.per_sec / b1.per_sec).total_cmp(&(s2.per_sec / b2.per_sec))
        });
        let ratios: Vec<String> = measured
            .iter()
            .map(|(s, b)| format!("{:.2}", s.per_sec / b.per_sec))
            .collect();
        let (s, b) = measured.swap_remove(rounds / 2);
        eprintln!(
            "{name}: ratios of the {rounds} rounds {}",
            ratios.join(", ")
        );
        println!(
            "| `{name}` | {:.0} | {:.0} | **{:.2}** | {:.2} / {:.2} | {:.2} / {:.2} | {} / {} |",
            s.per_sec,
            b.per_sec,
            s.per_sec / b.per_sec,
            s.p50_ms,
            s.p99_ms,
            b.p50_ms,
            b.p99_ms,
            s.bytes,
            b.bytes
        );
    }

    // Deep pages: a cursor 80% into the list against page 1, sequentially.
    let deep = seed::cursor_at(&url, articles * 4 / 5).await;
    let first = format!("{service}/api/v1/articles?per_page=20");
    let by_cursor = format!("{service}/api/v1/articles?per_page=20&cursor={deep}");
    let by_offset = format!(
        "{service}/api/v1/articles?per_page=20&page={}",
        articles * 4 / 5 / 20
    );
    let one = Duration::from_secs(secs.div_ceil(2));
    let p1 = drive(&client, std::slice::from_ref(&first), one, 1).await;
    let pc = drive(&client, std::slice::from_ref(&by_cursor), one, 1).await;
    let po = drive(&client, std::slice::from_ref(&by_offset), one, 1).await;
    println!("\n| list page (one client) | mean ms | vs page 1 |\n|---|---|---|");
    for (label, st) in [
        ("page 1", &p1),
        ("row 80% by cursor", &pc),
        ("row 80% by page number", &po),
    ] {
        println!(
            "| {label} | {:.2} | {:.2} |",
            st.mean_ms,
            st.mean_ms / p1.mean_ms
        );
    }
    println!(
        "\nprocess RSS after the runs (service + bare server + load generator): {} MB",
        driver::rss_mb()
    );

    service_handle.stop(true).await;
    bare_handle.stop(true).await;
    drop(db);
    seed::drop_database(&admin_url, &database).await;
}
