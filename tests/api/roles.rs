//! The role matrix: every write endpoint × every kind of caller, and the
//! ownership rules for contributors and authors.

use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures::{self, StaffUser};
use crate::harness::{both_backends, both_backends_with, send_json, TestApp, TEST_JWT_SECRET};

// Every caller posts a comment from 127.0.0.1: lift the per-IP limit.
both_backends_with!(
    [("COMMENT_IP_MAX", "1000")],
    every_write_endpoint_against_every_caller
);
both_backends!(
    ownership_rules_for_contributors_and_authors,
    api_keys_read_but_never_write
);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    Contributor,
    Author,
    Editor,
    Admin,
    ReadKey,
    PreviewKey,
}

/// Fresh things to act on, owned by someone else ("the desk").
struct Targets {
    draft: Value,
    published: Value,
    tag: Value,
    author: Value,
    user: Value,
    key_id: Value,
    comment: i64,
}

async fn targets(app: &TestApp, desk: &Value) -> Targets {
    let n = rand::random::<u32>();
    let draft = fixtures::draft(app, &desk["id"], &format!("Desk draft {n}"), &[]).await;
    let published = fixtures::published(app, &desk["id"], &format!("Desk story {n}"), &[]).await;
    let tag = fixtures::tag(app, &format!("Tag {n}")).await;
    let author = fixtures::author(app, &format!("Guest {n}")).await;
    let (_, user) = app
        .admin_json(Method::POST, "/api/v1/users", json!({ "email": format!("u{n}@newsroom.example"), "password": "long enough password", "role": "contributor" }))
        .await;
    let (_, key) = app
        .admin_json(
            Method::POST,
            "/api/v1/api-keys",
            json!({ "name": "k", "scope": "read" }),
        )
        .await;
    let published_id = published["id"].as_i64().unwrap();
    let comment =
        fixtures::stored_comment(app, published_id, None, "Reader", "Pending", "pending").await;
    Targets {
        draft,
        published,
        tag,
        author,
        user,
        key_id: key["id"].clone(),
        comment,
    }
}

/// (method, path, body, expected status per caller kind)
type Case = (Method, String, Option<Value>, [u16; 7]);

fn cases(t: &Targets) -> Vec<Case> {
    let d = &t.draft["id"];
    let p = &t.published["id"];
    //            anon  contrib author editor admin readkey previewkey
    let staff_any = [401, 201, 201, 201, 201, 403, 403];
    let editors = |ok: u16| [401, 403, 403, ok, ok, 403, 403];
    let admins = |ok: u16| [401, 403, 403, 403, ok, 403, 403];
    vec![
        (
            Method::POST,
            "/api/v1/articles".into(),
            Some(json!({ "title": "Mine", "body": "Text" })),
            staff_any,
        ),
        (
            Method::PATCH,
            format!("/api/v1/articles/{d}"),
            Some(json!({ "title": "Edited" })),
            editors(200),
        ),
        (
            Method::DELETE,
            format!("/api/v1/articles/{d}"),
            None,
            editors(204),
        ),
        (
            Method::POST,
            format!("/api/v1/articles/{d}/submit"),
            None,
            editors(200),
        ),
        (
            Method::POST,
            format!("/api/v1/articles/{d}/publish"),
            None,
            editors(200),
        ),
        (
            Method::POST,
            format!("/api/v1/articles/{p}/unpublish"),
            None,
            editors(200),
        ),
        (
            Method::POST,
            format!("/api/v1/articles/{p}/archive"),
            None,
            editors(200),
        ),
        (
            Method::POST,
            "/api/v1/tags".into(),
            Some(json!({ "name": format!("New {}", rand::random::<u32>()) })),
            editors(201),
        ),
        (
            Method::PATCH,
            format!("/api/v1/tags/{}", t.tag["id"]),
            Some(json!({ "description": "d" })),
            editors(200),
        ),
        (
            Method::DELETE,
            format!("/api/v1/tags/{}", t.tag["id"]),
            None,
            editors(204),
        ),
        (
            Method::POST,
            "/api/v1/authors".into(),
            Some(json!({ "name": format!("New {}", rand::random::<u32>()) })),
            editors(201),
        ),
        (
            Method::PATCH,
            format!("/api/v1/authors/{}", t.author["id"]),
            Some(json!({ "bio": "b" })),
            editors(200),
        ),
        (
            Method::DELETE,
            format!("/api/v1/authors/{}", t.author["id"]),
            None,
            editors(204),
        ),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(
                json!({ "email": format!("n{}@newsroom.example", rand::random::<u32>()), "password": "long enough password", "role": "author" }),
            ),
            admins(201),
        ),
        (
            Method::PATCH,
            format!("/api/v1/users/{}", t.user["id"]),
            Some(json!({ "disabled": true })),
            admins(200),
        ),
        (
            Method::DELETE,
            format!("/api/v1/users/{}", t.user["id"]),
            None,
            admins(204),
        ),
        (Method::GET, "/api/v1/users".into(), None, admins(200)),
        (
            Method::POST,
            "/api/v1/api-keys".into(),
            Some(json!({ "name": "n", "scope": "read" })),
            admins(201),
        ),
        (
            Method::DELETE,
            format!("/api/v1/api-keys/{}", t.key_id),
            None,
            admins(204),
        ),
        (Method::GET, "/api/v1/api-keys".into(), None, admins(200)),
        (Method::GET, "/api/v1/audit".into(), None, admins(200)),
        (Method::GET, "/api/v1/webhooks".into(), None, admins(200)),
        (
            Method::POST,
            "/api/v1/webhooks".into(),
            Some(json!({ "url": "https://93.184.215.14/h", "events": ["article.published"] })),
            admins(201),
        ),
        (
            Method::GET,
            format!("/api/v1/api-keys/{}", t.key_id),
            None,
            admins(200),
        ),
        (
            Method::POST,
            format!("/api/v1/articles/{p}/comments"),
            Some(json!({
                "author_name": "Anyone",
                "author_email": format!("r{}@readers.example", rand::random::<u32>()),
                "body": "Open to all",
                "form_token": cms::comments::form_token::issue(
                    TEST_JWT_SECRET.as_bytes(), p.as_i64().unwrap(), unix_now() - 60),
            })),
            [202; 7],
        ),
        (
            Method::PATCH,
            format!("/api/v1/comments/{}", t.comment),
            Some(json!({ "status": "approved" })),
            editors(200),
        ),
        (
            Method::DELETE,
            format!("/api/v1/comments/{}", t.comment),
            None,
            editors(204),
        ),
        (Method::GET, "/api/v1/comments".into(), None, editors(200)),
    ]
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn every_write_endpoint_against_every_caller(app: TestApp) {
    let desk = fixtures::author(&app, "The Desk").await;
    let mut callers: Vec<(Who, Option<String>)> = vec![(Who::Anonymous, None)];
    for (who, role) in [
        (Who::Contributor, "contributor"),
        (Who::Author, "author"),
        (Who::Editor, "editor"),
        (Who::Admin, "admin"),
    ] {
        let staff: StaffUser = fixtures::staff(&app, role).await;
        callers.push((who, Some(staff.token)));
    }
    callers.push((Who::ReadKey, Some(fixtures::api_key(&app, "read").await)));
    callers.push((
        Who::PreviewKey,
        Some(fixtures::api_key(&app, "preview").await),
    ));

    let shared = targets(&app, &desk).await;
    let count = cases(&shared).len();
    let mut checked = 0;
    for (column, (who, token)) in callers.iter().enumerate() {
        for index in 0..count {
            let expected = cases(&shared)[index].3[column];
            // Successful writes consume their target: give them fresh ones.
            let fresh;
            let t = if expected < 300 {
                fresh = targets(&app, &desk).await;
                &fresh
            } else {
                &shared
            };
            let (method, path, body, _) = cases(t).swap_remove(index);
            let mut req = app.request(method.clone(), &path);
            if let Some(token) = token {
                req = req.bearer_auth(token);
            }
            if let Some(body) = body {
                req = req.json(&body);
            }
            let (status, response) = send_json(req).await;
            assert_eq!(status, expected, "{who:?} {method} {path}: {response}");
            checked += 1;
        }
    }
    assert_eq!(checked, 7 * count);
    // Nothing the refused callers tried changed the shared targets.
    let (_, draft) = app
        .admin_get(&format!("/api/v1/articles/{}", shared.draft["id"]))
        .await;
    assert_eq!(
        (draft["status"].clone(), draft["version"].clone()),
        (json!("draft"), json!(1))
    );
}

async fn ownership_rules_for_contributors_and_authors(app: TestApp) {
    let contributor = fixtures::staff(&app, "contributor").await;
    let author = fixtures::staff(&app, "author").await;
    let as_user = |user: &StaffUser, method: Method, path: String, body: Value| {
        send_json(
            app.request(method, &path)
                .bearer_auth(&user.token)
                .json(&body),
        )
    };
    // Writes as their own author; another author_id is refused.
    let (status, own) = as_user(
        &contributor,
        Method::POST,
        "/api/v1/articles".into(),
        json!({ "title": "My piece", "body": "Text" }),
    )
    .await;
    assert_eq!(
        (status, own["author_id"].clone()),
        (201, contributor.author["id"].clone()),
        "{own}"
    );
    let (status, _) = as_user(
        &contributor,
        Method::POST,
        "/api/v1/articles".into(),
        json!({ "title": "Theirs", "body": "T", "author_id": author.author["id"] }),
    )
    .await;
    assert_eq!(status, 403);
    let id = &own["id"];
    let (status, _) = as_user(
        &contributor,
        Method::PATCH,
        format!("/api/v1/articles/{id}"),
        json!({ "author_id": author.author["id"] }),
    )
    .await;
    assert_eq!(status, 403, "cannot hand the article to someone else");
    let (status, _) = as_user(
        &contributor,
        Method::PATCH,
        format!("/api/v1/articles/{id}"),
        json!({ "title": "My better piece" }),
    )
    .await;
    assert_eq!(status, 200);
    // A contributor submits but cannot publish.
    assert_eq!(
        as_user(
            &contributor,
            Method::POST,
            format!("/api/v1/articles/{id}/publish"),
            json!({})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        as_user(
            &contributor,
            Method::POST,
            format!("/api/v1/articles/{id}/submit"),
            json!({})
        )
        .await
        .0,
        200
    );
    // Another writer neither sees nor edits the draft.
    let (status, _) = send_json(
        app.request(Method::GET, &format!("/api/v1/articles/{id}"))
            .bearer_auth(&author.token),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        as_user(
            &author,
            Method::PATCH,
            format!("/api/v1/articles/{id}"),
            json!({ "title": "Hijack" })
        )
        .await
        .0,
        403
    );
    let (_, listed) = send_json(
        app.request(Method::GET, "/api/v1/articles?status=in_review")
            .bearer_auth(&author.token),
    )
    .await;
    assert_eq!(listed["meta"]["total"], 0, "{listed}");
    let (_, listed) = send_json(
        app.request(Method::GET, "/api/v1/articles?status=in_review")
            .bearer_auth(&contributor.token),
    )
    .await;
    assert_eq!(listed["meta"]["total"], 1, "{listed}");
    // Once an editor publishes it, the contributor may no longer change or
    // delete it (they could otherwise rewrite a live story unreviewed).
    let (status, _) =
        send_json(app.admin(Method::POST, &format!("/api/v1/articles/{id}/publish"))).await;
    assert_eq!(status, 200);
    for (method, body) in [
        (Method::PATCH, json!({ "title": "Unreviewed" })),
        (Method::DELETE, json!({})),
    ] {
        let (status, problem) = as_user(
            &contributor,
            method.clone(),
            format!("/api/v1/articles/{id}"),
            body,
        )
        .await;
        assert_eq!(status, 403, "{method}: {problem}");
    }
    let (_, live) = app.public_get(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(live["title"], "My better piece", "{live}");
    // An author publishes their own.
    let (_, theirs) = as_user(
        &author,
        Method::POST,
        "/api/v1/articles".into(),
        json!({ "title": "Author piece", "body": "Text" }),
    )
    .await;
    let (status, published) = as_user(
        &author,
        Method::POST,
        format!("/api/v1/articles/{}/publish", theirs["id"]),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, published["status"].clone()),
        (200, json!("published"))
    );
}

async fn api_keys_read_but_never_write(app: TestApp) {
    let desk = fixtures::author(&app, "Desk").await;
    let draft = fixtures::draft(&app, &desk["id"], "Unreleased", &[]).await;
    fixtures::published(&app, &desk["id"], "Released", &[]).await;
    let read = fixtures::api_key(&app, "read").await;
    let preview = fixtures::api_key(&app, "preview").await;
    let get = |key: &str, header: &'static str, path: String| {
        let req = app.request(Method::GET, &path);
        let req = if header == "bearer" {
            req.bearer_auth(key)
        } else {
            req.header(header, key)
        };
        send_json(req)
    };
    let draft_path = format!("/api/v1/articles/{}", draft["id"]);
    assert_eq!(get(&read, "bearer", draft_path.clone()).await.0, 404);
    assert_eq!(get(&preview, "bearer", draft_path.clone()).await.0, 200);
    assert_eq!(get(&preview, "x-api-key", draft_path.clone()).await.0, 200);
    assert_eq!(
        get(&read, "x-api-key", "/api/v1/articles".into()).await.1["meta"]["total"],
        1
    );
    assert_eq!(
        get(&preview, "bearer", "/api/v1/articles?status=draft".into())
            .await
            .1["meta"]["total"],
        1
    );
    assert_eq!(
        get("cms_nope_nope", "bearer", "/api/v1/articles".into())
            .await
            .0,
        401
    );
    // Listing never shows secrets; revoking stops the key at once.
    let (_, keys) = app.admin_get("/api/v1/api-keys").await;
    assert!(!keys.to_string().contains(&read[15..]), "{keys}");
    let id = keys["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| read.contains(k["prefix"].as_str().unwrap()))
        .unwrap()["id"]
        .clone();
    let (status, one) = app.admin_get(&format!("/api/v1/api-keys/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        one.get("secret").is_none() && !one.to_string().contains(&read[15..]),
        "{one}"
    );
    let res = app
        .admin(Method::DELETE, &format!("/api/v1/api-keys/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(get(&read, "bearer", "/api/v1/articles".into()).await.0, 401);
}
