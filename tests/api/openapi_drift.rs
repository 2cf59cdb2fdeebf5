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
