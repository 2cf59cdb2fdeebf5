//! Webhooks through HTTP, with a real receiver in the test process: each
//! event arrives once, signed (checked by an independent Python
//! implementation, tools/webhooks/verify.py); a receiver that is down gets
//! the retries; sustained failure disables the endpoint; private addresses
//! are refused at registration and at delivery; two instances sharing one
//! database send each event once.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures;
use crate::harness::{assert_problem, both_backends_with, send_json, TestApp};
use crate::media_files as files;

// Fast delivery for tests; private addresses allowed for the local receiver.
both_backends_with!(
    [
        ("WEBHOOK_ALLOW_PRIVATE", "true"),
        ("WEBHOOK_POLL_MS", "100"),
        ("WEBHOOK_RETRY_BASE_SECS", "1"),
        ("SCHEDULER_INTERVAL_SECS", "1"),
        ("COMMENT_MIN_FILL_SECS", "0")
    ],
    each_event_arrives_once_and_signed,
    a_receiver_that_is_down_gets_the_retries,
    racing_writes_announce_once
);
both_backends_with!(
    [
        ("WEBHOOK_ALLOW_PRIVATE", "true"),
        ("WEBHOOK_POLL_MS", "100"),
        ("WEBHOOK_RETRY_BASE_SECS", "1"),
        ("WEBHOOK_DISABLE_AFTER_SECS", "2"),
        ("WEBHOOK_MAX_ATTEMPTS", "10")
    ],
    sustained_failure_disables_the_endpoint
);
both_backends_with!(
    [
        ("WEBHOOK_ALLOW_PRIVATE", "true"),
        ("WEBHOOK_POLL_MS", "50"),
        ("WEBHOOK_CONCURRENCY", "2"),
        ("SCHEDULER_INTERVAL_SECS", "1")
    ],
    two_instances_send_each_event_once
);
both_backends_with!(
    // The server's own worker waits a minute: the test plays two workers.
    [
        ("WEBHOOK_ALLOW_PRIVATE", "true"),
        ("WEBHOOK_POLL_MS", "60000")
    ],
    a_late_outcome_after_a_redelivery_is_dropped
);
both_backends_with!(
    [("WEBHOOK_POLL_MS", "100")],
    private_addresses_are_refused_at_registration_and_delivery,
    endpoints_are_for_admins_and_keep_their_secret
);

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// A local HTTP receiver that records what it gets and answers with the
/// status in `answer`.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    answer: Arc<AtomicU16>,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

#[derive(Clone)]
struct ReceiverState {
    got: Arc<Mutex<Vec<Received>>>,
    answer: Arc<AtomicU16>,
}

async fn receive(req: HttpRequest, body: String, state: web::Data<ReceiverState>) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    state.got.lock().unwrap().push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body,
    });
    let status =
        actix_web::http::StatusCode::from_u16(state.answer.load(Ordering::SeqCst)).unwrap();
    // A failure's text holds a NUL and a line break, which the delivery log
    // must store without either (PostgreSQL refuses a NUL).
    let text = if status.is_success() {
        "ok"
    } else {
        "down\0for\nrepairs"
    };
    HttpResponse::build(status).body(text)
}

/// Starts a receiver on `port` (0: any free one).
async fn receiver_on(port: u16) -> Receiver {
    let state = ReceiverState {
        got: Arc::default(),
        answer: Arc::new(AtomicU16::new(200)),
    };
    let data = web::Data::new(state.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .default_service(web::to(receive))
    })
    .workers(1)
    .bind(("127.0.0.1", port))
    .unwrap();
    let port = server.addrs()[0].port();
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    Receiver {
        url: format!("http://127.0.0.1:{port}/hooks/cms"),
        got: state.got,
        answer: state.answer,
        handle,
    }
}

impl Receiver {
    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until `n` requests arrived (10 s at most), then a little longer
    /// so that a duplicate would show.
    async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..100 {
            if self.received().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(600)).await;
        self.received()
    }
}

/// Registers `url` for `events`; returns (id, secret).
async fn register(app: &TestApp, url: &str, events: &[&str]) -> (Value, String) {
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/webhooks",
            json!({ "url": url, "events": events, "description": "test receiver" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    (
        body["id"].clone(),
        body["secret"].as_str().unwrap().to_owned(),
    )
}

/// Checks every signature with tools/webhooks/verify.py.
fn verify_with_python(secret: &str, got: &[Received]) {
    let cases: Vec<Value> = got
        .iter()
        .map(|r| {
            json!({ "secret": secret, "id": r.id, "timestamp": r.timestamp,
                    "body": r.body, "signature": r.signature })
        })
        .collect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/webhooks/verify.py");
    let mut child = std::process::Command::new("python3")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (the CI machine has it)");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json!(cases).to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "signature check failed: {stdout}");
    assert_eq!(stdout.trim(), format!("valid {}", got.len()));
}

fn event_types(got: &[Received]) -> Vec<String> {
    let mut types: Vec<String> = got
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    types.sort();
    types
}

async fn each_event_arrives_once_and_signed(app: TestApp) {
    let all = receiver_on(0).await;
    let comments_only = receiver_on(0).await;
    let (hook, secret) = register(
        &app,
        &all.url,
        &[
            "article.published",
            "article.unpublished",
            "article.updated",
            "article.trashed",
            "article.deleted",
            "comment.approved",
            "media.updated",
        ],
    )
    .await;
    register(&app, &comments_only.url, &["comment.approved"]).await;
    let author = fixtures::author(&app, "Hook Writer").await;
    let draft = fixtures::draft(&app, &author["id"], "Harbour opens", &[]).await;
    let path = format!("/api/v1/articles/{}", draft["id"]);
    let edit = |title: &str| app.admin_json(Method::PATCH, &path, json!({ "title": title }));
    assert_eq!(
        edit("Harbour opens soon").await.0,
        200,
        "a draft's edit is no event"
    );
    fixtures::publish(&app, &draft["id"]).await;
    assert_eq!(edit("Harbour opens today").await.0, 200);
    let (status, _) = app
        .admin_json(Method::POST, &format!("{path}/unpublish"), json!(null))
        .await;
    assert_eq!(status, 200);
    fixtures::publish(&app, &draft["id"]).await;
    // A scheduled article goes live by the scheduler's tick.
    let later = fixtures::draft(&app, &author["id"], "Tide tables", &[]).await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(1)).to_rfc3339();
    let (status, body) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{}/publish", later["id"]),
            json!({ "publish_at": soon }),
        )
        .await;
    assert_eq!((status, body["status"].as_str()), (200, Some("scheduled")));
    // A reader's comment, approved by a moderator.
    let (_, form) = app.public_get(&format!("{path}/comment-form")).await;
    let (status, comment) = send_json(app.request(Method::POST, &format!("{path}/comments")).json(
        &json!({
            "author_name": "Ana", "author_email": "ana@readers.example",
            "body": "Finally & at last", "form_token": form["form_token"],
        }),
    ))
    .await;
    assert_eq!(status, 202, "{comment}");
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/comments/{}", comment["id"]),
            json!({ "status": "approved" }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, media) = send_json(app.admin(Method::POST, "/api/v1/media").multipart(
        Form::new().part(
            "file",
            Part::bytes(files::jpeg(40, 30)).file_name("quay.jpg"),
        ),
    ))
    .await;
    assert_eq!(status, 201, "{media}");
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/media/{}", media["id"]),
            json!({ "alt_text": "The quay" }),
        )
        .await;
    assert_eq!(status, 200);
    let res = app.admin(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let res = app
        .admin(Method::DELETE, &format!("{path}?permanent=true"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);

    let expected = [
        "article.deleted",
        "article.published",
        "article.published",
        "article.published",
        "article.trashed",
        "article.unpublished",
        "article.updated",
        "comment.approved",
        "media.updated",
    ];
    let got = all.wait_for(expected.len()).await;
    assert_eq!(
        event_types(&got),
        expected,
        "exactly one delivery per event"
    );
    let mut ids: Vec<&str> = got.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), got.len(), "every message has its own webhook-id");
    verify_with_python(&secret, &got);
    let now = chrono::Utc::now().timestamp();
    for r in &got {
        let ts: i64 = r.timestamp.parse().unwrap();
        assert!((now - ts).abs() < 60, "webhook-timestamp is the send time");
        assert!(r.id.starts_with("msg_"), "{}", r.id);
    }
    let comment_event = got
        .iter()
        .map(|r| serde_json::from_str::<Value>(&r.body).unwrap())
        .find(|b| b["type"] == "comment.approved")
        .unwrap();
    assert_eq!(comment_event["data"]["body"], "Finally & at last");
    assert!(
        !comment_event.to_string().contains("ana@readers.example"),
        "no email"
    );
    let scheduled = got
        .iter()
        .map(|r| serde_json::from_str::<Value>(&r.body).unwrap())
        .find(|b| b["data"]["id"] == later["id"])
        .expect("the scheduled article was announced when it went live");
    assert_eq!(scheduled["data"]["status"], "published");
    assert_eq!(
        event_types(&comments_only.wait_for(1).await),
        ["comment.approved"]
    );

    let (status, log) = app
        .admin_get(&format!("/api/v1/webhooks/{hook}/deliveries?per_page=50"))
        .await;
    assert_eq!(status, 200, "{log}");
    let rows = log["data"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    for row in rows {
        assert_eq!(
            (&row["status"], &row["attempts"], &row["last_status_code"]),
            (&json!("delivered"), &json!(1), &json!(200)),
            "{row}"
        );
        assert!(row["last_latency_ms"].as_i64().is_some());
    }
}

async fn a_receiver_that_is_down_gets_the_retries(app: TestApp) {
    // A port nobody listens on yet: the first attempts cannot connect.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (hook, secret) = register(
        &app,
        &format!("http://127.0.0.1:{port}/hooks/cms"),
        &["article.published"],
    )
    .await;
    let author = fixtures::author(&app, "Retry Writer").await;
    let article = fixtures::published(&app, &author["id"], "Storm warning", &[]).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (_, log) = app
        .admin_get(&format!("/api/v1/webhooks/{hook}/deliveries"))
        .await;
    let first = &log["data"][0];
    assert_eq!(first["status"], "pending", "{log}");
    assert_eq!(first["last_error"], "could not connect", "{log}");
    // The receiver comes up, answering 503 once, then 200.
    let receiver = receiver_on(port).await;
    receiver.answer.store(503, Ordering::SeqCst);
    for _ in 0..100 {
        if !receiver.received().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    receiver.answer.store(200, Ordering::SeqCst);
    let mut log = Value::Null;
    for _ in 0..100 {
        (_, log) = app
            .admin_get(&format!("/api/v1/webhooks/{hook}/deliveries"))
            .await;
        if log["data"][0]["status"] == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let row = &log["data"][0];
    assert_eq!(row["status"], "delivered", "{log}");
    assert!(row["attempts"].as_i64().unwrap() >= 3, "{row}");
    let got = receiver.received();
    assert!(got.len() >= 2, "the 503 and the success");
    assert!(
        got.iter().all(|r| r.id == got[0].id),
        "retries keep the webhook-id"
    );
    verify_with_python(&secret, &got);
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["data"]["id"], article["id"]);
}

async fn sustained_failure_disables_the_endpoint(app: TestApp) {
    let receiver = receiver_on(0).await;
    receiver.answer.store(500, Ordering::SeqCst);
    let (hook, _) = register(&app, &receiver.url, &["article.published"]).await;
    let author = fixtures::author(&app, "Failing Writer").await;
    fixtures::published(&app, &author["id"], "Nobody listens", &[]).await;
    let mut endpoint = Value::Null;
    for _ in 0..100 {
        (_, endpoint) = app.admin_get(&format!("/api/v1/webhooks/{hook}")).await;
        if endpoint["enabled"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(endpoint["enabled"], false, "{endpoint}");
    assert!(endpoint["disabled_reason"].as_str().is_some());
    let (_, events) = app
        .admin_get(&format!(
            "/api/v1/audit?target=webhook:{hook}&action=webhook.disable"
        ))
        .await;
    assert_eq!(events["data"].as_array().unwrap().len(), 1, "{events}");
    assert_eq!(events["data"][0]["actor"]["type"], "system");
    let (_, log) = app
        .admin_get(&format!("/api/v1/webhooks/{hook}/deliveries"))
        .await;
    let delivery = log["data"][0].clone();
    assert_eq!(delivery["last_status_code"], 500, "{delivery}");
    assert_eq!(
        delivery["last_error"], "HTTP 500: down for repairs",
        "{delivery}"
    );
    let attempts_when_disabled = receiver.received().len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        receiver.received().len(),
        attempts_when_disabled,
        "nothing sent while disabled"
    );

    // Enabled again and redelivered: the same webhook-id arrives once more.
    receiver.answer.store(200, Ordering::SeqCst);
    let (status, endpoint) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/webhooks/{hook}"),
            json!({ "enabled": true }),
        )
        .await;
    assert_eq!(status, 200, "{endpoint}");
    assert!(endpoint["disabled_reason"].is_null() && endpoint["failing_since"].is_null());
    let (status, queued) = app
        .admin_json(
            Method::POST,
            &format!(
                "/api/v1/webhooks/{hook}/deliveries/{}/redeliver",
                delivery["id"]
            ),
            json!(null),
        )
        .await;
    assert_eq!(status, 202, "{queued}");
    let got = receiver.wait_for(attempts_when_disabled + 1).await;
    let last = got.last().unwrap();
    assert_eq!(last.id, delivery["message_id"].as_str().unwrap());
    let (_, log) = app
        .admin_get(&format!("/api/v1/webhooks/{hook}/deliveries"))
        .await;
    assert_eq!(log["data"][0]["status"], "delivered", "{log}");
}

async fn private_addresses_are_refused_at_registration_and_delivery(app: TestApp) {
    let receiver = receiver_on(0).await;
    for url in [
        receiver.url.clone(),
        "http://localhost:9/x".to_owned(),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://10.0.0.7/hook".to_owned(),
        "http://[::1]:9/hook".to_owned(),
        "http://user:secret@93.184.215.14/hook".to_owned(),
    ] {
        let res = app
            .admin(Method::POST, "/api/v1/webhooks")
            .json(&json!({ "url": url, "events": ["article.published"] }))
            .send()
            .await
            .unwrap();
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "url", "{url}: {problem}");
    }
    // A row that points at loopback anyway (written before the rule, or by
    // DNS that changed): the worker checks again and sends nothing.
    let mut conn = app.state.db.writer().await.unwrap();
    let sql = format!(
        "INSERT INTO webhooks (url, description, events, secret, enabled, created_at, updated_at) \
         VALUES ('{}', '', '[\"article.published\"]', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', \
         TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        receiver.url
    );
    conn.batch_execute(&sql).await.unwrap();
    drop(conn);
    let (_, hooks) = app.admin_get("/api/v1/webhooks").await;
    let hook = hooks["data"][0]["id"].clone();
    let author = fixtures::author(&app, "Guarded Writer").await;
    fixtures::published(&app, &author["id"], "Internal only", &[]).await;
    let mut log = Value::Null;
    for _ in 0..50 {
        (_, log) = app
            .admin_get(&format!("/api/v1/webhooks/{hook}/deliveries"))
            .await;
        // The attempt is counted when the worker takes the delivery, its
        // outcome written after: wait for the outcome.
        if log["data"][0]["last_error"].is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let error = log["data"][0]["last_error"].as_str().unwrap_or_default();
    assert!(
        error.starts_with("not sent") && error.contains("127.0.0.1"),
        "{log}"
    );
    assert!(
        receiver.received().is_empty(),
        "nothing reached the private address"
    );
}

async fn endpoints_are_for_admins_and_keep_their_secret(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let body = json!({ "url": "https://93.184.215.14/hook", "events": ["article.published"] });
    let res = app
        .request(Method::POST, "/api/v1/webhooks")
        .bearer_auth(&editor.token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let (status, created) = app.admin_json(Method::POST, "/api/v1/webhooks", body).await;
    assert_eq!(status, 201, "{created}");
    let secret = created["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"));
    let path = format!("/api/v1/webhooks/{}", created["id"]);
    let (_, read) = app.admin_get(&path).await;
    assert!(read.get("secret").is_none() && !read.to_string().contains(secret));
    let (_, audit) = app
        .admin_get(&format!("/api/v1/audit?target=webhook:{}", created["id"]))
        .await;
    assert_eq!(audit["data"][0]["action"], "webhook.create");
    assert!(
        !audit.to_string().contains(secret),
        "the audit log never shows the secret"
    );
    for bad in [
        json!({ "url": "https://93.184.215.14/hook", "events": [] }),
        json!({ "url": "https://93.184.215.14/hook", "events": ["article.exploded"] }),
        json!({ "url": "not a url", "events": ["article.published"] }),
    ] {
        let res = app
            .admin(Method::POST, "/api/v1/webhooks")
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{bad}");
    }
    let (status, changed) = app
        .admin_json(
            Method::PATCH,
            &path,
            json!({ "events": ["media.updated", "media.updated"] }),
        )
        .await;
    assert_eq!(
        (status, &changed["events"]),
        (200, &json!(["media.updated"]))
    );
    let res = app.admin(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let (status, _) = app.admin_get(&path).await;
    assert_eq!(status, 404);
}

/// Two instances on one database, both delivering and both running the
/// publication tick: every event arrives once, and each scheduled article
/// is marked published, audited and announced once.
async fn two_instances_send_each_event_once(app: TestApp) {
    let second = app.another_instance(&[]).await;
    let receiver = receiver_on(0).await;
    let (_, secret) = register(
        &app,
        &receiver.url,
        &["article.published", "article.updated"],
    )
    .await;
    let author = fixtures::author(&app, "Busy Desk").await;
    let mut expected = 0;
    let mut scheduled = Vec::new();
    for i in 0..12 {
        let writer = if i % 2 == 0 { &app } else { &second };
        let article =
            fixtures::published(writer, &author["id"], &format!("Bulletin {i}"), &[]).await;
        let (status, _) = writer
            .admin_json(
                Method::PATCH,
                &format!("/api/v1/articles/{}", article["id"]),
                json!({ "excerpt": "Updated." }),
            )
            .await;
        assert_eq!(status, 200);
        expected += 2;
        if i % 2 == 0 {
            let draft = fixtures::draft(writer, &author["id"], &format!("Later {i}"), &[]).await;
            // Two seconds from each scheduling, not from the loop's start:
            // on a loaded machine the loop outlasts a fixed instant.
            let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
            let (status, body) = writer
                .admin_json(
                    Method::POST,
                    &format!("/api/v1/articles/{}/publish", draft["id"]),
                    json!({ "publish_at": soon }),
                )
                .await;
            assert_eq!((status, body["status"].as_str()), (200, Some("scheduled")));
            scheduled.push(draft["id"].clone());
            expected += 1;
        }
    }
    let got = receiver.wait_for(expected).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got = [got, receiver.received()]
        .into_iter()
        .max_by_key(Vec::len)
        .unwrap();
    let mut ids: Vec<&str> = got.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), expected, "no event lost");
    assert_eq!(got.len(), expected, "no event sent twice");
    verify_with_python(&secret, &got);
    for id in &scheduled {
        let announced = got
            .iter()
            .map(|r| serde_json::from_str::<Value>(&r.body).unwrap())
            .filter(|b| b["type"] == "article.published" && b["data"]["id"] == *id)
            .count();
        assert_eq!(
            announced, 1,
            "scheduled article {id} announced {announced} times"
        );
        let (_, events) = app
            .admin_get(&format!(
                "/api/v1/audit?target=article:{id}&action=article.publish&actor=system"
            ))
            .await;
        assert_eq!(events["data"].as_array().unwrap().len(), 1, "{events}");
    }
}
/// Decisions that race announce once: two moderators approving one
/// comment at the same moment (10 rounds), and a scheduled article whose
/// time comes while it is in the trash, restored afterwards (the tick
/// announces it, the restore does not).
async fn racing_writes_announce_once(app: TestApp) {
    let receiver = receiver_on(0).await;
    register(
        &app,
        &receiver.url,
        &["comment.approved", "article.published"],
    )
    .await;
    let author = fixtures::author(&app, "Race Desk").await;
    let article = fixtures::published(&app, &author["id"], "Crowded harbour", &[]).await;
    let mut comments = Vec::new();
    for round in 0..10 {
        let id = fixtures::stored_comment(
            &app,
            article["id"].as_i64().unwrap(),
            None,
            "Reader",
            &format!("Comment {round}"),
            "pending",
        )
        .await;
        let approve = || async {
            app.admin(Method::PATCH, &format!("/api/v1/comments/{id}"))
                .json(&json!({ "status": "approved" }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        };
        let (a, b) = tokio::join!(approve(), approve());
        assert_eq!((a, b), (200, 200), "round {round}");
        comments.push(id);
    }
    let scheduled = fixtures::draft(&app, &author["id"], "Night tide", &[]).await;
    let path = format!("/api/v1/articles/{}", scheduled["id"]);
    let soon = (chrono::Utc::now() + chrono::Duration::milliseconds(800)).to_rfc3339();
    let (status, _) = app
        .admin_json(
            Method::POST,
            &format!("{path}/publish"),
            json!({ "publish_at": soon }),
        )
        .await;
    assert_eq!(status, 200);
    let res = app.admin(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(res.status(), 204);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (status, restored) = app
        .admin_json(Method::POST, &format!("{path}/restore"), json!(null))
        .await;
    assert_eq!((status, &restored["status"]), (200, &json!("published")));
    // The article published at the start, 10 approvals, the scheduled one.
    let got = receiver.wait_for(12).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got_after = receiver.received();
    assert_eq!(got.len(), got_after.len(), "nothing more after the tick");
    let bodies: Vec<Value> = got_after
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    for id in &comments {
        let n = bodies
            .iter()
            .filter(|b| b["type"] == "comment.approved" && b["data"]["id"] == *id)
            .count();
        assert_eq!(n, 1, "comment {id} announced {n} times");
    }
    let published = bodies
        .iter()
        .filter(|b| b["type"] == "article.published" && b["data"]["id"] == scheduled["id"])
        .count();
    assert_eq!(published, 1, "the scheduled article is announced once");
}

/// A worker slower than its lease: the delivery is redelivered and claimed
/// again (by a second worker, with the same attempt number, 1), then both
/// workers' outcomes arrive at once, each on its own connection. The first
/// worker's must not be recorded over the second worker's lease; the
/// second's is. Many rounds.
async fn a_late_outcome_after_a_redelivery_is_dropped(app: TestApp) {
    use cms::webhooks::model;
    let receiver = receiver_on(0).await;
    let (hook, _) = register(&app, &receiver.url, &["article.published"]).await;
    let hook = hook.as_i64().unwrap();
    let author = fixtures::author(&app, "Slow Worker").await;
    let secs = chrono::Duration::seconds;
    for round in 0..crate::races::rounds() {
        fixtures::published(&app, &author["id"], &format!("Late news {round}"), &[]).await;
        let now = cms::db::time::now();
        let (first, second) = {
            let mut conn = app.state.db.writer().await.unwrap();
            let first = model::claim_due(&mut conn, now, now + secs(1), 10)
                .await
                .unwrap();
            assert_eq!(first.len(), 1, "round {round}: one delivery due");
            // The lease has run out when the redelivery comes (2 s later).
            let again = model::redeliver(&mut conn, hook, first[0].id, now + secs(2))
                .await
                .unwrap();
            assert!(
                again.is_some(),
                "round {round}: redelivered once the lease ran out"
            );
            let second = model::claim_due(&mut conn, now + secs(3), now + secs(60), 10)
                .await
                .unwrap();
            assert_eq!(second.len(), 1, "round {round}");
            (first[0].clone(), second[0].clone())
        };
        assert_eq!(second.attempts, first.attempts, "both count attempt 1");
        let failure = model::Attempt {
            status_code: Some(500),
            error: Some("HTTP 500: the first worker's answer".into()),
            latency_ms: 40_000,
        };
        let success = model::Attempt {
            status_code: Some(200),
            error: None,
            latency_ms: 12,
        };
        let (stale, recorded) = tokio::join!(
            async {
                let mut conn = app.state.db.writer().await.unwrap();
                model::mark_failed(&mut conn, &first, &failure, None).await
            },
            async {
                let mut conn = app.state.db.writer().await.unwrap();
                model::mark_delivered(&mut conn, &second, &success, now + secs(4)).await
            }
        );
        assert!(
            !stale.unwrap(),
            "round {round}: the first worker lost its lease"
        );
        assert!(
            recorded.unwrap(),
            "round {round}: the second worker holds the lease"
        );
        let (_, log) = app
            .admin_get(&format!("/api/v1/webhooks/{hook}/deliveries"))
            .await;
        let row = &log["data"][0];
        assert_eq!(row["id"], second.id, "{log}");
        assert_eq!(row["status"], "delivered", "round {round}: {log}");
        assert_eq!(row["last_status_code"], 200, "{row}");
        assert!(row["last_error"].is_null(), "{row}");
    }
}
