//! Tag rows and their queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::RunQueryDsl;

use crate::articles::model::visible_at;
use crate::db::schema::{article_tags, articles, tags};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::params::IdOrSlug;

/// A tag as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
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
pub async fn find(db: &Db, key: &IdOrSlug) -> ApiResult<Tag> {
    let found = with_conn!(db, conn => {
        let mut query = tags::table.select(Tag::as_select()).into_boxed();
        query = match key {
            IdOrSlug::Id(id) => query.filter(tags::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(tags::slug.eq(slug.as_str())),
        };
        query.first(conn).await.optional()?
    });
    found.ok_or_else(|| ApiError::NotFound("tag not found".to_owned()))
}

/// A page of tags by name, and the total.
pub async fn list(db: &Db, offset: i64, limit: i64) -> ApiResult<(Vec<Tag>, i64)> {
    with_conn!(db, conn => {
        let total: i64 = tags::table.count().get_result(conn).await?;
        let rows = tags::table
            .select(Tag::as_select())
            .order_by((tags::name.asc(), tags::id.asc()))
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((rows, total))
    })
}

/// Published-article counts of the given tags (one grouped query).
pub async fn published_counts(
    db: &Db,
    tag_ids: &[i64],
    now: NaiveDateTime,
) -> ApiResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = with_conn!(db, conn => {
        article_tags::table
            .inner_join(articles::table)
            .filter(article_tags::tag_id.eq_any(tag_ids))
            .filter(visible_at!(now))
            .group_by(article_tags::tag_id)
            .select((article_tags::tag_id, diesel::dsl::count_star()))
            .load(conn)
            .await?
    });
    Ok(rows.into_iter().collect())
}

/// Tags of the given articles in display order (one query, no N+1).
pub async fn for_articles(db: &Db, article_ids: &[i64]) -> ApiResult<HashMap<i64, Vec<Tag>>> {
    let rows: Vec<(i64, Tag)> = with_conn!(db, conn => {
        article_tags::table
            .inner_join(tags::table)
            .filter(article_tags::article_id.eq_any(article_ids))
            .order_by((article_tags::article_id, article_tags::position))
            .select((article_tags::article_id, Tag::as_select()))
            .load(conn)
            .await?
    });
    let mut map: HashMap<i64, Vec<Tag>> = HashMap::new();
    for (article_id, tag) in rows {
        map.entry(article_id).or_default().push(tag);
    }
    Ok(map)
}

/// Resolves tag slugs to ids in the given order; unknown slugs are a 422.
pub async fn ids_for_slugs(db: &Db, slugs: &[String]) -> ApiResult<Vec<i64>> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<(i64, String)> = with_conn!(db, conn => {
        tags::table
            .filter(tags::slug.eq_any(slugs))
            .select((tags::id, tags::slug))
            .load(conn)
            .await?
    });
    let mut ids = Vec::with_capacity(slugs.len());
    for slug in slugs {
        match found.iter().find(|(_, s)| s == slug) {
            Some((id, _)) if !ids.contains(id) => ids.push(*id),
            Some(_) => {}
            None => {
                return Err(ApiError::UnknownReference {
                    field: "tags",
                    detail: format!("no tag has the slug {slug:?}; create it first"),
                })
            }
        }
    }
    Ok(ids)
}

/// Inserts a tag.
pub async fn create(db: &Db, new: NewTag) -> ApiResult<Tag> {
    with_conn!(db, conn => {
        Ok(diesel::insert_into(tags::table)
            .values(&new)
            .returning(Tag::as_returning())
            .get_result(conn)
            .await?)
    })
}

/// Updates a tag.
pub async fn update(db: &Db, id: i64, changes: TagChanges) -> ApiResult<Tag> {
    with_conn!(db, conn => {
        Ok(diesel::update(tags::table.filter(tags::id.eq(id)))
            .set(&changes)
            .returning(Tag::as_returning())
            .get_result(conn)
            .await?)
    })
}

/// Deletes a tag; articles keep existing, detached from it (cascade).
pub async fn delete(db: &Db, id: i64) -> ApiResult<()> {
    with_conn!(db, conn => {
        diesel::delete(tags::table.filter(tags::id.eq(id))).execute(conn).await?;
        Ok(())
    })
}
