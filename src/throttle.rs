//! Fixed-window throttles kept in the database, so every instance behind a
//! load balancer shares them. A key that exceeds its limit is blocked until
//! its window ends (429 with `Retry-After`).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;

use crate::db::schema::throttle_buckets;
use crate::db::time::now;
use crate::db::Conn;
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
pub async fn check(conn: &mut Conn, key: &str) -> ApiResult<()> {
    let at = now();
    let blocked: Option<Option<NaiveDateTime>> = run!(conn, c => {
        throttle_buckets::table
            .filter(throttle_buckets::key.eq(key))
            .select(throttle_buckets::blocked_until)
            .first(c)
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
///
/// Every step is one atomic statement, so concurrent hits are all counted
/// and never collide (no read-then-write race).
pub async fn hit(conn: &mut Conn, key: &str, limit: Limit) -> ApiResult<()> {
    let at = now();
    let window = Duration::seconds(limit.window_secs as i64);
    let (hits, start) = count_hit(conn, key, at, at - window).await?;
    if hits as u32 >= limit.max {
        let until = start + window;
        run!(conn, c => {
            diesel::update(throttle_buckets::table.filter(throttle_buckets::key.eq(key)))
                .set(throttle_buckets::blocked_until.eq(until))
                .execute(c)
                .await?
        });
        if hits as u32 > limit.max {
            return Err(too_many(until, at));
        }
    }
    Ok(())
}

/// Adds one hit to the current window of `key` (starting a new window when
/// the last one began at or before `cutoff`); returns the hits and the
/// window start.
async fn count_hit(
    conn: &mut Conn,
    key: &str,
    at: NaiveDateTime,
    cutoff: NaiveDateTime,
) -> ApiResult<(i32, NaiveDateTime)> {
    // A few rounds at most: each retry means another request just moved the
    // bucket on, and the next round sees its result.
    for _ in 0..4 {
        let counted: Option<(i32, NaiveDateTime)> = run!(conn, c => {
            diesel::update(
                throttle_buckets::table
                    .filter(throttle_buckets::key.eq(key))
                    .filter(throttle_buckets::window_start.gt(cutoff)),
            )
            .set(throttle_buckets::hits.eq(throttle_buckets::hits + 1))
            .returning((throttle_buckets::hits, throttle_buckets::window_start))
            .get_result(c)
            .await
            .optional()?
        });
        if let Some(counted) = counted {
            return Ok(counted);
        }
        let inserted = run!(conn, c => {
            diesel::insert_into(throttle_buckets::table)
                .values((
                    throttle_buckets::key.eq(key),
                    throttle_buckets::hits.eq(1),
                    throttle_buckets::window_start.eq(at),
                    throttle_buckets::blocked_until.eq(None::<NaiveDateTime>),
                ))
                .on_conflict_do_nothing()
                .execute(c)
                .await?
        });
        if inserted == 1 {
            return Ok((1, at));
        }
        let restarted = run!(conn, c => {
            diesel::update(
                throttle_buckets::table
                    .filter(throttle_buckets::key.eq(key))
                    .filter(throttle_buckets::window_start.le(cutoff)),
            )
            .set((
                throttle_buckets::hits.eq(1),
                throttle_buckets::window_start.eq(at),
                throttle_buckets::blocked_until.eq(None::<NaiveDateTime>),
            ))
            .execute(c)
            .await?
        });
        if restarted == 1 {
            return Ok((1, at));
        }
    }
    Err(ApiError::Unavailable(
        "the throttle is too busy; retry".to_owned(),
    ))
}

/// Forgets `key` (e.g. after a successful login).
pub async fn clear(conn: &mut Conn, key: &str) -> ApiResult<()> {
    run!(conn, c => {
        diesel::delete(throttle_buckets::table.filter(throttle_buckets::key.eq(key)))
            .execute(c)
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
