//! Closed-loop load: `concurrency` clients, each sending its next request as
//! soon as the previous one is answered, round-robin over the URLs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one measurement saw.
pub struct Stats {
    pub per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
    /// Body size of the last response.
    pub bytes: usize,
}

/// Runs the load for `window`; every answer must be 200.
pub async fn drive(
    client: &reqwest::Client,
    urls: &[String],
    window: Duration,
    concurrency: usize,
) -> Stats {
    let urls = Arc::new(urls.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + window;
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, urls, next) = (client.clone(), urls.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut bytes = 0;
                while Instant::now() < deadline {
                    let url = &urls[next.fetch_add(1, Ordering::Relaxed) % urls.len()];
                    let t = Instant::now();
                    let res = client.get(url).send().await.expect("request");
                    assert_eq!(res.status(), 200, "{url}");
                    bytes = res.bytes().await.expect("body").len();
                    latencies.push(t.elapsed());
                }
                (latencies, bytes)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut bytes = 0;
    for task in tasks {
        let (latencies, b) = task.await.expect("load task");
        all.extend(latencies);
        bytes = b;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| ms(*d))
    };
    Stats {
        per_sec: all.len() as f64 / elapsed,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        mean_ms: all.iter().map(|d| ms(*d)).sum::<f64>() / all.len().max(1) as f64,
        bytes,
    }
}

/// Resident set size of this process in MB (Linux).
pub fn rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
