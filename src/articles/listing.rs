//! Article lists: allow-listed filters, four sort orders, offset pages and
//! keyset cursors (cost independent of depth), and related articles.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::{BoolExpressionMethods, ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};

use diesel::result::QueryResult;

use super::model::{visible_at, Article};
use super::search::{SearchTerms, PG_CONDITION, SQLITE_CONDITION};
use super::workflow::Status;
use crate::db::schema::{article_tags, articles, authors, tags};
use crate::db::{Backend, Conn};
use crate::http::params::IdOrSlug;

/// Sort orders of article lists (ties broken by id, in the same direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub enum Sort {
    /// Newest first (default).
    #[default]
    #[serde(rename = "-published_at")]
    PublishedDesc,
    /// Oldest first.
    #[serde(rename = "published_at")]
    PublishedAsc,
    /// By title, A to Z.
    #[serde(rename = "title")]
    Title,
    /// Most recently edited first.
    #[serde(rename = "-updated_at")]
    UpdatedDesc,
}

/// What a list shows.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Public lists: only what readers may see at this instant.
    pub public_at: Option<NaiveDateTime>,
    /// Staff lists: one stored status (`None` with `public_at = None` is invalid).
    pub status: Option<Status>,
    /// Only this author's articles (contributors and authors previewing).
    pub own_author: Option<i64>,
    /// Tag slug.
    pub tag: Option<String>,
    /// Author id or slug.
    pub author: Option<IdOrSlug>,
    /// Published at or after.
    pub published_after: Option<NaiveDateTime>,
    /// Published before.
    pub published_before: Option<NaiveDateTime>,
    /// Full-text search (`q`).
    pub search: Option<SearchTerms>,
}

/// The sort key of a row: what a cursor carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CursorKey {
    /// The sort this key belongs to.
    pub sort: Sort,
    /// `published_at` or `updated_at`, by sort.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<NaiveDateTime>,
    /// Title (title sort).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Row id (tie-breaker).
    pub id: i64,
}

impl CursorKey {
    /// The key of `row` under `sort`.
    pub fn of(row: &Article, sort: Sort) -> Self {
        let (at, title) = match sort {
            Sort::PublishedDesc | Sort::PublishedAsc => (row.published_at, None),
            Sort::Title => (None, Some(row.title.clone())),
            Sort::UpdatedDesc => (Some(row.updated_at), None),
        };
        Self {
            sort,
            at,
            title,
            id: row.id,
        }
    }
}

/// One page of rows (`limit + 1` are fetched to learn whether more exist).
pub struct Page {
    /// Rows of this page.
    pub rows: Vec<Article>,
    /// Whether another page follows.
    pub has_more: bool,
    /// Rows matching the filter.
    pub total: i64,
}

/// The articles `filter` selects, as a boxed query of the backend in scope
/// (a query builder, so a macro: boxed queries are tied to one backend).
macro_rules! filtered {
    ($filter:expr, $search:expr) => {{
        let filter: &Filter = $filter;
        let mut q = articles::table.into_boxed();
        if let Some(now) = filter.public_at {
            q = q.filter(visible_at(now));
        }
        if let Some(status) = filter.status {
            q = q.filter(articles::status.eq(status));
        }
        if let Some(author_id) = filter.own_author {
            q = q.filter(articles::author_id.eq(author_id));
        }
        if let Some(tag) = &filter.tag {
            q = q.filter(
                articles::id.eq_any(
                    article_tags::table
                        .inner_join(tags::table)
                        .filter(tags::slug.eq(tag.as_str()))
                        .select(article_tags::article_id),
                ),
            );
        }
        match &filter.author {
            Some(IdOrSlug::Id(id)) => q = q.filter(articles::author_id.eq(*id)),
            Some(IdOrSlug::Slug(slug)) => {
                q = q.filter(
                    articles::author_id.eq_any(
                        authors::table
                            .filter(authors::slug.eq(slug.as_str()))
                            .select(authors::id),
                    ),
                )
            }
            None => {}
        }
        if let Some(at) = filter.published_after {
            q = q.filter(articles::published_at.ge(at));
        }
        if let Some(at) = filter.published_before {
            q = q.filter(articles::published_at.lt(at));
        }
        if let Some(((before, after), bound)) = $search {
            q = q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>(before)
                    .bind::<diesel::sql_types::Text, _>(bound.as_str())
                    .sql(after),
            );
        }
        q
    }};
}

/// `$q` in `sort` order, after the cursor position `after` if any (keyset
/// pagination: rows strictly after the key, ties broken by id).
macro_rules! ordered_after {
    ($q:expr, $sort:expr, $after:expr) => {{
        let mut q = $q;
        q = match $sort {
            Sort::PublishedDesc => q.order_by((articles::published_at.desc(), articles::id.desc())),
            Sort::PublishedAsc => q.order_by((articles::published_at.asc(), articles::id.asc())),
            Sort::Title => q.order_by((articles::title.asc(), articles::id.asc())),
            Sort::UpdatedDesc => q.order_by((articles::updated_at.desc(), articles::id.desc())),
        };
        if let Some(key) = $after {
            let id = key.id;
            q = match ($sort, key.at, key.title.as_deref()) {
                (Sort::PublishedDesc, Some(at), _) => q.filter(
                    articles::published_at
                        .lt(at)
                        .or(articles::published_at.eq(at).and(articles::id.lt(id))),
                ),
                (Sort::PublishedAsc, Some(at), _) => q.filter(
                    articles::published_at
                        .gt(at)
                        .or(articles::published_at.eq(at).and(articles::id.gt(id))),
                ),
                // Lists without publication dates (drafts) order by id alone.
                (Sort::PublishedDesc, None, _) => {
                    q.filter(articles::published_at.is_null().and(articles::id.lt(id)))
                }
                (Sort::PublishedAsc, None, _) => {
                    q.filter(articles::published_at.is_null().and(articles::id.gt(id)))
                }
                (Sort::Title, _, Some(title)) => q.filter(
                    articles::title
                        .gt(title)
                        .or(articles::title.eq(title).and(articles::id.gt(id))),
                ),
                (Sort::UpdatedDesc, Some(at), _) => q.filter(
                    articles::updated_at
                        .lt(at)
                        .or(articles::updated_at.eq(at).and(articles::id.lt(id))),
                ),
                _ => q.filter(articles::id.lt(0)),
            };
        }
        q
    }};
}

/// Loads one page: `after` (cursor mode) or `offset` (page mode).
pub async fn list(
    conn: &mut Conn,
    filter: &Filter,
    sort: Sort,
    after: Option<&CursorKey>,
    offset: i64,
    limit: i64,
) -> QueryResult<Page> {
    // The search condition is the one piece of SQL that differs by backend.
    let search = match &filter.search {
        Some(terms) if terms.is_empty() => {
            return Ok(Page {
                rows: Vec::new(),
                has_more: false,
                total: 0,
            })
        }
        Some(terms) => Some(match conn.backend() {
            Backend::Postgres => (PG_CONDITION, terms.pg_tsquery()),
            Backend::Sqlite => (SQLITE_CONDITION, terms.fts5_match()),
        }),
        None => None,
    };
    let (mut rows, total) = run!(conn, c => {
        let total: i64 = filtered!(filter, &search).count().get_result(c).await?;
        let q = filtered!(filter, &search).select(Article::as_select());
        let q = ordered_after!(q, sort, after);
        let rows: Vec<Article> = q.offset(offset).limit(limit + 1).load(c).await?;
        (rows, total)
    });
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok(Page {
        rows,
        has_more,
        total,
    })
}

/// Published articles sharing tags with `article_id`: most shared tags
/// first, then newest; never the article itself.
pub async fn related(
    conn: &mut Conn,
    article_id: i64,
    now: NaiveDateTime,
    limit: usize,
) -> QueryResult<Vec<Article>> {
    let candidates: Vec<(i64, Option<NaiveDateTime>)> = run!(conn, c => {
        let own_tags: Vec<i64> = article_tags::table
            .filter(article_tags::article_id.eq(article_id))
            .select(article_tags::tag_id)
            .load(c)
            .await?;
        article_tags::table
            .inner_join(articles::table)
            .filter(article_tags::tag_id.eq_any(&own_tags))
            .filter(articles::id.ne(article_id))
            .filter(visible_at(now))
            .select((articles::id, articles::published_at))
            .load(c)
            .await?
    });
    let mut scores: HashMap<i64, (usize, Option<NaiveDateTime>)> = HashMap::new();
    for (id, at) in candidates {
        scores.entry(id).or_insert((0, at)).0 += 1;
    }
    let mut ranked: Vec<_> = scores.into_iter().collect();
    ranked.sort_by(|(a_id, (a_n, a_at)), (b_id, (b_n, b_at))| {
        b_n.cmp(a_n).then(b_at.cmp(a_at)).then(b_id.cmp(a_id))
    });
    let ids: Vec<i64> = ranked.into_iter().take(limit).map(|(id, _)| id).collect();
    let mut rows: Vec<Article> = run!(conn, c => {
        articles::table
            .filter(articles::id.eq_any(&ids))
            .select(Article::as_select())
            .load(c)
            .await
    })?;
    rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
    Ok(rows)
}
