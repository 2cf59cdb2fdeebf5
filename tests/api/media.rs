//! The media library through HTTP, on both databases and both stores (a
//! local folder, and a real S3-protocol server): uploads and their
//! refusals, metadata stripping, variants, the files themselves, lead
//! images of articles, deletion rules.

use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, send_json, Backend, TestApp, ADMIN_TOKEN};
use crate::media_files::{self as files, contains};
use crate::s3::Bucket;

/// Uploads `bytes` as `file` (named `name`) with description fields, as the
/// bearer of `token`.
async fn upload(
    app: &TestApp,
    token: &str,
    bytes: Vec<u8>,
    name: &str,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    send_json(
        app.request(Method::POST, "/api/v1/media")
            .bearer_auth(token)
            .multipart(form),
    )
    .await
}

/// Sends a request; the response (any status).
async fn sent(req: reqwest::RequestBuilder) -> reqwest::Response {
    req.send().await.expect("request sent")
}

/// A form with one file part.
fn file_form(bytes: Vec<u8>, name: &str) -> Form {
    Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()))
}

/// Fetches a file URL (`/media/...`) anonymously; returns the response.
async fn fetch(app: &TestApp, url: &str) -> reqwest::Response {
    app.get(url).await
}

/// The whole story: an editor uploads the photo for a story, describes it,
/// makes it the lead image, and a frontend renders `<img srcset>` from the
/// article JSON alone; every file is served as described.
async fn upload_describe_and_lead_an_article(app: TestApp) {
    let (status, item) = upload(
        &app,
        ADMIN_TOKEN,
        files::jpeg(2000, 1000),
        "storm-surge.jpg",
        &[
            ("caption", "Waves over the sea wall"),
            ("credit", "Jane Doe / Agency"),
        ],
    )
    .await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(item["format"], "jpeg");
    assert_eq!(
        (item["width"].as_u64(), item["height"].as_u64()),
        (Some(2000), Some(1000))
    );
    assert_eq!(item["filename"], "storm-surge.jpg");
    assert_eq!(item["credit"], "Jane Doe / Agency");
    // Full size, then 320/640/1024/1600 as JPEG and WebP; never upscaled.
    let variants = item["variants"].as_array().unwrap();
    let mut made: Vec<(u64, &str)> = variants
        .iter()
        .map(|v| (v["width"].as_u64().unwrap(), v["format"].as_str().unwrap()))
        .collect();
    made.sort();
    assert_eq!(
        made,
        vec![
            (320, "jpeg"),
            (320, "webp"),
            (640, "jpeg"),
            (640, "webp"),
            (1024, "jpeg"),
            (1024, "webp"),
            (1600, "jpeg"),
            (1600, "webp"),
            (2000, "jpeg"),
        ]
    );
    for v in variants {
        let res = fetch(&app, v["url"].as_str().unwrap()).await;
        assert_eq!(res.status(), 200, "{v}");
        let mime = format!("image/{}", v["format"].as_str().unwrap());
        assert_eq!(res.headers()["content-type"], mime.as_str());
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(res.headers().contains_key("etag"));
        let bytes = res.bytes().await.unwrap();
        assert_eq!(bytes.len() as u64, v["bytes"].as_u64().unwrap(), "{v}");
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!(u64::from(decoded.width()), v["width"].as_u64().unwrap());
        assert_eq!(u64::from(decoded.height()), v["height"].as_u64().unwrap());
    }
    assert_eq!(item["srcset"].as_str().unwrap().matches("w,").count(), 3);
    assert!(
        item["srcset"].as_str().unwrap().ends_with(" 1600w"),
        "{item}"
    );
    assert!(
        item["srcset_webp"].as_str().unwrap().contains(".webp 320w"),
        "{item}"
    );

    // Describe it.
    let id = item["id"].clone();
    let (status, described) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/media/{id}"),
            json!({ "alt_text": "Waves breaking over a promenade", "focal_point": { "x": 0.25, "y": 0.5 } }),
        )
        .await;
    assert_eq!(status, 200, "{described}");
    assert_eq!(described["alt_text"], "Waves breaking over a promenade");
    assert_eq!(described["focal_point"], json!({ "x": 0.25, "y": 0.5 }));
    assert_eq!(described["caption"], "Waves over the sea wall");
    let (status, bad) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/media/{id}"),
            json!({ "focal_point": { "x": 1.5, "y": 0.5 } }),
        )
        .await;
    assert_eq!(status, 422, "{bad}");

    // Lead an article with it, publish, and read it as a frontend would.
    let author = fixtures::author(&app, "Ann Reporter").await;
    let (status, article) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "Storm surge", "body": "The sea came in.", "author_id": author["id"],
                    "featured_image_id": id }),
        )
        .await;
    assert_eq!(status, 201, "{article}");
    assert_eq!(article["featured_image"]["id"], id);
    fixtures::publish(&app, &article["id"]).await;
    let path = format!("/api/v1/articles/{}", article["slug"].as_str().unwrap());
    let (_, plain) = app.public_get(&path).await;
    assert_eq!(plain["featured_image_id"], id);
    assert!(plain.get("featured_image").is_none(), "{plain}");
    let (status, read) = app
        .public_get(&format!("{path}?include=featured_image"))
        .await;
    assert_eq!(status, 200, "{read}");
    let lead = &read["featured_image"];
    assert_eq!(lead["alt_text"], "Waves breaking over a promenade");
    assert_eq!(lead["caption"], "Waves over the sea wall");
    assert_eq!(lead["credit"], "Jane Doe / Agency");
    assert_eq!(
        (lead["width"].as_u64(), lead["height"].as_u64()),
        (Some(2000), Some(1000))
    );
    // An <img srcset> from the JSON alone: every candidate URL works.
    for candidate in lead["srcset"].as_str().unwrap().split(", ") {
        let (url, width) = candidate.split_once(' ').unwrap();
        assert!(width.ends_with('w'));
        assert_eq!(fetch(&app, url).await.status(), 200, "{url}");
    }
    // Lists embed it too, and a changed caption shows at once.
    let (_, list) = app
        .public_get("/api/v1/articles?include=featured_image&fields=title,featured_image")
        .await;
    assert_eq!(
        list["data"][0]["featured_image"]["caption"],
        "Waves over the sea wall"
    );
    let (status, _) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/media/{id}"),
            json!({ "caption": "The promenade at high tide" }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, read) = app
        .public_get(&format!("{path}?include=featured_image"))
        .await;
    assert_eq!(
        read["featured_image"]["caption"],
        "The promenade at high tide"
    );

    // An unknown image is refused; null removes the lead image.
    let (status, body) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/articles/{}", article["id"]),
            json!({ "featured_image_id": 999_999 }),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["errors"][0]["field"], "featured_image_id");
    let (status, body) = app
        .admin_json(
            Method::PATCH,
            &format!("/api/v1/articles/{}", article["id"]),
            json!({ "featured_image_id": null }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["featured_image_id"], Value::Null);
    assert!(body.get("featured_image").is_none());
}

/// A camera's EXIF block (GPS position, orientation) never reaches the
/// public: the image is turned upright and every file is re-encoded.
async fn gps_and_orientation_never_reach_the_public(app: TestApp) {
    let photo = files::jpeg_with_gps(40, 20);
    let (status, item) = upload(&app, ADMIN_TOKEN, photo, "IMG_0001.JPG", &[]).await;
    assert_eq!(status, 201, "{item}");
    // Orientation 6: the 40 × 20 sensor image is 20 × 40 upright.
    assert_eq!(
        (item["width"].as_u64(), item["height"].as_u64()),
        (Some(20), Some(40))
    );
    for v in item["variants"].as_array().unwrap() {
        let bytes = fetch(&app, v["url"].as_str().unwrap())
            .await
            .bytes()
            .await
            .unwrap();
        assert!(!contains(&bytes, b"Exif"), "EXIF survived in {v}");
        assert!(
            !contains(&bytes, &files::gps_latitude_bytes()),
            "GPS survived in {v}"
        );
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (20, 40));
    }
}

/// What is not an acceptable image gets a clear 4xx, and nothing is stored.
async fn bad_uploads_are_refused_clearly(app: TestApp) {
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "an SVG (refused: it can carry scripts)",
            files::SVG.to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            "HTML behind a JPEG header",
            files::jpeg_headed_html(),
            422,
            "validation_failed",
        ),
        (
            "a truncated PNG",
            files::png(300, 200)[..400].to_vec(),
            422,
            "validation_failed",
        ),
        (
            "a truncated JPEG",
            files::jpeg(300, 200)[..300].to_vec(),
            422,
            "validation_failed",
        ),
        (
            "plain text",
            b"just some words".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            "a GIF of no pixels",
            b"GIF89a\0\0\0\0\0\0\0;".to_vec(),
            422,
            "validation_failed",
        ),
        (
            "a PNG 70,000 pixels wide",
            files::png(70_000, 1),
            422,
            "validation_failed",
        ),
    ];
    for (what, bytes, status, code) in cases {
        let res = app
            .request(Method::POST, "/api/v1/media")
            .bearer_auth(ADMIN_TOKEN)
            .multipart(file_form(bytes, "x.jpg"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{what}");
        assert_problem(res, status, code).await;
    }
    // A decompression bomb is refused from its header, before decoding.
    let started = std::time::Instant::now();
    let res = app
        .request(Method::POST, "/api/v1/media")
        .bearer_auth(ADMIN_TOKEN)
        .multipart(Form::new().part(
            "file",
            Part::bytes(files::png_bomb(50_000)).file_name("b.png"),
        ))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 422, "validation_failed").await;
    assert!(
        body["detail"].as_str().unwrap().contains("50000 × 50000"),
        "{body}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // Not multipart, no file, an unknown field, a second file, no sign-in.
    let res = sent(
        app.admin(Method::POST, "/api/v1/media")
            .header("content-type", "image/jpeg")
            .body(files::jpeg(10, 10)),
    )
    .await;
    assert_problem(res, 415, "unsupported_media_type").await;
    let res = sent(
        app.admin(Method::POST, "/api/v1/media")
            .multipart(Form::new().text("caption", "no file")),
    )
    .await;
    assert_problem(res, 422, "validation_failed").await;
    let res = app
        .admin(Method::POST, "/api/v1/media")
        .multipart(
            Form::new()
                .part("file", Part::bytes(files::jpeg(10, 10)).file_name("a.jpg"))
                .text("colour", "red"),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_form").await;
    let res = app
        .admin(Method::POST, "/api/v1/media")
        .multipart(
            Form::new()
                .part("file", Part::bytes(files::jpeg(10, 10)).file_name("a.jpg"))
                .part("file", Part::bytes(files::jpeg(12, 10)).file_name("b.jpg")),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_form").await;
    let res = sent(
        app.request(Method::POST, "/api/v1/media")
            .multipart(file_form(files::jpeg(10, 10), "a.jpg")),
    )
    .await;
    assert_problem(res, 401, "unauthorized").await;
    let contributor = fixtures::staff(&app, "contributor").await;
    let (status, _) = upload(&app, &contributor.token, files::jpeg(10, 10), "a.jpg", &[]).await;
    assert_eq!(status, 403);
    // An API key (even a made-up one) is refused before the body is read.
    let res = sent(
        app.request(Method::POST, "/api/v1/media")
            .header("x-api-key", "cms_not_a_real_key")
            .multipart(file_form(files::jpeg(10, 10), "a.jpg")),
    )
    .await;
    assert_problem(res, 403, "forbidden").await;
    // Changing or deleting needs sign-in before anything else is said.
    let res = sent(app.request(Method::DELETE, "/api/v1/media/12345")).await;
    assert_problem(res, 401, "unauthorized").await;
    let res = sent(
        app.request(Method::PATCH, "/api/v1/media/12345")
            .json(&json!({ "caption": "x" })),
    )
    .await;
    assert_problem(res, 401, "unauthorized").await;

    // A very tall image is taken; copies beyond WebP's 16,383-pixel limit
    // simply have no WebP file.
    let (status, tall) = upload(&app, ADMIN_TOKEN, files::png(200, 17_000), "tall.png", &[]).await;
    assert_eq!(status, 201, "{tall}");
    let formats: Vec<&str> = tall["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["png"], "{tall}");
    assert_eq!(tall["srcset_webp"], "");
    let res = sent(app.admin(Method::DELETE, &format!("/api/v1/media/{}", tall["id"]))).await;
    assert_eq!(res.status(), 204);

    // A PNG with a script after its end is an image: the script is dropped.
    let (status, item) = upload(
        &app,
        ADMIN_TOKEN,
        files::png_with_script(30, 20),
        "p.png",
        &[],
    )
    .await;
    assert_eq!(status, 201, "{item}");
    for v in item["variants"].as_array().unwrap() {
        let bytes = fetch(&app, v["url"].as_str().unwrap())
            .await
            .bytes()
            .await
            .unwrap();
        assert!(!contains(&bytes, b"<script"), "{v}");
    }
    // Nothing but that one item was kept.
    let (_, list) = app.admin_get("/api/v1/media").await;
    assert_eq!(list["meta"]["total"], 1, "{list}");
    if let Some(dir) = app.media_dir() {
        assert_eq!(std::fs::read_dir(dir).unwrap().count(), 1);
    }
}

/// Identical bytes uploaded at once make one item, stored once (the
/// unique hash decides; the other uploads' files are removed).
async fn identical_uploads_are_stored_once(app: TestApp) {
    // 10 rounds: each a new photo uploaded 6 times at once.
    const ROUNDS: usize = 10;
    for round in 0..ROUNDS {
        let photo = files::unique_jpeg(900, 600, 7 + round as u8);
        let uploads = (0..6).map(|_| upload(&app, ADMIN_TOKEN, photo.clone(), "same.jpg", &[]));
        let answers = futures_util::future::join_all(uploads).await;
        let created = answers.iter().filter(|(s, _)| *s == 201).count();
        assert_eq!(created, 1, "round {round}: {answers:?}");
        assert!(
            answers.iter().all(|(s, _)| *s == 201 || *s == 200),
            "round {round}: {answers:?}"
        );
        let ids: std::collections::BTreeSet<String> =
            answers.iter().map(|(_, b)| b["id"].to_string()).collect();
        assert_eq!(ids.len(), 1, "round {round}: {answers:?}");
        // The same file later: the same item, 200.
        let (status, again) = upload(&app, ADMIN_TOKEN, photo, "again.jpg", &[]).await;
        assert_eq!(status, 200);
        assert_eq!(again["id"].to_string(), *ids.first().unwrap());
    }
    let (_, list) = app.admin_get("/api/v1/media").await;
    assert_eq!(list["meta"]["total"], ROUNDS);
    if let Some(dir) = app.media_dir() {
        assert_eq!(
            std::fs::read_dir(dir).unwrap().count(),
            ROUNDS,
            "orphan files left"
        );
    }
}

/// The library is for staff: listed newest first, searched and filtered,
/// paginated like every list; each format becomes its own and WebP.
async fn the_library_lists_searches_and_filters(app: TestApp) {
    let author = fixtures::staff(&app, "author").await;
    let uploads = [
        (
            files::png(400, 300),
            "a.png",
            "Harbour at dawn",
            "Port Authority",
        ),
        (files::gif(64, 64), "b.gif", "Election map", "Graphics desk"),
        (
            files::webp(500, 250),
            "c.webp",
            "Council chamber",
            "Jane Doe",
        ),
        (files::jpeg(350, 350), "d.jpg", "Harbour crane", "Jane Doe"),
        (
            files::jpeg(300, 200),
            "e.jpg",
            "Äpfel vom Bodensee",
            "Öko-Agentur",
        ),
    ];
    for (bytes, name, caption, credit) in uploads {
        let (status, item) = upload(
            &app,
            &author.token,
            bytes,
            name,
            &[("caption", caption), ("credit", credit)],
        )
        .await;
        assert_eq!(status, 201, "{item}");
        let formats: Vec<&str> = item["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["format"].as_str().unwrap())
            .collect();
        assert!(formats.contains(&"webp"), "{item}");
        assert!(
            formats.contains(&item["format"].as_str().unwrap()),
            "{item}"
        );
        assert_eq!(item["uploaded_by"], author.user["id"]);
    }
    let (status, all) = app.admin_get("/api/v1/media?per_page=3").await;
    assert_eq!(status, 200);
    assert_eq!(all["meta"]["total"], 5);
    assert_eq!(all["data"].as_array().unwrap().len(), 3);
    assert_eq!(
        all["data"][0]["caption"], "Äpfel vom Bodensee",
        "newest first"
    );
    assert_eq!(all["data"][1]["caption"], "Harbour crane");
    // Case does not matter beyond ASCII either, on both backends.
    for q in ["%C3%A4pfel", "%C3%84PFEL", "%C3%B6ko"] {
        let (_, found) = app.admin_get(&format!("/api/v1/media?q={q}")).await;
        assert_eq!(found["meta"]["total"], 1, "q={q}: {found}");
    }
    let (_, found) = app.admin_get("/api/v1/media?q=HARBOUR").await;
    assert_eq!(found["meta"]["total"], 2, "{found}");
    let (_, found) = app
        .admin_get("/api/v1/media?q=jane%20doe&format=webp")
        .await;
    assert_eq!(found["meta"]["total"], 1, "{found}");
    assert_eq!(found["data"][0]["caption"], "Council chamber");
    let (_, none) = app.admin_get("/api/v1/media?q=%25").await;
    assert_eq!(
        none["meta"]["total"], 0,
        "a % is a character, not a wildcard"
    );
    let res = app.get("/api/v1/media").await;
    assert_problem(res, 401, "unauthorized").await;
    let key = fixtures::api_key(&app, "preview").await;
    let res = sent(
        app.request(Method::GET, "/api/v1/media")
            .header("x-api-key", key),
    )
    .await;
    assert_problem(res, 403, "forbidden").await;
    let res = sent(app.admin(Method::GET, "/api/v1/media?format=svg")).await;
    assert_eq!(res.status(), 400);
}

/// An item in use is not deleted by accident: 409 names the articles; its
/// uploader cannot force it, an editor can, and its files go.
async fn deleting_an_item_in_use_needs_an_editor(app: TestApp) {
    let author = fixtures::staff(&app, "author").await;
    let (_, item) = upload(&app, &author.token, files::jpeg(700, 400), "x.jpg", &[]).await;
    let id = item["id"].clone();
    let (status, lead) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "Leads with it", "body": "Text.", "author_id": author.author["id"],
                    "featured_image_id": id }),
        )
        .await;
    assert_eq!(status, 201, "{lead}");
    let inline_url = item["variants"][1]["url"].as_str().unwrap();
    let (status, inline) = app
        .admin_json(
            Method::POST,
            "/api/v1/articles",
            json!({ "title": "Shows it inline", "body": format!("![A crane]({inline_url})"),
                    "author_id": author.author["id"] }),
        )
        .await;
    assert_eq!(status, 201, "{inline}");

    let path = format!("/api/v1/media/{id}");
    let res = sent(
        app.request(Method::DELETE, &path)
            .bearer_auth(&author.token),
    )
    .await;
    let body = assert_problem(res, 409, "media_in_use").await;
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("leads-with-it") && detail.contains("shows-it-inline"),
        "{detail}"
    );
    let res = sent(
        app.request(Method::DELETE, &format!("{path}?force=true"))
            .bearer_auth(&author.token),
    )
    .await;
    assert_problem(res, 409, "media_in_use").await;
    let other = fixtures::staff(&app, "author").await;
    let res = sent(app.request(Method::DELETE, &path).bearer_auth(&other.token)).await;
    assert_problem(res, 403, "forbidden").await;

    let res = sent(app.admin(Method::DELETE, &format!("{path}?force=true"))).await;
    assert_eq!(res.status(), 204);
    let (_, after) = app
        .admin_get(&format!("/api/v1/articles/{}", lead["id"]))
        .await;
    assert_eq!(after["featured_image_id"], Value::Null);
    assert_eq!(after["version"], lead["version"].as_i64().unwrap() + 1);
    assert_eq!(fetch(&app, inline_url).await.status(), 404);
    let (status, _) = app.admin_get(&path).await;
    assert_eq!(status, 404);

    // Unused, its uploader deletes it.
    let (_, unused) = upload(&app, &author.token, files::jpeg(50, 40), "y.jpg", &[]).await;
    let res = sent(
        app.request(Method::DELETE, &format!("/api/v1/media/{}", unused["id"]))
            .bearer_auth(&author.token),
    )
    .await;
    assert_eq!(res.status(), 204);
}

/// Files: ETag and 304, single byte ranges, 416; no path reaches anything
/// but a stored file.
async fn files_are_served_with_ranges_and_nothing_else(app: TestApp) {
    let (_, item) = upload(&app, ADMIN_TOKEN, files::png(200, 100), "r.png", &[]).await;
    let url = item["url"].as_str().unwrap().to_owned();
    let full = fetch(&app, &url).await;
    let etag = full.headers()["etag"].to_str().unwrap().to_owned();
    let whole = full.bytes().await.unwrap();
    assert_eq!(whole.len() as u64, item["bytes"].as_u64().unwrap());

    let res = sent(
        app.request(Method::GET, &url)
            .header("if-none-match", &etag),
    )
    .await;
    assert_eq!(res.status(), 304);
    let res = sent(
        app.request(Method::GET, &url)
            .header("if-none-match", format!("W/{etag}")),
    )
    .await;
    assert_eq!(res.status(), 304, "weak comparison");
    let res = app.request(Method::HEAD, &url).send().await.unwrap();
    assert_eq!(res.status(), 405, "GET only");
    let res = sent(
        app.request(Method::GET, &url)
            .header("range", "bytes=0-18446744073709551615"),
    )
    .await;
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap(), whole);
    let res = sent(app.request(Method::GET, &url).header("range", "bytes=0-9")).await;
    assert_eq!(res.status(), 206);
    assert_eq!(
        res.headers()["content-range"].to_str().unwrap(),
        format!("bytes 0-9/{}", whole.len())
    );
    assert_eq!(res.bytes().await.unwrap(), whole.slice(0..10));
    let res = sent(app.request(Method::GET, &url).header("range", "bytes=-5")).await;
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap(), whole.slice(whole.len() - 5..));
    let res = sent(
        app.request(Method::GET, &url)
            .header("range", format!("bytes={}-", whole.len())),
    )
    .await;
    assert_eq!(res.status(), 416);
    assert_eq!(
        res.headers()["content-range"].to_str().unwrap(),
        format!("bytes */{}", whole.len())
    );

    let folder = url.split('/').nth(2).unwrap();
    for bad in [
        "/media/../cms.db".to_owned(),
        "/media/%2e%2e/cms.db".to_owned(),
        format!("/media/{folder}/..%2F..%2Fcms.db"),
        format!("/media/{folder}/200.svg"),
        format!("/media/{}/200.png", folder.to_uppercase()),
        format!("/media/{folder}/999.png"),
        "/media/00000000000000000000000000000000/200.png".to_owned(),
    ] {
        let res = app.get(&bad).await;
        assert_eq!(res.status(), 404, "{bad}");
    }
}

/// A delete racing an article write that makes the item its lead image:
/// one of them loses (409), never both win (which would leave the article
/// silently without its image). 20 rounds.
async fn a_delete_never_wins_against_a_new_use(app: TestApp) {
    let author = fixtures::author(&app, "Race Reporter").await;
    let article = fixtures::draft(&app, &author["id"], "Racing lead", &[]).await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    let mut outcomes = std::collections::BTreeMap::new();
    for round in 0..20u8 {
        let (status, item) = upload(
            &app,
            ADMIN_TOKEN,
            files::unique_jpeg(40, 30, round),
            "r.jpg",
            &[],
        )
        .await;
        assert_eq!(status, 201, "{item}");
        let media = format!("/api/v1/media/{}", item["id"]);
        let use_it = app.admin_json(
            Method::PATCH,
            &path,
            json!({ "featured_image_id": item["id"] }),
        );
        let delete_it = async {
            app.admin(Method::DELETE, &media)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        };
        let ((used, body), deleted) = tokio::join!(use_it, delete_it);
        assert!(
            !(used == 200 && deleted == 204),
            "round {round}: both won; article: {body}"
        );
        assert!(
            matches!((used, deleted), (200, 409) | (409, 204)),
            "round {round}: {used} {deleted} {body}"
        );
        let (_, now) = app.admin_get(&path).await;
        if used == 200 {
            assert_eq!(now["featured_image_id"], item["id"]);
        } else {
            assert!(now["featured_image_id"] != item["id"], "{now}");
        }
        *outcomes.entry((used, deleted)).or_insert(0) += 1;
        let (status, _) = app
            .admin_json(Method::PATCH, &path, json!({ "featured_image_id": null }))
            .await;
        assert_eq!(status, 200);
    }
    eprintln!("outcomes (article write, delete): {outcomes:?}");
}

both_backends!(
    a_delete_never_wins_against_a_new_use,
    upload_describe_and_lead_an_article,
    gps_and_orientation_never_reach_the_public,
    bad_uploads_are_refused_clearly,
    identical_uploads_are_stored_once,
    the_library_lists_searches_and_filters,
    deleting_an_item_in_use_needs_an_editor,
    files_are_served_with_ranges_and_nothing_else,
);

/// The upload limit: 413 before the image is read.
async fn uploads_over_the_limit_get_413(app: TestApp) {
    let res = app
        .admin(Method::POST, "/api/v1/media")
        .multipart(Form::new().part(
            "file",
            Part::bytes(files::png(600, 600)).file_name("big.png"),
        ))
        .send()
        .await
        .unwrap();
    assert_problem(res, 413, "payload_too_large").await;
    let (status, _) = upload(&app, ADMIN_TOKEN, files::jpeg(20, 20), "small.jpg", &[]).await;
    assert_eq!(status, 201);
}

crate::harness::both_backends_with!(
    [("MEDIA_MAX_BYTES", "4096")],
    uploads_over_the_limit_get_413
);

/// With S3: two instances share one bucket and one database; an upload on
/// one is served by the other; a delete removes the objects from the bucket.
async fn s3_store_shared_by_two_instances(backend: Backend) {
    let bucket = Bucket::new().await;
    let settings = bucket.settings();
    let env: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let one = TestApp::spawn_with(backend, &env).await;
    let two = one.another_instance(&[]).await;
    let (status, item) = upload(
        &one,
        ADMIN_TOKEN,
        files::jpeg_with_gps(700, 300),
        "s3.jpg",
        &[],
    )
    .await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(
        (item["width"].as_u64(), item["height"].as_u64()),
        (Some(300), Some(700))
    );
    for v in item["variants"].as_array().unwrap() {
        let url = v["url"].as_str().unwrap();
        let res = fetch(&two, url).await;
        assert_eq!(res.status(), 200, "{url}");
        let bytes = res.bytes().await.unwrap();
        assert_eq!(bytes.len() as u64, v["bytes"].as_u64().unwrap());
        assert!(!contains(&bytes, &files::gps_latitude_bytes()));
        assert!(in_store(&one, url).await, "{url} is not in the bucket");
    }
    let res = two
        .request(Method::GET, item["url"].as_str().unwrap())
        .header("range", "bytes=2-5")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap().len(), 4);
    // The same bytes through the other instance: the same item.
    let (status, again) = upload(
        &two,
        ADMIN_TOKEN,
        files::jpeg_with_gps(700, 300),
        "s3.jpg",
        &[],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(again["id"], item["id"]);

    let res = two
        .admin(Method::DELETE, &format!("/api/v1/media/{}", item["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    for v in item["variants"].as_array().unwrap() {
        let url = v["url"].as_str().unwrap();
        assert!(!in_store(&one, url).await, "{url} is still in the bucket");
        assert_eq!(fetch(&one, url).await.status(), 404);
    }
}

/// Whether the server's store holds the file of `url`, asked of the store
/// itself (not through the CMS's HTTP route).
async fn in_store(app: &TestApp, url: &str) -> bool {
    let (folder, file) = url.trim_start_matches("/media/").split_once('/').unwrap();
    let key = cms::media::store::FileKey::parse(folder, file).unwrap();
    match app.state.media.store.head(&key).await {
        Ok(_) => true,
        Err(object_store_error) => {
            assert!(
                object_store_error.to_string().contains("not found"),
                "{object_store_error}"
            );
            false
        }
    }
}

/// The whole editor's story, with files in S3.
async fn s3_story(backend: Backend) {
    let bucket = Bucket::new().await;
    let settings = bucket.settings();
    let env: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    upload_describe_and_lead_an_article(TestApp::spawn_with(backend, &env).await).await;
}

mod s3_store {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn shared_by_two_instances_postgres() {
        s3_store_shared_by_two_instances(Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn shared_by_two_instances_sqlite() {
        s3_store_shared_by_two_instances(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn story_postgres() {
        s3_story(Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn story_sqlite() {
        s3_story(Backend::Sqlite).await;
    }
}
