//! What a write derives from the body is stored, so lists need not read
//! bodies: the excerpt fallback (the first paragraph) comes from
//! `body_lead`, also for rows written before it existed.

use cms::db::ConnMut;
use diesel_async::RunQueryDsl;
use serde_json::Value;

use crate::fixtures;
use crate::harness::{both_backends, TestApp};

both_backends!(
    lists_without_bodies_keep_the_excerpt_fallback,
    a_backfill_never_overwrites_a_newer_lead
);

async fn excerpts(app: &TestApp, fields: &str) -> Vec<Value> {
    let (status, list) = app
        .public_get(&format!("/api/v1/articles?fields={fields}"))
        .await;
    assert_eq!(status, 200, "{list}");
    list["data"].as_array().unwrap().clone()
}

async fn lists_without_bodies_keep_the_excerpt_fallback(app: TestApp) {
    let desk = fixtures::author(&app, "Lead Desk").await;
    fixtures::published(&app, &desk["id"], "Harbour report", &[]).await;
    let lead = "First paragraph of Harbour report.";

    let sparse = excerpts(&app, "slug,excerpt").await;
    assert_eq!(sparse[0]["excerpt"], lead, "{sparse:?}");
    assert!(sparse[0].get("body").is_none() && sparse[0].get("body_html").is_none());
    let with_body = excerpts(&app, "excerpt,body").await;
    assert_eq!(with_body[0]["excerpt"], lead);
    assert!(with_body[0]["body"].as_str().unwrap().starts_with(lead));

    // A row as an earlier version wrote it: no stored lead.
    let mut conn = app.state.db.writer().await.unwrap();
    let forget = "UPDATE articles SET body_lead = NULL";
    match conn.get() {
        ConnMut::Pg(c) => diesel::sql_query(forget).execute(c).await,
        ConnMut::Sqlite(c) => diesel::sql_query(forget).execute(c).await,
    }
    .unwrap();
    assert_eq!(excerpts(&app, "slug,excerpt").await[0]["excerpt"], lead);
    assert_eq!(
        excerpts(&app, "excerpt,body_html").await[0]["excerpt"],
        lead
    );

    // Start-up fills it in once.
    assert_eq!(
        cms::articles::backfill::body_leads(&mut conn)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        cms::articles::backfill::body_leads(&mut conn)
            .await
            .unwrap(),
        0
    );
    drop(conn);
    assert_eq!(excerpts(&app, "slug,excerpt").await[0]["excerpt"], lead);
}

/// The start-up backfill reads bodies, then writes their leads; an edit
/// racing it must keep its own lead. Many rounds, edit and backfill in
/// parallel.
async fn a_backfill_never_overwrites_a_newer_lead(app: TestApp) {
    let desk = fixtures::author(&app, "Race Desk").await;
    let article = fixtures::published(&app, &desk["id"], "Race", &[]).await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    for round in 0..20 {
        let mut conn = app.state.db.writer().await.unwrap();
        let forget = "UPDATE articles SET body_lead = NULL";
        match conn.get() {
            ConnMut::Pg(c) => diesel::sql_query(forget).execute(c).await,
            ConnMut::Sqlite(c) => diesel::sql_query(forget).execute(c).await,
        }
        .unwrap();
        drop(conn);
        let lead = format!("Lead of round {round}.");
        let edit = crate::harness::send_json(
            app.admin(reqwest::Method::PATCH, &path)
                .json(&serde_json::json!({ "body": format!("{lead}\n\nMore.") })),
        );
        let backfill = async {
            let mut conn = app.state.db.writer().await.unwrap();
            cms::articles::backfill::body_leads(&mut conn)
                .await
                .unwrap()
        };
        let ((status, body), _) = tokio::join!(edit, backfill);
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            excerpts(&app, "slug,excerpt").await[0]["excerpt"],
            lead.as_str(),
            "round {round}"
        );
    }
}
