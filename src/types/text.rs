//! Free text with a length limit: [`Text`] may be empty, [`NonBlank`] must
//! hold more than whitespace. Neither may contain NUL.

use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::{check_length, string_schema, NO_NUL_PATTERN};

/// Characters Rust's `char::is_whitespace` knows, as a regex class body.
const WHITESPACE_CLASS: &str =
    r"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Text that is not only whitespace and has no NUL character.
pub fn not_blank_pattern() -> String {
    format!(r"^[^\u0000]*[^\u0000{WHITESPACE_CLASS}][^\u0000]*$")
}

/// Text of at most `MAX` characters without NUL (may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    /// Checks `raw` against the length rule.
    pub fn parse(raw: String) -> Result<Self, std::borrow::Cow<'static, str>> {
        check_length(&raw, 0, MAX)?;
        Ok(Self(raw))
    }
}

super::text_type!(Text<const MAX: usize>);

impl<const MAX: usize> PartialSchema for Text<MAX> {
    fn schema() -> RefOr<Schema> {
        string_schema(NO_NUL_PATTERN, None, MAX)
            .description(Some(format!(
                "Text of at most {MAX} characters, without NUL"
            )))
            .into()
    }
}

impl<const MAX: usize> ToSchema for Text<MAX> {
    fn name() -> std::borrow::Cow<'static, str> {
        format!("Text{MAX}").into()
    }
}

/// Text of 1 to `MAX` characters, not only whitespace, without NUL (a
/// title, a name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonBlank<const MAX: usize>(String);

impl<const MAX: usize> NonBlank<MAX> {
    /// Checks `raw` against the length and not-blank rules.
    pub fn parse(raw: String) -> Result<Self, std::borrow::Cow<'static, str>> {
        check_length(&raw, 1, MAX)?;
        if raw.chars().all(char::is_whitespace) {
            return Err("must not be blank".into());
        }
        Ok(Self(raw))
    }
}

super::text_type!(NonBlank<const MAX: usize>);

impl<const MAX: usize> PartialSchema for NonBlank<MAX> {
    fn schema() -> RefOr<Schema> {
        string_schema(&not_blank_pattern(), Some(1), MAX)
            .description(Some(format!(
                "Text of 1 to {MAX} characters, not only whitespace, without NUL"
            )))
            .into()
    }
}

impl<const MAX: usize> ToSchema for NonBlank<MAX> {
    fn name() -> std::borrow::Cow<'static, str> {
        format!("NonBlank{MAX}").into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_pattern_agrees_with_the_parser() {
        let pattern = regex::Regex::new(&not_blank_pattern()).unwrap();
        for (s, ok) in [
            ("a", true),
            (" a ", true),
            ("", false),
            (" \t\n", false),
            ("\u{3000}", false),
            ("a\u{0}", false),
        ] {
            assert_eq!(pattern.is_match(s), ok, "{s:?}");
            assert_eq!(NonBlank::<10>::parse(s.into()).is_ok(), ok, "{s:?}");
        }
        assert!(regex::Regex::new(NO_NUL_PATTERN).unwrap().is_match("plain"));
        assert!(Text::<3>::parse("abc".into()).is_ok());
        assert!(Text::<3>::parse("abcd".into()).is_err());
        assert!(Text::<3>::parse(String::new()).is_ok());
        assert_eq!(
            NonBlank::<3>::parse("abcd".into()).unwrap_err(),
            "length must be between 1 and 3 characters"
        );
    }
}
