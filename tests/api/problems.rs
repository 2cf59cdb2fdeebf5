//! Every error class leaves the server as RFC 9457 problem+json.

use crate::harness::{assert_problem, both_backends, both_backends_with, TestApp, ADMIN_TOKEN};
use reqwest::Method;
use serde_json::json;

both_backends!(
    abandoned_requests_leave_the_server_healthy,
    rejected_bodies_of_signed_in_callers_are_problems,
    unknown_route_is_404,
    wrong_method_is_405_with_allow,
    malformed_and_unknown_json_is_400,
    wrong_content_type_is_415,
    oversized_bodies_are_413,
    bad_path_and_query_are_400,
    invalid_values_are_422_and_not_written,
    bad_credentials_are_401,
    duplicates_name_the_field,
    nul_bytes_in_urls_are_400,
);
both_backends_with!(
    [("CORS_ORIGINS", "https://news.example")],
    cors_follows_the_allow_list
);
both_backends_with!(
    [("BODY_READ_TIMEOUT_SECS", "1")],
    bodies_that_trickle_in_get_408
);
both_backends_with!(
    [("REQUEST_HEAD_TIMEOUT_MS", "1000")],
    the_http_layer_answers_bad_heads_itself
);

/// Writes `bytes` on a new connection and reads until the server closes
/// it (at most 5 s).
async fn raw_exchange(app: &TestApp, bytes: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    tokio::time::timeout(std::time::Duration::from_secs(5), read)
        .await
        .expect("the connection was kept open")
        .unwrap();
    String::from_utf8_lossy(&answer).to_lowercase()
}

/// The exceptions the README states: a stalled head gets 408 after
/// `REQUEST_HEAD_TIMEOUT_MS`, a head with more than 96 headers 431, both
/// from actix-http with an empty body, and the connection closes. The
/// server then serves the next connection as usual.
async fn the_http_layer_answers_bad_heads_itself(app: TestApp) {
    let mut head = String::from("GET /api/v1/tags HTTP/1.1\r\nHost: x\r\n");
    for i in 0..97 {
        head.push_str(&format!("X-Filler-{i}: {i}\r\n"));
    }
    head.push_str("\r\n");
    let crowded = raw_exchange(&app, head.as_bytes()).await;
    assert!(crowded.starts_with("http/1.1 431"), "{crowded}");
    assert!(crowded.contains("content-length: 0"), "{crowded}");
    let started = std::time::Instant::now();
    let stalled = raw_exchange(&app, b"GET /api/v1/tags HTTP/1.1\r\nHost: x\r\n").await;
    assert!(stalled.starts_with("http/1.1 408"), "{stalled}");
    assert!(stalled.contains("content-length: 0"), "{stalled}");
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    let (status, _) = app.public_get("/api/v1/tags").await;
    assert_eq!(status, 200);
}

/// Sends a request head and the start of a body that never finishes; returns
/// what the server answered before closing the connection.
async fn unfinished_body(
    app: &TestApp,
    path: &str,
    auth: bool,
    framing: &str,
    start: &str,
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let auth = if auth {
        format!("Authorization: Bearer {ADMIN_TOKEN}\r\n")
    } else {
        String::new()
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}\
         Content-Type: application/json\r\n{framing}\r\n\r\n{start}"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(
        read.is_ok(),
        "{path} {framing}: the connection was kept open"
    );
    String::from_utf8_lossy(&answer).to_lowercase()
}

async fn bodies_that_trickle_in_get_408(app: TestApp) {
    let framings = [
        ("Content-Length: 200", "{\"name\": \"Slow"),
        ("Transfer-Encoding: chunked", "10\r\n{\"name\": \"Slow"),
    ];
    let draft = crate::fixtures::author(&app, "Slow Desk").await;
    let story = crate::fixtures::draft(&app, &draft["id"], "Slow publish", &[]).await;
    let publish = format!("/api/v1/articles/{}/publish", story["id"]);
    for (framing, start) in framings {
        // A JSON body and a raw one (publish reads bytes): both 408.
        for path in ["/api/v1/tags", publish.as_str()] {
            let answer = unfinished_body(&app, path, true, framing, start).await;
            assert!(
                answer.starts_with("http/1.1 408"),
                "{path} {framing}: {answer}"
            );
            assert!(
                answer.contains("content-type: application/problem+json"),
                "{answer}"
            );
            assert!(answer.contains("connection: close"), "{answer}");
            assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
        }
        // A request refused before its body is read: answered, and the
        // connection is closed rather than drained forever.
        let answer = unfinished_body(&app, "/api/v1/nowhere", false, framing, start).await;
        assert!(answer.starts_with("http/1.1 404"), "{framing}: {answer}");
    }
    let (_, list) = app.public_get("/api/v1/tags").await;
    assert_eq!(list["meta"]["total"], 0, "nothing was written: {list}");
    let (_, unchanged) = app
        .admin_get(&format!("/api/v1/articles/{}", story["id"]))
        .await;
    assert_eq!(unchanged["status"], "draft", "{unchanged}");
    // A body that arrives in time is unaffected.
    let (status, body) = app
        .admin_json(Method::POST, "/api/v1/tags", json!({ "name": "On time" }))
        .await;
    assert_eq!(status, 201, "{body}");
}

async fn preflight(app: &TestApp, origin: &str, method: &str) -> reqwest::Response {
    app.request(Method::OPTIONS, "/api/v1/articles")
        .header("origin", origin)
        .header("access-control-request-method", method)
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap()
}

async fn cors_follows_the_allow_list(app: TestApp) {
    let res = preflight(&app, "https://news.example", "POST").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://news.example"
    );
    let allowed = res.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap();
    assert!(allowed.contains("PATCH"), "{allowed}");

    // Refused preflights are problems like any other error.
    for (origin, method) in [
        ("https://evil.example", "POST"),
        ("https://news.example", "PUT"),
    ] {
        let res = preflight(&app, origin, method).await;
        assert!(!res.headers().contains_key("access-control-allow-origin"));
        let problem = assert_problem(res, 400, "bad_request").await;
        assert!(
            problem["detail"].as_str().unwrap().contains("CORS"),
            "{problem}"
        );
    }

    // Actual requests: the allowed origin may read answers, errors included.
    let res = app
        .request(Method::GET, "/api/v1/no-such-thing")
        .header("origin", "https://news.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://news.example"
    );
    assert!(res.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase()
        .contains("etag"));
    assert_problem(res, 404, "not_found").await;
    // Another origin gets the answer without CORS headers (the browser
    // withholds it; non-browser clients are unaffected).
    let res = app
        .request(Method::GET, "/health/live")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(!res.headers().contains_key("access-control-allow-origin"));
}

async fn unknown_route_is_404(app: TestApp) {
    let body = assert_problem(app.get("/no/such/route").await, 404, "not_found").await;
    assert!(body["detail"].as_str().unwrap().contains("/no/such/route"));
}

async fn wrong_method_is_405_with_allow(app: TestApp) {
    let res = app
        .request(Method::DELETE, "/health/live")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "GET");
    assert_problem(res, 405, "method_not_allowed").await;
    let res = app
        .request(Method::PUT, "/api/v1/articles")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "GET, POST");
    assert_problem(res, 405, "method_not_allowed").await;
}

async fn malformed_and_unknown_json_is_400(app: TestApp) {
    let send = |body: &'static str| {
        app.admin(Method::POST, "/api/v1/tags")
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_problem(send("{\"name\": ").await.unwrap(), 400, "invalid_json").await;
    let body = assert_problem(
        send("{\"name\": \"x\", \"role\": \"admin\"}")
            .await
            .unwrap(),
        400,
        "invalid_body",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "role");
    assert_problem(send("{\"name\": 42}").await.unwrap(), 400, "invalid_body").await;
    // Deeply nested input is refused cleanly, not with a stack overflow.
    let deep: &'static str =
        Box::leak(format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_boxed_str());
    let res = send(deep).await.unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let deep_field: &'static str = Box::leak(
        format!(
            "{{\"name\": \"x\", \"description\": {}1{}}}",
            "[".repeat(5000),
            "]".repeat(5000)
        )
        .into_boxed_str(),
    );
    assert_eq!(send(deep_field).await.unwrap().status(), 400);
}

async fn wrong_content_type_is_415(app: TestApp) {
    let res = app
        .admin(Method::POST, "/api/v1/tags")
        .header("content-type", "text/plain")
        .body("{\"name\": \"x\"}")
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported_media_type").await;
    let res = app
        .admin(Method::POST, "/api/v1/tags")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported_media_type").await;
}

async fn oversized_bodies_are_413(app: TestApp) {
    let big = json!({ "name": "x", "description": "y".repeat(2 * 1024 * 1024) }).to_string();
    let res = app
        .admin(Method::POST, "/api/v1/tags")
        .header("content-type", "application/json")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_problem(res, 413, "payload_too_large").await;
    // Chunked: no Content-Length, the limit is enforced while reading.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let stream = futures_util::stream::iter(chunks);
    let res = app
        .admin(Method::POST, "/api/v1/tags")
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_problem(res, 413, "payload_too_large").await;
}

async fn bad_path_and_query_are_400(app: TestApp) {
    for query in [
        "per_page=abc",
        "per_page=1000",
        "page=0",
        "sort=password",
        "nope=1",
        "include=secrets",
        "fields=password_hash",
        "fields=",
        "include=author,,tags",
        "cursor=%%%",
    ] {
        let res = app.get(&format!("/api/v1/articles?{query}")).await;
        let code = if query.starts_with("cursor") {
            "invalid_cursor"
        } else {
            "invalid_query"
        };
        assert_problem(res, 400, code).await;
    }
    // Strict ids: an id that cannot exist is a 404, never a 500 or a partial parse.
    for path in ["99999999999999999999", "-1", "123abc"] {
        let res = app.get(&format!("/api/v1/articles/{path}")).await;
        assert_problem(res, 404, "not_found").await;
    }
}

async fn invalid_values_are_422_and_not_written(app: TestApp) {
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/tags",
            json!({ "name": "n".repeat(101) }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(body["errors"][0]["field"], "name");
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/tags",
            json!({ "name": "nul\u{0}byte" }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/tags",
            json!({ "name": "ok", "slug": "Not A Slug" }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (_, list) = app.public_get("/api/v1/tags").await;
    assert_eq!(list["meta"]["total"], 0, "nothing was written: {list}");
}

async fn bad_credentials_are_401(app: TestApp) {
    let res = app
        .request(Method::POST, "/api/v1/tags")
        .bearer_auth(format!("{ADMIN_TOKEN}x"))
        .json(&json!({ "name": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    assert_problem(res, 401, "unauthorized").await;
    let res = app
        .request(Method::POST, "/api/v1/tags")
        .json(&json!({ "name": "x" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthorized").await;
}

/// Regression: with a signed-in caller the credential lookup queries the
/// database while the body is rejected; abandoning that query used to crash
/// the SQLite worker (no response at all) instead of answering 415/400.
async fn rejected_bodies_of_signed_in_callers_are_problems(app: TestApp) {
    let editor = crate::fixtures::staff(&app, "editor").await;
    let key = crate::fixtures::api_key(&app, "preview").await;
    for _ in 0..15 {
        let res = app
            .request(Method::POST, "/api/v1/tags")
            .bearer_auth(&editor.token)
            .header("content-type", "text/plain")
            .body("name=x")
            .send()
            .await
            .expect("an answer, not a dropped connection");
        assert_problem(res, 415, "unsupported_media_type").await;
        let res = app
            .request(Method::POST, "/api/v1/tags")
            .bearer_auth(&editor.token)
            .json(&json!({ "name": "x", "colour": "red" }))
            .send()
            .await
            .expect("an answer, not a dropped connection");
        assert_problem(res, 400, "invalid_body").await;
        // Permissions are checked before the body: a read-only key hears
        // 403, not a report on its body.
        let res = app
            .request(Method::POST, "/api/v1/tags")
            .header("x-api-key", &key)
            .json(&json!({ "name": "x", "colour": "red" }))
            .send()
            .await
            .expect("an answer, not a dropped connection");
        assert_problem(res, 403, "forbidden").await;
    }
    // The pool is still healthy afterwards.
    let (status, _) = app.public_get("/api/v1/tags").await;
    assert_eq!(status, 200);
}

/// Clients that hang up mid-request (the handler future is dropped while it
/// queries) must not break the server or its pool.
async fn abandoned_requests_leave_the_server_healthy(app: TestApp) {
    let author = crate::fixtures::author(&app, "Busy").await;
    for n in 0..5 {
        crate::fixtures::published(&app, &author["id"], &format!("Story {n}"), &[]).await;
    }
    let impatient = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap();
    let mut dropped = 0;
    for n in 0..60u64 {
        dropped += impatient
            .get(app.url("/api/v1/articles?include=author,tags&per_page=100"))
            .timeout(std::time::Duration::from_micros(200 + 80 * n))
            .send()
            .await
            .is_err() as u32;
        let _ = impatient
            .post(app.url("/api/v1/tags"))
            .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
            .timeout(std::time::Duration::from_micros(200 + 90 * n))
            .json(&json!({ "name": format!("Tag {n}") }))
            .send()
            .await;
    }
    assert!(dropped > 0, "some requests were abandoned mid-flight");
    for _ in 0..10 {
        let (status, body) = app.public_get("/api/v1/articles?include=author,tags").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["meta"]["total"], 5);
        let (status, body) = app
            .admin_json(
                Method::POST,
                "/api/v1/tags",
                json!({ "name": format!("After {}", rand::random::<u32>()) }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
}

/// A unique value that is already taken is a 409 `duplicate` naming the
/// request field, whichever unique column clashed.
async fn duplicates_name_the_field(app: TestApp) {
    let author = crate::fixtures::author(&app, "Nadia Haddad").await;
    let user = |email: &str, author_id: Option<&serde_json::Value>| json!({ "email": email, "password": crate::fixtures::PASSWORD, "role": "author", "author_id": author_id });
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/users",
            user("nadia@example.com", Some(&author["id"])),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    for (body, field) in [
        (user("NADIA@example.com", None), "email"),
        (user("other@example.com", Some(&author["id"])), "author_id"),
    ] {
        let res = app
            .admin(Method::POST, "/api/v1/users")
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(res, 409, "duplicate").await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
}

/// A NUL byte anywhere in a path or query string is a 400 problem on every
/// route (PostgreSQL cannot compare text holding one: it used to be a 500
/// and an ERROR line each time).
async fn nul_bytes_in_urls_are_400(app: TestApp) {
    for path in [
        "/api/v1/articles/a%00b",
        "/api/v1/articles/a%00b/related",
        "/api/v1/articles/a%00b/comments",
        "/api/v1/articles/a%00b/comment-form",
        "/api/v1/tags/a%00b",
        "/api/v1/authors/a%00b",
        "/api/v1/articles?tag=a%00b",
        "/api/v1/articles?author=a%00b",
        "/api/v1/articles?q=a%00b",
        "/api/v1/articles?cursor=pd.1%00.2",
        "/api/v1/comments/1%00",
        "/api/v1/nowhere%00",
    ] {
        let res = app.admin(Method::GET, path).send().await.unwrap();
        let body = assert_problem(res, 400, "invalid_request").await;
        assert!(
            body["detail"].as_str().unwrap().contains("NUL"),
            "{path}: {body}"
        );
    }
    let res = app
        .admin(Method::PATCH, "/api/v1/tags/x%00")
        .json(&json!({ "name": "x" }))
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_request").await;
}
