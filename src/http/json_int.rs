//! Integers as JSON Schema defines them: `3` and `3.0` are the same integer.
//! serde rejects `3.0` for an `i64`; clients generated from the OpenAPI
//! document (and JavaScript's `JSON.stringify`) may send either.
//! Use with `#[serde(default, deserialize_with = "crate::json_int::optional")]`.

use serde::{Deserialize, Deserializer};
use serde_json::Number;

fn to_i64<E: serde::de::Error>(n: &Number) -> Result<i64, E> {
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 => Ok(f as i64),
        _ => Err(E::custom(format!("invalid type: {n}, expected an integer"))),
    }
}

/// An optional integer (`null` or absent → `None`).
pub fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Option::<Number>::deserialize(deserializer)?
        .map(|n| to_i64(&n))
        .transpose()
}

/// A nullable PATCH integer: absent → `None`, `null` → `Some(None)`.
pub fn nullable<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<i64>>, D::Error> {
    optional(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug)]
    struct Body {
        #[serde(default, deserialize_with = "super::optional")]
        id: Option<i64>,
        #[serde(default, deserialize_with = "super::nullable")]
        link: Option<Option<i64>>,
    }

    fn parse(json: &str) -> Result<Body, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn whole_floats_are_integers_and_fractions_are_not() {
        assert_eq!(parse(r#"{"id": 3.0}"#).unwrap().id, Some(3));
        assert_eq!(parse(r#"{"id": 7}"#).unwrap().id, Some(7));
        assert_eq!(parse(r#"{"id": null}"#).unwrap().id, None);
        assert_eq!(parse("{}").unwrap().id, None);
        assert!(parse(r#"{"id": 3.5}"#).is_err());
        assert!(parse(r#"{"id": "3"}"#).is_err());
        assert!(parse(r#"{"id": 1e300}"#).is_err());
        assert_eq!(parse(r#"{"link": null}"#).unwrap().link, Some(None));
        assert_eq!(parse(r#"{"link": 2.0}"#).unwrap().link, Some(Some(2)));
        assert_eq!(parse("{}").unwrap().link, None);
    }
}
