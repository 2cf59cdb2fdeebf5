//! The trash through HTTP, on both backends: a deleted article is gone from
//! every public and staff read but the trash list, keeps its slug, comes
//! back complete on restore, and is purged (with its revisions) after the
//! retention or at once by an admin.

use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, both_backends_with, Backend, TestApp};

/// Everything a reader or a member of staff could see of `article`, as
/// (what, seen) pairs.
async fn sightings(app: &TestApp, article: &Value, neighbour: &Value) -> Vec<(&'static str, bool)> {
    let id = article["id"].as_i64().unwrap();
    let slug = article["slug"].as_str().unwrap();
    let listed = |list: &Value| {
        list["data"]
            .as_array()
            .is_some_and(|d| d.iter().any(|a| a["id"] == id))
    };
    let (public_id, _) = app.public_get(&format!("/api/v1/articles/{id}")).await;
    let (public_slug, _) = app.public_get(&format!("/api/v1/articles/{slug}")).await;
    let (staff_id, _) = app.admin_get(&format!("/api/v1/articles/{id}")).await;
    let (staff_slug, _) = app.admin_get(&format!("/api/v1/articles/{slug}")).await;
    let (_, list) = app.public_get("/api/v1/articles").await;
    let (_, staff_list) = app.admin_get("/api/v1/articles?status=published").await;
    let (_, search) = app.public_get("/api/v1/articles?q=zeppelin").await;
    let (_, staff_search) = app
        .admin_get("/api/v1/articles?q=zeppelin&status=published")
        .await;
    let (_, related) = app
        .public_get(&format!("/api/v1/articles/{}/related", neighbour["id"]))
        .await;
    let related_seen = related
        .as_array()
        .is_some_and(|d| d.iter().any(|a| a["id"] == id));
    let (form, _) = app
        .public_get(&format!("/api/v1/articles/{id}/comment-form"))
        .await;
    let (comments, _) = app
        .public_get(&format!("/api/v1/articles/{id}/comments"))
        .await;
    let (_, queue) = app
        .admin_get(&format!("/api/v1/comments?article={id}"))
        .await;
    let (_, author) = app
        .public_get(&format!("/api/v1/authors/{}", article["author_id"]))
        .await;
    let (_, tag) = app.public_get("/api/v1/tags/airships").await;
    vec![
        ("public read by id", public_id == 200),
        ("public read by slug", public_slug == 200),
        ("staff read by id", staff_id == 200),
        ("staff read by slug", staff_slug == 200),
        ("public list", listed(&list)),
        ("staff list", listed(&staff_list)),
        ("public search", listed(&search)),
        ("staff search", listed(&staff_search)),
        ("related", related_seen),
        ("comment form", form == 200),
        ("comments", comments == 200),
        (
            "moderation queue",
            queue["meta"]["total"].as_i64() > Some(0),
        ),
        ("author's count", author["article_count"].as_i64() > Some(1)),
        ("tag's count", tag["article_count"].as_i64() > Some(1)),
    ]
}

async fn story(app: &TestApp) -> (Value, Value) {
    let author = fixtures::author(app, "Airship Correspondent").await;
    fixtures::tag(app, "Airships").await;
    let neighbour = fixtures::published(app, &author["id"], "Hangar opens", &["airships"]).await;
    let (status, article) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "Zeppelin returns to the harbour", "slug": "zeppelin-returns",
                    "body": "The zeppelin landed at noon.", "author_id": author["id"],
                    "tags": ["airships"] }),
        )
        .await;
    assert_eq!(status, 201, "{article}");
    let article = fixtures::publish(app, &article["id"]).await;
    let id = article["id"].as_i64().unwrap();
    fixtures::stored_comment(app, id, None, "Ada", "Lovely to see it.", "approved").await;
    fixtures::stored_comment(app, id, None, "Ben", "Noisy though.", "approved").await;
    (article, neighbour)
}

/// Trash, look everywhere, restore, look again.
async fn a_trashed_article_is_gone_everywhere_and_comes_back_complete(app: TestApp) {
    let (article, neighbour) = story(&app).await;
    let before = sightings(&app, &article, &neighbour).await;
    assert!(
        before.iter().all(|(_, seen)| *seen),
        "not all visible before: {before:?}"
    );

    let path = format!("/api/v1/articles/{}", article["id"]);
    let res = app.admin(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let during = sightings(&app, &article, &neighbour).await;
    let still: Vec<&str> = during.iter().filter(|(_, s)| *s).map(|(w, _)| *w).collect();
    assert!(still.is_empty(), "still visible in the trash: {still:?}");

    // Only the trash list shows it, to editors, as trashed.
    let (status, trash) = app.admin_get("/api/v1/articles?status=trashed").await;
    assert_eq!(status, 200, "{trash}");
    assert_eq!(trash["meta"]["total"], 1);
    assert_eq!(trash["data"][0]["id"], article["id"]);
    assert_eq!(trash["data"][0]["status"], "trashed");
    assert!(trash["data"][0]["trashed_at"].is_string(), "{trash}");
    let writer = fixtures::staff(&app, "author").await;
    let res = app
        .request(Method::GET, "/api/v1/articles?status=trashed")
        .bearer_auth(&writer.token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    // Its slug stays taken.
    let (status, body) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "Another", "slug": "zeppelin-returns", "body": "x",
                    "author_id": article["author_id"] }),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    // Not editable while in the trash.
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &path,
            json!({ "title": "Edited in the bin" }),
        )
        .await;
    assert_eq!(status, 404);

    let (status, restored) = app
        .admin_json(Method::POST, &format!("{path}/restore"), json!(null))
        .await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["status"], "published");
    assert!(restored.get("trashed_at").is_none(), "{restored}");
    assert_eq!(restored["comment_count"], 2);
    let after = sightings(&app, &article, &neighbour).await;
    assert!(
        after.iter().all(|(_, seen)| *seen),
        "not all back: {after:?}"
    );
    let (_, revisions) = app.admin_get(&format!("{path}/revisions?per_page=2")).await;
    let actions: Vec<&str> = revisions["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["untrash", "trash"]);
    let (status, _) = app
        .admin_json(Method::POST, &format!("{path}/restore"), json!(null))
        .await;
    assert_eq!(status, 404, "not in the trash any more");
}

/// `permanent=true` is for admins, and deletes at once, trash or not.
async fn admins_may_delete_for_good_at_once(app: TestApp) {
    let (article, _) = story(&app).await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    let editor = fixtures::staff(&app, "editor").await;
    let res = app
        .request(Method::DELETE, &format!("{path}?permanent=true"))
        .bearer_auth(&editor.token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app.admin(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let res = app
        .admin(Method::DELETE, &format!("{path}?permanent=true"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (_, trash) = app.admin_get("/api/v1/articles?status=trashed").await;
    assert_eq!(trash["meta"]["total"], 0);
    assert_eq!(
        revision_rows(&app, article["id"].as_i64().unwrap()).await,
        0
    );
    // The slug is free again.
    let (status, _) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "Again", "slug": "zeppelin-returns", "body": "x",
                    "author_id": article["author_id"] }),
        )
        .await;
    assert_eq!(status, 201);
}

/// Two deletes at once trash an article once; two restores at once bring
/// it back once (each is a conditional write on the version it read).
/// 20 rounds.
async fn parallel_trash_and_restore_happen_once(app: TestApp) {
    let author = fixtures::author(&app, "Twice").await;
    let article = fixtures::draft(&app, &author["id"], "Racing the bin", &[]).await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    for round in 0..20 {
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
        assert!(
            matches!(pair, [204, 404] | [204, 412]),
            "round {round}: deletes {pair:?}"
        );
        let restore = || async {
            app.admin(Method::POST, &format!("{path}/restore"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        };
        let (a, b) = tokio::join!(restore(), restore());
        let mut pair = [a, b];
        pair.sort_unstable();
        assert!(
            matches!(pair, [200, 404] | [200, 412]),
            "round {round}: restores {pair:?}"
        );
    }
    let (_, revisions) = app
        .admin_get(&format!("{path}/revisions?per_page=100"))
        .await;
    let count = |action: &str| {
        revisions["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["action"] == action)
            .count()
    };
    assert_eq!((count("trash"), count("untrash")), (20, 20));
    // One audit event per write that happened, none for the losers.
    let mut audited = Vec::new();
    for action in ["article.trash", "article.restore"] {
        let path = format!(
            "/api/v1/audit?target=article:{}&action={action}&per_page=100",
            article["id"]
        );
        audited.push(
            app.admin_get(&path).await.1["data"]
                .as_array()
                .unwrap()
                .len(),
        );
    }
    assert_eq!(audited, [20, 20]);
}

/// The trash mixes drafts (no publication date) and published articles; a
/// cursor walks all of it, newest change first, on both backends.
async fn the_trash_list_walks_by_cursor(app: TestApp) {
    let author = fixtures::author(&app, "Walker").await;
    let mut trashed = Vec::new();
    for (i, publish) in [false, true, false, true, false].into_iter().enumerate() {
        let title = format!("Binned {i}");
        let article = if publish {
            fixtures::published(&app, &author["id"], &title, &[]).await
        } else {
            fixtures::draft(&app, &author["id"], &title, &[]).await
        };
        let res = app
            .admin(
                Method::DELETE,
                &format!("/api/v1/articles/{}", article["id"]),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204);
        trashed.push(article["id"].as_i64().unwrap());
    }
    let mut seen = Vec::new();
    let mut url = "/api/v1/articles?status=trashed&per_page=2".to_owned();
    loop {
        let (status, page) = app.admin_get(&url).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["meta"]["total"], 5);
        seen.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_i64().unwrap()),
        );
        match page["meta"]["next_cursor"].as_str() {
            Some(cursor) => {
                url = format!("/api/v1/articles?status=trashed&per_page=2&cursor={cursor}")
            }
            None => break,
        }
    }
    trashed.reverse();
    assert_eq!(seen, trashed, "every trashed article once, latest first");
    let (status, _) = app
        .admin_get("/api/v1/articles?status=trashed&sort=-published_at")
        .await;
    assert_eq!(status, 400);
}

both_backends!(
    the_trash_list_walks_by_cursor,
    parallel_trash_and_restore_happen_once,
    a_trashed_article_is_gone_everywhere_and_comes_back_complete,
    admins_may_delete_for_good_at_once,
);

/// With no retention, the purger removes a trashed article and its
/// revisions within a few seconds, and records it once even with three
/// instances purging the one database.
async fn the_trash_is_purged_with_its_revisions(app: TestApp) {
    let _second = app.another_instance(&[]).await;
    let _third = app.another_instance(&[]).await;
    let (article, _) = story(&app).await;
    let id = article["id"].as_i64().unwrap();
    assert!(revision_rows(&app, id).await >= 2);
    let res = app
        .admin(Method::DELETE, &format!("/api/v1/articles/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let mut total = Value::Null;
    for _ in 0..50 {
        let (_, trash) = app.admin_get("/api/v1/articles?status=trashed").await;
        total = trash["meta"]["total"].clone();
        if total == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(total, 0, "still in the trash");
    assert_eq!(revision_rows(&app, id).await, 0);
    let (_, events) = app
        .admin_get(&format!(
            "/api/v1/audit?target=article:{id}&action=article.purge"
        ))
        .await;
    let purges = events["data"].as_array().unwrap();
    assert_eq!(purges.len(), 1, "one purge event: {events}");
    assert_eq!(purges[0]["actor"]["type"], "system");
    assert_eq!(purges[0]["before"]["slug"], article["slug"]);
    let (status, _) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{id}/restore"),
            json!(null),
        )
        .await;
    assert_eq!(status, 404);
}

both_backends_with!(
    [
        ("TRASH_RETENTION_DAYS", "0"),
        ("TRASH_PURGE_INTERVAL_SECS", "1")
    ],
    the_trash_is_purged_with_its_revisions
);

/// Revision rows of an article, counted in the database itself.
async fn revision_rows(app: &TestApp, article_id: i64) -> i64 {
    let sql =
        format!("SELECT COUNT(*) AS n FROM article_revisions WHERE article_id = {article_id}");
    match app.backend {
        Backend::Postgres => {
            let client = crate::harness::pg_connect(&app.database_url).await;
            client.query_one(&sql, &[]).await.unwrap().get::<_, i64>(0)
        }
        Backend::Sqlite => {
            use diesel::{Connection, QueryableByName, RunQueryDsl};
            #[derive(QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let path = app.database_url.trim_start_matches("sqlite://").to_owned();
            let mut conn = diesel::SqliteConnection::establish(&path).unwrap();
            diesel::sql_query(sql)
                .get_result::<Count>(&mut conn)
                .unwrap()
                .n
        }
    }
}
