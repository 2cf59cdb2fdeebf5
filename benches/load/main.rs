//! Load benchmark against the limit: the real service (the release `cms
//! serve`, a child process) against an independent baseline (this binary
//! re-run as a minimal actix-web server with the best queries we could
//! write for the same answers, see `baseline/`), on PostgreSQL and SQLite,
//! over a realistic corpus of BENCH_ARTICLES published articles seeded with
//! direct SQL.
//!
//! For each scenario and each server: p50/p99 at one connection, requests
//! per second at BENCH_CONCURRENCY closed-loop connections, the server's CPU
//! per request (and PostgreSQL's), its RSS; then whether both gave the same
//! answer. One Markdown table per backend. See docs/benchmarks.md.
//!
//!   cargo bench --bench load
//!   BENCH_BACKEND=sqlite BENCH_ARTICLES=1000 cargo bench --bench load

mod baseline;
mod check;
mod corpus;
mod driver;
mod seed;
mod server;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use corpus::Corpus;
use server::{cpu_secs, mem_mb, Server};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("baseline") {
        baseline::run(&args[2..]);
        return;
    }
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(bench());
}

struct Settings {
    articles: usize,
    window: Duration,
    concurrency: usize,
    workers: usize,
    admin_url: String,
}

async fn bench() {
    let settings = Settings {
        articles: env_or("BENCH_ARTICLES", 10_000),
        window: Duration::from_secs_f64(env_or("BENCH_SECS", 3.0)),
        concurrency: env_or("BENCH_CONCURRENCY", 64),
        workers: env_or("WORKERS", 2),
        admin_url: std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned()),
    };
    let backends: Vec<&str> = match std::env::var("BENCH_BACKEND").as_deref() {
        Ok("postgres") => vec!["postgres"],
        Ok("sqlite") => vec!["sqlite"],
        _ => vec!["postgres", "sqlite"],
    };
    let started = Instant::now();
    let corpus = corpus::generate(settings.articles, chrono::Utc::now().naive_utc());
    let chars: usize = corpus.docs.iter().map(|d| d.body.len()).sum();
    eprintln!(
        "corpus: {} articles, {} MB of Markdown, generated and rendered in {:.1} s; \
         rare word `{}` in {}, common word `{}` in {}, tag `{}` on {}",
        corpus.docs.len(),
        chars / 1_000_000,
        started.elapsed().as_secs_f64(),
        corpus.rare_word.0,
        corpus.rare_word.1,
        corpus.common_word.0,
        corpus.common_word.1,
        corpus.middle_tag.0,
        corpus.middle_tag.1,
    );
    for backend in backends {
        run_backend(backend, &settings, &corpus).await;
    }
}

/// What one server did in one scenario.
#[derive(Default, Clone, Copy)]
struct Measured {
    p50: f64,
    p99: f64,
    per_sec: f64,
    /// Answers other than 200 at full concurrency.
    failed: usize,
    cpu_us: f64,
    db_cpu_us: f64,
    rss_mb: f64,
}

struct Scenario {
    name: String,
    paths: Vec<String>,
}

fn scenarios(corpus: &Corpus, deep_page: usize, deep_cursor: &str) -> Vec<Scenario> {
    let list = "/api/v1/articles?per_page=20";
    let step = (corpus.docs.len() / 500).max(1);
    let slugs = corpus
        .docs
        .iter()
        .step_by(step)
        .map(|d| format!("/api/v1/articles/{}", d.slug))
        .collect();
    let one = |name: String, path: String| Scenario {
        name,
        paths: vec![path],
    };
    vec![
        Scenario {
            name: "item by slug (500 slugs)".to_owned(),
            paths: slugs,
        },
        one("list 20".to_owned(), list.to_owned()),
        one(
            "list 20, include=author,tags".to_owned(),
            format!("{list}&include=author,tags"),
        ),
        one(
            format!("page {deep_page} (80% deep)"),
            format!("{list}&page={deep_page}"),
        ),
        one(
            "cursor 80% deep".to_owned(),
            format!("{list}&cursor={deep_cursor}"),
        ),
        one(
            format!("search rare word ({} articles)", corpus.rare_word.1),
            format!("{list}&q={}{}", corpus.rare_word.0, search_sort()),
        ),
        one(
            format!("search common word ({} articles)", corpus.common_word.1),
            format!("{list}&q={}{}", corpus.common_word.0, search_sort()),
        ),
        one(
            format!("tag ({} articles)", corpus.middle_tag.1),
            format!("{list}&tag={}", corpus.middle_tag.0),
        ),
    ]
}

/// The service orders searches by relevance unless told otherwise; the
/// baseline orders by date unless `BENCH_SEARCH_ORDER=rank`.
fn search_sort() -> &'static str {
    if std::env::var("BENCH_SEARCH_ORDER").as_deref() == Ok("rank") {
        ""
    } else {
        "&sort=-published_at"
    }
}

fn client(connections: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client")
}

/// Runs one scenario against `server`: a warm-up, latency at one
/// connection, then throughput with the CPU time it took.
async fn measure(
    server: &Server,
    scenario: &Scenario,
    settings: &Settings,
    pg: Option<(&str, &str)>,
) -> Measured {
    let client = client(settings.concurrency);
    let urls: Vec<String> = scenario
        .paths
        .iter()
        .map(|p| format!("{}{p}", server.base))
        .collect();
    let warm = settings.window.min(Duration::from_secs(1));
    driver::throughput(&client, &urls, warm, settings.concurrency).await;
    let (p50, p99) = driver::latency(&client, &urls, settings.window).await;
    let backends = match pg {
        Some((admin, db)) => seed::pg_backend_pids(admin, db).await,
        None => Vec::new(),
    };
    let db_cpu = || backends.iter().map(|p| cpu_secs(*p)).sum::<f64>();
    let (cpu0, db0) = (cpu_secs(server.pid()), db_cpu());
    let (ok, failed, secs) =
        driver::throughput(&client, &urls, settings.window, settings.concurrency).await;
    let (cpu1, db1) = (cpu_secs(server.pid()), db_cpu());
    let answered = (ok + failed).max(1) as f64;
    Measured {
        p50,
        p99,
        per_sec: ok as f64 / secs,
        failed,
        cpu_us: (cpu1 - cpu0) * 1e6 / answered,
        db_cpu_us: (db1 - db0) * 1e6 / answered,
        rss_mb: mem_mb(server.pid(), "VmRSS"),
    }
}

fn migrate(url: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_cms"))
        .arg("migrate")
        .env_clear()
        .env("DATABASE_URL", url)
        .env("LOG_FILTER", "error")
        .env("JWT_SECRET", "bench-secret-bench-secret-bench-secret-0123")
        .status()
        .expect("run cms migrate");
    assert!(status.success(), "cms migrate failed");
}

/// Where a deep page starts: page 80% down the list, and the cursor the
/// service gives for the same position (the next cursor of the page
/// before).
async fn deep_position(service: &Server, articles: usize) -> (usize, String) {
    let page = (articles * 4 / 5 / 20).max(2);
    let url = format!(
        "{}/api/v1/articles?per_page=20&page={}",
        service.base,
        page - 1
    );
    let before: serde_json::Value = client(1)
        .get(url)
        .send()
        .await
        .expect("page before the deep page")
        .json()
        .await
        .expect("json");
    let cursor = before["meta"]["next_cursor"]
        .as_str()
        .expect("a next cursor")
        .to_owned();
    (page, cursor)
}

async fn run_backend(backend: &str, settings: &Settings, corpus: &Corpus) {
    let pg_database = format!("cms_bench_{}", std::process::id());
    let mut sqlite_dir: Option<PathBuf> = None;
    let mut _guard = None;
    let url = if backend == "postgres" {
        let url = seed::pg_create(&settings.admin_url, &pg_database).await;
        _guard = Some(seed::PgGuard {
            admin_url: settings.admin_url.clone(),
            database: pg_database.clone(),
        });
        url
    } else {
        let (dir, url) = seed::sqlite_create();
        sqlite_dir = Some(dir);
        url
    };
    eprintln!("{backend}: migrating and seeding");
    migrate(&url);
    if backend == "postgres" {
        seed::pg_seed(&url, corpus).await;
    } else {
        tokio::task::block_in_place(|| seed::sqlite_seed(&url, corpus));
    }
    let pg = (backend == "postgres").then_some((settings.admin_url.as_str(), pg_database.as_str()));

    // The baseline's additions live in a table of their own, which the
    // service never reads: both servers run side by side and each scenario
    // is measured on one, then the other.
    if backend == "postgres" {
        seed::pg_baseline_extras(&url, corpus).await;
    } else {
        tokio::task::block_in_place(|| seed::sqlite_baseline_extras(&url, corpus));
    }
    let service = Server::service(&url, settings.workers).await;
    // As many database connections as the service: its pool on
    // PostgreSQL, its readers on SQLite.
    let pool = env_or(
        "DATABASE_POOL_SIZE",
        if backend == "postgres" { 10 } else { 4 },
    );
    let baseline = Server::baseline(backend, &url, settings.workers, pool).await;
    let (deep_page, deep_cursor) = deep_position(&service, corpus.docs.len()).await;
    let scenarios = scenarios(corpus, deep_page, &deep_cursor);
    eprintln!(
        "  service pid {}, baseline pid {}",
        service.pid(),
        baseline.pid()
    );
    let (mut s, mut b) = (Vec::new(), Vec::new());
    for sc in &scenarios {
        let ms = measure(&service, sc, settings, pg).await;
        let mb = measure(&baseline, sc, settings, pg).await;
        eprintln!(
            "    {:<36} p50 {:>7.2} / {:>7.2} ms   {:>6.0} / {:>6.0} req/s   CPU {:>6.0} / {:>6.0} µs/req{}",
            sc.name,
            ms.p50,
            mb.p50,
            ms.per_sec,
            mb.per_sec,
            ms.cpu_us,
            mb.cpu_us,
            if ms.failed + mb.failed > 0 {
                format!("   failed {} / {}", ms.failed, mb.failed)
            } else {
                String::new()
            }
        );
        s.push(ms);
        b.push(mb);
    }
    let s_hwm = mem_mb(service.pid(), "VmHWM");
    let b_hwm = mem_mb(baseline.pid(), "VmHWM");

    let client = client(1);
    let mut answers = Vec::new();
    for sc in &scenarios {
        let mut summary = String::new();
        let mut problems = Vec::new();
        for path in sc.paths.iter().take(5) {
            let (s, p) = check::compare(&client, &service.base, &baseline.base, path).await;
            summary = s;
            problems.extend(p.into_iter().map(|p| format!("{path}: {p}")));
        }
        for p in &problems {
            eprintln!("WARNING: {}: the baseline's answer differs: {p}", sc.name);
        }
        answers.push((summary, problems.is_empty()));
    }
    print_table(
        backend,
        settings,
        corpus,
        &scenarios,
        &s,
        &b,
        &answers,
        (s_hwm, b_hwm),
    );

    drop(service);
    drop(baseline);
    if let Some(dir) = sqlite_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[expect(clippy::too_many_arguments)]
fn print_table(
    backend: &str,
    settings: &Settings,
    corpus: &Corpus,
    scenarios: &[Scenario],
    s: &[Measured],
    b: &[Measured],
    answers: &[(String, bool)],
    hwm: (f64, f64),
) {
    let name = if backend == "postgres" {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "\n### {name}, {} articles ({} s per measurement, {} connections, {} workers each)\n",
        corpus.docs.len(),
        settings.window.as_secs_f64(),
        settings.concurrency,
        settings.workers
    );
    let db_col = backend == "postgres";
    print!("| scenario | rows | same answer | p50 ms service / baseline | × | p99 ms service / baseline | req/s service / baseline | × | failed | CPU µs/req service / baseline | × |");
    if db_col {
        print!(" PostgreSQL CPU µs/req service / baseline |");
    }
    println!(" RSS MB service / baseline |");
    print!("|---|---|---|---|---|---|---|---|---|---|---|");
    if db_col {
        print!("---|");
    }
    println!("---|");
    for (i, sc) in scenarios.iter().enumerate() {
        let (s, b) = (s[i], b[i]);
        print!(
            "| {} | {} | {} | {:.2} / {:.2} | **{:.1}** | {:.2} / {:.2} | {:.0} / {:.0} | **{:.2}** | {} / {} | {:.0} / {:.0} | **{:.1}** |",
            sc.name,
            answers[i].0,
            if answers[i].1 { "yes" } else { "**no**" },
            s.p50,
            b.p50,
            s.p50 / b.p50,
            s.p99,
            b.p99,
            s.per_sec,
            b.per_sec,
            s.per_sec / b.per_sec,
            s.failed,
            b.failed,
            s.cpu_us,
            b.cpu_us,
            s.cpu_us / b.cpu_us,
        );
        if db_col {
            print!(" {:.0} / {:.0} |", s.db_cpu_us, b.db_cpu_us);
        }
        println!(" {:.0} / {:.0} |", s.rss_mb, b.rss_mb);
    }
    println!(
        "\nPeak RSS (VmHWM): service {:.0} MB, baseline {:.0} MB.",
        hwm.0, hwm.1
    );
}
