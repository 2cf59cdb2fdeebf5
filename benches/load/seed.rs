//! The benchmark database: created for the run, migrated by the service's
//! own `cms migrate`, seeded with direct SQL (multi-row inserts in one
//! transaction, through the service's Diesel schema so only the columns it
//! knows are written and defaults or generated columns fill the rest; GIN
//! indexes rebuilt after the load), then analyzed. Also the baseline's own additions, made after the service has
//! been measured.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDateTime;
use cms::db::schema::{article_tags, articles, authors, tags};
use diesel::{Connection, Insertable, QueryDsl, SqliteConnection};
use tokio_postgres::NoTls;

use crate::corpus::Corpus;

/// Rows per multi-row INSERT (12 values each, well under both backends'
/// limits on bound parameters).
const BATCH: usize = 500;

#[derive(Insertable)]
#[diesel(table_name = authors)]
struct NewAuthor<'a> {
    slug: &'a str,
    name: &'a str,
    bio: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = tags)]
struct NewTag<'a> {
    slug: &'a str,
    name: &'a str,
}

/// An article as the create path and then `publish` leave it: version 2,
/// no excerpt, no `publish_at`, `updated_at` at publication.
#[derive(Insertable)]
#[diesel(table_name = articles)]
struct NewArticle<'a> {
    slug: &'a str,
    title: &'a str,
    body: &'a str,
    body_html: &'a str,
    status: &'a str,
    published_at: Option<NaiveDateTime>,
    author_id: i64,
    word_count: i32,
    reading_time_minutes: i32,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    body_lead: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = article_tags)]
struct NewArticleTag {
    article_id: i64,
    tag_id: i64,
    position: i32,
}

diesel::table! {
    /// The baseline's precomputed teasers (and, on PostgreSQL, tsvectors).
    bench_extra (article_id) {
        article_id -> BigInt,
        excerpt -> Text,
    }
}

#[derive(Insertable)]
#[diesel(table_name = bench_extra)]
struct NewExtra<'a> {
    article_id: i64,
    excerpt: &'a str,
}

fn new_articles<'a>(corpus: &'a Corpus, authors: &HashMap<String, i64>) -> Vec<NewArticle<'a>> {
    corpus
        .docs
        .iter()
        .map(|d| NewArticle {
            slug: &d.slug,
            title: &d.title,
            body: &d.body,
            body_html: &d.body_html,
            status: "published",
            published_at: Some(d.published_at),
            author_id: authors[&corpus.authors[d.author].slug],
            word_count: d.word_count,
            reading_time_minutes: d.reading_time_minutes,
            version: 2,
            created_at: d.created_at,
            updated_at: d.published_at,
            body_lead: &d.teaser,
        })
        .collect()
}

fn new_article_tags(
    corpus: &Corpus,
    articles: &HashMap<String, i64>,
    tags: &HashMap<String, i64>,
) -> Vec<NewArticleTag> {
    corpus
        .docs
        .iter()
        .flat_map(|d| {
            d.tags.iter().enumerate().map(|(i, t)| NewArticleTag {
                article_id: articles[&d.slug],
                tag_id: tags[&corpus.tags[*t].slug],
                position: i as i32,
            })
        })
        .collect()
}

const REVISIONS: &str =
    "INSERT INTO article_revisions (article_id, version, title, body, created_at) \
     SELECT id, 1, title, body, created_at FROM articles";

// ---------------------------------------------------------------- PostgreSQL

async fn admin(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL is not reachable at {url} ({e}); start it or set TEST_DATABASE_URL")
        });
    tokio::spawn(conn);
    client
}

/// Creates `database` on the server of `admin_url`; returns its URL.
pub async fn pg_create(admin_url: &str, database: &str) -> String {
    admin(admin_url)
        .await
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .await
        .expect("create database");
    let mut parsed = url::Url::parse(admin_url).expect("TEST_DATABASE_URL is a URL");
    parsed.set_path(&format!("/{database}"));
    parsed.to_string()
}

/// Drops the PostgreSQL database when dropped, even on a panic.
pub struct PgGuard {
    pub admin_url: String,
    pub database: String,
}

impl Drop for PgGuard {
    fn drop(&mut self) {
        if std::env::var("BENCH_KEEP").is_ok_and(|v| v == "1") {
            eprintln!("BENCH_KEEP=1: kept database {}", self.database);
            return;
        }
        let (url, db) = (self.admin_url.clone(), self.database.clone());
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(pg_drop(&url, &db));
        })
        .join();
    }
}

async fn pg_drop(admin_url: &str, database: &str) {
    admin(admin_url)
        .await
        .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        .await
        .expect("drop database");
}

/// Process ids of the PostgreSQL backends serving `database` (their CPU
/// time is the database's share of a request).
pub async fn pg_backend_pids(admin_url: &str, database: &str) -> Vec<u32> {
    admin(admin_url)
        .await
        .query(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1",
            &[&database],
        )
        .await
        .expect("pg_stat_activity")
        .iter()
        .map(|r| r.get::<_, i32>(0) as u32)
        .collect()
}

pub async fn pg_seed(url: &str, corpus: &Corpus) {
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
    let started = Instant::now();
    let mut c = AsyncPgConnection::establish(url).await.expect("connect");
    c.batch_execute("BEGIN; SET LOCAL maintenance_work_mem = '256MB'")
        .await
        .expect("begin");
    // GIN indexes of articles (full-text search) are built after the
    // load: one build is much faster than row-by-row insertion into the
    // index and its pending list.
    let gin: Vec<IndexDef> = diesel::sql_query(
        "SELECT indexname AS name, indexdef AS def FROM pg_indexes \
         WHERE tablename = 'articles' AND indexdef LIKE '% USING gin %'",
    )
    .load(&mut c)
    .await
    .expect("gin indexes");
    for index in &gin {
        c.batch_execute(&format!("DROP INDEX {}", index.name))
            .await
            .expect("drop gin index");
    }
    let new: Vec<NewAuthor> = corpus
        .authors
        .iter()
        .map(|a| NewAuthor {
            slug: &a.slug,
            name: &a.name,
            bio: &a.bio,
        })
        .collect();
    diesel::insert_into(authors::table)
        .values(&new)
        .execute(&mut c)
        .await
        .expect("authors");
    let new: Vec<NewTag> = corpus
        .tags
        .iter()
        .map(|t| NewTag {
            slug: &t.slug,
            name: &t.name,
        })
        .collect();
    diesel::insert_into(tags::table)
        .values(&new)
        .execute(&mut c)
        .await
        .expect("tags");
    let author_ids: HashMap<String, i64> = authors::table
        .select((authors::slug, authors::id))
        .load(&mut c)
        .await
        .expect("author ids")
        .into_iter()
        .collect();
    let tag_ids: HashMap<String, i64> = tags::table
        .select((tags::slug, tags::id))
        .load(&mut c)
        .await
        .expect("tag ids")
        .into_iter()
        .collect();
    for chunk in new_articles(corpus, &author_ids).chunks(BATCH) {
        diesel::insert_into(articles::table)
            .values(chunk)
            .execute(&mut c)
            .await
            .expect("articles");
    }
    let article_ids: HashMap<String, i64> = articles::table
        .select((articles::slug, articles::id))
        .load(&mut c)
        .await
        .expect("article ids")
        .into_iter()
        .collect();
    for chunk in new_article_tags(corpus, &article_ids, &tag_ids).chunks(BATCH * 4) {
        diesel::insert_into(article_tags::table)
            .values(chunk)
            .execute(&mut c)
            .await
            .expect("article tags");
    }
    // The content-generation triggers are deferred to commit; PostgreSQL
    // builds no index on a table with trigger events pending.
    c.batch_execute("SET CONSTRAINTS ALL IMMEDIATE")
        .await
        .expect("fire deferred triggers");
    for index in &gin {
        c.batch_execute(&index.def).await.expect("build gin index");
    }
    c.batch_execute(REVISIONS).await.expect("revisions");
    c.batch_execute("COMMIT").await.expect("commit");
    let inserted = started.elapsed().as_secs_f64();
    // VACUUM as well as ANALYZE: a long-lived database has its visibility
    // map set by autovacuum, which index-only scans rely on.
    c.batch_execute("VACUUM ANALYZE")
        .await
        .expect("vacuum analyze");
    eprintln!(
        "  postgres: seeded in {:.1} s ({inserted:.1} s inserting, the rest in VACUUM ANALYZE)",
        started.elapsed().as_secs_f64()
    );
}

/// The baseline's additions, in a table of its own that the service never
/// reads (so both can run side by side): precomputed teasers, and tsvectors
/// with a GIN index.
pub async fn pg_baseline_extras(url: &str, corpus: &Corpus) {
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
    let mut c = AsyncPgConnection::establish(url).await.expect("connect");
    c.batch_execute(
        "CREATE TABLE bench_extra (article_id BIGINT PRIMARY KEY, excerpt TEXT NOT NULL, tsv TSVECTOR)",
    )
    .await
    .expect("bench_extra");
    let ids = slug_ids_pg(&mut c).await;
    let extras = extras(corpus, &ids);
    for chunk in extras.chunks(BATCH * 4) {
        diesel::insert_into(bench_extra::table)
            .values(chunk)
            .execute(&mut c)
            .await
            .expect("extras");
    }
    c.batch_execute(
        "UPDATE bench_extra e SET tsv = to_tsvector('simple', regexp_replace(
             a.title || ' ' || coalesce(a.excerpt, '') || ' ' || a.body, '[[:punct:]]+', ' ', 'g'))
           FROM articles a WHERE a.id = e.article_id;
         CREATE INDEX bench_extra_tsv_idx ON bench_extra USING GIN (tsv);",
    )
    .await
    .expect("baseline indexes");
    // Counting the matches of a common word is fastest from a GIN bitmap
    // over the expression itself (reading the tsvectors of 7,000 rows
    // costs more than counting the bitmap). The service's schema has had
    // one; make it if it is gone.
    let wanted = "to_tsvector('simple'::regconfig, regexp_replace(((((title || ' '::text) || \
                  COALESCE(excerpt, ''::text)) || ' '::text) || body), '[[:punct:]]+'::text, \
                  ' '::text, 'g'::text))";
    let present =
        diesel::sql_query("SELECT indexdef AS name FROM pg_indexes WHERE tablename = 'articles'")
            .load::<Name>(&mut c)
            .await
            .expect("indexes")
            .iter()
            .any(|n| n.name.contains(wanted));
    if !present {
        eprintln!("  no GIN index over the search expression: the baseline makes one");
        c.batch_execute(
            "CREATE INDEX bench_search_idx ON articles USING GIN (to_tsvector('simple', \
             regexp_replace(title || ' ' || coalesce(excerpt, '') || ' ' || body, \
             '[[:punct:]]+', ' ', 'g')))",
        )
        .await
        .expect("expression index");
    }
    c.batch_execute("VACUUM ANALYZE bench_extra")
        .await
        .expect("vacuum");
}

async fn slug_ids_pg(c: &mut diesel_async::AsyncPgConnection) -> HashMap<String, i64> {
    use diesel_async::RunQueryDsl;
    articles::table
        .select((articles::slug, articles::id))
        .load(c)
        .await
        .expect("article ids")
        .into_iter()
        .collect()
}

#[derive(diesel::QueryableByName)]
struct IndexDef {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    def: String,
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

fn extras<'a>(corpus: &'a Corpus, ids: &HashMap<String, i64>) -> Vec<NewExtra<'a>> {
    corpus
        .docs
        .iter()
        .map(|d| NewExtra {
            article_id: ids[&d.slug],
            excerpt: &d.teaser,
        })
        .collect()
}

// -------------------------------------------------------------------- SQLite

/// A fresh directory under `target/` for the SQLite file; returns the
/// directory and the database URL.
pub fn sqlite_create() -> (PathBuf, String) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let url = format!("sqlite://{}/cms.db", dir.display());
    (dir, url)
}

fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

pub fn sqlite_seed(url: &str, corpus: &Corpus) {
    use diesel::connection::SimpleConnection;
    let started = Instant::now();
    let mut c = SqliteConnection::establish(sqlite_path(url)).expect("open sqlite");
    c.batch_execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
        .expect("pragmas");
    // One transaction (Diesel's, since its multi-row inserts on SQLite
    // nest a savepoint in it).
    c.transaction::<_, diesel::result::Error, _>(|c| {
        sqlite_insert(c, corpus);
        Ok(())
    })
    .expect("seed transaction");
    c.batch_execute("ANALYZE; PRAGMA optimize;")
        .expect("analyze");
    eprintln!(
        "  sqlite: seeded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn sqlite_insert(c: &mut SqliteConnection, corpus: &Corpus) {
    use diesel::connection::SimpleConnection;
    use diesel::RunQueryDsl;
    for a in &corpus.authors {
        diesel::insert_into(authors::table)
            .values(NewAuthor {
                slug: &a.slug,
                name: &a.name,
                bio: &a.bio,
            })
            .execute(c)
            .expect("author");
    }
    for t in &corpus.tags {
        diesel::insert_into(tags::table)
            .values(NewTag {
                slug: &t.slug,
                name: &t.name,
            })
            .execute(c)
            .expect("tag");
    }
    let author_ids: HashMap<String, i64> = authors::table
        .select((authors::slug, authors::id))
        .load(c)
        .expect("author ids")
        .into_iter()
        .collect();
    let tag_ids: HashMap<String, i64> = tags::table
        .select((tags::slug, tags::id))
        .load(c)
        .expect("tag ids")
        .into_iter()
        .collect();
    for chunk in new_articles(corpus, &author_ids).chunks(BATCH) {
        diesel::insert_into(articles::table)
            .values(chunk)
            .execute(c)
            .expect("articles");
    }
    let article_ids: HashMap<String, i64> = articles::table
        .select((articles::slug, articles::id))
        .load(c)
        .expect("article ids")
        .into_iter()
        .collect();
    for chunk in new_article_tags(corpus, &article_ids, &tag_ids).chunks(BATCH * 4) {
        diesel::insert_into(article_tags::table)
            .values(chunk)
            .execute(c)
            .expect("article tags");
    }
    c.batch_execute(REVISIONS).expect("revisions");
}

/// The baseline's addition on SQLite, a table the service never reads:
/// precomputed teasers (the service's FTS5 table is already the best
/// full-text index SQLite has).
pub fn sqlite_baseline_extras(url: &str, corpus: &Corpus) {
    use diesel::connection::SimpleConnection;
    use diesel::RunQueryDsl;
    let mut c = SqliteConnection::establish(sqlite_path(url)).expect("open sqlite");
    c.batch_execute(
        "PRAGMA busy_timeout = 10000;
         CREATE TABLE bench_extra (article_id INTEGER PRIMARY KEY, excerpt TEXT NOT NULL);",
    )
    .expect("bench_extra");
    let ids: HashMap<String, i64> = articles::table
        .select((articles::slug, articles::id))
        .load(&mut c)
        .expect("article ids")
        .into_iter()
        .collect();
    c.transaction::<_, diesel::result::Error, _>(|c| {
        for chunk in extras(corpus, &ids).chunks(BATCH) {
            diesel::insert_into(bench_extra::table)
                .values(chunk)
                .execute(c)?;
        }
        Ok(())
    })
    .expect("extras");
    c.batch_execute("ANALYZE bench_extra;").expect("analyze");
}
