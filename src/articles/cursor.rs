//! Keyset cursors of article lists, in a documented text form so that every
//! string matching [`CURSOR_PATTERN`] is a position a client may ask for:
//!
//! - `pd.<micros>.<id>`, `pa.<micros>.<id>`, `ud.<micros>.<id>`: newest
//!   published, oldest published, last updated; `<micros>` is the instant in
//!   microseconds since 1970 (or `n` for no publication date);
//! - `t.<hex of the title's UTF-8>.<id>`: title order (never a `00` byte:
//!   a title holds no NUL).
//!
//! The cursor carries its sort order, which wins over `sort`.

use chrono::{DateTime, NaiveDateTime};

use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::listing::{CursorKey, Sort};
use crate::error::{ApiError, FieldError};

/// The pattern published for the `cursor` parameter.
pub const CURSOR_PATTERN: &str =
    r"^((pd|pa|ud)\.(n|-?[0-9]{1,16})|t\.([1-9a-f][0-9a-f]|0[1-9a-f]){0,800})\.[0-9]{1,18}$";

/// Longest cursor (a title cursor of 800 bytes plus the id).
pub const CURSOR_MAX_LEN: usize = 1625;

/// The `cursor` parameter as the OpenAPI document describes it.
pub struct Cursor;

impl PartialSchema for Cursor {
    fn schema() -> RefOr<Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(CURSOR_PATTERN))
            .max_length(Some(CURSOR_MAX_LEN))
            .description(Some(
                "A position in a list: `meta.next_cursor` of the page before",
            ))
            .into()
    }
}

impl ToSchema for Cursor {}

fn code(sort: Sort) -> &'static str {
    match sort {
        Sort::PublishedDesc => "pd",
        Sort::PublishedAsc => "pa",
        Sort::UpdatedDesc => "ud",
        Sort::Title => "t",
        // Never encoded (relevance has no cursor); kept out of the pattern.
        Sort::Relevance => "r",
    }
}

fn invalid() -> ApiError {
    ApiError::BadRequest {
        code: "invalid_cursor",
        detail: "the cursor is malformed; use meta.next_cursor as given".to_owned(),
        errors: vec![FieldError::new("cursor", "invalid cursor")],
    }
}

impl CursorKey {
    /// The cursor text of this position.
    pub fn encode(&self) -> String {
        let key = match (self.sort, &self.title, self.at) {
            (Sort::Title, title, _) => {
                let bytes = title.as_deref().unwrap_or_default().as_bytes();
                let bytes = &bytes[..bytes.len().min(800)];
                bytes.iter().map(|b| format!("{b:02x}")).collect()
            }
            (_, _, Some(at)) => at.and_utc().timestamp_micros().to_string(),
            (_, _, None) => "n".to_owned(),
        };
        format!("{}.{key}.{}", code(self.sort), self.id)
    }

    /// Reads a cursor (400 unless it matches [`CURSOR_PATTERN`]).
    pub fn decode(raw: &str) -> Result<Self, ApiError> {
        if raw.len() > CURSOR_MAX_LEN {
            return Err(invalid());
        }
        let mut parts = raw.split('.');
        let (Some(sort), Some(key), Some(id), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let id: i64 = match id.len() {
            1..=18 if id.bytes().all(|b| b.is_ascii_digit()) => {
                id.parse().map_err(|_| invalid())?
            }
            _ => return Err(invalid()),
        };
        let sort = match sort {
            "pd" => Sort::PublishedDesc,
            "pa" => Sort::PublishedAsc,
            "ud" => Sort::UpdatedDesc,
            "t" => Sort::Title,
            _ => return Err(invalid()),
        };
        let (at, title) = if sort == Sort::Title {
            (None, Some(hex_text(key).ok_or_else(invalid)?))
        } else {
            (instant(key).ok_or_else(invalid)?, None)
        };
        Ok(Self {
            sort,
            at,
            title,
            id,
        })
    }
}

/// `n` → no instant; otherwise signed microseconds (at most 16 digits).
fn instant(key: &str) -> Option<Option<NaiveDateTime>> {
    if key == "n" {
        return Some(None);
    }
    let digits = key.strip_prefix('-').unwrap_or(key);
    if digits.is_empty() || digits.len() > 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let micros: i64 = key.parse().ok()?;
    Some(Some(DateTime::from_timestamp_micros(micros)?.naive_utc()))
}

/// Lower-case hex pairs → text (bytes that are not UTF-8 become U+FFFD: a
/// position in title order all the same). A NUL byte is refused: no title
/// holds one, so no cursor we issued does, and PostgreSQL cannot compare
/// text that has one.
fn hex_text(key: &str) -> Option<String> {
    if !key.len().is_multiple_of(2) || key.len() > 1600 {
        return None;
    }
    let bytes = (0..key.len())
        .step_by(2)
        .map(|i| match &key[i..i + 2] {
            pair if pair.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) => {
                u8::from_str_radix(pair, 16).ok()
            }
            _ => None,
        })
        .collect::<Option<Vec<u8>>>()?;
    if bytes.contains(&0) {
        return None;
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(sort: Sort, at: Option<i64>, title: Option<&str>, id: i64) -> CursorKey {
        CursorKey {
            sort,
            at: at.map(|m| DateTime::from_timestamp_micros(m).unwrap().naive_utc()),
            title: title.map(str::to_owned),
            id,
        }
    }

    #[test]
    fn round_trips_and_matches_the_published_pattern() {
        let pattern = regex::Regex::new(CURSOR_PATTERN).unwrap();
        for k in [
            key(Sort::PublishedDesc, Some(1_795_000_000_123_456), None, 42),
            key(Sort::PublishedAsc, None, None, 7),
            key(Sort::UpdatedDesc, Some(-5), None, 1),
            key(Sort::Title, None, Some("“Curly” — quotes…"), 9),
            key(Sort::Title, None, Some(""), 3),
        ] {
            let text = k.encode();
            assert!(pattern.is_match(&text), "{text}");
            let back = CursorKey::decode(&text).unwrap();
            assert_eq!(
                (back.sort, back.at, back.title, back.id),
                (k.sort, k.at, k.title, k.id)
            );
        }
    }

    #[test]
    fn anything_matching_the_pattern_decodes_and_nothing_else_does() {
        let pattern = regex::Regex::new(CURSOR_PATTERN).unwrap();
        for ok in [
            "pd.0.0",
            "ud.-9999999999999999.999999999999999999",
            "t..1",
            "t.ff.2",
            "pa.n.5",
        ] {
            assert!(
                pattern.is_match(ok) && CursorKey::decode(ok).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "",
            "x.1.1",
            "pd.1",
            "pd.1.1.1",
            "t.f.1",
            "t.FF.1",
            "t.3e00.1",
            "t.00.1",
            "pd.+1.1",
            "pd.1.-1",
            "pd.12345678901234567.1",
            "eyJzb3J0Ijo",
        ] {
            assert!(
                !pattern.is_match(bad) && CursorKey::decode(bad).is_err(),
                "{bad}"
            );
        }
    }
}
