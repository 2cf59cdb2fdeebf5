//! Passwords as sent: never printed, never truncated.

use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::{check_length, string_schema, NO_NUL_PATTERN};

/// Longest password accepted (never truncated).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A password of `MIN` to 256 characters. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password<const MIN: usize>(String);

impl<const MIN: usize> Password<MIN> {
    /// Checks `raw` against the length rule.
    pub fn parse(raw: String) -> Result<Self, std::borrow::Cow<'static, str>> {
        check_length(&raw, MIN, MAX_PASSWORD_CHARS)?;
        Ok(Self(raw))
    }
}

super::text_type!(Password<const MIN: usize>);

impl<const MIN: usize> std::fmt::Debug for Password<MIN> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

impl<const MIN: usize> PartialSchema for Password<MIN> {
    fn schema() -> RefOr<Schema> {
        string_schema(NO_NUL_PATTERN, Some(MIN), MAX_PASSWORD_CHARS)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
            .description(Some(format!(
                "A password of {MIN} to {MAX_PASSWORD_CHARS} characters, never truncated"
            )))
            .into()
    }
}

impl<const MIN: usize> ToSchema for Password<MIN> {
    fn name() -> std::borrow::Cow<'static, str> {
        format!("Password{MIN}").into()
    }
}
