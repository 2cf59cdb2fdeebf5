//! Uploads of 12-megapixel photos: uploads per second, latency, server CPU
//! per upload and peak memory of the release `cms serve` (SQLite, local
//! store), against a baseline measured in the same run: the same image
//! work (decode, turn upright, resize, encode every file) called directly
//! in this process, with no HTTP, multipart, hashing, store or database.
//!
//! ```text
//! cargo bench --bench media_upload
//! BENCH_UPLOADS=24 BENCH_CONCURRENCY=4 MEDIA_WORKERS=2 cargo bench --bench media_upload
//! ```
//!
//! Results and how to read them: docs/benchmarks.md.

#[allow(dead_code)]
#[path = "../load/server.rs"]
mod server;

use std::io::Cursor;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cms::media::process::{process, Recipe};
use cms::media::MediaSettings;
use image::codecs::jpeg::JpegEncoder;
use reqwest::multipart::{Form, Part};

const ADMIN_TOKEN: &str = "bench-admin-token-bench-admin-token-0123456789";

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A 4000 × 3000 photo-like JPEG (quality 90, about as large as a camera's):
/// smooth light with grain, different for every `seed`.
fn photo(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let image = image::RgbImage::from_fn(4000, 3000, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state % 25) as i32 - 12;
        let base = [
            (x * 200 / 4000) as i32 + 30,
            (y * 180 / 3000) as i32 + 40,
            ((x + y) * 120 / 7000) as i32 + 60,
        ];
        image::Rgb(base.map(|c| (c + grain).clamp(0, 255) as u8))
    });
    let mut out = Cursor::new(Vec::new());
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .expect("encode the photo");
    out.into_inner()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let uploads = env_or("BENCH_UPLOADS", 12).max(1);
    let concurrency = env_or("BENCH_CONCURRENCY", 2).max(1);
    let work = std::env::temp_dir().join(format!("cms-media-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("work dir");
    let database_url = format!("sqlite://{}/cms.db", work.display());
    let media_dir = work.join("media");

    // The service's settings (MEDIA_* from this environment) and the
    // baseline's recipe from the same values.
    let settings = MediaSettings::from_lookup(
        &|name: &str| std::env::var(name).ok(),
        &cms::config::DatabaseUrl::Sqlite(format!("{}/cms.db", work.display())),
    )
    .expect("MEDIA_* settings");
    let recipe = Arc::new(Recipe {
        widths: settings.widths.clone(),
        max_pixels: settings.max_pixels,
        jpeg_quality: settings.jpeg_quality,
        webp_quality: settings.webp_quality,
    });
    let workers = settings.workers;

    println!("making {uploads} distinct 4000 × 3000 JPEGs…");
    let photos: Vec<Vec<u8>> = (0..uploads as u32).map(|i| photo(i + 1)).collect();
    let mean_mb = photos.iter().map(Vec::len).sum::<usize>() as f64 / uploads as f64 / 1e6;

    // Baseline: the image work alone, `workers` at a time, in this process.
    let started = Instant::now();
    let queue = Arc::new(std::sync::Mutex::new(photos.clone()));
    let threads: Vec<_> = (0..workers)
        .map(|_| {
            let queue = queue.clone();
            let recipe = recipe.clone();
            std::thread::spawn(move || loop {
                let Some(bytes) = queue.lock().unwrap().pop() else {
                    break;
                };
                process(&bytes, &recipe).expect("baseline processes the photo");
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let baseline_rate = uploads as f64 / started.elapsed().as_secs_f64();

    // The service.
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_cms"))
        .arg("migrate")
        .env("DATABASE_URL", &database_url)
        .env("MEDIA_DIR", &media_dir)
        .status()
        .expect("run cms migrate");
    assert!(status.success(), "cms migrate failed");
    // SAFETY: set before any thread of ours reads the environment again;
    // the server child inherits these through the benchmark's pass-through.
    std::env::set_var("BOOTSTRAP_ADMIN_TOKEN", ADMIN_TOKEN);
    std::env::set_var("MEDIA_DIR", &media_dir);
    let server = server::Server::service(&database_url, 2).await;
    let pid = server.pid();
    let rss_idle = server::mem_mb(pid, "VmRSS");
    let client = reqwest::Client::new();
    let read_url = format!("{}/api/v1/articles?per_page=10", server.base);
    let idle_reads = reads(&client, &read_url, Duration::from_secs(2)).await;
    let cpu_before = server::cpu_secs(pid);
    let queue = Arc::new(tokio::sync::Mutex::new(photos));
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let queue = queue.clone();
            let client = client.clone();
            let url = format!("{}/api/v1/media", server.base);
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let Some(bytes) = queue.lock().await.pop() else {
                        break;
                    };
                    let form = Form::new().part("file", Part::bytes(bytes).file_name("photo.jpg"));
                    let sent = Instant::now();
                    let res = client
                        .post(&url)
                        .bearer_auth(ADMIN_TOKEN)
                        .multipart(form)
                        .send()
                        .await
                        .expect("upload sent");
                    let status = res.status();
                    let body = res.text().await.unwrap_or_default();
                    assert_eq!(status, 201, "upload failed: {body}");
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    // One reader keeps reading while the uploads run.
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let client = client.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let mut all = Vec::new();
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                all.extend(reads(&client, &read_url, Duration::from_millis(200)).await);
            }
            all
        })
    };
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client task"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut busy_reads = reader.await.expect("reader task");
    busy_reads.sort();
    let cpu = server::cpu_secs(pid) - cpu_before;
    let peak = server::mem_mb(pid, "VmHWM");
    latencies.sort();
    let rate = uploads as f64 / elapsed;
    drop(server);
    let _ = std::fs::remove_dir_all(&work);

    println!();
    println!(
        "{uploads} uploads of 4000 × 3000 JPEG (mean {mean_mb:.1} MB), {concurrency} clients, \
         MEDIA_WORKERS={workers}, widths {:?}",
        settings.widths
    );
    println!("| | uploads/s | p50 ms | p99 ms | server CPU s/upload | peak RSS MB (idle) |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| service | {rate:.2} | {:.0} | {:.0} | {:.2} | {peak:.0} ({rss_idle:.0}) |",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        cpu / uploads as f64,
    );
    println!("| baseline (image work only, in process) | {baseline_rate:.2} | | | | |");
    println!(
        "| service / baseline | {:.2} | | | | |",
        rate / baseline_rate
    );
    println!();
    println!("A list read (`GET /api/v1/articles?per_page=10`) by one client, idle and during the uploads:");
    println!("| | reads | p50 ms | p99 ms |");
    println!("|---|---|---|---|");
    for (name, sample) in [("idle", &idle_reads), ("during uploads", &busy_reads)] {
        if sample.is_empty() {
            continue;
        }
        println!(
            "| {name} | {} | {:.2} | {:.2} |",
            sample.len(),
            percentile(sample, 0.5).as_secs_f64() * 1e3,
            percentile(sample, 0.99).as_secs_f64() * 1e3,
        );
    }
}

/// Reads `url` one after another for `window`; the latencies, sorted.
async fn reads(client: &reqwest::Client, url: &str, window: Duration) -> Vec<Duration> {
    let until = Instant::now() + window;
    let mut out = Vec::new();
    while Instant::now() < until {
        let sent = Instant::now();
        let res = client.get(url).send().await.expect("read sent");
        assert!(res.status().is_success(), "read failed: {}", res.status());
        let _ = res.bytes().await;
        out.push(sent.elapsed());
        // A reader's pace, not a flood: the CPU figure is the uploads'.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    out.sort();
    out
}
