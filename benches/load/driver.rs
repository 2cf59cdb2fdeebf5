//! Load: one connection in a loop (latency), or many closed-loop clients,
//! each sending its next request as soon as the previous one is answered
//! (throughput). Both go round-robin over the URLs; every answer must be 200.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Whether the answer was a 200 (the first other answer is printed).
async fn get(client: &reqwest::Client, url: &str) -> bool {
    static REPORTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let res = client.get(url).send().await.expect("request");
    let status = res.status();
    let body = res.bytes().await.expect("body");
    if status != 200 && !REPORTED.swap(true, Ordering::Relaxed) {
        eprintln!(
            "WARNING: {url}: {status} {} (further failures are only counted)",
            String::from_utf8_lossy(&body)
        );
    }
    status == 200
}

/// Latency at one connection: p50 and p99 in ms, over at least `window`
/// and at least 20 requests (at most three windows). Failed requests count.
pub async fn latency(client: &reqwest::Client, urls: &[String], window: Duration) -> (f64, f64) {
    let started = Instant::now();
    let mut all = Vec::new();
    let mut i = 0;
    while started.elapsed() < window || (all.len() < 20 && started.elapsed() < window * 3) {
        let t = Instant::now();
        get(client, &urls[i % urls.len()]).await;
        all.push(t.elapsed().as_secs_f64() * 1000.0);
        i += 1;
    }
    all.sort_by(f64::total_cmp);
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    (at(0.50), at(0.99))
}

/// Requests answered with 200 and with anything else by `concurrency`
/// closed-loop clients in `window`, and the seconds it took (the last
/// requests finish after the window).
pub async fn throughput(
    client: &reqwest::Client,
    urls: &[String],
    window: Duration,
    concurrency: usize,
) -> (usize, usize, f64) {
    let urls = Arc::new(urls.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + window;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, urls, next) = (client.clone(), urls.clone(), next.clone());
            let (done, failed) = (done.clone(), failed.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let url = &urls[next.fetch_add(1, Ordering::Relaxed) % urls.len()];
                    if get(&client, url).await {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("load task");
    }
    (
        done.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
    )
}
