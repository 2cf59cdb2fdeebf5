//! PATCH semantics for nullable fields: absent → leave alone, `null` → clear,
//! value → set. Use as
//! `#[serde(default, deserialize_with = "crate::patch::nullable")] Option<Option<T>>`.

use serde::{Deserialize, Deserializer};

/// Deserializes a present field (even `null`) as `Some(..)`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
