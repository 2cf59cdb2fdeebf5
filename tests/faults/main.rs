//! Fault tests: the real server against a private PostgreSQL cluster that
//! each test owns and stops, kills and restarts under load (the shared
//! server on 5432 is never touched). `cargo test --test faults`.
//!
//! What they hold the server to: during an outage every request gets a 503
//! problem+json with `Retry-After` (never a 500, never a hang); within a
//! second of the database's return every request succeeds again; and
//! creates retried with an `Idempotency-Key` across repeated kills leave
//! exactly one row per key.

mod cluster;
mod load;
mod log_count;
mod server;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::sync::Mutex;

use cluster::Cluster;
use load::{Answer, Load};
use server::{Server, HANG};

/// One fault test at a time: they measure recovery times, and two clusters
/// restarting at once on two cores would measure each other.
static SERIAL: Mutex<()> = Mutex::const_new(());

/// How the database goes away.
#[derive(Debug, Clone, Copy)]
enum Outage {
    /// `pg_ctl stop -m fast`: sessions end with 57P01.
    Stop,
    /// `pg_ctl stop -m immediate`: a crash, recovery on restart.
    Kill,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_database_gets_503s_and_recovers_within_a_second() {
    outage_under_load(Outage::Stop).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_database_gets_503s_and_recovers_within_a_second() {
    outage_under_load(Outage::Kill).await;
}

/// 24 clients read and write while the database goes away for 2 s.
async fn outage_under_load(outage: Outage) {
    let _serial = SERIAL.lock().await;
    let cluster = Cluster::start();
    cluster.create_database("cms");
    let server = Arc::new(Server::spawn(&cluster.url("cms")).await);
    let author_id = create_author(&server).await;
    let slug = published_article(&server, author_id).await;

    log_count::install();
    let lines_before = log_count::lines();
    let load = Load::start(&server, 24, &slug, author_id);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = load.sent();
    assert!(before > 0, "no request answered before the outage");
    tokio::task::block_in_place(|| match outage {
        Outage::Stop => cluster.stop(),
        Outage::Kill => cluster.kill(),
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    tokio::task::block_in_place(|| cluster.up());
    let up_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let outcomes = load.finish().await;
    let log_lines = log_count::lines() - lines_before;

    let wrong: Vec<String> = outcomes.iter().filter_map(|o| o.answer.fault()).collect();
    let unavailable = count(&outcomes, |a| matches!(a, Answer::Unavailable));
    let last_failure = outcomes
        .iter()
        .filter(|o| !matches!(o.answer, Answer::Success))
        .map(|o| o.at)
        .max()
        .expect("some request failed during the outage");
    let recovery = last_failure.saturating_duration_since(up_at);
    let after = outcomes
        .iter()
        .filter(|o| o.at > last_failure && matches!(o.answer, Answer::Success))
        .count();
    eprintln!(
        "{outage:?}: {} requests, {unavailable} answered 503, {} wrong; \
         every request succeeded again {} ms after the database was back ({after} since); \
         {log_lines} warning or error lines logged",
        outcomes.len(),
        wrong.len(),
        recovery.as_millis()
    );
    assert!(
        wrong.is_empty(),
        "not a clean 503: {:?}",
        &wrong[..wrong.len().min(5)]
    );
    assert!(unavailable > 0, "the outage was never seen");
    assert!(
        recovery <= Duration::from_secs(1),
        "requests still failed {} ms after the database was back",
        recovery.as_millis()
    );
    assert!(after > 50, "too few successes after recovery: {after}");
    // The first failure of each kind, then a count per 10 s: a handful of
    // lines, not one or two per failed request.
    assert!(
        log_lines <= 20,
        "{log_lines} log lines for {unavailable} failures"
    );
}

/// 8 writers create 30 articles each, retrying every create with its own
/// `Idempotency-Key` until it is acknowledged, while the database is killed
/// and restarted 5 times. Afterwards: exactly one article per key, and
/// every article in the database is one a writer was told about.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_kills_mid_write_leave_exactly_one_article_per_key() {
    const WRITERS: usize = 8;
    const EACH: usize = 30;
    let _serial = SERIAL.lock().await;
    let cluster = Cluster::start();
    cluster.create_database("cms");
    let server = Arc::new(Server::spawn(&cluster.url("cms")).await);
    let author_id = create_author(&server).await;

    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let server = server.clone();
            tokio::spawn(async move {
                let mut written = Vec::new();
                for n in 0..EACH {
                    let title = format!("Kill {w}-{n}");
                    written.push(create_until_acknowledged(&server, &title, author_id).await);
                }
                written
            })
        })
        .collect();
    for _ in 0..5 {
        let pause = rand::rng().random_range(150..500);
        tokio::time::sleep(Duration::from_millis(pause)).await;
        tokio::task::block_in_place(|| cluster.kill());
        tokio::time::sleep(Duration::from_millis(200)).await;
        tokio::task::block_in_place(|| cluster.up());
    }
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.expect("writer"));
    }

    let retries: usize = acknowledged.iter().map(|a| a.retries).sum();
    let replays = acknowledged.iter().filter(|a| a.replayed).count();
    let stored = stored_articles(&cluster).await;
    eprintln!(
        "{} creates acknowledged after {retries} retries ({replays} answered from the stored \
         answer); {} articles stored",
        acknowledged.len(),
        stored.len()
    );
    assert!(retries > 0, "no kill hit a write; the test proved nothing");
    assert!(
        replays > 0,
        "no retry met a committed write; the test proved nothing"
    );
    let titles: HashSet<&str> = stored.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(titles.len(), stored.len(), "duplicate articles: {stored:?}");
    let told: HashSet<(i64, &str)> = acknowledged
        .iter()
        .map(|a| (a.id, a.title.as_str()))
        .collect();
    let kept: HashSet<(i64, &str)> = stored.iter().map(|(i, t)| (*i, t.as_str())).collect();
    assert_eq!(told, kept, "acknowledged and stored articles differ");
    assert_eq!(stored.len(), WRITERS * EACH);
}

/// A server started while its database is still down waits for it
/// (`DATABASE_STARTUP_TIMEOUT_SECS`) and comes up when it does; with no
/// time to wait it gives up with an error instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_waits_for_the_database() {
    let _serial = SERIAL.lock().await;
    let cluster = Cluster::start();
    cluster.create_database("cms");
    tokio::task::block_in_place(|| cluster.stop());
    let url = cluster.url("cms");

    let impatient = Server::build(&url, &[("DATABASE_STARTUP_TIMEOUT_SECS", "0")]).await;
    assert!(impatient.is_err(), "started without a database");

    let started = Instant::now();
    let patient = tokio::spawn({
        let url = url.clone();
        async move { Server::build(&url, &[("DATABASE_STARTUP_TIMEOUT_SECS", "30")]).await }
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        !patient.is_finished(),
        "gave up or started before the database was up"
    );
    tokio::task::block_in_place(|| cluster.up());
    let server = tokio::time::timeout(Duration::from_secs(15), patient)
        .await
        .expect("started within 15 s of the database")
        .expect("start-up task")
        .expect("server starts once the database is up");
    eprintln!("started {} ms after launch", started.elapsed().as_millis());
    let res = server.public("/api/v1/tags").send().await.unwrap();
    assert_eq!(res.status(), 200);
}

/// A create the server acknowledged.
struct Acknowledged {
    id: i64,
    title: String,
    retries: usize,
    replayed: bool,
}

/// POSTs one article with a fresh key and retries it, same key and body,
/// on 503, on 409 `idempotency_key_in_use` and on a lost connection.
async fn create_until_acknowledged(server: &Server, title: &str, author_id: i64) -> Acknowledged {
    let key = format!(
        "{}-{:x}",
        title.replace(' ', "-"),
        rand::rng().random::<u64>()
    );
    let body = json!({ "title": title, "body": "Killed and retried.", "author_id": author_id });
    let started = Instant::now();
    let mut retries = 0;
    loop {
        assert!(started.elapsed() < 6 * HANG, "{title}: never acknowledged");
        // Every other attempt gives up waiting after a few milliseconds, as
        // a client on a bad network would: its write may still commit.
        let patience = if retries % 2 == 0 {
            Duration::from_millis(rand::rng().random_range(2..15))
        } else {
            HANG
        };
        let sent = server
            .admin(Method::POST, "/api/v1/articles")
            .header("Idempotency-Key", &key)
            .timeout(patience)
            .json(&body)
            .send()
            .await;
        if let Ok(res) = sent {
            let status = res.status().as_u16();
            let replayed = res.headers().contains_key("idempotent-replayed");
            let answer: Value = res.json().await.unwrap_or(Value::Null);
            match status {
                // The client's patience can run out while the body is on
                // its way: that answer is lost like any other, and a retry
                // with the key gets it again.
                201 if answer.is_null() => {}
                201 => {
                    return Acknowledged {
                        id: answer["id"].as_i64().expect("article id"),
                        title: answer["title"].as_str().expect("title").to_owned(),
                        retries,
                        replayed,
                    }
                }
                503 => {}
                409 if answer["code"] == "idempotency_key_in_use" => {}
                _ => panic!("{title}: unexpected {status} {answer}"),
            }
        }
        retries += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every article in the cluster's database: id and title.
async fn stored_articles(cluster: &Cluster) -> Vec<(i64, String)> {
    let (client, connection) = tokio_postgres::connect(&cluster.url("cms"), tokio_postgres::NoTls)
        .await
        .expect("connect to the private cluster");
    tokio::spawn(connection);
    client
        .query("SELECT id, title FROM articles ORDER BY id", &[])
        .await
        .expect("read articles")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

fn count(outcomes: &[load::Outcome], pick: impl Fn(&Answer) -> bool) -> usize {
    outcomes.iter().filter(|o| pick(&o.answer)).count()
}

async fn create_author(server: &Server) -> i64 {
    let res = server
        .admin(Method::POST, "/api/v1/authors")
        .json(&json!({ "name": "Fault Reporter" }))
        .send()
        .await
        .expect("create author");
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// A published article to read during the outage; its slug.
async fn published_article(server: &Server, author_id: i64) -> String {
    let res = server
        .admin(Method::POST, "/api/v1/articles")
        .json(&json!({ "title": "Still here", "body": "Read during an outage.", "author_id": author_id }))
        .send()
        .await
        .expect("create article");
    assert_eq!(res.status(), 201);
    let article: Value = res.json().await.unwrap();
    let path = format!("/api/v1/articles/{}/publish", article["id"]);
    let res = server.admin(Method::POST, &path).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    article["slug"].as_str().unwrap().to_owned()
}
