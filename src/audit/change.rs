//! The small before/after of an audit event: only the fields that changed,
//! long texts shortened, bookkeeping fields and secrets never included.

use serde::Serialize;
use serde_json::{Map, Value};

/// Fields never recorded, whatever view they come in: secrets (a safety net;
/// views should not hold them) and bookkeeping that changes on every write.
const LEFT_OUT: &[&str] = &[
    "password",
    "password_hash",
    "secret",
    "secret_hash",
    "token",
    "refresh_token",
    "access_token",
    "author_email",
    "created_at",
    "updated_at",
    "last_used_at",
];

/// Texts are kept up to this many characters, then cut with `…`.
const MAX_TEXT_CHARS: usize = 200;

/// The changed fields of one write: `before` and `after` objects holding
/// the same keys (one side is absent for a create or a delete).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// The fields as they were.
    pub before: Option<Map<String, Value>>,
    /// The fields as they are now.
    pub after: Option<Map<String, Value>>,
}

impl Change {
    /// Nothing to show (a sign-in, a logout).
    pub fn none() -> Self {
        Self::default()
    }

    /// A new row, as `view` shows it.
    pub fn created(view: &impl Serialize) -> Self {
        Self {
            before: None,
            after: Some(fields(view)),
        }
    }

    /// A removed row, as `view` showed it.
    pub fn deleted(view: &impl Serialize) -> Self {
        Self {
            before: Some(fields(view)),
            after: None,
        }
    }

    /// The fields that differ between two views of one row.
    pub fn between(before: &impl Serialize, after: &impl Serialize) -> Self {
        let old = fields(before);
        let new = fields(after);
        let differs = |key: &String| old.get(key) != new.get(key);
        let before: Map<String, Value> = old
            .iter()
            .filter(|(k, _)| differs(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let after: Map<String, Value> = new
            .iter()
            .filter(|(k, _)| differs(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Self {
            before: Some(before),
            after: Some(after),
        }
    }

    /// Adds a fact to `after` (for example that a password was set, never
    /// its value).
    pub fn noting(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.after
            .get_or_insert_with(Map::new)
            .insert(key.to_owned(), value.into());
        self
    }

    /// Nothing changed in the fields shown.
    pub fn is_empty(&self) -> bool {
        self.before.as_ref().is_none_or(Map::is_empty)
            && self.after.as_ref().is_none_or(Map::is_empty)
    }
}

/// The recordable fields of `view` (which serializes to a JSON object).
fn fields(view: &impl Serialize) -> Map<String, Value> {
    let Ok(Value::Object(mut map)) = serde_json::to_value(view) else {
        return Map::new();
    };
    map.retain(|key, _| !LEFT_OUT.contains(&key.as_str()));
    for value in map.values_mut() {
        shorten(value);
    }
    map
}

fn shorten(value: &mut Value) {
    if let Value::String(text) = value {
        if let Some((cut, _)) = text.char_indices().nth(MAX_TEXT_CHARS) {
            text.truncate(cut);
            text.push('…');
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keeps_only_what_changed() {
        let change = Change::between(
            &json!({"title": "Old", "slug": "s", "updated_at": 1, "gone": 1}),
            &json!({"title": "New", "slug": "s", "updated_at": 2, "new": 2}),
        );
        assert_eq!(
            change.before.unwrap(),
            *json!({"title": "Old", "gone": 1}).as_object().unwrap()
        );
        assert_eq!(
            change.after.unwrap(),
            *json!({"title": "New", "new": 2}).as_object().unwrap()
        );
    }

    #[test]
    fn never_records_secrets_and_shortens_texts() {
        let change = Change::created(&json!({
            "password": "hunter22", "secret": "s", "author_email": "a@b.c",
            "bio": "é".repeat(300),
        }));
        let after = change.after.unwrap();
        assert_eq!(after.len(), 1);
        assert_eq!(
            after["bio"].as_str().unwrap().chars().count(),
            MAX_TEXT_CHARS + 1
        );
    }

    #[test]
    fn unchanged_views_make_an_empty_change() {
        let view = json!({"name": "x"});
        assert!(Change::between(&view, &view).is_empty());
        assert!(!Change::none().noting("password_changed", true).is_empty());
    }
}
