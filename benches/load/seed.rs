//! The benchmark database: created for the run, seeded in bulk with SQL,
//! dropped at the end.

use tokio_postgres::{Client, NoTls};

async fn connect(url: &str) -> Client {
    let (client, conn) = tokio_postgres::connect(url, NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL is not reachable at {url} ({e}); start it or set TEST_DATABASE_URL")
        });
    tokio::spawn(conn);
    client
}

fn with_database(url: &str, database: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("TEST_DATABASE_URL is a URL");
    parsed.set_path(&format!("/{database}"));
    parsed.to_string()
}

/// Creates `database` (the service migrates it); returns its URL.
pub async fn create_database(admin_url: &str, database: &str) -> String {
    let admin = connect(admin_url).await;
    admin
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .await
        .expect("create database");
    with_database(admin_url, database)
}

/// Drops the benchmark database.
pub async fn drop_database(admin_url: &str, database: &str) {
    let admin = connect(admin_url).await;
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        .await
        .expect("drop database");
}

/// Seeds `n` published articles; returns 200 of their slugs.
pub async fn seed(url: &str, n: i64) -> Vec<String> {
    let db = connect(url).await;
    let body = "The harbour authority opened a third container berth on Monday, \
                after two years of dredging and a delayed crane delivery.\n\n\
                Shipping lines had asked for the extra berth since volumes rose by \
                a fifth last year; the first vessel is due on Thursday.\n\n\
                > “We are ready,” the port director said.";
    let html = cms::text::markdown::render(body);
    db.batch_execute(
        "INSERT INTO authors (slug, name, bio) SELECT 'author-' || g, 'Author ' || g, 'Bio ' || g \
           FROM generate_series(1, 50) g;
         INSERT INTO tags (slug, name) SELECT 'tag-' || g, 'Tag ' || g FROM generate_series(1, 20) g;",
    )
    .await
    .expect("authors and tags");
    db.execute(
        "INSERT INTO articles (slug, title, body, body_html, status, published_at, author_id, word_count, reading_time_minutes)
         SELECT 'story-' || g, 'Story ' || g || ': harbour opens a third berth', $1, $2, 'published',
                (now() AT TIME ZONE 'utc') - make_interval(mins => g::int), 1 + g % 50, 60, 1
           FROM generate_series(1, $3::bigint) g",
        &[&body, &html, &n],
    )
    .await
    .expect("articles");
    db.batch_execute(
        "INSERT INTO article_tags (article_id, tag_id, position)
           SELECT id, 1 + id % 20, 0 FROM articles
           UNION ALL SELECT id, 1 + (id + 7) % 20, 1 FROM articles;
         ANALYZE;",
    )
    .await
    .expect("article tags");
    db.query("SELECT slug FROM articles ORDER BY random() LIMIT 200", &[])
        .await
        .expect("slugs")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// The cursor of the newest-first list positioned after `offset` rows.
pub async fn cursor_at(url: &str, offset: i64) -> String {
    let db = connect(url).await;
    let row = db
        .query_one(
            "SELECT (extract(epoch FROM published_at) * 1000000)::bigint, id FROM articles
              ORDER BY published_at DESC, id DESC OFFSET $1 LIMIT 1",
            &[&(offset - 1)],
        )
        .await
        .expect("cursor row");
    let (micros, id): (i64, i64) = (row.get(0), row.get(1));
    format!("pd.{micros}.{id}")
}
