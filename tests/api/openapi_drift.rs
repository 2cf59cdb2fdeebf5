//! The committed `openapi/openapi.json` is exactly what the code generates.
//! Run with `UPDATE_OPENAPI=1` to rewrite it on purpose.

use crate::harness::{Backend, TestApp};

#[test]
fn committed_spec_matches_the_code() {
    let generated = cms::api_docs::spec_json();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, generated).unwrap();
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
    assert_eq!(res.text().await.unwrap(), cms::api_docs::spec_json());
}

/// Every operation is documented the way integrators need: an id of the form
/// `<verb>_<resource>`, a summary, a tag, declared security, problem+json
/// error bodies, and the body errors wherever a body is accepted.
#[test]
fn every_operation_is_complete() {
    let doc: serde_json::Value = serde_json::from_str(cms::api_docs::spec_json()).unwrap();
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
        "restore",
        "refresh",
        "redeliver",
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
            for param in op["parameters"].as_array().into_iter().flatten() {
                let allows_null = param["schema"]["oneOf"]
                    .as_array()
                    .is_some_and(|items| items.iter().any(|s| s["type"] == "null"))
                    || param["schema"]["type"]
                        .as_array()
                        .is_some_and(|t| t.iter().any(|t| t == "null"));
                // A header or query value is text: "null" would be sent as such.
                assert!(
                    !allows_null,
                    "{id}: parameter {} allows null",
                    param["name"]
                );
            }
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

/// Every `$ref` names a schema the document defines: the route list collects
/// the schemas of bodies and responses, and `api_docs` lists the ones only
/// parameters use.
#[test]
fn every_reference_resolves() {
    let doc = cms::api_docs::spec_json();
    let parsed: serde_json::Value = serde_json::from_str(doc).unwrap();
    let schemas = parsed["components"]["schemas"].as_object().unwrap();
    let prefix = "\"#/components/schemas/";
    let mut rest = doc;
    let mut seen = 0;
    while let Some(at) = rest.find(prefix) {
        rest = &rest[at + prefix.len()..];
        let name = &rest[..rest.find('"').unwrap()];
        assert!(schemas.contains_key(name), "dangling reference to {name}");
        seen += 1;
    }
    assert!(seen > 20, "{seen} references");
}

/// Every string a request may carry states its rule (a pattern, an enum or a
/// format), so fuzzers and generated clients know what the server accepts:
/// request types use the rule-carrying types of `cms::types`.
#[test]
fn every_request_string_has_a_rule() {
    let doc: serde_json::Value = serde_json::from_str(cms::api_docs::spec_json()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for param in op["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap();
                // Free-text filters are matched, never stored.
                if ["q", "tag", "author", "id_or_slug"].contains(&name) {
                    continue;
                }
                checked += strings_have_rules(
                    &param["schema"],
                    schemas,
                    &format!("{method} {path} {name}"),
                );
            }
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            if !body.is_null() {
                checked += strings_have_rules(body, schemas, &format!("{method} {path} body"));
            }
        }
    }
    assert!(checked > 40, "{checked} strings checked");
}

fn strings_have_rules(schema: &serde_json::Value, schemas: &serde_json::Value, at: &str) -> usize {
    if let Some(name) = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        return strings_have_rules(&schemas[name], schemas, &format!("{at} → {name}"));
    }
    let mut checked = 0;
    let is_string = schema["type"] == "string"
        || schema["type"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "string"));
    if is_string {
        let has_rule = schema.get("pattern").is_some()
            || schema.get("enum").is_some()
            || schema.get("format").is_some();
        assert!(
            has_rule,
            "{at}: a string without a pattern, enum or format: {schema}"
        );
        checked += 1;
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for item in schema[key].as_array().into_iter().flatten() {
            checked += strings_have_rules(item, schemas, at);
        }
    }
    checked += strings_have_rules_in(&schema["items"], schemas, at);
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        checked += strings_have_rules(property, schemas, &format!("{at}.{name}"));
    }
    checked
}

fn strings_have_rules_in(
    schema: &serde_json::Value,
    schemas: &serde_json::Value,
    at: &str,
) -> usize {
    if schema.is_null() {
        0
    } else {
        strings_have_rules(schema, schemas, &format!("{at}[]"))
    }
}
