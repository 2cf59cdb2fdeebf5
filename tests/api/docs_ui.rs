//! `/docs`: Swagger UI served from the binary, every asset it references
//! available locally (no CDN), pointed at our own `/openapi.json`.

use crate::harness::{assert_problem, Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docs_page_and_every_asset_it_references_are_served_locally() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/docs").await;
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/docs/");

    let res = app.get("/docs/").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = res.text().await.unwrap();
    let mut assets: Vec<String> = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (i, _) in page.match_indices(attr) {
            let rest = &page[i + attr.len()..];
            assets.push(rest[..rest.find('"').unwrap()].to_owned());
        }
    }
    assert!(assets.len() >= 5, "{assets:?}");
    for asset in &assets {
        assert!(
            !asset.contains("//"),
            "external asset {asset}: the page must work offline"
        );
        let path = format!("/docs/{}", asset.trim_start_matches("./"));
        let res = app.get(&path).await;
        assert_eq!(res.status(), 200, "{path}");
        let kind = res.headers()["content-type"].to_str().unwrap().to_owned();
        let expected = match path.rsplit('.').next().unwrap() {
            "js" => "javascript",
            "css" => "text/css",
            "png" => "image/png",
            other => panic!("unexpected asset type {other}"),
        };
        assert!(kind.contains(expected), "{path}: {kind}");
        assert!(!res.bytes().await.unwrap().is_empty(), "{path} is empty");
    }
    let init = app
        .get("/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("\"url\": \"/openapi.json\""), "{init}");
    let res = app.get("/openapi.json").await;
    assert_eq!(res.status(), 200);

    assert_problem(app.get("/docs/no-such-file.js").await, 404, "not_found").await;
}
