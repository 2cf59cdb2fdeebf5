//! Cases schemathesis once found (scripts/fuzz-api), replayed as they were
//! sent, so a fix cannot quietly come undone. Its crash store now lives
//! under target/ and is not committed; a finding worth keeping goes here.

use reqwest::Method;

use crate::harness::{assert_problem, both_backends, TestApp};

both_backends!(
    empty_fields_with_a_far_future_date_is_400,
    a_title_cursor_holding_a_nul_byte_is_400,
    the_trash_refuses_a_reader_before_it_judges_the_sort
);

/// Crash store of commit 32f67d4, `GET_api_v1_articles_negative_data_rejection_d336c1d1`
/// (case 5ua5iu): `fields=` was read as "no fields", the request was
/// answered 200 with an empty page although the schema requires at least
/// one valid field name (check `negative_data_rejection`). The year-6457
/// date with a -09:35 offset came with the case and must not change the
/// answer.
async fn empty_fields_with_a_far_future_date_is_400(app: TestApp) {
    let res = app
        .get("/api/v1/articles?fields=&published_after=6457-09-04T04%3A07%3A15.425099-09%3A35")
        .await;
    let body = assert_problem(res, 400, "invalid_query").await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("fields"),
        "{body}"
    );
}

/// CI run of stop 23, case 5qOIr8 (editor run): the title cursor
/// `t.3e00033dd2d7.45959` decodes to text with a NUL byte, which PostgreSQL
/// refused mid-query (500). No issued cursor holds one; the pattern and the
/// decoder now refuse it on both backends.
async fn a_title_cursor_holding_a_nul_byte_is_400(app: TestApp) {
    for query in [
        "cursor=t.3e00033dd2d7.45959&status=trashed&sort=title",
        "cursor=t.00.1",
    ] {
        let res = app
            .admin(Method::GET, &format!("/api/v1/articles?{query}"))
            .send()
            .await
            .expect("request sent");
        let body = assert_problem(res, 400, "invalid_cursor").await;
        assert_eq!(body["errors"][0]["field"], "cursor", "{body}");
    }
}

/// Local fuzz run of stop 24 (seed 433878096, anonymous run, case hkpivj):
/// a reader asking for the trash sorted by relevance got the 400 about the
/// sort before the refusal of the trash itself. Who may list what is
/// decided first; an editor still gets the 400.
async fn the_trash_refuses_a_reader_before_it_judges_the_sort(app: TestApp) {
    let path = "/api/v1/articles?q=harbour&status=trashed&sort=relevance&per_page=1";
    assert_problem(app.get(path).await, 401, "unauthorized").await;
    let res = app
        .admin(Method::GET, path)
        .send()
        .await
        .expect("request sent");
    let body = assert_problem(res, 400, "invalid_query").await;
    assert_eq!(body["errors"][0]["field"], "sort", "{body}");
}

/// Local fuzz replay of stop 24 (seed 433878096, case J7EJM8): `author`
/// held a NUL, which the schema allowed and the server refuses in every
/// URL (400). Every string parameter of the document now says what it
/// takes: an enum, a format or a pattern (`api_docs::generated` gives the
/// others the no-NUL pattern), so a generated value the server must refuse
/// is never schema-valid.
#[test]
fn every_string_parameter_rules_out_what_the_server_refuses() {
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("openapi/openapi.json").unwrap()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let resolve = |s: &serde_json::Value| match s["$ref"].as_str() {
        Some(r) => schemas[r.rsplit('/').next().unwrap()].clone(),
        None => s.clone(),
    };
    let mut loose = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for param in op["parameters"].as_array().into_iter().flatten() {
                let schema = resolve(&param["schema"]);
                let is_string = schema["type"] == "string"
                    || schema["type"]
                        .as_array()
                        .is_some_and(|t| t.contains(&"string".into()));
                let ruled = ["pattern", "enum", "format"]
                    .iter()
                    .any(|k| !schema[k].is_null());
                if is_string && !ruled {
                    loose.push(format!("{method} {path} {}", param["name"]));
                }
            }
        }
    }
    assert!(
        loose.is_empty(),
        "string parameters without a rule: {loose:#?}"
    );
}
