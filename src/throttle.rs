//! Fixed-window throttles kept in the database, so every instance behind a
//! load balancer shares them. A key that exceeds its limit is blocked until
//! its window ends (429 with `Retry-After`).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;

use crate::db::schema::throttle_buckets;
use crate::db::time::now;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};

/// A limit: `max` hits per `window_secs`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Hits allowed in one window.
    pub max: u32,
    /// Window length in seconds.
    pub window_secs: u64,
}

/// 429 if `key` is currently over its limit (does not count a hit).
pub async fn check(db: &Db, key: &str) -> ApiResult<()> {
    let at = now();
    let blocked: Option<Option<NaiveDateTime>> = with_conn!(db, conn => {
        throttle_buckets::table
            .filter(throttle_buckets::key.eq(key))
            .select(throttle_buckets::blocked_until)
            .first(conn)
            .await
            .optional()?
    });
    match blocked.flatten() {
        Some(until) if until > at => Err(too_many(until, at)),
        _ => Ok(()),
    }
}

/// Counts one hit for `key`. The hit that reaches the limit still passes but
/// blocks the key until its window ends; a hit beyond the limit gets 429.
pub async fn hit(db: &Db, key: &str, limit: Limit) -> ApiResult<()> {
    let at = now();
    let window = Duration::seconds(limit.window_secs as i64);
    let blocked_until = with_tx!(db, conn => {
        let row: Option<(i32, NaiveDateTime)> = throttle_buckets::table
            .filter(throttle_buckets::key.eq(key))
            .select((throttle_buckets::hits, throttle_buckets::window_start))
            .first(conn)
            .await
            .optional()?;
        let (hits, start) = match row {
            Some((hits, start)) if start + window > at => (hits + 1, start),
            _ => (1, at),
        };
        let blocked = (hits as u32 >= limit.max).then_some(start + window);
        diesel::delete(throttle_buckets::table.filter(throttle_buckets::key.eq(key)))
            .execute(conn)
            .await?;
        diesel::insert_into(throttle_buckets::table)
            .values((
                throttle_buckets::key.eq(key),
                throttle_buckets::hits.eq(hits),
                throttle_buckets::window_start.eq(start),
                throttle_buckets::blocked_until.eq(blocked),
            ))
            .execute(conn)
            .await?;
        Ok(blocked.filter(|_| hits as u32 > limit.max))
    })?;
    match blocked_until {
        Some(until) => Err(too_many(until, at)),
        None => Ok(()),
    }
}

/// Forgets `key` (e.g. after a successful login).
pub async fn clear(db: &Db, key: &str) -> ApiResult<()> {
    with_conn!(db, conn => {
        diesel::delete(throttle_buckets::table.filter(throttle_buckets::key.eq(key)))
            .execute(conn)
            .await?;
    });
    Ok(())
}

fn too_many(until: NaiveDateTime, at: NaiveDateTime) -> ApiError {
    let secs = (until - at).num_seconds().max(1) as u64;
    ApiError::TooManyRequests {
        retry_after_secs: secs,
    }
}
