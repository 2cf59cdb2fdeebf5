//! Whether the baseline gives the service's answer: the same rows in the
//! same order, the same total and cursor, and each item equal field for
//! field (so the baseline cannot win by answering less).

use serde_json::Value;

async fn fetch(client: &reqwest::Client, url: &str) -> Value {
    let res = client.get(url).send().await.expect("request");
    assert_eq!(res.status(), 200, "{url}");
    res.json().await.expect("json answer")
}

fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().filter_map(|a| a["id"].as_i64()).collect()
}

/// The first field where two items differ, if any.
fn first_difference(service: &Value, baseline: &Value) -> Option<String> {
    let (Some(s), Some(b)) = (service.as_object(), baseline.as_object()) else {
        return (service != baseline).then(|| "not an object".to_owned());
    };
    for (k, v) in s {
        match b.get(k) {
            None => return Some(format!("`{k}` missing from the baseline")),
            Some(bv) if bv != v => return Some(format!("`{k}` differs")),
            _ => {}
        }
    }
    b.keys()
        .find(|k| !s.contains_key(*k))
        .map(|k| format!("`{k}` only in the baseline"))
}

/// Compares the answers to `path` of both servers. Returns a short summary
/// of the service's answer ("20 of 8,012") and the differences found.
pub async fn compare(
    client: &reqwest::Client,
    service: &str,
    baseline: &str,
    path: &str,
) -> (String, Vec<String>) {
    let s = fetch(client, &format!("{service}{path}")).await;
    let b = fetch(client, &format!("{baseline}{path}")).await;
    let mut problems = Vec::new();
    let summary = if let Some(s_items) = s["data"].as_array() {
        let b_items = b["data"].as_array().cloned().unwrap_or_default();
        let (si, bi) = (ids(s_items), ids(&b_items));
        if si != bi {
            let mut ss = si.clone();
            let mut bs = bi.clone();
            ss.sort_unstable();
            bs.sort_unstable();
            problems.push(if ss == bs {
                "same ids in another order".to_owned()
            } else {
                format!("different ids: service {si:?}, baseline {bi:?}")
            });
        } else if let Some(d) = s_items
            .iter()
            .zip(&b_items)
            .find_map(|(x, y)| first_difference(x, y))
        {
            problems.push(format!("items: {d}"));
        }
        for field in ["total", "next_cursor", "page", "per_page"] {
            if s["meta"][field] != b["meta"][field] {
                problems.push(format!(
                    "meta.{field}: service {}, baseline {}",
                    s["meta"][field], b["meta"][field]
                ));
            }
        }
        format!(
            "{} of {}",
            s_items.len(),
            s["meta"]["total"].as_i64().unwrap_or(-1)
        )
    } else {
        if let Some(d) = first_difference(&s, &b) {
            problems.push(d);
        }
        "1".to_owned()
    };
    (summary, problems)
}
