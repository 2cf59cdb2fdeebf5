//! `cms export` and `cms import` through the real code paths (the command
//! functions, on the servers' own databases), judged by the API's answers.

use std::path::{Path, PathBuf};

use reqwest::Method;
use serde_json::{json, Value};

use cms::transfer::export::{export, Options};
use cms::transfer::format::Kind;
use cms::transfer::import::{import, Summary};
use cms::transfer::TransferError;

use crate::fixtures::{self, PASSWORD};
use crate::harness::{both_backends, send_json, Backend, TempDir, TestApp, ADMIN_TOKEN};
use crate::media_files;

both_backends!(secrets_travel_only_when_asked, bad_files_write_nothing);

/// SQLite → PostgreSQL → SQLite: every API answer is the same at each step,
/// the second export is the first, a second import changes nothing, and
/// the id generators continue after the imported ids.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trip_sqlite_postgres_sqlite_loses_nothing() {
    let dir = TempDir::new();
    let source = TestApp::spawn(Backend::Sqlite).await;
    let content = build_content(&source).await;
    let before = answers(&source, &content).await;
    let answer = |path: String| before.iter().find(|(p, _, _)| *p == path).unwrap().clone();
    let first_id = content.articles[0];
    let (_, status, revisions) = answer(format!("staff /api/v1/articles/{first_id}/revisions"));
    assert_eq!(status, 200, "{revisions}");
    assert!(
        revisions["data"].as_array().unwrap().len() >= 3,
        "{revisions}"
    );
    let (_, _, thread) = answer(format!("public /api/v1/articles/{first_id}/comments"));
    assert!(thread.to_string().contains("Agreed."), "{thread}");
    let (_, _, trash) = answer("staff /api/v1/articles?status=trashed".to_owned());
    assert_eq!(trash["data"].as_array().unwrap().len(), 1, "{trash}");

    let first = dir.0.join("first.ndjson");
    export_to(&source, &first, true).await;

    let pg = TestApp::spawn(Backend::Postgres).await;
    let summary = import(&pg.state.db, &first)
        .await
        .expect("import into PostgreSQL");
    assert_eq!(
        summary.updated.total() + summary.unchanged.total(),
        0,
        "{summary}"
    );
    assert_eq!(summary.inserted.get(Kind::Article), 6, "{summary}");
    assert_same(&before, &answers(&pg, &content).await, "PostgreSQL");

    let second = dir.0.join("second.ndjson");
    export_to(&pg, &second, true).await;
    assert_eq!(
        records(&first),
        records(&second),
        "the export of the import is the export"
    );

    let sqlite = TestApp::spawn(Backend::Sqlite).await;
    import(&sqlite.state.db, &second)
        .await
        .expect("import into SQLite");
    assert_same(&before, &answers(&sqlite, &content).await, "SQLite again");

    // Again: nothing changes, not even the content generation.
    for app in [&pg, &sqlite] {
        let generation = generation(app).await;
        let again = import(&app.state.db, &second).await.expect("import again");
        assert_eq!(again.inserted.total() + again.updated.total(), 0, "{again}");
        assert_eq!(again.unchanged.total(), records(&second).len() as u64);
        assert_eq!(generation, self::generation(app).await, "{:?}", app.backend);
        let label = match app.backend {
            Backend::Postgres => "PostgreSQL, after a second import",
            Backend::Sqlite => "SQLite, after a second import",
        };
        assert_same(&before, &answers(app, &content).await, label);
    }

    // Staff sign in with their passwords (exported with secrets), and new
    // rows get ids after the imported ones.
    for app in [&pg, &sqlite] {
        fixtures::login(app, &content.editor_email, PASSWORD).await;
        let tag = fixtures::tag(app, "After the import").await;
        assert!(tag["id"].as_i64().unwrap() > content.max_tag_id, "{tag}");
        let article = fixtures::draft(app, &content.author_id, "Fresh", &[]).await;
        assert!(article["id"].as_i64().unwrap() > content.max_article_id);
        let (status, body) = app
            .admin_json(
                Method::PATCH,
                &format!("/api/v1/articles/{}", article["id"]),
                json!({ "title": "Fresh, edited" }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
}

/// Without `--with-secrets` the file holds no password hash and no
/// commenter IP or browser (emails stay), and imported users cannot sign
/// in until an admin sets a password; with it, they sign in as before.
async fn secrets_travel_only_when_asked(app: TestApp) {
    let dir = TempDir::new();
    let editor = fixtures::staff(&app, "editor").await;
    let article = fixtures::published(&app, &editor.author["id"], "Ferry strike", &[]).await;
    let id = article["id"].as_i64().unwrap();
    fixtures::stored_comment(&app, id, None, "Ines", "Which ferries?", "approved").await;

    let plain = dir.0.join("plain.ndjson");
    export_to(&app, &plain, false).await;
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(!text.contains("password_hash"), "{text}");
    assert!(!text.contains("argon2"), "{text}");
    assert!(!text.contains("203.0.113.9"), "{text}");
    assert!(!text.contains("\"ip\""), "{text}");
    assert!(text.contains("ines@readers.example"), "{text}");
    assert!(text.contains("\"secrets\":false"), "{text}");

    let target = TestApp::spawn(app.backend).await;
    import(&target.state.db, &plain).await.expect("import");
    assert_eq!(login_status(&target, &editor.email, PASSWORD).await, 401);
    let (status, body) = target
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/users/{}", editor.user["id"]),
            json!({ "password": "a new password for the import" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    fixtures::login(&target, &editor.email, "a new password for the import").await;
    // Importing the plain file again keeps the password set since.
    import(&target.state.db, &plain)
        .await
        .expect("import again");
    fixtures::login(&target, &editor.email, "a new password for the import").await;

    let full = dir.0.join("full.ndjson");
    export_to(&app, &full, true).await;
    let text = std::fs::read_to_string(&full).unwrap();
    assert!(text.contains("\"password_hash\":\"$argon2"), "{text}");
    assert!(text.contains("203.0.113.9"), "{text}");
    let target = TestApp::spawn(app.backend).await;
    import(&target.state.db, &full).await.expect("import");
    fixtures::login(&target, &editor.email, PASSWORD).await;
}

/// Tags enough for two pages and two batches.
const TAGS: usize = 520;

/// A bad line anywhere is reported by number before anything is written;
/// a line the database refuses rolls back its batch (earlier batches
/// stay) and is named.
async fn bad_files_write_nothing(app: TestApp) {
    let dir = TempDir::new();
    let author = many_tags(&app).await;
    let path = dir.0.join("good.ndjson");
    let exported = export(
        &app.state.db,
        std::fs::File::create(&path).unwrap(),
        Options {
            secrets: false,
            batch: 100,
        },
    )
    .await
    .expect("export");
    // Streamed a page at a time, in id order.
    assert_eq!(exported.rows.get(Kind::Tag), TAGS as u64);
    assert_eq!(exported.pages.get(Kind::Tag), 6, "{exported:?}");
    let lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), 1 + 1 + TAGS);
    let tag_ids: Vec<i64> = lines[2..]
        .iter()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert!(tag_ids.windows(2).all(|w| w[0] < w[1]));

    let target = TestApp::spawn(app.backend).await;
    let last = lines.len();
    let cases: Vec<(usize, String, &str)> = vec![
        (
            1,
            lines[0].replace("\"version\":1", "\"version\":2"),
            "version 2",
        ),
        (
            3,
            r#"{"type":"widget","id":1}"#.to_owned(),
            "unknown variant `widget`",
        ),
        (
            last,
            lines[last - 1].replace("\"slug\"", "\"slog\""),
            "unknown field `slog`",
        ),
        (last, "{\"type\":\"tag\",".to_owned(), "EOF"),
        (last, lines[1].clone(), "type author after type tag"),
        (last, lines[last - 2].clone(), "ascend"),
        (last, String::new(), "empty line"),
    ];
    for (number, replacement, expected) in cases {
        let mut bad = lines.clone();
        bad[number - 1] = replacement;
        let file = write_lines(&dir, "bad.ndjson", &bad);
        match import(&target.state.db, &file).await {
            Err(TransferError::Line { line, message }) => {
                assert_eq!(line, number, "{message}");
                assert!(message.contains(expected), "{message}");
            }
            other => panic!("line {number}: expected a line error, got {other:?}"),
        }
        assert_eq!(total(&target, "/api/v1/tags").await, 0);
        assert_eq!(total(&target, "/api/v1/authors").await, 0);
    }

    // A well-formed article by an author that exists nowhere: the database
    // refuses it in the second batch, which rolls back.
    let mut refused = lines.clone();
    refused.push(
        json!({
            "type": "article", "id": 1, "slug": "orphan", "title": "Orphan",
            "excerpt": null, "body": "Nobody wrote this.", "status": "draft",
            "publish_at": null, "published_at": null, "author_id": author + 1000,
            "featured_image_url": null, "featured_image_id": null, "meta_title": null,
            "meta_description": null, "canonical_url": null, "comments_open": true,
            "version": 1, "created_at": "2026-01-01T00:00:00", "updated_at": "2026-01-01T00:00:00",
            "trashed_at": null, "tag_ids": []
        })
        .to_string(),
    );
    let file = write_lines(&dir, "refused.ndjson", &refused);
    match import(&target.state.db, &file).await {
        Err(TransferError::Line { line, message }) => {
            assert_eq!(line, refused.len(), "{message}");
            assert!(message.contains("refused article 1"), "{message}");
        }
        other => panic!("expected a refused line, got {other:?}"),
    }
    // Lines 2–501 were the first batch (the author and 499 tags).
    assert_eq!(total(&target, "/api/v1/authors").await, 1);
    assert_eq!(total(&target, "/api/v1/tags").await, 499);

    // The good file completes what is missing, and no more.
    let summary: Summary = import(&target.state.db, &path).await.expect("import");
    assert_eq!(
        summary.inserted.get(Kind::Tag),
        (TAGS - 499) as u64,
        "{summary}"
    );
    assert_eq!(summary.unchanged.get(Kind::Tag), 499, "{summary}");
    assert_eq!(total(&target, "/api/v1/tags").await, TAGS as u64);
}

/// What the round trip builds, for the reads to ask about.
struct Content {
    author_id: Value,
    editor_email: String,
    articles: Vec<i64>,
    comments: Vec<i64>,
    users: Vec<i64>,
    media: Vec<i64>,
    max_tag_id: i64,
    max_article_id: i64,
}

/// Authors, tags, a photo, staff, articles in every state (one scheduled,
/// one in the trash), edits (revisions) and a comment thread, all through
/// the API but the comments (stored as moderation leaves them).
async fn build_content(app: &TestApp) -> Content {
    let editor = fixtures::staff(app, "editor").await;
    let writer = fixtures::staff(app, "author").await;
    let author = fixtures::author(app, "Nadia Karimi").await;
    let mut max_tag_id = 0;
    for name in ["Harbour", "Energy", "Climate"] {
        max_tag_id = max_tag_id.max(fixtures::tag(app, name).await["id"].as_i64().unwrap());
    }
    let (status, photo) = send_json(
        app.request(Method::POST, "/api/v1/media")
            .bearer_auth(ADMIN_TOKEN)
            .multipart(
                reqwest::multipart::Form::new()
                    .part(
                        "file",
                        reqwest::multipart::Part::bytes(media_files::jpeg(64, 48))
                            .file_name("quay.jpg"),
                    )
                    .text("caption", "The quay at dawn"),
            ),
    )
    .await;
    assert_eq!(status, 201, "{photo}");

    let aid = &author["id"];
    let published = fixtures::published(app, aid, "Harbour reopens", &["harbour", "energy"]).await;
    let (status, body) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/articles/{}", published["id"]),
            json!({
                "body": "The **harbour** reopened at dawn.\n\nShips queued.",
                "featured_image_id": photo["id"],
                "tags": ["energy", "harbour", "climate"],
            }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let draft = fixtures::draft(app, &writer.author["id"], "Tide tables", &["climate"]).await;
    let review = fixtures::draft(app, aid, "Grid review", &[]).await;
    let (status, body) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{}/submit", review["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let scheduled = fixtures::draft(app, aid, "Ferry timetable", &["harbour"]).await;
    let (status, body) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{}/publish", scheduled["id"]),
            json!({ "publish_at": "2099-01-01T08:00:00Z" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let archived = fixtures::published(app, aid, "Old quay", &[]).await;
    let (status, body) = app
        .admin_json(
            Method::POST,
            &format!("/api/v1/articles/{}/archive", archived["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let trashed = fixtures::published(app, aid, "Zeppelin harbour", &["harbour"]).await;
    let res = app
        .admin(
            Method::DELETE,
            &format!("/api/v1/articles/{}", trashed["id"]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);

    let first = published["id"].as_i64().unwrap();
    let c1 = fixtures::stored_comment(app, first, None, "Ines", "Finally!", "approved").await;
    let c2 = fixtures::stored_comment(app, first, Some(c1), "Tom", "Agreed.", "approved").await;
    let c3 = fixtures::stored_comment(app, first, None, "Spammer", "Buy", "pending").await;

    let articles: Vec<i64> = [&published, &draft, &review, &scheduled, &archived, &trashed]
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    Content {
        author_id: aid.clone(),
        editor_email: editor.email.clone(),
        max_article_id: *articles.iter().max().unwrap(),
        articles,
        comments: vec![c1, c2, c3],
        users: [&editor.user, &writer.user]
            .iter()
            .map(|u| u["id"].as_i64().unwrap())
            .collect(),
        media: vec![photo["id"].as_i64().unwrap()],
        max_tag_id,
    }
}

/// Every answer the API gives about `content`, public and staff, as
/// (path, status, body) with the server's address taken out.
async fn answers(app: &TestApp, content: &Content) -> Vec<(String, u16, Value)> {
    let mut public = vec![
        "/api/v1/articles?per_page=100".to_owned(),
        "/api/v1/articles?q=harbour".to_owned(),
        "/api/v1/authors?per_page=100".to_owned(),
        "/api/v1/tags?per_page=100".to_owned(),
    ];
    let mut staff = vec![
        "/api/v1/articles?per_page=100".to_owned(),
        "/api/v1/articles?q=harbour".to_owned(),
        "/api/v1/articles?status=trashed".to_owned(),
        "/api/v1/comments?per_page=100".to_owned(),
        "/api/v1/users?per_page=100".to_owned(),
        "/api/v1/media?per_page=100".to_owned(),
    ];
    for status in ["draft", "in_review", "scheduled", "published", "archived"] {
        staff.push(format!("/api/v1/articles?status={status}&per_page=100"));
    }
    for id in &content.articles {
        for path in [
            format!("/api/v1/articles/{id}"),
            format!("/api/v1/articles/{id}/comments"),
            format!("/api/v1/articles/{id}/related"),
        ] {
            public.push(path.clone());
            staff.push(path);
        }
        staff.push(format!("/api/v1/articles/{id}/revisions"));
        for version in 1..=3 {
            staff.push(format!("/api/v1/articles/{id}/revisions/{version}"));
        }
    }
    for id in &content.comments {
        staff.push(format!("/api/v1/comments/{id}"));
    }
    for id in &content.users {
        staff.push(format!("/api/v1/users/{id}"));
    }
    for id in &content.media {
        staff.push(format!("/api/v1/media/{id}"));
    }
    let mut out = Vec::new();
    for (who, paths) in [("public", public), ("staff", staff)] {
        for path in paths {
            let (status, body) = match who {
                "public" => app.public_get(&path).await,
                _ => app.admin_get(&path).await,
            };
            let body: Value =
                serde_json::from_str(&body.to_string().replace(&app.base, "BASE")).unwrap();
            out.push((format!("{who} {path}"), status, body));
        }
    }
    let lists = out.iter().filter(|(p, _, _)| p.contains("per_page=100"));
    for (path, status, body) in lists {
        assert_eq!(*status, 200, "{path}: {body}");
    }
    out
}

/// Equal answers; across backends, search snippets aside (each backend's
/// full-text index cuts its own, by design).
fn assert_same(before: &[(String, u16, Value)], after: &[(String, u16, Value)], what: &str) {
    let across = what.contains("PostgreSQL");
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(after) {
        if across {
            assert_eq!(
                without_snippets(b),
                without_snippets(a),
                "{what}: {} differs",
                b.0
            );
        } else {
            assert_eq!(b, a, "{what}: {} differs", b.0);
        }
    }
}

fn without_snippets((path, status, body): &(String, u16, Value)) -> (String, u16, Value) {
    let mut body = body.clone();
    if let Some(items) = body.get_mut("data").and_then(Value::as_array_mut) {
        for item in items {
            if let Some(item) = item.as_object_mut() {
                item.remove("snippet");
            }
        }
    }
    (path.clone(), *status, body)
}

/// Exports `app` to `path` as the command does.
async fn export_to(app: &TestApp, path: &Path, secrets: bool) {
    let file = std::fs::File::create(path).unwrap();
    let options = Options {
        secrets,
        ..Options::default()
    };
    export(&app.state.db, file, options).await.expect("export");
}

/// The record lines of a file (the header has the time of the export).
fn records(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().skip(1).map(str::to_owned).collect()
}

fn write_lines(dir: &TempDir, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.0.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// One author and [`TAGS`] tags, stored directly; the author's id.
async fn many_tags(app: &TestApp) -> i64 {
    let author = fixtures::author(app, "Wire").await["id"].as_i64().unwrap();
    let now = cms::db::time::now();
    let mut conn = app.state.db.writer().await.unwrap();
    conn.transaction(async |conn| {
        for i in 0..TAGS {
            let new = cms::tags::model::NewTag {
                slug: format!("tag-{i:04}"),
                name: format!("Tag {i}"),
                description: String::new(),
                created_at: now,
                updated_at: now,
            };
            cms::tags::model::create(conn, new).await?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .await
    .unwrap();
    author
}

async fn total(app: &TestApp, path: &str) -> u64 {
    let (status, body) = app.admin_get(path).await;
    assert_eq!(status, 200, "{body}");
    body["meta"]["total"].as_u64().unwrap()
}

async fn login_status(app: &TestApp, email: &str, password: &str) -> u16 {
    let (status, _) = send_json(
        app.request(Method::POST, "/api/v1/auth/login")
            .json(&json!({ "email": email, "password": password })),
    )
    .await;
    status
}

async fn generation(app: &TestApp) -> i64 {
    use cms::db::schema::content_generation as cg;
    use diesel::prelude::QueryDsl;
    use diesel_async::RunQueryDsl;
    let mut conn = app.state.db.reader().await.unwrap();
    cms::run!(&mut conn, c => cg::table.select(cg::generation).first::<i64>(c).await.unwrap())
}

/// `--out` replaces a regular file whole (written beside it, then renamed)
/// but writes through anything else: a symbolic link stays a link, and a
/// device such as `/dev/null` is never replaced by a file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_out_writes_through_links() {
    let dir = TempDir::new();
    let app = TestApp::spawn(Backend::Sqlite).await;
    fixtures::author(&app, "Linked").await;
    let target = dir.0.join("target.ndjson");
    std::fs::write(&target, "old").unwrap();
    let link = dir.0.join("link.ndjson");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    cms::commands::export::run(&app.state, Some(link.clone()), false)
        .await
        .expect("export through a link");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("{\"type\":\"header\""), "{text}");
    assert!(text.contains("Linked"), "{text}");

    let plain = dir.0.join("plain.ndjson");
    std::fs::write(&plain, "old").unwrap();
    cms::commands::export::run(&app.state, Some(plain.clone()), false)
        .await
        .expect("export to a file");
    assert_eq!(records(&plain), records(&target));
    assert!(!dir.0.join("plain.ndjson.partial").exists());
}
