//! Opaque keyset cursors: base64url of the sort key of the last row seen.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{de::DeserializeOwned, Serialize};

use crate::error::ApiError;

/// Encodes a cursor position.
pub fn encode<T: Serialize>(position: &T) -> String {
    let json = serde_json::to_vec(position).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

/// Decodes a cursor; anything malformed or from another sort is a 400.
pub fn decode<T: DeserializeOwned>(raw: &str) -> Result<T, ApiError> {
    let invalid = || ApiError::BadRequest {
        code: "invalid_cursor",
        detail: "the cursor is malformed or belongs to another sort order".to_owned(),
        errors: vec![crate::error::FieldError::new("cursor", "invalid cursor")],
    };
    if raw.len() > 512 {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
    serde_json::from_slice(&bytes).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let c = encode(&("2026-01-01T00:00:00Z", 42));
        let back: (String, i64) = decode(&c).unwrap();
        assert_eq!(back, ("2026-01-01T00:00:00Z".to_owned(), 42));
        assert!(decode::<(String, i64)>("not*base64").is_err());
        assert!(decode::<(String, i64)>(&encode(&"x")).is_err());
    }
}
