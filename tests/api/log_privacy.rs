//! Secrets and personal data stay out of the logs at every level: the real
//! binary, on PostgreSQL, with `LOG_FILTER=trace`, signs a user in and
//! creates another, and its log holds no e-mail, password or hash.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::harness::{Backend, TestApp, ADMIN_TOKEN, TEST_JWT_SECRET};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_logs_hold_no_secrets_or_personal_data() {
    // The harness makes the database; the binary serves it.
    let app = TestApp::spawn(Backend::Postgres).await;
    let port = free_port();
    // A file, not a pipe: nothing must block the server's writes.
    let log_path = std::env::temp_dir().join(format!("cms-log-privacy-{port}.log"));
    let log_file = std::fs::File::create(&log_path).unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_cms"))
        .env_clear()
        .env("DATABASE_URL", &app.database_url)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("RUN_MIGRATIONS", "false")
        .env("WORKERS", "1")
        .env("JWT_SECRET", TEST_JWT_SECRET)
        .env("BOOTSTRAP_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("LOG_FILTER", "trace")
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .expect("start the cms binary");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_until_ready(&client, &base).await;

    let email = "private.person@newsroom.example";
    let password = "unguessable words for a secret";
    let created = client
        .request(Method::POST, format!("{base}/api/v1/users"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({ "email": email, "password": password, "role": "editor" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let login = client
        .request(Method::POST, format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let tokens: serde_json::Value = login.json().await.unwrap();

    let _ = server.kill();
    let _ = server.wait();
    let log = std::fs::read_to_string(&log_path).unwrap();
    let _ = std::fs::remove_file(&log_path);
    assert!(log.lines().count() > 20, "trace logging was on: {log}");
    for secret in [
        email,
        password,
        "$argon2",
        tokens["refresh_token"].as_str().unwrap(),
        tokens["access_token"].as_str().unwrap(),
    ] {
        // As text, or as the byte list tokio-postgres prints parameters as.
        let bytes: Vec<String> = secret.bytes().map(|b| b.to_string()).collect();
        assert!(!log.contains(secret), "the log holds {secret:?}");
        assert!(
            !log.contains(&bytes.join(", ")),
            "the log holds {secret:?} as bytes"
        );
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_until_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(res) = client.get(format!("{base}/health/ready")).send().await {
            if res.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the cms binary did not become ready");
}
