//! SQLite under mixed load: how long a create takes while many clients
//! read, and how much memory the server holds. The real `cms` binary
//! (release build) runs as a child process on a fresh SQLite file seeded
//! with BENCH_ARTICLES news-length published articles.
//!
//! 1. Idle: one writer creates articles back to back for BENCH_SECS (the
//!    baseline: the same create with nothing else running).
//! 2. Mixed: the same writer while BENCH_READERS clients read lists and
//!    articles by slug in a closed loop.
//!
//! Reports create p50/p99 in both phases, reads per second, the server's
//! CPU time per request and its RSS (before, peak, after).
//!
//!   cargo bench --bench sqlite_mixed

mod process;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use process::Server;
use serde_json::json;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let articles: usize = env_or("BENCH_ARTICLES", 2000);
    let secs: u64 = env_or("BENCH_SECS", 10);
    let readers: usize = env_or("BENCH_READERS", 64);
    let server = Server::start();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(readers + 4)
        .build()
        .expect("client");

    let started = Instant::now();
    let (author_id, slugs) = seed(&server, &client, articles).await;
    println!(
        "seeded {articles} published articles (~900 words each) in {:.1} s; server RSS {} MB",
        started.elapsed().as_secs_f64(),
        server.rss_mb()
    );
    let window = Duration::from_secs(secs);

    let cpu = server.cpu_secs();
    let idle = write_for(&server, &client, author_id, window, "idle").await;
    let idle_cpu = server.cpu_secs() - cpu;
    let rss_before = server.rss_mb();

    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicU64::new(0));
    let peak = Arc::new(AtomicU64::new(rss_before));
    let tasks: Vec<_> = (0..readers)
        .map(|r| {
            let (client, stop, reads) = (client.clone(), stop.clone(), reads.clone());
            let base = server.base.clone();
            let slugs = slugs.clone();
            tokio::spawn(async move {
                let mut n = r;
                while !stop.load(Ordering::Relaxed) {
                    n += readers;
                    let url = if n % 4 == 0 {
                        format!("{base}/api/v1/articles?per_page=20&include=author,tags")
                    } else {
                        format!("{base}/api/v1/articles/{}", slugs[n % slugs.len()])
                    };
                    let res = client.get(url).send().await.expect("read");
                    assert!(res.status().is_success(), "read: {}", res.status());
                    res.bytes().await.expect("read body");
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let sampler = {
        let (stop, peak) = (stop.clone(), peak.clone());
        let pid = server.pid();
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(process::rss_mb_of(pid), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (reads_before, cpu) = (reads.load(Ordering::Relaxed), server.cpu_secs());
    let mixed = write_for(&server, &client, author_id, window, "mixed").await;
    let read_count = reads.load(Ordering::Relaxed) - reads_before;
    let mixed_cpu = server.cpu_secs() - cpu;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("reader");
    }
    sampler.await.expect("sampler");
    tokio::time::sleep(Duration::from_secs(2)).await;

    let reads_per_sec = read_count as f64 / mixed.elapsed;
    println!("\n| phase | creates | create p50 ms | create p99 ms | create max ms | reads/s | server CPU ms per request |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| idle (baseline) | {} | {:.1} | {:.1} | {:.1} | – | {:.2} |",
        idle.latencies.len(),
        idle.p(0.50),
        idle.p(0.99),
        idle.p(1.0),
        idle_cpu * 1000.0 / idle.latencies.len() as f64
    );
    println!(
        "| {readers} readers | {} | {:.1} | {:.1} | {:.1} | {:.0} | {:.2} |",
        mixed.latencies.len(),
        mixed.p(0.50),
        mixed.p(0.99),
        mixed.p(1.0),
        reads_per_sec,
        mixed_cpu * 1000.0 / (mixed.latencies.len() as f64 + read_count as f64)
    );
    println!(
        "\ncreate p99 under load / idle: {:.2}",
        mixed.p(0.99) / idle.p(0.99)
    );
    println!(
        "server RSS: {} MB before the readers, {} MB peak, {} MB 2 s after",
        rss_before,
        peak.load(Ordering::Relaxed),
        server.rss_mb()
    );
}

/// Creates seen by one writer in a window.
struct Writes {
    latencies: Vec<f64>,
    elapsed: f64,
}

impl Writes {
    /// The `q` quantile of the latencies, in ms.
    fn p(&self, q: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort_by(f64::total_cmp);
        let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted[i]
    }
}

/// One writer creating articles back to back for `window`.
async fn write_for(
    server: &Server,
    client: &reqwest::Client,
    author_id: i64,
    window: Duration,
    label: &str,
) -> Writes {
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut n = 0;
    while started.elapsed() < window {
        n += 1;
        let sent = Instant::now();
        let res = server
            .admin(client, reqwest::Method::POST, "/api/v1/articles")
            .json(&json!({
                "title": format!("Bench {label} {n}"),
                "body": news_body(n),
                "author_id": author_id,
                "tags": ["harbour"],
            }))
            .send()
            .await
            .expect("create");
        assert_eq!(res.status(), 201, "create: {}", res.text().await.unwrap());
        res.bytes().await.expect("create body");
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    Writes {
        latencies,
        elapsed: started.elapsed().as_secs_f64(),
    }
}

/// A news-length Markdown body (about 900 words), different per `n`.
fn news_body(n: usize) -> String {
    let paragraph = "The harbour authority opened a third container berth on Monday, after \
        two years of dredging and a delayed crane delivery. Shipping lines had asked for \
        the extra berth since volumes rose by a fifth last year, and the first vessel is \
        due on Thursday. Pilots will work night shifts through the winter, and the port \
        expects the queue of ships at anchor to shrink from nine to three within a month.";
    (0..14)
        .map(|i| format!("Paragraph {i} of report {n}. {paragraph}"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// An author, a tag and `n` published articles, created through the API.
async fn seed(server: &Server, client: &reqwest::Client, n: usize) -> (i64, Vec<String>) {
    use reqwest::Method;
    let author: serde_json::Value = server
        .admin(client, Method::POST, "/api/v1/authors")
        .json(&json!({ "name": "Bench Desk" }))
        .send()
        .await
        .expect("author")
        .json()
        .await
        .expect("author body");
    let author_id = author["id"].as_i64().expect("author id");
    let tag = server
        .admin(client, Method::POST, "/api/v1/tags")
        .json(&json!({ "name": "Harbour" }))
        .send()
        .await
        .expect("tag");
    assert_eq!(tag.status(), 201);
    let mut slugs = Vec::with_capacity(n);
    for i in 0..n {
        let article: serde_json::Value = server
            .admin(client, Method::POST, "/api/v1/articles")
            .json(&json!({
                "title": format!("Harbour report {i}"),
                "body": news_body(i),
                "author_id": author_id,
                "tags": ["harbour"],
            }))
            .send()
            .await
            .expect("seed article")
            .json()
            .await
            .expect("seed article body");
        let path = format!("/api/v1/articles/{}/publish", article["id"]);
        let res = server
            .admin(client, Method::POST, &path)
            .send()
            .await
            .expect("publish");
        assert_eq!(res.status(), 200);
        slugs.push(article["slug"].as_str().expect("slug").to_owned());
    }
    (author_id, slugs)
}
