//! Time as stored: UTC `timestamp`, truncated to microseconds so PostgreSQL
//! and SQLite hold exactly the same value.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

/// The current UTC time at microsecond precision.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// A stored timestamp as an RFC 3339 UTC instant.
pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// A client-supplied instant as a stored timestamp.
pub fn to_stored(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc().trunc_subsecs(6)
}

/// An instant as HTTP dates and RSS write it: RFC 822 with a four-digit
/// year, in GMT (`Mon, 05 Jan 2026 08:00:00 GMT`).
pub fn http_date(at: NaiveDateTime) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}
