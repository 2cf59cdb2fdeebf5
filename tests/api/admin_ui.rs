//! `/admin`: the web admin's files, served from the binary under a strict
//! Content-Security-Policy, and an admin that needs nothing the OpenAPI
//! document does not describe. (Its screens are tested in a real browser by
//! `scripts/browser-tests`.)

use std::collections::BTreeSet;
use std::path::Path;

use reqwest::Method;

use crate::harness::{assert_problem, Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_files_are_served_under_a_strict_policy() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/admin").await;
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/admin/");

    let res = app.get("/admin/").await;
    assert_eq!(res.status(), 200);
    let headers = res.headers().clone();
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let policy = headers["content-security-policy"].to_str().unwrap();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} missing: {policy}");
    }
    assert!(!policy.contains("unsafe"), "{policy}");
    assert_eq!(headers["x-frame-options"], "DENY");
    let page = res.text().await.unwrap();
    assert!(
        !page.contains("<script>") && !page.contains("style="),
        "inline code: {page}"
    );
    assert!(page.contains(r#"<script type="module" src="js/main.js">"#));

    // Revalidated by ETag: a deploy shows at once, an unchanged file is a 304.
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("no-cache"));
    let res = app
        .request(Method::GET, "/admin/")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);

    let res = app.get("/admin/js/main.js").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let res = app.get("/admin/app.css").await;
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));

    assert_problem(app.get("/admin/js/nope.js").await, 404, "not_found").await;
    // reqwest would normalise `..` away; a raw request reaches the handler.
    for path in [
        "/admin/../Cargo.toml",
        "/admin/js/../../Cargo.toml",
        "/admin/%2e%2e/Cargo.toml",
        "/admin/..%2fCargo.toml",
        "/admin//etc/passwd",
    ] {
        let head = raw_get(&app, path).await;
        assert!(head.starts_with("HTTP/1.1 404"), "{path}: {head}");
    }
    let res = app.request(Method::POST, "/admin/").send().await.unwrap();
    assert_eq!(res.status(), 405);
}

/// Every file the admin's modules import is served, and nothing is loaded
/// from another host.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_module_the_admin_imports_is_served() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let import = regex::Regex::new(r#"(?m)^import .* from '([^']+)';|^import '([^']+)';"#).unwrap();
    let mut seen = 0;
    for (path, source) in admin_sources() {
        assert!(
            !source.contains("http://") && !source.contains("https://"),
            "{path} names another host"
        );
        let dir = Path::new(&path).parent().unwrap();
        for caps in import.captures_iter(&source) {
            let target = caps.get(1).or(caps.get(2)).unwrap().as_str();
            let resolved = normalize(&dir.join(target));
            let res = app.get(&format!("/admin/{resolved}")).await;
            assert_eq!(res.status(), 200, "{path} imports {target} ({resolved})");
            seen += 1;
        }
    }
    assert!(seen >= 10, "only {seen} imports found");
}

/// The admin calls only operations the OpenAPI document describes: each
/// `api('METHOD', '/path…')` call, with `${…}` as a path parameter, matches
/// a documented method and path.
#[test]
fn the_admin_uses_only_documented_operations() {
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("openapi/openapi.json").unwrap()).unwrap();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), template(path)))
        })
        .collect();
    let call = regex::Regex::new(r#"api\('([A-Z]+)', [`']([^`'?]+)"#).unwrap();
    let list = regex::Regex::new(r#"all\('([^']+)'\)"#).unwrap();
    // The small-resource screens (views/crud.js) list, add, change and
    // delete at the `path:` their spec gives.
    let screen = regex::Regex::new(r#"path: '([^']+)'"#).unwrap();
    let step = regex::Regex::new(r#"act\([^,]+, '([^']*)'"#).unwrap();
    let mut used = BTreeSet::new();
    for (file, source) in admin_sources() {
        let mut note = |method: &str, path: &str| {
            let path = template(&format!("/api/v1{path}"));
            used.insert((method.to_owned(), path, file.clone()));
        };
        for caps in call.captures_iter(&source) {
            let path = caps[2].split("${query").next().unwrap();
            // Generic calls of crud.js: checked through each screen's spec.
            if !path.starts_with("${") {
                note(&caps[1], path);
            }
        }
        for caps in list.captures_iter(&source) {
            note("GET", &caps[1]);
        }
        // The workflow buttons (views/workflow.js): `act(label, path, …)`,
        // POST to the article's path, or DELETE (to the trash) when empty.
        for caps in step.captures_iter(&source) {
            let method = if caps[1].is_empty() { "DELETE" } else { "POST" };
            note(method, &format!("/articles/{{id}}{}", &caps[1]));
        }
        for caps in screen.captures_iter(&source) {
            let path = &caps[1];
            note("GET", path);
            note("POST", path);
            note("DELETE", &format!("{path}/{{id}}"));
            if !source.contains("canEdit: false") {
                note("PATCH", &format!("{path}/{{id}}"));
            }
        }
    }
    assert!(used.len() >= 20, "too few calls found: {used:?}");
    for (method, path, file) in &used {
        assert!(
            documented.contains(&(method.clone(), path.clone())),
            "{file}: {method} {path} is not in the OpenAPI document"
        );
    }
    // The refresh (a plain fetch, for the cookie) is documented too.
    assert!(documented.contains(&("POST".to_owned(), "/api/v1/auth/refresh".to_owned())));
}

/// The status line and headers of `GET path` sent as written.
async fn raw_get(app: &TestApp, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    text.split("\r\n\r\n").next().unwrap_or_default().to_owned()
}

/// `/articles/{id_or_slug}` and `/articles/${id}` both become `/articles/{}`.
fn template(path: &str) -> String {
    let param = regex::Regex::new(r"\$\{[^}]*\}|\{[^}]*\}").unwrap();
    param.replace_all(path, "{}").into_owned()
}

fn admin_sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![Path::new("admin").to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "js") {
                let rel = path
                    .strip_prefix("admin")
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    assert!(out.len() >= 5, "admin sources not found");
    out
}

fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.components() {
        match part.as_os_str().to_str().unwrap() {
            "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other.to_owned()),
        }
    }
    parts.join("/")
}
