//! The audit log through HTTP, on both backends: a scripted run of mixed
//! writes leaves exactly one event per write (its action, actor, target,
//! request id and a before/after without secrets) and none for a write
//! that failed; an event and its change commit or roll back together; the
//! log is for admins, filtered and cursor-paginated.

use reqwest::multipart::{Form, Part};
use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};

use crate::fixtures::{self, PASSWORD};
use crate::harness::{assert_problem, both_backends_with, send_json, Backend, TestApp};
use crate::media_files as files;

both_backends_with!(
    [("COMMENT_MIN_FILL_SECS", "0")],
    one_event_per_write_and_none_for_a_failed_one,
);
both_backends_with!(
    [],
    security_events_are_recorded,
    an_event_and_its_change_commit_together,
    the_log_is_filtered_paginated_and_for_admins_only,
    racing_deletes_leave_one_event,
);

/// Sends scripted requests, each with its own request id, and remembers
/// what the log should hold for it.
struct Script<'a> {
    app: &'a TestApp,
    step: usize,
    /// (request id, the expected (action, target id) or None for a failure).
    expected: Vec<(String, Option<(&'static str, Value)>)>,
}

impl<'a> Script<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            step: 0,
            expected: Vec::new(),
        }
    }

    fn next_id(&mut self) -> String {
        self.step += 1;
        format!("audit-script-{:02}", self.step)
    }

    /// A write that must succeed with `status` and leave `action` on the
    /// target whose id `target` picks from the answer.
    async fn write(
        &mut self,
        req: RequestBuilder,
        status: u16,
        action: &'static str,
        target: impl FnOnce(&Value) -> Value,
    ) -> Value {
        let id = self.next_id();
        let (got, body) = send_json(req.header("x-request-id", &id)).await;
        assert_eq!(got, status, "{id} ({action}): {body}");
        self.expected.push((id, Some((action, target(&body)))));
        body
    }

    /// A write that must fail with `status` and leave nothing.
    async fn failing(&mut self, req: RequestBuilder, status: u16) {
        let id = self.next_id();
        let (got, body) = send_json(req.header("x-request-id", &id)).await;
        assert_eq!(got, status, "{id} should fail: {body}");
        self.expected.push((id, None));
    }

    fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.app.admin(method, path)
    }
}

/// Every event after `after_id`, oldest first, walking the cursor.
async fn events_after(app: &TestApp, after_id: i64) -> Vec<Value> {
    let mut events = Vec::new();
    let mut path = "/api/v1/audit?per_page=7".to_owned();
    loop {
        let (status, page) = app.admin_get(&path).await;
        assert_eq!(status, 200, "{page}");
        let data = page["data"].as_array().unwrap();
        let mut done = false;
        for event in data {
            if event["id"].as_i64().unwrap() <= after_id {
                done = true;
                break;
            }
            events.push(event.clone());
        }
        match page["meta"]["next_cursor"].as_str() {
            Some(cursor) if !done => path = format!("/api/v1/audit?per_page=7&cursor={cursor}"),
            _ => break,
        }
    }
    events.reverse();
    events
}

/// The id of the newest event (0 when there is none).
async fn newest_event(app: &TestApp) -> i64 {
    let (status, page) = app.admin_get("/api/v1/audit?per_page=1").await;
    assert_eq!(status, 200, "{page}");
    page["data"][0]["id"].as_i64().unwrap_or(0)
}

fn id(body: &Value) -> Value {
    body["id"].clone()
}

async fn one_event_per_write_and_none_for_a_failed_one(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let start = newest_event(&app).await;
    let mut s = Script::new(&app);
    let as_editor = |m: Method, p: &str| app.request(m, p).bearer_auth(&editor.token);

    let author = s
        .write(
            s.admin(Method::POST, "/api/v1/authors")
                .json(&json!({ "name": "Desk Reporter" })),
            201,
            "author.create",
            id,
        )
        .await;
    let author_path = format!("/api/v1/authors/{}", author["id"]);
    s.write(
        s.admin(Method::PATCH, &author_path)
            .json(&json!({ "bio": "Covers the harbour." })),
        200,
        "author.update",
        id,
    )
    .await;
    let tag = s
        .write(
            s.admin(Method::POST, "/api/v1/tags")
                .json(&json!({ "name": "Harbour" })),
            201,
            "tag.create",
            id,
        )
        .await;
    s.failing(
        s.admin(Method::POST, "/api/v1/tags")
            .json(&json!({ "name": "Harbour", "slug": "harbour" })),
        409,
    )
    .await;
    s.write(
        s.admin(Method::PATCH, "/api/v1/tags/harbour")
            .json(&json!({ "description": "Ships and quays" })),
        200,
        "tag.update",
        id,
    )
    .await;
    let article = s
        .write(
            as_editor(Method::POST, "/api/v1/articles").json(&json!({
                "title": "Harbour reopens", "body": "The harbour reopened on Monday.\n",
                "author_id": author["id"], "tags": ["harbour"],
            })),
            201,
            "article.create",
            id,
        )
        .await;
    s.failing(
        as_editor(Method::POST, "/api/v1/articles").json(&json!({
            "title": "Unknown tag", "body": "Text.\n", "author_id": author["id"], "tags": ["nope"],
        })),
        409,
    )
    .await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    s.write(
        as_editor(Method::PATCH, &path)
            .json(&json!({ "title": "Harbour reopens after storm", "tags": [] })),
        200,
        "article.update",
        id,
    )
    .await;
    s.failing(
        as_editor(Method::PATCH, &path)
            .header("if-match", "\"stale\"")
            .json(&json!({ "title": "Lost edit" })),
        412,
    )
    .await;
    s.write(
        as_editor(Method::POST, &format!("{path}/submit")),
        200,
        "article.submit",
        id,
    )
    .await;
    s.write(
        as_editor(Method::POST, &format!("{path}/publish")).json(&json!({})),
        200,
        "article.publish",
        id,
    )
    .await;
    s.failing(as_editor(Method::POST, &format!("{path}/submit")), 409)
        .await;
    let (status, form) = app.public_get(&format!("{path}/comment-form")).await;
    assert_eq!(status, 200, "{form}");
    let comment = s
        .write(
            app.request(Method::POST, &format!("{path}/comments"))
                .json(&json!({
                    "author_name": "Ana Reader", "author_email": "ana@readers.example",
                    "body": "Good news for the fishermen.", "form_token": form["form_token"],
                })),
            202,
            "comment.create",
            id,
        )
        .await;
    let comment_path = format!("/api/v1/comments/{}", comment["id"]);
    s.write(
        as_editor(Method::PATCH, &comment_path).json(&json!({ "status": "approved" })),
        200,
        "comment.moderate",
        id,
    )
    .await;
    s.failing(
        as_editor(Method::PATCH, &comment_path).json(&json!({ "status": "glorious" })),
        400,
    )
    .await;
    s.write(
        as_editor(Method::DELETE, &comment_path),
        204,
        "comment.delete",
        |_| comment["id"].clone(),
    )
    .await;
    let media = s
        .write(
            app.request(Method::POST, "/api/v1/media")
                .bearer_auth(&editor.token)
                .multipart(Form::new().part(
                    "file",
                    Part::bytes(files::jpeg(64, 48)).file_name("quay.jpg"),
                )),
            201,
            "media.create",
            id,
        )
        .await;
    s.write(
        as_editor(Method::PATCH, &format!("/api/v1/media/{}", media["id"]))
            .json(&json!({ "alt_text": "The quay at dawn" })),
        200,
        "media.update",
        id,
    )
    .await;
    let user = s
        .write(
            s.admin(Method::POST, "/api/v1/users").json(&json!({
                "email": "new.writer@newsroom.example", "password": PASSWORD, "role": "contributor",
            })),
            201,
            "user.create",
            id,
        )
        .await;
    let user_path = format!("/api/v1/users/{}", user["id"]);
    s.failing(
        s.admin(Method::POST, "/api/v1/users").json(&json!({
            "email": "new.writer@newsroom.example", "password": PASSWORD, "role": "author",
        })),
        409,
    )
    .await;
    s.write(
        s.admin(Method::PATCH, &user_path)
            .json(&json!({ "role": "author" })),
        200,
        "user.role_change",
        id,
    )
    .await;
    s.write(
        s.admin(Method::PATCH, &user_path)
            .json(&json!({ "disabled": true })),
        200,
        "user.disable",
        id,
    )
    .await;
    let key = s
        .write(
            s.admin(Method::POST, "/api/v1/api-keys")
                .json(&json!({ "name": "Frontend", "scope": "read" })),
            201,
            "api_key.create",
            id,
        )
        .await;
    s.write(
        s.admin(Method::DELETE, &format!("/api/v1/api-keys/{}", key["id"])),
        204,
        "api_key.revoke",
        |_| key["id"].clone(),
    )
    .await;
    s.failing(s.admin(Method::DELETE, &author_path), 409).await;
    s.write(
        as_editor(Method::DELETE, &path),
        204,
        "article.trash",
        |_| article["id"].clone(),
    )
    .await;
    s.write(
        as_editor(Method::POST, &format!("{path}/restore")),
        200,
        "article.restore",
        id,
    )
    .await;
    s.write(
        as_editor(Method::POST, &format!("{path}/revisions/1/restore")),
        200,
        "article.revision_restore",
        id,
    )
    .await;
    s.write(
        s.admin(Method::DELETE, "/api/v1/tags/harbour"),
        204,
        "tag.delete",
        |_| tag["id"].clone(),
    )
    .await;

    let writes = s.expected.iter().filter(|(_, e)| e.is_some()).count();
    assert!(writes >= 20, "the script has {writes} writes");
    let events = events_after(&app, start).await;
    let got: Vec<(String, String, Value)> = events
        .iter()
        .map(|e| {
            (
                e["request_id"].as_str().unwrap_or_default().to_owned(),
                e["action"].as_str().unwrap().to_owned(),
                e["target"]["id"].clone(),
            )
        })
        .collect();
    let want: Vec<(String, String, Value)> = s
        .expected
        .iter()
        .filter_map(|(rid, e)| {
            e.as_ref()
                .map(|(a, t)| (rid.clone(), (*a).to_owned(), t.clone()))
        })
        .collect();
    assert_eq!(
        got, want,
        "exactly one event per write, in order, none for a failure"
    );

    // Who: the bootstrap token, the editor, or nobody (the reader).
    let actor = |rid: &str| {
        let e = events.iter().find(|e| e["request_id"] == rid).unwrap();
        (e["actor"]["type"].clone(), e["actor"]["id"].clone())
    };
    assert_eq!(actor("audit-script-01"), (json!("bootstrap"), Value::Null));
    assert_eq!(
        actor("audit-script-06"),
        (json!("user"), editor.user["id"].clone())
    );
    let reader = events
        .iter()
        .find(|e| e["action"] == "comment.create")
        .unwrap();
    assert_eq!(reader["actor"]["type"], "anonymous");
    assert!(
        reader["client_ip"]
            .as_str()
            .is_some_and(|ip| ip.starts_with("127.")),
        "{reader}"
    );
    // What changed, small and without secrets.
    let update = events
        .iter()
        .find(|e| e["action"] == "article.update")
        .unwrap();
    assert_eq!(update["before"]["title"], "Harbour reopens", "{update}");
    assert_eq!(update["after"]["title"], "Harbour reopens after storm");
    assert_eq!(update["before"]["tag_ids"], json!([tag["id"]]));
    assert_eq!(update["after"]["tag_ids"], json!([]));
    assert!(
        update["after"].get("slug").is_none(),
        "unchanged fields stay out: {update}"
    );
    let role = events
        .iter()
        .find(|e| e["action"] == "user.role_change")
        .unwrap();
    assert_eq!(
        (
            role["before"]["role"].clone(),
            role["after"]["role"].clone()
        ),
        (json!("contributor"), json!("author"))
    );
    let log = serde_json::to_string(&events).unwrap();
    for secret in [
        PASSWORD,
        key["secret"].as_str().unwrap(),
        "ana@readers.example",
        &editor.token,
    ] {
        assert!(
            !log.contains(secret),
            "the log shows a secret or private datum: {secret}"
        );
    }
}

async fn security_events_are_recorded(app: TestApp) {
    let writer = fixtures::staff(&app, "author").await;
    let start = newest_event(&app).await;
    let login = |password: &str, rid: &str| {
        app.request(Method::POST, "/api/v1/auth/login")
            .header("x-request-id", rid)
            .json(&json!({ "email": writer.email, "password": password }))
    };
    let (status, _) = send_json(login("wrong password here", "sec-1")).await;
    assert_eq!(status, 401);
    let (status, _) = send_json(
        app.request(Method::POST, "/api/v1/auth/login")
            .header("x-request-id", "sec-2")
            .json(&json!({ "email": "nobody@newsroom.example", "password": "whatever it is" })),
    )
    .await;
    assert_eq!(status, 401);
    let (status, tokens) = send_json(login(PASSWORD, "sec-3")).await;
    assert_eq!(status, 200, "{tokens}");
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let rotate = |rid: &str| {
        app.request(Method::POST, "/api/v1/auth/refresh")
            .header("x-request-id", rid)
            .json(&json!({ "refresh_token": refresh }))
    };
    let (status, _) = send_json(rotate("sec-4")).await;
    assert_eq!(status, 200, "a routine refresh is not an event");
    let (status, _) = send_json(rotate("sec-5")).await;
    assert_eq!(status, 401, "reuse");
    let new_password = "a brand new staple battery horse";
    let (status, body) = send_json(
        app.request(Method::POST, "/api/v1/me/password")
            .bearer_auth(&writer.token)
            .header("x-request-id", "sec-6")
            .json(&json!({ "current_password": PASSWORD, "new_password": new_password })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let tokens = fixtures::login(&app, &writer.email, new_password).await;
    let (status, _) = send_json(
        app.request(Method::POST, "/api/v1/auth/logout")
            .bearer_auth(tokens["access_token"].as_str().unwrap())
            .header("x-request-id", "sec-7"),
    )
    .await;
    assert_eq!(status, 204);

    let user_id = writer.user["id"].clone();
    let events = events_after(&app, start).await;
    let seen: Vec<(String, String, Value, Value)> = events
        .iter()
        .map(|e| {
            (
                e["request_id"].as_str().unwrap_or("-").to_owned(),
                e["action"].as_str().unwrap().to_owned(),
                e["actor"]["type"].clone(),
                e["target"]["id"].clone(),
            )
        })
        .collect();
    let expect = |rid: &str, action: &str, actor: &str, target: &Value| {
        (
            rid.to_owned(),
            action.to_owned(),
            json!(actor),
            target.clone(),
        )
    };
    assert_eq!(
        seen,
        vec![
            expect("sec-1", "auth.login_failed", "anonymous", &user_id),
            expect("sec-2", "auth.login_failed", "anonymous", &Value::Null),
            expect("sec-3", "auth.login", "user", &user_id),
            expect("sec-5", "auth.token_reuse", "anonymous", &user_id),
            expect("sec-6", "auth.password_change", "user", &user_id),
            // fixtures::login sends no request id: one is made.
            (
                events[5]["request_id"].as_str().unwrap().to_owned(),
                "auth.login".to_owned(),
                json!("user"),
                user_id.clone()
            ),
            expect("sec-7", "auth.logout", "user", &user_id),
        ]
    );
    assert_eq!(
        events[0]["after"],
        json!({ "email": writer.email, "reason": "wrong_password" })
    );
    assert_eq!(events[1]["after"]["reason"], "unknown_email");
    let log = serde_json::to_string(&events).unwrap();
    for secret in [PASSWORD, new_password, refresh, "wrong password here"] {
        assert!(!log.contains(secret), "the log shows a secret: {secret}");
    }
}

/// Makes the database refuse the audit insert of `action` (a trigger), so
/// the change that goes with it must roll back too.
async fn refuse_audit_of(app: &TestApp, backend: Backend, action: &str) {
    let sql = match backend {
        Backend::Postgres => format!(
            "CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN \
               RAISE EXCEPTION 'refused by the test'; END; $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW \
               WHEN (NEW.action = '{action}') EXECUTE FUNCTION refuse_audit();"
        ),
        Backend::Sqlite => format!(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events \
               WHEN NEW.action = '{action}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
        ),
    };
    let mut conn = app.state.db.writer().await.unwrap();
    conn.batch_execute(&sql).await.unwrap();
}

async fn an_event_and_its_change_commit_together(app: TestApp) {
    let backend = app.backend;
    // No change without its event: the tag is not created when its event
    // cannot be written.
    refuse_audit_of(&app, backend, "tag.create").await;
    let (status, body) = app
        .admin_json(Method::POST, "/api/v1/tags", json!({ "name": "Ghost tag" }))
        .await;
    assert_eq!(status, 500, "{body}");
    let (status, _) = app.public_get("/api/v1/tags/ghost-tag").await;
    assert_eq!(status, 404, "the tag rolled back with its event");
    // A write after a refused one works, and is recorded once.
    let author = fixtures::author(&app, "Still Working").await;
    let (status, page) = app
        .admin_get(&format!("/api/v1/audit?target=author:{}", author["id"]))
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["data"].as_array().unwrap().len(), 1, "{page}");

    // No event without its change: an answer that cannot be stored (the
    // idempotency record, written after the event in the same transaction)
    // takes the event and the tag with it.
    let fail_answer = match backend {
        Backend::Postgres => {
            "CREATE FUNCTION refuse_answer() RETURNS trigger AS $$ BEGIN \
               RAISE EXCEPTION 'refused by the test'; END; $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW \
               EXECUTE FUNCTION refuse_answer();"
        }
        Backend::Sqlite => {
            "CREATE TRIGGER refuse_answer BEFORE UPDATE ON idempotency_keys \
               BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
        }
    };
    app.state
        .db
        .writer()
        .await
        .unwrap()
        .batch_execute(fail_answer)
        .await
        .unwrap();
    let before = newest_event(&app).await;
    let (status, body) = send_json(
        app.admin(Method::POST, "/api/v1/authors")
            .header("idempotency-key", "audit-rollback-1")
            .json(&json!({ "name": "Never Written" })),
    )
    .await;
    assert_eq!(status, 500, "{body}");
    let (status, _) = app.public_get("/api/v1/authors/never-written").await;
    assert_eq!(status, 404);
    assert_eq!(
        newest_event(&app).await,
        before,
        "the event rolled back with its change"
    );
}

async fn the_log_is_filtered_paginated_and_for_admins_only(app: TestApp) {
    let editor = fixtures::staff(&app, "editor").await;
    let author = fixtures::author(&app, "Filter Target").await;
    let author_id = author["id"].as_i64().unwrap();
    for bio in ["one", "two", "three"] {
        let (status, body) = app
            .admin_json(
                Method::PATCH,
                &format!("/api/v1/authors/{author_id}"),
                json!({ "bio": bio }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = send_json(
        app.request(Method::PATCH, &format!("/api/v1/authors/{author_id}"))
            .bearer_auth(&editor.token)
            .json(&json!({ "bio": "four" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let actions = |page: &Value| -> Vec<String> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, page) = app
        .admin_get(&format!("/api/v1/audit?target=author:{author_id}"))
        .await;
    assert_eq!(
        actions(&page),
        [
            "author.update",
            "author.update",
            "author.update",
            "author.update",
            "author.create"
        ]
    );
    assert_eq!(page["data"][0]["before"], json!({ "bio": "three" }));
    assert_eq!(page["data"][0]["after"], json!({ "bio": "four" }));
    let (_, page) = app
        .admin_get(&format!(
            "/api/v1/audit?target=author:{author_id}&action=author.update&actor=bootstrap&per_page=2"
        ))
        .await;
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    assert_eq!(page["data"][0]["after"]["bio"], "three");
    let cursor = page["meta"]["next_cursor"].as_str().unwrap().to_owned();
    let (_, next) = app
        .admin_get(&format!(
            "/api/v1/audit?target=author:{author_id}&action=author.update&actor=bootstrap&per_page=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(next["data"].as_array().unwrap().len(), 1);
    assert_eq!(next["data"][0]["after"]["bio"], "one");
    assert!(next["meta"]["next_cursor"].is_null(), "{next}");
    let (_, mine) = app
        .admin_get(&format!("/api/v1/audit?actor=user:{}", editor.user["id"]))
        .await;
    assert_eq!(actions(&mine), ["author.update", "auth.login"]);
    let (_, later) = app
        .admin_get("/api/v1/audit?since=2999-01-01T00:00:00Z")
        .await;
    assert_eq!(later["data"], json!([]));
    let (_, earlier) = app
        .admin_get("/api/v1/audit?until=2000-01-01T00:00:00Z")
        .await;
    assert_eq!(earlier["data"], json!([]));
    let (_, kinds) = app
        .admin_get("/api/v1/audit?target=author&per_page=100")
        .await;
    assert!(kinds["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["target"]["type"] == "author"));

    for bad in [
        "actor=robot",
        "actor=user:0",
        "target=planet:1",
        "action=article.explode",
        "cursor=abc",
        "per_page=0",
        "since=yesterday",
        "since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z",
        "colour=red",
    ] {
        let res = app
            .admin(Method::GET, &format!("/api/v1/audit?{bad}"))
            .send()
            .await
            .unwrap();
        assert_problem(res, 400, "invalid_query").await;
    }
    let res = app
        .request(Method::GET, "/api/v1/audit")
        .bearer_auth(&editor.token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app
        .request(Method::GET, "/api/v1/audit")
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthorized").await;
}

/// Two deletes of one tag at once, 20 rounds: one answers 204 and records
/// `tag.delete`, the other answers 404 and records nothing.
async fn racing_deletes_leave_one_event(app: TestApp) {
    for round in 0..20 {
        let tag = fixtures::tag(&app, &format!("Racing {round}")).await;
        let path = format!("/api/v1/tags/{}", tag["id"]);
        let delete = || async {
            app.admin(Method::DELETE, &path)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        };
        let (a, b) = tokio::join!(delete(), delete());
        let mut pair = [a, b];
        pair.sort_unstable();
        assert_eq!(pair, [204, 404], "round {round}");
        let (_, events) = app
            .admin_get(&format!(
                "/api/v1/audit?target=tag:{}&action=tag.delete",
                tag["id"]
            ))
            .await;
        assert_eq!(
            events["data"].as_array().unwrap().len(),
            1,
            "round {round}: {events}"
        );
    }
}
