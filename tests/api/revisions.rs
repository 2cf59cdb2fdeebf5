//! Article revisions through HTTP, on both backends: every write and
//! workflow action stores one; a revision shows its diff against the
//! current text; a restore brings back the exact old content as a new
//! version without touching the workflow; old revisions are pruned.

use reqwest::Method;
use serde_json::json;

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, both_backends_with, send_json, TestApp};

const FIRST_BODY: &str = "The council met on Monday.\n\nIt voted to **close** the harbour road.\n\nResidents objected.\n";
const SECOND_BODY: &str = "The council met on Monday.\n\nIt voted to keep the harbour road open.\n\nResidents objected.\n";

async fn etag(app: &TestApp, path: &str) -> String {
    let res = app.admin(Method::GET, path).send().await.unwrap();
    res.headers()["etag"].to_str().unwrap().to_owned()
}

/// Edit, publish, then restore the first version: the exact old text and
/// fields come back as a new version, the article stays published, and
/// the list tells every step.
async fn an_edit_then_a_restore_brings_back_the_exact_old_text(app: TestApp) {
    let author = fixtures::author(&app, "Council Reporter").await;
    fixtures::tag(&app, "Roads").await;
    fixtures::tag(&app, "Council").await;
    let (status, article) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "Council closes harbour road", "body": FIRST_BODY,
                    "author_id": author["id"], "tags": ["roads", "council"],
                    "meta_title": "Harbour road closed" }),
        )
        .await;
    assert_eq!(status, 201, "{article}");
    let path = format!("/api/v1/articles/{}", article["id"]);
    let (status, edited) = app
        .admin_json(
            Method::PATCH,
            &path,
            json!({ "title": "Council keeps harbour road open", "body": SECOND_BODY,
                    "tags": ["council"], "meta_title": null, "slug": "harbour-road-open" }),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    fixtures::publish(&app, &article["id"]).await;

    let (status, list) = app.admin_get(&format!("{path}/revisions")).await;
    assert_eq!(status, 200, "{list}");
    let steps: Vec<(i64, &str)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["version"].as_i64().unwrap(),
                r["action"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(steps, [(3, "publish"), (2, "edit"), (1, "create")]);
    assert_eq!(list["meta"]["total"], 3);
    assert!(
        list["data"][0].get("body").is_none(),
        "lists carry no bodies"
    );

    let (status, first) = app.admin_get(&format!("{path}/revisions/1")).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["body"], FIRST_BODY);
    assert_eq!(first["fields"]["tags"], json!(["roads", "council"]));
    assert_eq!(
        first["diff"]["body"],
        "--- revision 1\n+++ current\n@@ -1,5 +1,5 @@\n The council met on Monday.\n \n-It voted to **close** the harbour road.\n+It voted to keep the harbour road open.\n \n Residents objected.\n"
    );
    let changed: Vec<&str> = first["diff"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for field in ["meta_title", "slug", "status", "tags", "title"] {
        assert!(changed.contains(&field), "{field} not in {changed:?}");
    }

    // A stale If-Match is refused; the current one restores.
    let res = app
        .admin(Method::POST, &format!("{path}/revisions/1/restore"))
        .header("if-match", "\"a1v1-stale\"")
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition_failed").await;
    let current = etag(&app, &path).await;
    let (status, restored) = send_json(
        app.admin(Method::POST, &format!("{path}/revisions/1/restore"))
            .header("if-match", current),
    )
    .await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["body"], FIRST_BODY);
    assert_eq!(restored["title"], "Council closes harbour road");
    assert_eq!(restored["slug"], article["slug"]);
    assert_eq!(restored["meta_title"], "Harbour road closed");
    let tags: Vec<&str> = restored["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["roads", "council"]);
    assert_eq!(restored["version"], 4);
    assert_eq!(
        restored["status"], "published",
        "a restore keeps the workflow"
    );
    let (_, public) = app
        .public_get(&format!(
            "/api/v1/articles/{}",
            article["slug"].as_str().unwrap()
        ))
        .await;
    assert_eq!(public["body"], FIRST_BODY);

    let (_, list) = app.admin_get(&format!("{path}/revisions?per_page=1")).await;
    assert_eq!(list["data"][0]["action"], "restore");
    assert_eq!(list["data"][0]["version"], 4);
    assert_eq!(list["meta"]["total"], 4);
    let (_, latest) = app.admin_get(&format!("{path}/revisions/4")).await;
    assert_eq!(
        latest["diff"]["body"], "",
        "the newest revision is the current text"
    );
    assert_eq!(latest["diff"]["fields"], json!([]));

    let (status, _) = app.admin_get(&format!("{path}/revisions/99")).await;
    assert_eq!(status, 404);
}

/// What a restore cannot bring back is left out or refused clearly: a tag
/// deleted since, a slug another article took meanwhile.
async fn a_restore_leaves_out_what_is_gone_and_refuses_a_taken_slug(app: TestApp) {
    let author = fixtures::author(&app, "Desk").await;
    let gone = fixtures::tag(&app, "Gone soon").await;
    fixtures::tag(&app, "Stays").await;
    let (_, article) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "First name", "body": "One.", "author_id": author["id"],
                    "tags": ["gone-soon", "stays"] }),
        )
        .await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &path,
            json!({ "slug": "second-name", "tags": [] }),
        )
        .await;
    assert_eq!(status, 200);
    let res = app
        .admin(Method::DELETE, &format!("/api/v1/tags/{}", gone["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (status, restored) = app
        .admin_json(
            Method::POST,
            &format!("{path}/revisions/1/restore"),
            json!(null),
        )
        .await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(
        restored["tags"],
        json!([{ "id": restored["tags"][0]["id"], "slug": "stays", "name": "Stays" }])
    );

    // Renamed again; another article takes the old slug; restoring it is a 409.
    let (status, _) = app
        .admin_json(Method::PATCH, &path, json!({ "slug": "third-name" }))
        .await;
    assert_eq!(status, 200);
    fixtures::draft(&app, &author["id"], "First name", &[]).await;
    let (status, body) = app
        .admin_json(
            Method::POST,
            &format!("{path}/revisions/1/restore"),
            json!(null),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "duplicate");
    let (_, now) = app.admin_get(&path).await;
    assert_eq!(now["slug"], "third-name", "nothing half-written");
}

/// Revisions follow the article's write permissions: a contributor sees
/// and restores those of their own draft, not another's, and not once an
/// editor has published it; anonymous callers and API keys never.
async fn revisions_follow_the_write_permissions(app: TestApp) {
    let writer = fixtures::staff(&app, "contributor").await;
    let other = fixtures::staff(&app, "contributor").await;
    let (status, draft) = send_json(
        app.request(Method::POST, "/api/v1/articles")
            .bearer_auth(&writer.token)
            .json(&json!({ "title": "A contributor's draft", "body": "Draft one." })),
    )
    .await;
    assert_eq!(status, 201, "{draft}");
    let path = format!("/api/v1/articles/{}/revisions", draft["id"]);
    let (status, _) = send_json(app.request(Method::GET, &path).bearer_auth(&writer.token)).await;
    assert_eq!(status, 200);
    let (status, _) = send_json(
        app.request(Method::POST, &format!("{path}/1/restore"))
            .bearer_auth(&writer.token),
    )
    .await;
    assert_eq!(status, 200);
    let res = app
        .request(Method::GET, &path)
        .bearer_auth(&other.token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app.get(&path).await;
    assert_problem(res, 401, "unauthorized").await;
    let key = fixtures::api_key(&app, "preview").await;
    let res = app
        .request(Method::GET, &path)
        .header("x-api-key", key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    fixtures::publish(&app, &draft["id"]).await;
    let res = app
        .request(Method::GET, &path)
        .bearer_auth(&writer.token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
}

/// A revision stored before snapshots were kept (title and body only)
/// shows and restores just those two.
async fn a_revision_from_before_snapshots_restores_title_and_body(app: TestApp) {
    let author = fixtures::author(&app, "Archive Desk").await;
    let article = fixtures::draft(&app, &author["id"], "Old headline", &[]).await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &path,
            json!({ "title": "New headline", "body": "New text.", "slug": "new-slug",
                    "meta_title": "SEO" }),
        )
        .await;
    assert_eq!(status, 200);
    // What migration 000009 leaves of earlier revisions.
    let mut conn = app.state.db.writer().await.unwrap();
    conn.batch_execute(&format!(
        "UPDATE article_revisions SET snapshot = NULL WHERE article_id = {} AND version = 1",
        article["id"]
    ))
    .await
    .unwrap();
    drop(conn);
    let (status, old) = app.admin_get(&format!("{path}/revisions/1")).await;
    assert_eq!(status, 200, "{old}");
    assert_eq!(old["fields"], serde_json::Value::Null);
    assert_eq!(
        old["diff"]["fields"],
        json!([{ "field": "title", "revision": "Old headline", "current": "New headline" }])
    );
    let (status, restored) = app
        .admin_json(
            Method::POST,
            &format!("{path}/revisions/1/restore"),
            json!(null),
        )
        .await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["title"], "Old headline");
    assert_eq!(restored["body"], article["body"]);
    assert_eq!(
        restored["slug"], "new-slug",
        "only title and body come back"
    );
    assert_eq!(restored["meta_title"], "SEO");
}

/// A restore racing an edit of the same article: each is a conditional
/// write on the version it read, so every success makes exactly one new
/// version with its revision, and none is lost. 20 rounds.
async fn a_restore_racing_an_edit_loses_nothing(app: TestApp) {
    let author = fixtures::author(&app, "Racing Desk").await;
    let article = fixtures::draft(&app, &author["id"], "Raced", &[]).await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    let restore_path = format!("{path}/revisions/1/restore");
    let mut version = 1;
    for round in 0..20 {
        let edit = app.admin_json(
            Method::PATCH,
            &path,
            json!({ "body": format!("Edit of round {round}.") }),
        );
        let restore = app.admin_json(Method::POST, &restore_path, json!(null));
        let ((edited, edit_body), (restored, restore_body)) = tokio::join!(edit, restore);
        let wins: Vec<&serde_json::Value> = [(edited, &edit_body), (restored, &restore_body)]
            .into_iter()
            .filter_map(|(status, body)| {
                assert!(
                    matches!(status, 200 | 412),
                    "round {round}: {status} {body}"
                );
                (status == 200).then_some(body)
            })
            .collect();
        assert!(!wins.is_empty(), "round {round}: neither won");
        let mut versions: Vec<i64> = wins
            .iter()
            .map(|b| b["version"].as_i64().unwrap())
            .collect();
        versions.sort_unstable();
        let expected: Vec<i64> = (version + 1..=version + wins.len() as i64).collect();
        assert_eq!(
            versions, expected,
            "round {round}: one new version per success"
        );
        version += wins.len() as i64;
        let (_, now) = app.admin_get(&path).await;
        assert_eq!(now["version"], version);
        let last = wins.iter().max_by_key(|b| b["version"].as_i64()).unwrap();
        assert_eq!(
            now["body"], last["body"],
            "round {round}: the last write stands"
        );
    }
    let (_, list) = app.admin_get(&format!("{path}/revisions?per_page=1")).await;
    assert_eq!(
        list["meta"]["total"], version,
        "a revision for every version"
    );
}

both_backends!(
    a_restore_racing_an_edit_loses_nothing,
    a_revision_from_before_snapshots_restores_title_and_body,
    an_edit_then_a_restore_brings_back_the_exact_old_text,
    a_restore_leaves_out_what_is_gone_and_refuses_a_taken_slug,
    revisions_follow_the_write_permissions,
);

/// With `REVISIONS_KEEP=2` and no age protection, the pruner leaves each
/// article its two newest revisions.
async fn old_revisions_are_pruned(app: TestApp) {
    let author = fixtures::author(&app, "Pruned").await;
    let article = fixtures::draft(&app, &author["id"], "Many versions", &[]).await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    for i in 0..4 {
        let (status, _) = app
            .admin_json(
                Method::PATCH,
                &path,
                json!({ "body": format!("Version {i}.") }),
            )
            .await;
        assert_eq!(status, 200);
    }
    let mut versions = Vec::new();
    for _ in 0..50 {
        let (_, list) = app.admin_get(&format!("{path}/revisions")).await;
        versions = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["version"].as_i64().unwrap())
            .collect();
        if versions.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(versions, [5, 4]);
    let (status, _) = app.admin_get(&format!("{path}/revisions/1")).await;
    assert_eq!(status, 404);
}

both_backends_with!(
    [
        ("REVISIONS_KEEP", "2"),
        ("REVISIONS_KEEP_DAYS", "0"),
        ("REVISIONS_PRUNE_INTERVAL_SECS", "1")
    ],
    old_revisions_are_pruned
);
