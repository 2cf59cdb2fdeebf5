//! E-mail addresses.

use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};
use validator::ValidateEmail;

/// Longest address accepted (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// An e-mail address (HTML's `type=email` rule), at most 254 characters,
/// as sent; compare it normalized (`users::model::normalize_email`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Checks `raw` against the address rule.
    pub fn parse(raw: String) -> Result<Self, &'static str> {
        if raw.chars().count() <= MAX_EMAIL_CHARS && raw.validate_email() {
            Ok(Self(raw))
        } else {
            Err("must be a valid email address")
        }
    }
}

super::text_type!(Email);

impl PartialSchema for Email {
    fn schema() -> RefOr<Schema> {
        super::string_schema(super::NO_NUL_PATTERN, None, MAX_EMAIL_CHARS)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
            .examples(["editor@example.com"])
            .into()
    }
}

impl ToSchema for Email {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert!(Email::parse("ana@example.org".into()).is_ok());
        for bad in ["", "ana", "ana@", "@example.org", "a b@example.org"] {
            assert!(Email::parse(bad.into()).is_err(), "{bad}");
        }
        assert!(Email::parse(format!("{}@example.org", "a".repeat(250))).is_err());
    }
}
