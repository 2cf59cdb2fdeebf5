//! SQLite: synchronous Diesel connections with raw SQL on the blocking
//! thread pool, as many as the service has readers and with its settings
//! (WAL, 2 MiB page cache, no memory map). A page is found on ids alone
//! (one ordered range of the covering `articles_status_published_at_idx`
//! per visible status, merged, checking ids against the set a tag or the
//! service's FTS5 table gives, found once per statement), then only its
//! rows are read; authors and tags of a page take one query each.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp};
use tokio::sync::Semaphore;

use super::{ArticleOut, AuthorOut, Filter, Found, ListReq, Start, TagOut};

const VISIBLE: &str =
    "a.status IN ('published', 'scheduled') AND a.trashed_at IS NULL AND a.published_at <= ?";
/// [`VISIBLE`] with the instant as the second bound value.
const VISIBLE_2: &str =
    "a.status IN ('published', 'scheduled') AND a.trashed_at IS NULL AND a.published_at <= ?2";

const COLUMNS: &str = "a.id, a.slug, a.title, coalesce(a.excerpt, e.excerpt, '') AS excerpt, \
    a.body, a.body_html, a.publish_at, a.published_at, a.author_id, a.featured_image_url, \
    a.featured_image_id, a.meta_title, a.meta_description, a.canonical_url, a.reading_time_minutes, a.word_count, \
    a.comments_open, \
    (SELECT count(*) FROM comments c WHERE c.article_id = a.id AND c.visible) AS comment_count, \
    a.version, a.created_at, a.updated_at \
    FROM articles a LEFT JOIN bench_extra e ON e.article_id = a.id";

#[derive(QueryableByName)]
struct ArticleRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    excerpt: String,
    #[diesel(sql_type = Text)]
    body: String,
    #[diesel(sql_type = Text)]
    body_html: String,
    #[diesel(sql_type = Nullable<Timestamp>)]
    publish_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    published_at: Option<NaiveDateTime>,
    #[diesel(sql_type = BigInt)]
    author_id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    featured_image_url: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    featured_image_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    meta_title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    meta_description: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    canonical_url: Option<String>,
    #[diesel(sql_type = Integer)]
    reading_time_minutes: i32,
    #[diesel(sql_type = Integer)]
    word_count: i32,
    #[diesel(sql_type = Bool)]
    comments_open: bool,
    #[diesel(sql_type = BigInt)]
    comment_count: i64,
    #[diesel(sql_type = Integer)]
    version: i32,
    #[diesel(sql_type = Timestamp)]
    created_at: NaiveDateTime,
    #[diesel(sql_type = Timestamp)]
    updated_at: NaiveDateTime,
}

impl From<ArticleRow> for ArticleOut {
    fn from(r: ArticleRow) -> Self {
        ArticleOut {
            id: r.id,
            slug: r.slug,
            title: r.title,
            excerpt: r.excerpt,
            body: r.body,
            body_html: r.body_html,
            status: "published",
            publish_at: r.publish_at.map(|t| t.and_utc()),
            published_at: r.published_at.map(|t| t.and_utc()),
            author_id: r.author_id,
            author: None,
            tags: None,
            featured_image_url: r.featured_image_url,
            featured_image_id: r.featured_image_id,
            meta_title: r.meta_title,
            meta_description: r.meta_description,
            canonical_url: r.canonical_url,
            reading_time_minutes: r.reading_time_minutes,
            word_count: r.word_count,
            comments_open: r.comments_open,
            comment_count: r.comment_count,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct AuthorRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    bio: String,
    #[diesel(sql_type = Nullable<Text>)]
    avatar_url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    website: Option<String>,
}

#[derive(QueryableByName)]
struct TagRow {
    #[diesel(sql_type = BigInt)]
    article_id: i64,
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Text)]
    name: String,
}

pub struct Pool {
    conns: Arc<Mutex<Vec<SqliteConnection>>>,
    permits: Semaphore,
}

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

impl Pool {
    pub fn open(url: &str, size: usize) -> Self {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        let conns = (0..size.max(1))
            .map(|_| {
                let mut c = SqliteConnection::establish(path).expect("open sqlite");
                c.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2048; PRAGMA mmap_size = 0;",
                )
                .expect("pragmas");
                c
            })
            .collect();
        Self {
            conns: Arc::new(Mutex::new(conns)),
            permits: Semaphore::new(size.max(1)),
        }
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut SqliteConnection) -> T + Send + 'static,
    ) -> T {
        let _permit = self.permits.acquire().await.expect("semaphore");
        let conns = self.conns.clone();
        actix_web::web::block(move || {
            let mut c = conns.lock().unwrap().pop().expect("a free connection");
            let out = f(&mut c);
            conns.lock().unwrap().push(c);
            out
        })
        .await
        .expect("blocking task")
    }

    pub async fn one(&self, slug: String) -> Option<ArticleOut> {
        self.with(move |c| {
            diesel::sql_query(format!("SELECT {COLUMNS} WHERE a.slug = ? AND {VISIBLE}"))
                .bind::<Text, _>(slug)
                .bind::<Timestamp, _>(now())
                .get_result::<ArticleRow>(c)
                .optional()
                .expect("article")
                .map(ArticleOut::from)
        })
        .await
    }

    pub async fn list(&self, req: ListReq) -> Found {
        self.with(move |c| list(c, &req)).await
    }
}

fn fts5_match(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            let prefix = if w.chars().count() >= 3 { "*" } else { "" };
            format!("\"{w}\"{prefix}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn list(c: &mut SqliteConnection, req: &ListReq) -> Found {
    let now = now();
    let (keyset, at, id) = match req.start {
        Start::After(at, id) => ("AND (a.published_at, a.id) < (?2, ?3)", at, id),
        // The same binds either way: two placeholders that filter nothing.
        Start::Offset(_) => ("AND ?2 IS NOT NULL AND ?3 IS NOT NULL", now, 0),
    };
    let offset = match req.start {
        Start::Offset(o) => o,
        Start::After(..) => 0,
    };
    let is_search = matches!(req.filter, Filter::Search(_));
    let (ids, total): (Vec<i64>, i64) = match &req.filter {
        Filter::All | Filter::Tag(_) | Filter::Search(_) if !(req.rank && is_search) => {
            // Published, or scheduled and due: one ordered range of the
            // covering index per status, merged; each needs at most offset
            // + fetch rows. A tag or a search is a set of ids checked on
            // the way, so no article row is read (its status and date lie
            // after the body, behind overflow pages).
            // The set (tag or search) is found once, in a materialized CTE
            // that the page and the total both read.
            let (with, value) = match &req.filter {
                Filter::All => ("WITH s(id) AS (SELECT ?7)".to_owned(), String::new()),
                Filter::Tag(slug) => (
                    "WITH s AS MATERIALIZED (SELECT article_id AS id FROM article_tags \
                     WHERE tag_id = (SELECT id FROM tags WHERE slug = ?7))"
                        .to_owned(),
                    slug.clone(),
                ),
                Filter::Search(words) => (
                    "WITH s AS MATERIALIZED (SELECT rowid AS id FROM articles_search \
                     WHERE articles_search MATCH ?7)"
                        .to_owned(),
                    fts5_match(words),
                ),
            };
            let set = if matches!(req.filter, Filter::All) {
                ""
            } else {
                "AND a.id IN s"
            };
            let branch = |status: &str| {
                format!(
                    "SELECT * FROM (SELECT a.id, a.published_at AS k FROM articles a \
                     WHERE a.status = '{status}' AND a.published_at <= ?1 {keyset} {set} \
                     ORDER BY a.published_at DESC, a.id DESC LIMIT ?5)"
                )
            };
            let sql = format!(
                "{with} SELECT id, (SELECT count(*) FROM articles a \
                   WHERE a.status IN ('published', 'scheduled') AND a.trashed_at IS NULL AND a.published_at <= ?1 {set}) AS n \
                 FROM ({} UNION ALL {}) ORDER BY k DESC, id DESC LIMIT ?4 OFFSET ?6",
                branch("published"),
                branch("scheduled")
            );
            let rows: Vec<IdRow> = diesel::sql_query(sql)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(at)
                .bind::<BigInt, _>(id)
                .bind::<BigInt, _>(req.fetch)
                .bind::<BigInt, _>(req.fetch + offset)
                .bind::<BigInt, _>(offset)
                .bind::<Text, _>(&value)
                .load(c)
                .expect("page ids");
            let total = match rows.first() {
                Some(r) => r.n,
                None => {
                    let count: Count = diesel::sql_query(format!(
                        "{} SELECT count(*) AS n FROM articles a \
                         WHERE a.status IN ('published', 'scheduled') AND a.trashed_at IS NULL AND a.published_at <= ?1 {set}",
                        with.replace("?7", "?2")
                    ))
                    .bind::<Timestamp, _>(now)
                    .bind::<Text, _>(&value)
                    .get_result(c)
                    .expect("total");
                    count.n
                }
            };
            (rows.into_iter().map(|r| r.id).collect(), total)
        }
        // Search by relevance: bm25() needs the FTS5 row, so one pass over
        // the matches gives the page and the total.
        _ => {
            let (m, value) = match &req.filter {
                Filter::Tag(slug) => (
                    format!(
                        "SELECT a.id, a.published_at AS k FROM article_tags x \
                         JOIN articles a ON a.id = x.article_id \
                         WHERE x.tag_id = (SELECT id FROM tags WHERE slug = ?1) AND {VISIBLE_2}"
                    ),
                    slug.clone(),
                ),
                Filter::Search(words) => {
                    let key = if req.rank {
                        "-bm25(articles_search)"
                    } else {
                        "a.published_at"
                    };
                    (
                        format!(
                            "SELECT a.id, {key} AS k FROM articles_search \
                             JOIN articles a ON a.id = articles_search.rowid \
                             WHERE articles_search MATCH ?1 AND {VISIBLE_2}"
                        ),
                        fts5_match(words),
                    )
                }
                Filter::All => unreachable!(),
            };
            // One pass over the matches gives the page and the total.
            let keyset = match req.start {
                Start::After(..) => "AND (k, id) < (?3, ?4)",
                Start::Offset(_) => "AND ?3 IS NOT NULL AND ?4 IS NOT NULL",
            };
            let sql = format!(
                "WITH m AS MATERIALIZED ({m}) SELECT id, (SELECT count(*) FROM m) AS n FROM m \
                 WHERE 1 {keyset} ORDER BY k DESC, id DESC LIMIT ?5 OFFSET ?6"
            );
            let rows: Vec<IdRow> = diesel::sql_query(sql)
                .bind::<Text, _>(&value)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(at)
                .bind::<BigInt, _>(id)
                .bind::<BigInt, _>(req.fetch)
                .bind::<BigInt, _>(offset)
                .load(c)
                .expect("page ids");
            let total = match rows.first() {
                Some(r) => r.n,
                None => {
                    let count: Count =
                        diesel::sql_query(format!("SELECT count(*) AS n FROM ({m})"))
                            .bind::<Text, _>(&value)
                            .bind::<Timestamp, _>(now)
                            .get_result(c)
                            .expect("total");
                    count.n
                }
            };
            (rows.into_iter().map(|r| r.id).collect(), total)
        }
    };
    if ids.is_empty() {
        return (Vec::new(), total);
    }
    let ids_json = serde_json::to_string(&ids).expect("ids");
    let rows: Vec<ArticleRow> = diesel::sql_query(format!(
        "SELECT {COLUMNS} WHERE a.id IN (SELECT value FROM json_each(?))"
    ))
    .bind::<Text, _>(&ids_json)
    .load(c)
    .expect("rows");
    let mut by_id: HashMap<i64, ArticleOut> = rows.into_iter().map(|r| (r.id, r.into())).collect();
    if req.author {
        let authors: Vec<AuthorRow> = diesel::sql_query(
            "SELECT id, slug, name, bio, avatar_url, website FROM authors \
             WHERE id IN (SELECT DISTINCT author_id FROM articles \
                          WHERE id IN (SELECT value FROM json_each(?)))",
        )
        .bind::<Text, _>(&ids_json)
        .load(c)
        .expect("authors");
        let authors: HashMap<i64, AuthorRow> = authors.into_iter().map(|a| (a.id, a)).collect();
        for a in by_id.values_mut() {
            a.author = authors.get(&a.author_id).map(|r| AuthorOut {
                id: r.id,
                slug: r.slug.clone(),
                name: r.name.clone(),
                bio: r.bio.clone(),
                avatar_url: r.avatar_url.clone(),
                website: r.website.clone(),
            });
        }
    }
    if req.tags {
        let tags: Vec<TagRow> = diesel::sql_query(
            "SELECT x.article_id, t.id, t.slug, t.name FROM article_tags x \
             JOIN tags t ON t.id = x.tag_id \
             WHERE x.article_id IN (SELECT value FROM json_each(?)) \
             ORDER BY x.article_id, x.position",
        )
        .bind::<Text, _>(&ids_json)
        .load(c)
        .expect("tags");
        for a in by_id.values_mut() {
            a.tags = Some(Vec::new());
        }
        for t in tags {
            if let Some(Some(list)) = by_id.get_mut(&t.article_id).map(|a| a.tags.as_mut()) {
                list.push(TagOut {
                    id: t.id,
                    slug: t.slug,
                    name: t.name,
                });
            }
        }
    }
    let data = ids.iter().filter_map(|id| by_id.remove(id)).collect();
    (data, total)
}
