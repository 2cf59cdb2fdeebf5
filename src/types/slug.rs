//! Slugs a client chooses.

use std::sync::LazyLock;

use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// Slugs as the OpenAPI document describes them: ASCII letters and digits
/// in hyphen-separated words; a single word needs a letter, so a slug is
/// never a number. (Slugs generated from titles may also use lowercase
/// letters of other scripts, which JSON Schema regexes cannot name
/// portably; see `docs/decisions.md`.)
pub const SLUG_PATTERN: &str = "^(([a-z0-9]+-)+[a-z0-9]+|[0-9]*[a-z][a-z0-9]*)$";

static SLUG: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(SLUG_PATTERN).expect("valid slug pattern"));

/// A URL slug chosen by a client: [`SLUG_PATTERN`], at most 80 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    /// Checks `raw` against the slug rule.
    pub fn parse(raw: String) -> Result<Self, &'static str> {
        if raw.len() <= crate::text::slug::MAX_SLUG_CHARS && SLUG.is_match(&raw) {
            Ok(Self(raw))
        } else {
            Err("must be lowercase a-z or 0-9 words joined by single hyphens (not a number), at most 80 characters")
        }
    }
}

super::text_type!(Slug);

impl PartialSchema for Slug {
    fn schema() -> RefOr<Schema> {
        super::string_schema(SLUG_PATTERN, None, crate::text::slug::MAX_SLUG_CHARS)
            .description(Some(
                "A URL slug: lowercase ASCII words joined by single hyphens, not a number",
            ))
            .examples(["persian-gulf"])
            .into()
    }
}

impl ToSchema for Slug {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_and_parser_agree() {
        for ok in ["news", "a-1", "2026-budget", "x", "a-b-c9", "12-34"] {
            assert!(Slug::parse(ok.into()).is_ok(), "{ok}");
        }
        for bad in ["", "2026", "-a", "a-", "a--b", "A", "a_b", "é"] {
            assert!(Slug::parse(bad.into()).is_err(), "{bad}");
        }
        assert!(Slug::parse("a".repeat(81)).is_err());
    }
}
