//! The queries of the sitemaps, all on the public index
//! (`articles_public_idx`, in `(published_at, id)` order): a count for the
//! index, a page's first key (read from the index alone) and then the
//! page itself as a keyset range, so a page reads only its own rows.

use chrono::NaiveDateTime;
use diesel::prelude::{
    BoolExpressionMethods, ExpressionMethods, OptionalExtension, QueryDsl, Queryable,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use crate::articles::model::visible_at;
use crate::db::schema::articles;
use crate::db::{Conn, ConnMut};

/// What a sitemap says of an article.
#[derive(Debug, Clone, Queryable)]
pub struct SitemapRow {
    pub id: i64,
    pub slug: String,
    pub published_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

/// The position of a row in the public order: `(published_at, id)`.
pub type Key = (Option<NaiveDateTime>, i64);

/// The articles readers may see at `now`, counted from the public index.
pub async fn count_public(conn: &mut Conn, now: NaiveDateTime) -> QueryResult<i64> {
    run!(conn, c => {
        articles::table.filter(visible_at(now)).count().get_result(c).await
    })
}

/// Builds the query of the key at `offset` (oldest first).
macro_rules! key_at {
    ($now:expr, $offset:expr) => {
        articles::table
            .filter(visible_at($now))
            .order_by((articles::published_at.asc(), articles::id.asc()))
            .select((articles::published_at, articles::id))
            .offset($offset)
            .limit(1)
    };
}

/// Builds the query of up to `$limit` rows from `$key` on (oldest first).
macro_rules! rows_from {
    ($now:expr, $key:expr, $limit:expr) => {{
        let (at, id): Key = $key;
        articles::table
            .filter(visible_at($now))
            .filter(articles::published_at.ge(at))
            .filter(
                articles::published_at
                    .gt(at)
                    .or(articles::published_at.eq(at).and(articles::id.ge(id))),
            )
            .order_by((articles::published_at.asc(), articles::id.asc()))
            .select((
                articles::id,
                articles::slug,
                articles::published_at,
                articles::updated_at,
            ))
            .limit($limit)
    }};
}

/// The key of the `offset`-th public article, oldest first (`None` past
/// the last). It walks the index only, never the rows it skips.
pub async fn key_at(conn: &mut Conn, now: NaiveDateTime, offset: i64) -> QueryResult<Option<Key>> {
    run!(conn, c => key_at!(now, offset).first(c).await.optional())
}

/// Up to `limit` public articles from `key` on, oldest first.
pub async fn rows_from(
    conn: &mut Conn,
    now: NaiveDateTime,
    key: Key,
    limit: i64,
) -> QueryResult<Vec<SitemapRow>> {
    run!(conn, c => rows_from!(now, key, limit).load(c).await)
}

/// How the database would run a sitemap page's queries (the count, the
/// page's first key, the page): PostgreSQL's text plans or SQLite's query
/// plan lines. `tests/api/query_plans.rs` checks them.
pub async fn plans(
    conn: &mut Conn,
    now: NaiveDateTime,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Vec<String>>> {
    let key = key_at(conn, now, offset).await?.unwrap_or((Some(now), 0));
    Ok(match conn.get() {
        ConnMut::Pg(c) => {
            use crate::db::explain::postgres;
            vec![
                postgres(articles::table.filter(visible_at(now)).count())
                    .load::<String>(c)
                    .await?,
                postgres(key_at!(now, offset)).load::<String>(c).await?,
                postgres(rows_from!(now, key, limit))
                    .load::<String>(c)
                    .await?,
            ]
        }
        ConnMut::Sqlite(c) => {
            use crate::db::explain::sqlite;
            let lines =
                |rows: Vec<(i32, i32, i32, String)>| rows.into_iter().map(|r| r.3).collect();
            vec![
                lines(
                    sqlite(articles::table.filter(visible_at(now)).count())
                        .load(c)
                        .await?,
                ),
                lines(sqlite(key_at!(now, offset)).load(c).await?),
                lines(sqlite(rows_from!(now, key, limit)).load(c).await?),
            ]
        }
    })
}
