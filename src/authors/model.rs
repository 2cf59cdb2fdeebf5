//! Author rows and their queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::RunQueryDsl;

use crate::articles::model::visible_at;
use crate::db::schema::{articles, authors};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::params::IdOrSlug;

/// An author as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
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
pub async fn find(db: &Db, key: &IdOrSlug) -> ApiResult<Author> {
    let found = with_conn!(db, conn => {
        let mut query = authors::table.select(Author::as_select()).into_boxed();
        query = match key {
            IdOrSlug::Id(id) => query.filter(authors::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(authors::slug.eq(slug.as_str())),
        };
        query.first(conn).await.optional()?
    });
    found.ok_or_else(|| ApiError::NotFound("author not found".to_owned()))
}

/// A page of authors by name, and the total.
pub async fn list(db: &Db, offset: i64, limit: i64) -> ApiResult<(Vec<Author>, i64)> {
    with_conn!(db, conn => {
        let total: i64 = authors::table.count().get_result(conn).await?;
        let rows = authors::table
            .select(Author::as_select())
            .order_by((authors::name.asc(), authors::id.asc()))
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((rows, total))
    })
}

/// Authors by id (for embedding in article lists; one query).
pub async fn by_ids(db: &Db, ids: &[i64]) -> ApiResult<HashMap<i64, Author>> {
    let rows: Vec<Author> = with_conn!(db, conn => {
        authors::table
            .filter(authors::id.eq_any(ids))
            .select(Author::as_select())
            .load(conn)
            .await?
    });
    Ok(rows.into_iter().map(|a| (a.id, a)).collect())
}

/// Published-article counts of the given authors (one grouped query).
pub async fn published_counts(
    db: &Db,
    ids: &[i64],
    now: NaiveDateTime,
) -> ApiResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = with_conn!(db, conn => {
        articles::table
            .filter(articles::author_id.eq_any(ids))
            .filter(visible_at!(now))
            .group_by(articles::author_id)
            .select((articles::author_id, diesel::dsl::count_star()))
            .load(conn)
            .await?
    });
    Ok(rows.into_iter().collect())
}

/// Inserts an author.
pub async fn create(db: &Db, new: NewAuthor) -> ApiResult<Author> {
    with_conn!(db, conn => {
        Ok(diesel::insert_into(authors::table)
            .values(&new)
            .returning(Author::as_returning())
            .get_result(conn)
            .await?)
    })
}

/// Updates an author.
pub async fn update(db: &Db, id: i64, changes: AuthorChanges) -> ApiResult<Author> {
    with_conn!(db, conn => {
        Ok(diesel::update(authors::table.filter(authors::id.eq(id)))
            .set(&changes)
            .returning(Author::as_returning())
            .get_result(conn)
            .await?)
    })
}

/// Deletes an author who has no articles (any status); otherwise 409.
pub async fn delete(db: &Db, id: i64) -> ApiResult<()> {
    with_tx!(db, conn => {
        let articles: i64 = articles::table
            .filter(articles::author_id.eq(id))
            .count()
            .get_result(conn)
            .await?;
        if articles > 0 {
            return Err(ApiError::Conflict {
                code: "author_has_articles",
                detail: format!("the author still has {articles} article(s); reassign or delete them first"),
            });
        }
        diesel::delete(authors::table.filter(authors::id.eq(id))).execute(conn).await?;
        Ok(())
    })
}

/// 409 (unknown reference) on `author_id` unless the author exists.
pub async fn ensure_exists(db: &Db, id: i64) -> ApiResult<()> {
    match find(db, &IdOrSlug::Id(id)).await {
        Ok(_) => Ok(()),
        Err(ApiError::NotFound(_)) => Err(ApiError::UnknownReference {
            field: "author_id",
            detail: format!("no author has the id {id}"),
        }),
        Err(other) => Err(other),
    }
}
