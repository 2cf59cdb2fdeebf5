//! Finishing touches on the generated OpenAPI document that utoipa's
//! attributes cannot express:
//!
//! - string rules: a DTO field marks its validator with a private format
//!   (`http-url`, `slug`, `text`), replaced here by the regex the server
//!   enforces; every other request string gets the "no NUL" pattern;
//! - sparse fieldsets: article reads with `fields=` return only some
//!   properties, so their items are `ArticleResponse` or `ArticleFields`
//!   (the same properties, only `id` required).

use serde_json::{json, Map, Value};

use crate::articles::cursor::{CURSOR_MAX_LEN, CURSOR_PATTERN};
use crate::articles::dto::{ARTICLE_FIELDS, ARTICLE_INCLUDES};
use crate::http::caching::IF_MATCH_PATTERN;
use crate::validation::{not_blank_pattern, HTTP_URL_PATTERN, NO_NUL_PATTERN, SLUG_PATTERN};

/// Applies every refinement to the serialized document.
pub fn refine(doc: &mut Value) {
    let request_schemas = request_body_schemas(doc);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            string_rules(schema, request_schemas.contains(name));
        }
    }
    sparse_articles(doc);
    list_parameters(doc);
    shared_responses(doc);
}

/// Answers every operation of a kind can give, declared once here: any JSON
/// body can be malformed (400), late (408), too large (413), not JSON (415) or invalid
/// (422); any operation under `/api/v1` reaches the database, which can be
/// unavailable (503, with `Retry-After`).
fn shared_responses(doc: &mut Value) {
    let problem = |description: &str| {
        json!({
            "description": description,
            "content": { "application/problem+json": {
                "schema": { "$ref": "#/components/schemas/ProblemDetails" } } },
        })
    };
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            let has_body = op.get("requestBody").is_some();
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            if has_body {
                for (status, description) in [
                    ("400", "Malformed JSON, not an object, or an unknown field"),
                    (
                        "408",
                        "The body did not arrive within BODY_READ_TIMEOUT_SECS",
                    ),
                    ("413", "Body larger than JSON_BODY_LIMIT"),
                    ("415", "Body is not application/json"),
                    ("422", "Invalid values"),
                ] {
                    responses
                        .entry(status)
                        .or_insert_with(|| problem(description));
                }
            }
            if path.starts_with("/api/v1/") {
                let mut unavailable = problem("The database is unavailable; retry later");
                unavailable["headers"] = json!({ "Retry-After": {
                    "description": "Seconds to wait", "schema": { "type": "integer" } } });
                responses.entry("503").or_insert(unavailable);
            }
        }
    }
}

/// `include` and `fields` are comma-separated lists from an allow-list;
/// `cursor` and `If-Match` have a documented form.
fn list_parameters(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in item.values_mut() {
            let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
                continue;
            };
            for param in params
                .iter_mut()
                .filter(|p| p["in"] == "header" && p["name"] == "If-Match")
            {
                param["schema"] = json!({ "type": "string", "pattern": IF_MATCH_PATTERN });
            }
            for param in params.iter_mut().filter(|p| p["in"] == "query") {
                if param["name"] == "cursor" {
                    param["schema"] = json!({
                        "type": "string",
                        "pattern": CURSOR_PATTERN,
                        "maxLength": CURSOR_MAX_LEN,
                    });
                    continue;
                }
                let allowed = match param["name"].as_str() {
                    Some("include") => ARTICLE_INCLUDES,
                    Some("fields") => ARTICLE_FIELDS,
                    _ => continue,
                };
                param["schema"] = json!({
                    "type": "array",
                    "items": { "type": "string", "enum": allowed },
                    "minItems": 1,
                });
                param["style"] = json!("form");
                param["explode"] = json!(false);
                if let Some(example) = param.get("example").and_then(Value::as_str) {
                    let items: Vec<&str> = example.split(',').collect();
                    param["example"] = json!(items);
                }
            }
        }
    }
}

/// Names of the component schemas used as request bodies.
fn request_body_schemas(doc: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return names;
    };
    for item in paths.values().filter_map(Value::as_object) {
        for op in item.values() {
            let Some(content) = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
            else {
                continue;
            };
            for media in content.values() {
                if let Some(name) = media
                    .pointer("/schema/$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.rsplit('/').next())
                {
                    names.push(name.to_owned());
                }
            }
        }
    }
    names
}

/// Replaces marker formats with patterns (in every schema) and, in request
/// schemas, gives every other free-form string the "no NUL" pattern.
fn string_rules(schema: &mut Value, is_request: bool) {
    match schema {
        Value::Object(map) => {
            let is_string = match map.get("type") {
                Some(Value::String(t)) => t == "string",
                Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
                _ => false,
            };
            if is_string {
                string_rule(map, is_request);
            }
            for value in map.values_mut() {
                string_rules(value, is_request);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| string_rules(v, is_request)),
        _ => {}
    }
}

fn string_rule(map: &mut Map<String, Value>, is_request: bool) {
    let pattern = match map.get("format").and_then(Value::as_str) {
        Some("http-url") => Some(HTTP_URL_PATTERN.to_owned()),
        Some("slug") => Some(SLUG_PATTERN.to_owned()),
        Some("text") => Some(not_blank_pattern()),
        Some("password") if is_request => Some(NO_NUL_PATTERN.to_owned()),
        Some(_) => None,
        None if is_request && !map.contains_key("enum") && !map.contains_key("pattern") => {
            Some(NO_NUL_PATTERN.to_owned())
        }
        None => None,
    };
    if let Some(pattern) = pattern {
        if matches!(
            map.get("format").and_then(Value::as_str),
            Some("http-url" | "slug" | "text")
        ) {
            map.remove("format");
        }
        map.insert("pattern".to_owned(), Value::String(pattern));
    }
}

/// Declares `ArticleFields` and lets article reads return it.
fn sparse_articles(doc: &mut Value) {
    let Some(full) = doc.pointer("/components/schemas/ArticleResponse").cloned() else {
        return;
    };
    let mut sparse = full;
    sparse["required"] = json!(["id"]);
    sparse["description"] =
        json!("An article reduced by `fields=`: `id` plus the properties asked for.");
    doc["components"]["schemas"]["ArticleFields"] = sparse;
    let either = json!({ "anyOf": [
        { "$ref": "#/components/schemas/ArticleResponse" },
        { "$ref": "#/components/schemas/ArticleFields" },
    ]});
    for pointer in [
        "/components/schemas/ListResponse_ArticleResponse/properties/data/items",
        "/paths/~1api~1v1~1articles~1{id_or_slug}~1related/get/responses/200/content/application~1json/schema/items",
        "/paths/~1api~1v1~1articles~1{id_or_slug}/get/responses/200/content/application~1json/schema",
    ] {
        if let Some(slot) = doc.pointer_mut(pointer) {
            *slot = either.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_patterns_and_request_strings_refuse_nul() {
        let mut doc = json!({
            "paths": { "/x": { "post": { "requestBody": { "content": { "application/json": {
                "schema": { "$ref": "#/components/schemas/Req" } } } } } } },
            "components": { "schemas": {
                "Req": { "type": "object", "properties": {
                    "url": { "type": ["string", "null"], "format": "http-url" },
                    "slug": { "type": "string", "format": "slug" },
                    "name": { "type": "string", "format": "text" },
                    "email": { "type": "string", "format": "email" },
                    "free": { "type": "string" },
                    "tags": { "type": "array", "items": { "type": "string" } },
                    "kind": { "type": "string", "enum": ["a"] }
                } },
                "Resp": { "type": "object", "properties": { "free": { "type": "string" } } }
            } }
        });
        refine(&mut doc);
        let props = &doc["components"]["schemas"]["Req"]["properties"];
        assert_eq!(props["url"]["pattern"], HTTP_URL_PATTERN);
        assert!(props["url"].get("format").is_none());
        assert_eq!(props["slug"]["pattern"], SLUG_PATTERN);
        assert_eq!(props["name"]["pattern"], not_blank_pattern());
        assert_eq!(props["email"]["format"], "email");
        assert!(props["email"].get("pattern").is_none());
        assert_eq!(props["free"]["pattern"], NO_NUL_PATTERN);
        assert_eq!(props["tags"]["items"]["pattern"], NO_NUL_PATTERN);
        assert!(props["kind"].get("pattern").is_none());
        assert!(doc["components"]["schemas"]["Resp"]["properties"]["free"]
            .get("pattern")
            .is_none());
    }
}
