//! Author rows and their queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use crate::articles::model::visible_at;
use crate::db::schema::{articles, authors};
use crate::db::Conn;
use crate::http::params::IdOrSlug;

/// An author as stored (serialized, what the audit log records of it).
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = authors)]
pub struct Author {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub avatar_url: Option<String>,
    pub website: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A new author row.
#[derive(Debug, Insertable)]
#[diesel(table_name = authors)]
pub struct NewAuthor {
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub avatar_url: Option<String>,
    pub website: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Changed columns of a PATCH (`Some(None)` clears a nullable column).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = authors)]
pub struct AuthorChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub bio: Option<String>,
    pub avatar_url: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

/// One author by id or slug.
pub async fn find(conn: &mut Conn, key: &IdOrSlug) -> QueryResult<Option<Author>> {
    run!(conn, c => {
        let mut query = authors::table.select(Author::as_select()).into_boxed();
        query = match key {
            IdOrSlug::Id(id) => query.filter(authors::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(authors::slug.eq(slug.as_str())),
        };
        query.first(c).await.optional()
    })
}

/// A page of authors by name, and the total.
pub async fn list(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<(Vec<Author>, i64)> {
    run!(conn, c => {
        let total: i64 = authors::table.count().get_result(c).await?;
        let rows = authors::table
            .select(Author::as_select())
            .order_by((authors::name.asc(), authors::id.asc()))
            .offset(offset)
            .limit(limit)
            .load(c)
            .await?;
        Ok((rows, total))
    })
}

/// Authors by id (for embedding in article lists; one query).
pub async fn by_ids(conn: &mut Conn, ids: &[i64]) -> QueryResult<HashMap<i64, Author>> {
    let rows: Vec<Author> = run!(conn, c => {
        authors::table
            .filter(authors::id.eq_any(ids))
            .select(Author::as_select())
            .load(c)
            .await
    })?;
    Ok(rows.into_iter().map(|a| (a.id, a)).collect())
}

/// Published-article counts of the given authors (one grouped query).
pub async fn published_counts(
    conn: &mut Conn,
    ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = run!(conn, c => {
        articles::table
            .filter(articles::author_id.eq_any(ids))
            .filter(visible_at(now))
            .group_by(articles::author_id)
            .select((articles::author_id, diesel::dsl::count_star()))
            .load(c)
            .await
    })?;
    Ok(rows.into_iter().collect())
}

/// Inserts an author.
pub async fn create(conn: &mut Conn, new: NewAuthor) -> QueryResult<Author> {
    run!(conn, c => {
        diesel::insert_into(authors::table)
            .values(&new)
            .returning(Author::as_returning())
            .get_result(c)
            .await
    })
}

/// Updates an author.
pub async fn update(conn: &mut Conn, id: i64, changes: AuthorChanges) -> QueryResult<Author> {
    run!(conn, c => {
        diesel::update(authors::table.filter(authors::id.eq(id)))
            .set(&changes)
            .returning(Author::as_returning())
            .get_result(c)
            .await
    })
}

/// Deletes an author; false when it was already gone.
pub async fn delete(conn: &mut Conn, id: i64) -> QueryResult<bool> {
    let n = run!(conn, c => diesel::delete(authors::table.filter(authors::id.eq(id))).execute(c).await)?;
    Ok(n > 0)
}

/// Whether an author with this id exists.
pub async fn exists(conn: &mut Conn, id: i64) -> QueryResult<bool> {
    Ok(find(conn, &IdOrSlug::Id(id)).await?.is_some())
}
