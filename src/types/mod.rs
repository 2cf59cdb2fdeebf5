//! Request values that carry their rules: each type checks its value when a
//! body is deserialized (a broken rule is a 422 naming the field) and
//! publishes the same rule in the OpenAPI document (pattern, length,
//! format) as a named schema (`Slug`, `NonBlank200`…), so a client
//! generated from the document and the server agree.

mod email;
mod http_url;
mod password;
mod slug;
mod text;

use std::borrow::Cow;

pub use email::{Email, MAX_EMAIL_CHARS};
pub use http_url::{HttpUrl, MAX_URL_CHARS};
pub use password::Password;
pub use slug::Slug;
pub use text::{NonBlank, Text};

/// Prefix that marks a deserialization error as a broken rule (422), not a
/// malformed body (400). It never reaches a client.
const RULE: &str = "\u{1}rule:";

/// A deserialization error saying a value breaks its rule.
fn broken<E: serde::de::Error>(message: impl std::fmt::Display) -> E {
    E::custom(format!("{RULE}{message}"))
}

/// The message of a broken rule, if `error` (a deserialization error's
/// text) is one.
pub fn broken_rule(error: &str) -> Option<&str> {
    error.strip_prefix(RULE)
}

/// Any text without a NUL character (PostgreSQL cannot store one).
pub const NO_NUL_PATTERN: &str = r"^[^\u0000]*$";

/// The length check every text type shares: characters, not bytes.
fn check_length(value: &str, min: usize, max: usize) -> Result<(), Cow<'static, str>> {
    let chars = value.chars().count();
    if chars > max {
        return Err(match min {
            0 => format!("must be at most {max} characters").into(),
            _ => format!("length must be between {min} and {max} characters").into(),
        });
    }
    if chars < min {
        return Err(format!("length must be between {min} and {max} characters").into());
    }
    if value.contains('\0') {
        return Err("must not contain NUL characters".into());
    }
    Ok(())
}

/// Implements the parts every text newtype shares: deserialization through
/// `Self::parse`, `Serialize` as the plain string, access to the text.
macro_rules! text_type {
    ($ty:ident $(<$(const $param:ident: $pty:ty),+>)?) => {
        impl$(<$(const $param: $pty),+>)? $ty$(<$($param),+>)? {
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, owned.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl<'de $(, $(const $param: $pty),+)?> serde::Deserialize<'de> for $ty$(<$($param),+>)? {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(raw).map_err(super::broken)
            }
        }

        impl$(<$(const $param: $pty),+>)? serde::Serialize for $ty$(<$($param),+>)? {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl$(<$(const $param: $pty),+>)? std::ops::Deref for $ty$(<$($param),+>)? {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl$(<$(const $param: $pty),+>)? From<$ty$(<$($param),+>)?> for String {
            fn from(value: $ty$(<$($param),+>)?) -> String {
                value.0
            }
        }
    };
}
use text_type;

/// A string schema with the given rules.
fn string_schema(
    pattern: &str,
    min: Option<usize>,
    max: usize,
) -> utoipa::openapi::schema::ObjectBuilder {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .min_length(min)
        .max_length(Some(max))
        .pattern(Some(pattern))
}
