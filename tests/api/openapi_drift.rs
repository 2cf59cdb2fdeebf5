//! The committed `openapi/openapi.json` is exactly what the code generates.
//! Run with `UPDATE_OPENAPI=1` to rewrite it on purpose.

use crate::harness::{Backend, TestApp};

#[test]
fn committed_spec_matches_the_code() {
    let generated = cms::openapi::spec_json();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date: run `UPDATE_OPENAPI=1 cargo test openapi` and commit it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_spec_is_the_generated_one() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/openapi.json").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(res.text().await.unwrap(), cms::openapi::spec_json());
}

/// Every operation is documented the way integrators need: an id of the form
/// `<verb>_<resource>`, a summary, a tag, declared security, problem+json
/// error bodies, and the body errors wherever a body is accepted.
#[test]
fn every_operation_is_complete() {
    let doc: serde_json::Value = serde_json::from_str(&cms::openapi::spec_json()).unwrap();
    let verbs = [
        "get",
        "list",
        "create",
        "update",
        "delete",
        "submit",
        "publish",
        "unpublish",
        "archive",
        "revoke",
        "refresh",
    ];
    let mut ids = std::collections::HashSet::new();
    let mut count = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            count += 1;
            let id = op["operationId"].as_str().unwrap_or_default();
            let verb = id.split('_').next().unwrap();
            assert!(
                verbs.contains(&verb) && id.contains('_'),
                "{method} {path}: operation id {id:?}"
            );
            assert!(ids.insert(id.to_owned()), "duplicate operation id {id}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{id}: no summary"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{id}: no tag"
            );
            assert!(op["security"].is_array(), "{id}: security not declared");
            let responses = op["responses"].as_object().unwrap();
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{id} {status}: not problem+json"
                    );
                }
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(responses.contains_key(status), "{id}: no {status}");
                }
            }
            if path.starts_with("/api/v1/") {
                assert!(responses.contains_key("503"), "{id}: no 503");
            }
        }
    }
    assert!(count >= 44, "{count} operations");
}
