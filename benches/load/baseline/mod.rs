//! The baseline: an independent, minimal actix-web server answering the
//! benchmark's requests with the same information as the service (same
//! fields, same rows, same totals) by the best queries we could write. It
//! shares no code with the service's request path: its own SQL (index-
//! ordered id pages joined back to their rows, one round trip on
//! PostgreSQL), precomputed teasers and search vectors, JSON serialized
//! straight from structs. It runs as its own process: this benchmark binary
//! re-run with the argument `baseline`.
//!
//! It answers only what the benchmark asks: `GET /api/v1/articles/{slug}`
//! and `GET /api/v1/articles` with `page`, `per_page`, `cursor` (`pd.` form),
//! `include`, `q` and `tag`.

mod pg;
mod sqlite;

use std::collections::HashMap;

use actix_web::{web, App, HttpResponse, HttpServer};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

#[derive(Serialize)]
pub struct AuthorOut {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub avatar_url: Option<String>,
    pub website: Option<String>,
}

#[derive(Serialize)]
pub struct TagOut {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// An article, field for field as the service shows it.
#[derive(Serialize)]
pub struct ArticleOut {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub body: String,
    pub body_html: String,
    /// Only visible rows are read: published, or scheduled and due, which
    /// readers see as published.
    pub status: &'static str,
    pub publish_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub author_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<AuthorOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagOut>>,
    pub featured_image_url: Option<String>,
    pub featured_image_id: Option<i64>,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub canonical_url: Option<String>,
    pub reading_time_minutes: i32,
    pub word_count: i32,
    pub comments_open: bool,
    pub comment_count: i64,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Meta {
    page: Option<u32>,
    per_page: u32,
    total: i64,
    next_cursor: Option<String>,
}

#[derive(Serialize)]
struct ListOut {
    data: Vec<ArticleOut>,
    meta: Meta,
}

/// Which rows a list shows.
pub enum Filter {
    All,
    Tag(String),
    /// Search words, lower-cased, letters and digits only (as the service
    /// splits `q`); every word required, words of 3+ characters as prefixes.
    Search(Vec<String>),
}

/// Where a page starts.
pub enum Start {
    Offset(i64),
    /// After this (published_at, id) in newest-first order.
    After(NaiveDateTime, i64),
}

pub struct ListReq {
    pub filter: Filter,
    pub start: Start,
    /// Rows to fetch: the page size plus one (to learn whether more follow).
    pub fetch: i64,
    pub author: bool,
    pub tags: bool,
    /// Search results by relevance instead of newest first.
    pub rank: bool,
}

/// Rows of a page and the number of rows matching the filter.
pub type Found = (Vec<ArticleOut>, i64);

pub fn micros_to_utc(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).expect("timestamp in range")
}

enum Db {
    Pg(pg::Pool),
    Sqlite(sqlite::Pool),
}

impl Db {
    async fn one(&self, slug: String) -> Option<ArticleOut> {
        match self {
            Db::Pg(p) => p.one(&slug).await,
            Db::Sqlite(p) => p.one(slug).await,
        }
    }

    async fn list(&self, req: ListReq) -> Found {
        match self {
            Db::Pg(p) => p.list(&req).await,
            Db::Sqlite(p) => p.list(req).await,
        }
    }
}

fn json<T: Serialize>(value: &T) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(serde_json::to_vec(value).expect("json"))
}

async fn one(db: web::Data<Db>, slug: web::Path<String>) -> HttpResponse {
    match db.one(slug.into_inner()).await {
        Some(article) => json(&article),
        None => HttpResponse::NotFound().finish(),
    }
}

/// `pd.<micros>.<id>`: the documented newest-first cursor.
fn parse_cursor(raw: &str) -> Option<(NaiveDateTime, i64)> {
    let mut parts = raw.strip_prefix("pd.")?.split('.');
    let micros: i64 = parts.next()?.parse().ok()?;
    let id: i64 = parts.next()?.parse().ok()?;
    Some((micros_to_utc(micros).naive_utc(), id))
}

async fn list(
    db: web::Data<Db>,
    rank: web::Data<bool>,
    q: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    let per_page: u32 = q.get("per_page").and_then(|v| v.parse().ok()).unwrap_or(20);
    let cursor = q.get("cursor").map(|c| parse_cursor(c));
    let page: Option<u32> = match cursor {
        Some(_) => None,
        None => Some(q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1)),
    };
    let start = match (cursor, page) {
        (Some(Some((at, id))), _) => Start::After(at, id),
        (Some(None), _) => return HttpResponse::BadRequest().finish(),
        (None, p) => Start::Offset(i64::from(p.unwrap_or(1) - 1) * i64::from(per_page)),
    };
    let include = q.get("include").map(String::as_str).unwrap_or("");
    let filter = if let Some(words) = q.get("q") {
        let words: Vec<String> = words
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .take(16)
            .collect();
        if words.is_empty() {
            let meta = Meta {
                page,
                per_page,
                total: 0,
                next_cursor: None,
            };
            return json(&ListOut { data: vec![], meta });
        }
        Filter::Search(words)
    } else if let Some(tag) = q.get("tag") {
        Filter::Tag(tag.clone())
    } else {
        Filter::All
    };
    let req = ListReq {
        filter,
        start,
        fetch: i64::from(per_page) + 1,
        author: include.split(',').any(|i| i == "author"),
        tags: include.split(',').any(|i| i == "tags"),
        rank: **rank,
    };
    let (mut data, total) = db.list(req).await;
    let has_more = data.len() > per_page as usize;
    data.truncate(per_page as usize);
    let next_cursor = has_more.then(|| data.last()).flatten().and_then(|a| {
        Some(format!(
            "pd.{}.{}",
            a.published_at?.timestamp_micros(),
            a.id
        ))
    });
    let meta = Meta {
        page,
        per_page,
        total,
        next_cursor,
    };
    json(&ListOut { data, meta })
}

/// `baseline <postgres|sqlite> <database url> <port> <workers> <pool>`.
pub fn run(args: &[String]) {
    let [backend, url, port, workers, pool] = args else {
        panic!("usage: baseline <postgres|sqlite> <database url> <port> <workers> <pool>");
    };
    let port: u16 = port.parse().expect("port");
    let workers: usize = workers.parse().expect("workers");
    let pool: usize = pool.parse().expect("pool size");
    let rank = std::env::var("BENCH_SEARCH_ORDER").as_deref() == Ok("rank");
    actix_web::rt::System::new().block_on(async move {
        let db = web::Data::new(match backend.as_str() {
            "postgres" => Db::Pg(pg::Pool::connect(url, pool).await),
            _ => Db::Sqlite(sqlite::Pool::open(url, pool)),
        });
        let rank = web::Data::new(rank);
        HttpServer::new(move || {
            App::new()
                .app_data(db.clone())
                .app_data(rank.clone())
                .route("/ready", web::get().to(HttpResponse::Ok))
                .route("/api/v1/articles", web::get().to(list))
                .route("/api/v1/articles/{slug}", web::get().to(one))
        })
        .workers(workers)
        .bind(("127.0.0.1", port))
        .expect("bind")
        .run()
        .await
        .expect("baseline server");
    });
}
