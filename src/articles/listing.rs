//! Article lists: allow-listed filters, five sort orders, offset pages and
//! keyset cursors (cost independent of depth), and related articles.
//!
//! A page is read in the order an index gives, ids first (a deferred join):
//! the filter, sort and page select ids from indexes alone, then only the
//! page's rows are read, without their bodies unless `fields` asks for
//! them. Search ranks on each backend's full-text index and highlights the
//! page's rows only.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::{
    BoolExpressionMethods, ExpressionMethods, JoinOnDsl, QueryDsl, SelectableHelper,
};
use diesel::sql_types::{Bool, Text};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};

use diesel::result::QueryResult;

use super::model::{visible_at, without_bodies, Article};
use super::search::{self, SearchTerms};
use super::workflow::Status;
use crate::db::schema::{article_tags, articles, articles_search, authors, tags};
use crate::db::{Backend, Conn, ConnMut};
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
    /// Best match of `q` first (the default with `q`; only with `q`; pages
    /// by number, not by cursor).
    #[serde(rename = "relevance")]
    Relevance,
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

impl Filter {
    /// Everything readers may see at `now`, unfiltered (feeds, sitemaps).
    pub fn public(now: NaiveDateTime) -> Self {
        Self {
            public_at: Some(now),
            status: None,
            own_author: None,
            tag: None,
            author: None,
            published_after: None,
            published_before: None,
            search: None,
        }
    }

    /// What the number of matches depends on, as a key for remembering it
    /// (`None` for searches, which count as they rank). The instant of a
    /// public list is left out: the count changes with the content, and
    /// when a scheduled article goes live, both of which the remembering
    /// cache follows.
    pub fn total_key(&self) -> Option<String> {
        self.search.is_none().then(|| {
            format!(
                "{:?}",
                (
                    self.public_at.is_some(),
                    self.status,
                    self.own_author,
                    &self.tag,
                    &self.author,
                    self.published_after,
                    self.published_before,
                )
            )
        })
    }
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
    /// The key of `row` under `sort` (`None` for relevance, which has no
    /// stable position to resume from).
    pub fn of(row: &Article, sort: Sort) -> Option<Self> {
        let (at, title) = match sort {
            Sort::PublishedDesc | Sort::PublishedAsc => (row.published_at, None),
            Sort::Title => (None, Some(row.title.clone())),
            Sort::UpdatedDesc => (Some(row.updated_at), None),
            Sort::Relevance => return None,
        };
        Some(Self {
            sort,
            at,
            title,
            id: row.id,
        })
    }
}

/// Which columns a page reads: bodies are most of a row's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// Every column.
    All,
    /// All but `body` and `body_html` (they read as empty strings).
    WithoutBodies,
}

/// One page of rows (`limit + 1` are fetched to learn whether more exist).
pub struct Page {
    /// Rows of this page.
    pub rows: Vec<Article>,
    /// Whether another page follows.
    pub has_more: bool,
    /// Rows matching the filter.
    pub total: i64,
    /// Highlighted snippets (HTML) by article id, when searching.
    pub snippets: HashMap<i64, String>,
}

impl Page {
    fn empty() -> Self {
        Self {
            rows: Vec::new(),
            has_more: false,
            total: 0,
            snippets: HashMap::new(),
        }
    }
}

/// `$base` (a boxed query over `articles`, maybe joined) narrowed to what
/// `filter` selects (a query builder, so a macro: boxed queries are tied to
/// one backend and one FROM clause).
macro_rules! filtered {
    ($base:expr, $filter:expr) => {{
        let filter: &Filter = $filter;
        let mut q = $base;
        if let Some(now) = filter.public_at {
            q = q.filter(visible_at(now));
        }
        match filter.status {
            Some(Status::Trashed) => q = q.filter(articles::trashed_at.is_not_null()),
            Some(status) => {
                q = q
                    .filter(articles::status.eq(status))
                    .filter(articles::trashed_at.is_null())
            }
            None => {}
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
        q
    }};
}

/// The articles matching `filter` on PostgreSQL or plain SQLite: the search
/// condition (if any) is on the stored `tsvector`.
macro_rules! matching {
    ($filter:expr, $tsquery:expr) => {{
        let q = filtered!(articles::table.into_boxed(), $filter);
        match $tsquery {
            Some(tsquery) => q.filter(
                sql::<Bool>(search::PG_MATCH.0)
                    .bind::<Text, _>(tsquery)
                    .sql(search::PG_MATCH.1),
            ),
            None => q,
        }
    }};
}

/// The articles matching `filter` and an FTS5 query on SQLite: the index
/// joined, so that its `rank` can order.
macro_rules! matching_fts5 {
    ($filter:expr, $fts5:expr) => {{
        let joined = articles::table
            .inner_join(articles_search::table.on(articles_search::rowid.eq(articles::id)))
            .into_boxed();
        filtered!(joined, $filter).filter(sql::<Bool>(search::SQLITE_MATCH).bind::<Text, _>($fts5))
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
            Sort::Relevance => q.order_by((articles::published_at.desc(), articles::id.desc())),
        };
        if let Some(key) = $after {
            let id = key.id;
            q = match ($sort, key.at, key.title.as_deref()) {
                // Each keyset condition repeats its bound on the sort column
                // alone (`published_at <= at AND …`): the OR hides the
                // range from the planners, and without it a deep cursor
                // walks the index from its start.
                (Sort::PublishedDesc, Some(at), _) => {
                    q.filter(articles::published_at.le(at)).filter(
                        articles::published_at
                            .lt(at)
                            .or(articles::published_at.eq(at).and(articles::id.lt(id))),
                    )
                }
                (Sort::PublishedAsc, Some(at), _) => {
                    q.filter(articles::published_at.ge(at)).filter(
                        articles::published_at
                            .gt(at)
                            .or(articles::published_at.eq(at).and(articles::id.gt(id))),
                    )
                }
                // Lists without publication dates (drafts) order by id alone.
                (Sort::PublishedDesc, None, _) => {
                    q.filter(articles::published_at.is_null().and(articles::id.lt(id)))
                }
                (Sort::PublishedAsc, None, _) => {
                    q.filter(articles::published_at.is_null().and(articles::id.gt(id)))
                }
                (Sort::Title, _, Some(title)) => q.filter(articles::title.ge(title)).filter(
                    articles::title
                        .gt(title)
                        .or(articles::title.eq(title).and(articles::id.gt(id))),
                ),
                (Sort::UpdatedDesc, Some(at), _) => q.filter(articles::updated_at.le(at)).filter(
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

/// How a search runs on the connection's backend.
enum Query {
    /// No search.
    None,
    /// PostgreSQL: a `to_tsquery` text.
    Pg(String),
    /// SQLite: an FTS5 `MATCH` text.
    Fts5(String),
}

/// Loads one page: `after` (cursor mode) or `offset` (page mode). Ids come
/// first, in index order; then the page's rows. `known_total`: the number
/// of matches when the caller remembers it for the current content (a
/// plain list then skips its count).
pub async fn list(
    conn: &mut Conn,
    filter: &Filter,
    sort: Sort,
    after: Option<&CursorKey>,
    page: (i64, i64),
    columns: Columns,
    known_total: Option<i64>,
) -> QueryResult<Page> {
    let Some(query) = query_of(conn.backend(), filter) else {
        return Ok(Page::empty());
    };
    let (mut ids, total) = page_ids(conn, filter, &query, sort, after, page, known_total).await?;
    let (_, limit) = page;
    let has_more = ids.len() as i64 > limit;
    ids.truncate(limit as usize);
    let rows = by_ids(conn, &ids, columns).await?;
    let snippets = match &query {
        Query::None => HashMap::new(),
        Query::Pg(text) | Query::Fts5(text) => snippets(conn, text, &ids).await?,
    };
    Ok(Page {
        rows,
        has_more,
        total,
        snippets,
    })
}

/// The first `limit` rows `filter` selects, newest first, without a count
/// (feeds and the news sitemap show no total): the list's own queries,
/// so the same indexes serve them.
pub async fn newest(
    conn: &mut Conn,
    filter: &Filter,
    limit: i64,
    columns: Columns,
) -> QueryResult<Vec<Article>> {
    let page = list(
        conn,
        filter,
        Sort::PublishedDesc,
        None,
        (0, limit),
        columns,
        Some(0),
    )
    .await?;
    Ok(page.rows)
}

/// Builds the queries of a page and hands them to `$count!(c, query)` and
/// `$ids!(c, query)` (which run or explain them); evaluates to what those
/// give, as a pair. A plain list counts separately, from an index, and
/// reads its `$fetch` ids in index order. A search must visit every match
/// to rank them anyway, so one query counts them (a window count beside
/// each id) and ranks them; `$count!` gets `None` instead.
macro_rules! page_queries {
    ($c:ident, $filter:expr, $query:expr, $sort:expr, $after:expr, ($offset:expr, $fetch:expr), $counting:expr, $count:ident, $ids:ident) => {{
        let (filter, sort): (&Filter, Sort) = ($filter, $sort);
        let counted = sql::<diesel::sql_types::BigInt>("count(*) OVER ()");
        match $query {
            Query::Fts5(fts5) => {
                let q = matching_fts5!(filter, fts5).select((articles::id, counted));
                let ids = if sort == Sort::Relevance {
                    $ids!(
                        $c,
                        q.order_by((
                            articles_search::rank.asc(),
                            articles::published_at.desc(),
                            articles::id.desc()
                        ))
                        .offset($offset)
                        .limit($fetch)
                    )
                } else {
                    $ids!(
                        $c,
                        ordered_after!(q, sort, $after)
                            .offset($offset)
                            .limit($fetch)
                    )
                };
                (None, ids)
            }
            Query::Pg(tsquery) if sort == Sort::Relevance => {
                let q = matching!(filter, Some(tsquery.as_str())).select((articles::id, counted));
                let ids = {
                    let rank = sql::<diesel::sql_types::Double>(search::PG_RANK.0)
                        .bind::<Text, _>(tsquery.as_str())
                        .sql(search::PG_RANK.1);
                    $ids!(
                        $c,
                        q.order_by((
                            rank.desc(),
                            articles::published_at.desc(),
                            articles::id.desc()
                        ))
                        .offset($offset)
                        .limit($fetch)
                    )
                };
                (None, ids)
            }
            // A plain list, or a PostgreSQL search in date order: a count,
            // then the page's ids in index order (for a common word the
            // planner walks the date index and stops at the page's end).
            Query::None | Query::Pg(_) => {
                let tsquery = match $query {
                    Query::Pg(text) => Some(text.as_str()),
                    _ => None,
                };
                let counting: bool = $counting;
                let total = $count!(
                    $c,
                    Some(matching!(filter, tsquery).count()).filter(|_| counting)
                );
                let q = matching!(filter, tsquery).select((
                    articles::id,
                    sql::<diesel::sql_types::BigInt>("CAST(0 AS BIGINT)"),
                ));
                (
                    total,
                    $ids!(
                        $c,
                        ordered_after!(q, sort, $after)
                            .offset($offset)
                            .limit($fetch)
                    ),
                )
            }
        }
    }};
}

macro_rules! count_rows {
    ($c:ident, $q:expr) => {
        match $q {
            Some(q) => Some(q.get_result::<i64>($c).await?),
            None => None,
        }
    };
}

macro_rules! load_ids {
    ($c:ident, $q:expr) => {
        $q.load::<(i64, i64)>($c).await?
    };
}

macro_rules! explain_count_pg {
    ($c:ident, $q:expr) => {
        match $q {
            Some(q) => Some(crate::db::explain::postgres(q).load::<String>($c).await?),
            None => None,
        }
    };
}

macro_rules! explain_pg {
    ($c:ident, $q:expr) => {
        crate::db::explain::postgres($q).load::<String>($c).await?
    };
}

macro_rules! explain_count_sqlite {
    ($c:ident, $q:expr) => {
        match $q {
            Some(q) => Some(explain_sqlite!($c, q)),
            None => None,
        }
    };
}

macro_rules! explain_sqlite {
    ($c:ident, $q:expr) => {
        crate::db::explain::sqlite($q)
            .load::<(i32, i32, i32, String)>($c)
            .await?
            .into_iter()
            .map(|row| row.3)
            .collect::<Vec<String>>()
    };
}

/// PostgreSQL: a search counts its matches from the GIN index even when a
/// word is in most articles. The planner would otherwise scan the table,
/// since its cost model ignores that each row's vector must then be
/// fetched from TOAST and decompressed: ten times slower (measured: 130 ms
/// against 13 ms for a word in all of 10,000 articles). A relevance order
/// visits every match anyway, so it may not walk the date index either; a
/// date order may (for a common word it stops at the page's end).
fn pg_search_settings(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off",
        _ => "SET LOCAL enable_seqscan = off",
    }
}

/// The ids of one page (`limit + 1` of them) and the number of matches.
async fn page_ids(
    conn: &mut Conn,
    filter: &Filter,
    query: &Query,
    sort: Sort,
    after: Option<&CursorKey>,
    (offset, limit): (i64, i64),
    known_total: Option<i64>,
) -> QueryResult<(Vec<i64>, i64)> {
    let counting = known_total.is_none();
    let (total, rows) = page_rows(
        conn,
        filter,
        query,
        sort,
        after,
        (offset, limit + 1),
        counting,
    )
    .await?;
    let total = match (total.or(known_total), rows.as_slice().first()) {
        (Some(total), _) => total,
        (None, Some((_, counted))) => *counted,
        // A search page past the last match: count the matches alone.
        (None, None) if offset > 0 => {
            let (_, first) = page_rows(conn, filter, query, sort, after, (0, 1), true).await?;
            first.as_slice().first().map_or(0, |(_, counted)| *counted)
        }
        (None, None) => 0,
    };
    Ok((rows.into_iter().map(|(id, _)| id).collect(), total))
}

/// Runs a page's queries: the count when separate, and (id, count or 0)
/// rows.
async fn page_rows(
    conn: &mut Conn,
    filter: &Filter,
    query: &Query,
    sort: Sort,
    after: Option<&CursorKey>,
    (offset, fetch): (i64, i64),
    counting: bool,
) -> QueryResult<(Option<i64>, Vec<(i64, i64)>)> {
    if let Query::Pg(_) = query {
        conn.transaction(async |conn| {
            conn.batch_execute(pg_search_settings(sort)).await?;
            Ok(run!(conn, c => {
                page_queries!(c, filter, query, sort, after, (offset, fetch), counting, count_rows, load_ids)
            }))
        })
        .await
    } else {
        Ok(run!(conn, c => {
            page_queries!(c, filter, query, sort, after, (offset, fetch), counting, count_rows, load_ids)
        }))
    }
}

/// How the database would run a page's queries now (PostgreSQL's text
/// plans or SQLite's query plan lines), one list per query. Tests check
/// that lists and searches use their indexes.
pub async fn plans(
    conn: &mut Conn,
    filter: &Filter,
    sort: Sort,
    after: Option<&CursorKey>,
    (offset, limit): (i64, i64),
) -> QueryResult<Vec<Vec<String>>> {
    let Some(query) = query_of(conn.backend(), filter) else {
        return Ok(Vec::new());
    };
    conn.transaction(async |conn| {
        let mut plans = Vec::new();
        match conn.get() {
            ConnMut::Pg(c) => {
                use diesel_async::SimpleAsyncConnection as _;
                c.batch_execute(pg_search_settings(sort)).await?;
                let (count, ids) = page_queries!(
                    c,
                    filter,
                    &query,
                    sort,
                    after,
                    (offset, limit),
                    true,
                    explain_count_pg,
                    explain_pg
                );
                plans.extend(count);
                plans.push(ids);
            }
            ConnMut::Sqlite(c) => {
                let (count, ids) = page_queries!(
                    c,
                    filter,
                    &query,
                    sort,
                    after,
                    (offset, limit),
                    true,
                    explain_count_sqlite,
                    explain_sqlite
                );
                plans.extend(count);
                plans.push(ids);
            }
        }
        Ok(plans)
    })
    .await
}

/// How `filter`'s search runs on `backend`; `None` when it can match nothing.
fn query_of(backend: Backend, filter: &Filter) -> Option<Query> {
    Some(match &filter.search {
        Some(terms) if terms.is_empty() => return None,
        Some(terms) => match backend {
            Backend::Postgres => Query::Pg(terms.pg_tsquery()),
            Backend::Sqlite => Query::Fts5(terms.fts5_match()),
        },
        None => Query::None,
    })
}

/// The rows of `ids`, in that order.
async fn by_ids(conn: &mut Conn, ids: &[i64], columns: Columns) -> QueryResult<Vec<Article>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<Article> = run!(conn, c => {
        let q = articles::table.filter(articles::id.eq_any(ids));
        match columns {
            Columns::All => q.select(Article::as_select()).load(c).await?,
            Columns::WithoutBodies => q.select(without_bodies()).load(c).await?,
        }
    });
    if columns == Columns::WithoutBodies {
        fill_missing_leads(conn, &mut rows).await?;
    }
    rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
    Ok(rows)
}

/// Rows written before `body_lead` was stored, and not yet filled at start
/// (an older instance wrote them): their excerpt needs the body.
async fn fill_missing_leads(conn: &mut Conn, rows: &mut [Article]) -> QueryResult<()> {
    let missing: Vec<i64> = rows
        .iter()
        .filter(|r| r.excerpt.is_none() && r.body_lead.is_none())
        .map(|r| r.id)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let bodies: Vec<(i64, String)> = run!(conn, c => {
        articles::table
            .filter(articles::id.eq_any(&missing))
            .select((articles::id, articles::body))
            .load(c)
            .await?
    });
    for (id, body) in bodies {
        if let Some(row) = rows.iter_mut().find(|r| r.id == id) {
            row.body_lead = Some(crate::text::markdown::first_paragraph(&body).unwrap_or_default());
        }
    }
    Ok(())
}

/// One snippet of a search result.
#[derive(diesel::QueryableByName)]
struct Snippet {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    snippet: Option<String>,
}

/// Highlighted snippets of the page's rows only (never of every match).
async fn snippets(conn: &mut Conn, query: &str, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found: Vec<Snippet> = match conn.get() {
        ConnMut::Pg(c) => {
            diesel::sql_query(search::PG_SNIPPETS)
                .bind::<Text, _>(query)
                .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(ids)
                .load(c)
                .await?
        }
        ConnMut::Sqlite(c) => {
            let ids = serde_json::to_string(ids).unwrap_or_default();
            diesel::sql_query(search::SQLITE_SNIPPETS)
                .bind::<Text, _>(query)
                .bind::<Text, _>(ids)
                .load(c)
                .await?
        }
    };
    Ok(found
        .into_iter()
        .filter_map(|s| Some((s.id, search::snippet_html(&s.snippet?))))
        .collect())
}

/// Published articles sharing tags with `article_id`: most shared tags
/// first, then newest; never the article itself.
pub async fn related(
    conn: &mut Conn,
    article_id: i64,
    now: NaiveDateTime,
    limit: usize,
    columns: Columns,
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
    by_ids(conn, &ids, columns).await
}
