//! Drafts never leak: not by id, slug, list, counts, tag or author pages,
//! related articles or comments.

use crate::fixtures;
use crate::harness::{assert_problem, both_backends, TestApp};
use reqwest::Method;
use serde_json::json;

both_backends!(
    drafts_are_invisible_on_every_public_read_path,
    routes_under_an_article_agree_on_what_a_writer_may_see
);

async fn drafts_are_invisible_on_every_public_read_path(app: TestApp) {
    let author = fixtures::author(&app, "Leaky Writer").await;
    fixtures::tag(&app, "Gulf").await;
    let public = fixtures::published(&app, &author["id"], "Public piece", &["gulf"]).await;
    let draft = fixtures::draft(&app, &author["id"], "Secret draft", &["gulf"]).await;
    let review = fixtures::draft(&app, &author["id"], "Secret review", &["gulf"]).await;
    app.admin_json(
        Method::POST,
        &format!("/api/v1/articles/{}/submit", review["id"]),
        json!({}),
    )
    .await;
    let future = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let scheduled = fixtures::draft(&app, &author["id"], "Secret schedule", &["gulf"]).await;
    app.admin_json(
        Method::POST,
        &format!("/api/v1/articles/{}/publish", scheduled["id"]),
        json!({ "publish_at": future }),
    )
    .await;
    let archived = fixtures::published(&app, &author["id"], "Secret archive", &["gulf"]).await;
    app.admin_json(
        Method::POST,
        &format!("/api/v1/articles/{}/archive", archived["id"]),
        json!({}),
    )
    .await;

    for hidden in [&draft, &review, &scheduled, &archived] {
        for path in [
            format!("/api/v1/articles/{}", hidden["id"]),
            format!("/api/v1/articles/{}", hidden["slug"].as_str().unwrap()),
            format!("/api/v1/articles/{}/related", hidden["id"]),
            format!("/api/v1/articles/{}/comments", hidden["id"]),
        ] {
            assert_problem(app.get(&path).await, 404, "not_found").await;
        }
        // Staff still see it.
        let (status, _) = app
            .admin_get(&format!("/api/v1/articles/{}", hidden["id"]))
            .await;
        assert_eq!(status, 200);
    }
    for path in [
        "/api/v1/articles".to_owned(),
        "/api/v1/articles?tag=gulf".to_owned(),
        format!(
            "/api/v1/articles?author={}",
            author["slug"].as_str().unwrap()
        ),
        format!("/api/v1/articles?author={}", author["id"]),
        "/api/v1/articles?status=published".to_owned(),
        format!("/api/v1/articles/{}/related", public["id"]),
    ] {
        let (status, body) = app.public_get(&path).await;
        assert_eq!(status, 200, "{path}: {body}");
        let text = body.to_string();
        assert!(!text.contains("Secret"), "{path} leaks: {text}");
        if let Some(total) = body["meta"]["total"].as_i64() {
            assert_eq!(total, 1, "{path}");
        }
    }
    let (_, tag) = app.public_get("/api/v1/tags/gulf").await;
    assert_eq!(tag["article_count"], 1, "{tag}");
    let (_, author_page) = app
        .public_get(&format!("/api/v1/authors/{}", author["id"]))
        .await;
    assert_eq!(author_page["article_count"], 1, "{author_page}");
    // Asking for other statuses is refused to the public...
    for status in ["draft", "in_review", "scheduled", "archived"] {
        let res = app.get(&format!("/api/v1/articles?status={status}")).await;
        assert_problem(res, 403, "forbidden").await;
    }
    // ...and works for staff.
    let (_, drafts) = app.admin_get("/api/v1/articles?status=draft").await;
    assert_eq!(drafts["meta"]["total"], 1);
    assert_eq!(drafts["data"][0]["title"], "Secret draft");
}

/// Every route under an article answers alike for an article the caller
/// may not see: a contributor learns nothing of another author's draft,
/// not even that it exists (related articles used to answer 200).
async fn routes_under_an_article_agree_on_what_a_writer_may_see(app: TestApp) {
    let owner = fixtures::staff(&app, "contributor").await;
    let other = fixtures::staff(&app, "contributor").await;
    let draft = fixtures::draft(&app, &owner.author["id"], "Not yours", &[]).await;
    for key in [
        draft["id"].to_string(),
        draft["slug"].as_str().unwrap().to_owned(),
    ] {
        for suffix in ["", "/related"] {
            let path = format!("/api/v1/articles/{key}{suffix}");
            let res = app
                .request(Method::GET, &path)
                .bearer_auth(&other.token)
                .send()
                .await
                .unwrap();
            assert_problem(res, 404, "not_found").await;
            let res = app
                .request(Method::GET, &path)
                .bearer_auth(&owner.token)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{path} for its own writer");
        }
        for suffix in ["/comments", "/comment-form"] {
            let res = app.get(&format!("/api/v1/articles/{key}{suffix}")).await;
            assert_problem(res, 404, "not_found").await;
        }
    }
}
