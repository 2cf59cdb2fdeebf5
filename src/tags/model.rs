//! Tag rows and their queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use crate::articles::model::visible_at;
use crate::db::schema::{article_tags, articles, tags};
use crate::db::Conn;
use crate::http::params::IdOrSlug;

/// A tag as stored (serialized, what the audit log records of it).
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = tags)]
pub struct Tag {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A new tag row.
#[derive(Debug, Insertable)]
#[diesel(table_name = tags)]
pub struct NewTag {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Changed columns of a PATCH.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tags)]
pub struct TagChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

/// One tag by id or slug.
pub async fn find(conn: &mut Conn, key: &IdOrSlug) -> QueryResult<Option<Tag>> {
    run!(conn, c => {
        let mut query = tags::table.select(Tag::as_select()).into_boxed();
        query = match key {
            IdOrSlug::Id(id) => query.filter(tags::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(tags::slug.eq(slug.as_str())),
        };
        query.first(c).await.optional()
    })
}

/// A page of tags by name, and the total.
pub async fn list(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<(Vec<Tag>, i64)> {
    run!(conn, c => {
        let total: i64 = tags::table.count().get_result(c).await?;
        let rows = tags::table
            .select(Tag::as_select())
            .order_by((tags::name.asc(), tags::id.asc()))
            .offset(offset)
            .limit(limit)
            .load(c)
            .await?;
        Ok((rows, total))
    })
}

/// Published-article counts of the given tags (one grouped query).
pub async fn published_counts(
    conn: &mut Conn,
    tag_ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = run!(conn, c => {
        article_tags::table
            .inner_join(articles::table)
            .filter(article_tags::tag_id.eq_any(tag_ids))
            .filter(visible_at(now))
            .group_by(article_tags::tag_id)
            .select((article_tags::tag_id, diesel::dsl::count_star()))
            .load(c)
            .await
    })?;
    Ok(rows.into_iter().collect())
}

/// Tags of the given articles in display order (one query, no N+1).
pub async fn for_articles(
    conn: &mut Conn,
    article_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<Tag>>> {
    let rows: Vec<(i64, Tag)> = run!(conn, c => {
        article_tags::table
            .inner_join(tags::table)
            .filter(article_tags::article_id.eq_any(article_ids))
            .order_by((article_tags::article_id, article_tags::position))
            .select((article_tags::article_id, Tag::as_select()))
            .load(c)
            .await
    })?;
    let mut map: HashMap<i64, Vec<Tag>> = HashMap::new();
    for (article_id, tag) in rows {
        map.entry(article_id).or_default().push(tag);
    }
    Ok(map)
}

/// The ids of the tags with these slugs, by slug (unknown slugs are absent).
pub async fn ids_by_slug(conn: &mut Conn, slugs: &[&str]) -> QueryResult<HashMap<String, i64>> {
    if slugs.is_empty() {
        return Ok(HashMap::new());
    }
    let found: Vec<(String, i64)> = run!(conn, c => {
        tags::table
            .filter(tags::slug.eq_any(slugs))
            .select((tags::slug, tags::id))
            .load(c)
            .await
    })?;
    Ok(found.into_iter().collect())
}

/// Inserts a tag.
pub async fn create(conn: &mut Conn, new: NewTag) -> QueryResult<Tag> {
    run!(conn, c => {
        diesel::insert_into(tags::table)
            .values(&new)
            .returning(Tag::as_returning())
            .get_result(c)
            .await
    })
}

/// Updates a tag.
pub async fn update(conn: &mut Conn, id: i64, changes: TagChanges) -> QueryResult<Tag> {
    run!(conn, c => {
        diesel::update(tags::table.filter(tags::id.eq(id)))
            .set(&changes)
            .returning(Tag::as_returning())
            .get_result(c)
            .await
    })
}

/// Deletes a tag; articles keep existing, detached from it (cascade); false when it was already gone.
pub async fn delete(conn: &mut Conn, id: i64) -> QueryResult<bool> {
    let n = run!(conn, c => diesel::delete(tags::table.filter(tags::id.eq(id))).execute(c).await)?;
    Ok(n > 0)
}
