//! Rate limits kept in the database, so every instance behind a load
//! balancer shares them: a count of attempts per key in a fixed window.
//!
//! An attempt is **reserved** before the work it guards (a password hash, a
//! stored comment) in one atomic statement, so a burst of parallel requests
//! can never get more than `max` of them through: the count goes up first,
//! and only the requests it leaves within the limit go on. A guarded
//! attempt that succeeds may give its reservation back (a right password
//! does not count as a failure), without touching anyone else's.

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::case_when;
use diesel::prelude::{ExpressionMethods, QueryDsl};
use diesel::result::QueryResult;
use diesel::sql_types::{Integer, Timestamp};
use diesel_async::RunQueryDsl;

use crate::db::schema::throttle_buckets;
use crate::db::time::now;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult};

/// A limit: `max` attempts per `window_secs`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Attempts allowed in one window.
    pub max: u32,
    /// Window length in seconds.
    pub window_secs: u64,
}

/// An attempt counted against a key, which [`release`] can give back.
#[derive(Debug)]
#[must_use = "release the reservation when the guarded attempt succeeds, or drop it to keep it counted"]
pub struct Reservation {
    key: String,
    window_start: NaiveDateTime,
}

impl Reservation {
    /// Keeps the attempt counted (says so where a reservation is not given
    /// back).
    pub fn keep(self) {}
}

/// What reserving an attempt found.
#[derive(Debug)]
pub enum Verdict {
    /// Within the limit: go on.
    Within(Reservation),
    /// Over the limit until the window ends.
    Over {
        /// Seconds until the window ends (`Retry-After`).
        retry_after_secs: u64,
    },
}

impl Verdict {
    /// Whether the limit is used up.
    pub fn is_over(&self) -> bool {
        matches!(self, Self::Over { .. })
    }

    /// The reservation, or 429 with `Retry-After`.
    pub fn or_too_many(self) -> ApiResult<Reservation> {
        match self {
            Self::Within(reservation) => Ok(reservation),
            Self::Over { retry_after_secs } => Err(ApiError::TooManyRequests { retry_after_secs }),
        }
    }
}

/// Counts one attempt for `key` in one atomic statement (an upsert that
/// starts a new window when the last one has ended) and says whether it is
/// within `limit`.
pub async fn reserve(conn: &mut Conn, key: &str, limit: Limit) -> QueryResult<Verdict> {
    use throttle_buckets::{hits, window_start};
    let at = now();
    let window = Duration::seconds(limit.window_secs as i64);
    let expired = window_start.le(at - window);
    let (count, start): (i32, NaiveDateTime) = run!(conn, c => {
        diesel::insert_into(throttle_buckets::table)
            .values((throttle_buckets::key.eq(key), hits.eq(1), window_start.eq(at)))
            .on_conflict(throttle_buckets::key)
            .do_update()
            .set((
                hits.eq(case_when::<_, _, Integer>(expired, 1).otherwise(hits + 1)),
                window_start.eq(case_when::<_, _, Timestamp>(expired, at).otherwise(window_start)),
            ))
            .returning((hits, window_start))
            .get_result(c)
            .await
    })?;
    if count as u32 <= limit.max {
        return Ok(Verdict::Within(Reservation {
            key: key.to_owned(),
            window_start: start,
        }));
    }
    let retry_after_secs = ((start + window) - at).num_seconds().max(1) as u64;
    Ok(Verdict::Over { retry_after_secs })
}

/// Gives a reservation back (its attempt succeeded), if its window is
/// still the current one.
pub async fn release(conn: &mut Conn, reservation: Reservation) -> QueryResult<()> {
    use throttle_buckets::{hits, key, window_start};
    run!(conn, c => {
        diesel::update(
            throttle_buckets::table
                .filter(key.eq(&reservation.key))
                .filter(window_start.eq(reservation.window_start))
                .filter(hits.gt(0)),
        )
        .set(hits.eq(hits - 1))
        .execute(c)
        .await
    })?;
    Ok(())
}
