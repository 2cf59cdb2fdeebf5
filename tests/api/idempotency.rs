//! `Idempotency-Key` on creates: a retry gets the first answer, never a
//! second copy; another body with the same key is 422; the same key while
//! the first request runs is 409.

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, send_json, TestApp};

both_backends!(
    a_retry_gets_the_first_answer,
    parallel_retries_create_one_article,
    keys_belong_to_their_caller
);

fn create(app: &TestApp, key: &str, body: &Value) -> reqwest::RequestBuilder {
    app.admin(Method::POST, "/api/v1/articles")
        .header("Idempotency-Key", key)
        .json(body)
}

async fn articles_titled(app: &TestApp, title: &str) -> usize {
    let (_, list) = app
        .admin_get("/api/v1/articles?status=draft&per_page=100")
        .await;
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["title"] == title)
        .count()
}

async fn a_retry_gets_the_first_answer(app: TestApp) {
    let author = fixtures::author(&app, "Retrying Writer").await;
    let body = json!({ "title": "Sent twice", "body": "Once only.", "author_id": author["id"] });
    let first = create(&app, "\"key-1\"", &body).send().await.unwrap();
    assert_eq!(first.status(), 201);
    let location = first.headers()["location"].clone();
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();

    let again = create(&app, "\"key-1\"", &body).send().await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["location"], location);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(
        again.json::<Value>().await.unwrap(),
        first,
        "the very same answer"
    );
    assert_eq!(articles_titled(&app, "Sent twice").await, 1);

    // The same key with another body is a client error.
    let other = json!({ "title": "Something else", "body": "No.", "author_id": author["id"] });
    let res = create(&app, "\"key-1\"", &other).send().await.unwrap();
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    // A create refused inside its transaction keeps no answer: the key is
    // free again for the corrected request.
    let bad = json!({ "title": "Fixed", "body": "x", "author_id": author["id"], "tags": ["nope"] });
    let res = create(&app, "key-2", &bad).send().await.unwrap();
    assert_problem(res, 409, "unknown_reference").await;
    let fixed = json!({ "title": "Fixed", "body": "x", "author_id": author["id"] });
    let res = create(&app, "key-2", &fixed).send().await.unwrap();
    assert_eq!(res.status(), 201);
    // A malformed key is a 400.
    let res = create(&app, "", &body).send().await.unwrap();
    assert_problem(res, 400, "invalid_header").await;

    // Comments too (anonymous, 202).
    let story = fixtures::published(&app, &author["id"], "Keyed comments", &[]).await;
    let slug = story["slug"].as_str().unwrap();
    let (_, form) = app
        .public_get(&format!("/api/v1/articles/{slug}/comment-form"))
        .await;
    let comment = json!({
        "author_name": "Kai", "author_email": "kai@readers.example",
        "body": "Posted over a bad connection", "form_token": form["form_token"],
    });
    let mut answers = Vec::new();
    for _ in 0..3 {
        let req = app
            .request(Method::POST, &format!("/api/v1/articles/{slug}/comments"))
            .header("Idempotency-Key", "comment-1")
            .json(&comment);
        answers.push(send_json(req).await);
    }
    assert!(
        answers.iter().all(|(s, b)| *s == 202 && *b == answers[0].1),
        "{answers:?}"
    );
}

/// Eight copies of one create with one key, all at once, many rounds: one
/// article each round; every answer is that article (201) or 409.
async fn parallel_retries_create_one_article(app: TestApp) {
    let author = fixtures::author(&app, "Impatient Writer").await;
    for round in 0..8 {
        let title = format!("Round {round}");
        let body = json!({ "title": title, "body": "x", "author_id": author["id"] });
        let key = format!("round-{round}");
        let answers = join_all((0..8).map(|_| send_json(create(&app, &key, &body)))).await;
        let ids: Vec<&Value> = answers
            .iter()
            .filter(|(status, _)| *status == 201)
            .map(|(_, body)| &body["id"])
            .collect();
        assert!(!ids.is_empty(), "{answers:?}");
        assert!(ids.iter().all(|id| *id == ids[0]), "{answers:?}");
        assert!(
            answers.iter().all(|(s, _)| matches!(s, 201 | 409)),
            "{answers:?}"
        );
        assert_eq!(articles_titled(&app, &title).await, 1, "round {round}");
    }
}

/// A key is the caller's own: another caller with the same key creates its
/// own resource and never sees the first caller's answer.
async fn keys_belong_to_their_caller(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let body = json!({ "name": "Shared key" });
    let (status, first) = send_json(
        app.admin(Method::POST, "/api/v1/tags")
            .header("Idempotency-Key", "same")
            .json(&body),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    let (status, second) = send_json(
        app.request(Method::POST, "/api/v1/tags")
            .bearer_auth(&editor.token)
            .header("Idempotency-Key", "same")
            .json(&body),
    )
    .await;
    assert_eq!(status, 201, "{second}");
    assert_ne!(first["id"], second["id"]);
}
