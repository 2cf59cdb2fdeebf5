//! What the cache asks the database: the content generation and when the
//! next scheduled article goes live.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::articles::workflow::PUBLIC_STATUSES;
use crate::db::schema::{articles, content_generation};
use crate::db::Conn;

/// The generation the database is at and the first `published_at` after
/// `now` among public articles (when a list must change by itself). The
/// generation is read first: a later write can only make the time newer
/// than the generation, which the next check corrects.
pub async fn read(
    conn: &mut Conn,
    now: NaiveDateTime,
) -> QueryResult<(u64, Option<NaiveDateTime>)> {
    let generation: i64 = run!(conn, c => {
        content_generation::table
            .select(content_generation::generation)
            .filter(content_generation::id.eq(1))
            .first(c)
            .await
    })?;
    let next: Option<NaiveDateTime> = run!(conn, c => {
        articles::table
            .filter(articles::status.eq_any(PUBLIC_STATUSES))
            .filter(articles::trashed_at.is_null())
            .filter(articles::published_at.gt(now))
            .select(diesel::dsl::min(articles::published_at))
            .first(c)
            .await
    })?;
    Ok((u64::try_from(generation).unwrap_or_default(), next))
}
