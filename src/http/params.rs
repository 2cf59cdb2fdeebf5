//! Parsing of common path and query parameters.

use crate::error::ApiError;
use crate::http::pagination::bad_param;

/// A path segment naming a resource by numeric id or by slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdOrSlug {
    /// All digits: the numeric id.
    Id(i64),
    /// Anything else: the slug.
    Slug(String),
}

impl IdOrSlug {
    /// Digits-only segments are ids (slugs never are); an id too large for
    /// 64 bits cannot exist, so it is a 404.
    pub fn parse(raw: &str, what: &str) -> Result<Self, ApiError> {
        if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
            return raw
                .parse()
                .map(Self::Id)
                .map_err(|_| ApiError::NotFound(format!("{what} not found")));
        }
        if raw.is_empty() || raw.len() > 200 {
            return Err(ApiError::NotFound(format!("{what} not found")));
        }
        Ok(Self::Slug(raw.to_owned()))
    }
}

/// Parses a numeric id path segment strictly (`123abc` → 404, never a partial parse).
pub fn parse_id(raw: &str, what: &str) -> Result<i64, ApiError> {
    match IdOrSlug::parse(raw, what)? {
        IdOrSlug::Id(id) => Ok(id),
        IdOrSlug::Slug(_) => Err(ApiError::NotFound(format!("{what} not found"))),
    }
}

/// Splits a comma-separated parameter into values of a named enum (`all`
/// its values, `name_of` their names), without repeats; an unknown or empty
/// item is a 400.
pub fn csv_allow_list<T: Copy + PartialEq>(
    param: &str,
    raw: Option<&str>,
    all: &[T],
    name_of: fn(T) -> &'static str,
) -> Result<Vec<T>, ApiError> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let allowed = || {
        all.iter()
            .map(|v| name_of(*v))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    for item in raw.split(',').map(str::trim) {
        // `include=` or `a,,b` is a list with an empty name in it: say so
        // rather than guess what was meant.
        if item.is_empty() {
            return Err(bad_param(
                param,
                format!("empty item; list one or more of: {}", allowed()),
            ));
        }
        let Some(value) = all.iter().copied().find(|v| name_of(*v) == item) else {
            return Err(bad_param(
                param,
                format!("unknown value {item:?}; allowed: {}", allowed()),
            ));
        };
        if !out.contains(&value) {
            out.push(value);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_parsed_strictly() {
        assert_eq!(IdOrSlug::parse("42", "x").unwrap(), IdOrSlug::Id(42));
        assert_eq!(
            IdOrSlug::parse("123abc", "x").unwrap(),
            IdOrSlug::Slug("123abc".into())
        );
        assert!(IdOrSlug::parse("99999999999999999999", "x").is_err());
        assert!(parse_id("-1", "x").is_err());
    }

    #[test]
    fn csv_rejects_unknown_items() {
        let names = |v: &'static str| v;
        let allowed = ["author", "tags"];
        assert_eq!(
            csv_allow_list("include", Some("tags,author,tags"), &allowed, names).unwrap(),
            vec!["tags", "author"]
        );
        assert!(csv_allow_list("include", Some("author,password"), &allowed, names).is_err());
        assert!(csv_allow_list("include", Some("author,"), &allowed, names).is_err());
    }
}
