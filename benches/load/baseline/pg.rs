//! PostgreSQL: tokio-postgres clients (pipelined, statements prepared once
//! per client), one round trip per request. A page is found on ids alone
//! (one ordered range of `articles_status_published_at_idx` per visible
//! status, merged; the GIN index over the precomputed `bench_extra.tsv`;
//! `article_tags` for a tag) and only its rows are then read, with the
//! total in the same statement. The planner chooses freely for the page and
//! for the total.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row, Statement};

use super::{micros_to_utc, ArticleOut, AuthorOut, Filter, Found, ListReq, Start, TagOut};

const VISIBLE: &str = "a.status IN ('published', 'scheduled') AND a.trashed_at IS NULL \
    AND a.published_at <= (now() AT TIME ZONE 'utc')";

/// The words of an article as the service's search sees them.
pub const SEARCH_EXPRESSION: &str = "to_tsvector('simple', regexp_replace(\
    a.title || ' ' || coalesce(a.excerpt, '') || ' ' || a.body, '[[:punct:]]+', ' ', 'g'))";

fn micros(col: &str) -> String {
    format!("(extract(epoch FROM {col}) * 1000000)::int8")
}

/// Columns 0–19: the article; 20: `total`; then the author (6) and the
/// tags (3 arrays) when embedded; last, the article's `featured_image_id`.
fn columns(total: &str, author: bool, tags: bool) -> String {
    let mut cols = format!(
        "a.id, a.slug, a.title, coalesce(a.excerpt, e.excerpt, ''), a.body, a.body_html, \
         {}, {}, a.author_id, a.featured_image_url, a.meta_title, a.meta_description, \
         a.canonical_url, a.reading_time_minutes, a.word_count, a.comments_open, \
         (SELECT count(*) FROM comments c WHERE c.article_id = a.id AND c.visible), \
         a.version, {}, {}, {total}",
        micros("a.publish_at"),
        micros("a.published_at"),
        micros("a.created_at"),
        micros("a.updated_at"),
    );
    if author {
        cols.push_str(", au.id, au.slug, au.name, au.bio, au.avatar_url, au.website");
    }
    if tags {
        cols.push_str(", tg.ids, tg.slugs, tg.names");
    }
    cols.push_str(", a.featured_image_id");
    cols
}

fn joins(author: bool, tags: bool) -> String {
    let mut out = "LEFT JOIN bench_extra e ON e.article_id = a.id".to_owned();
    if author {
        out.push_str(" JOIN authors au ON au.id = a.author_id");
    }
    if tags {
        out.push_str(
            " LEFT JOIN LATERAL (SELECT array_agg(t.id ORDER BY x.position) AS ids, \
               array_agg(t.slug ORDER BY x.position) AS slugs, \
               array_agg(t.name ORDER BY x.position) AS names \
             FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id) tg ON true",
        );
    }
    out
}

fn article(row: &Row, author: bool, tags: bool) -> ArticleOut {
    let at = |i: usize| row.get::<_, Option<i64>>(i).map(micros_to_utc);
    let mut next = 21;
    let author = author.then(|| {
        next += 6;
        AuthorOut {
            id: row.get(21),
            slug: row.get(22),
            name: row.get(23),
            bio: row.get(24),
            avatar_url: row.get(25),
            website: row.get(26),
        }
    });
    let tags = tags.then(|| {
        let ids: Option<Vec<i64>> = row.get(next);
        let slugs: Option<Vec<String>> = row.get(next + 1);
        let names: Option<Vec<String>> = row.get(next + 2);
        ids.unwrap_or_default()
            .into_iter()
            .zip(slugs.unwrap_or_default())
            .zip(names.unwrap_or_default())
            .map(|((id, slug), name)| TagOut { id, slug, name })
            .collect()
    });
    ArticleOut {
        id: row.get(0),
        slug: row.get(1),
        title: row.get(2),
        excerpt: row.get(3),
        body: row.get(4),
        body_html: row.get(5),
        status: "published",
        publish_at: at(6),
        published_at: at(7),
        author_id: row.get(8),
        author,
        tags,
        featured_image_url: row.get(9),
        featured_image_id: row.get(row.len() - 1),
        meta_title: row.get(10),
        meta_description: row.get(11),
        canonical_url: row.get(12),
        reading_time_minutes: row.get(13),
        word_count: row.get(14),
        comments_open: row.get(15),
        comment_count: row.get(16),
        version: row.get(17),
        created_at: at(18).expect("created_at"),
        updated_at: at(19).expect("updated_at"),
    }
}

struct Conn {
    client: Client,
    statements: Mutex<HashMap<String, Statement>>,
}

pub struct Pool {
    conns: Vec<Conn>,
    next: AtomicUsize,
}

impl Pool {
    pub async fn connect(url: &str, size: usize) -> Self {
        let mut conns = Vec::new();
        for _ in 0..size.max(1) {
            let (client, connection) = tokio_postgres::connect(url, NoTls)
                .await
                .expect("baseline connects");
            actix_web::rt::spawn(connection);
            // The planner does not count the cost of detoasting a tsvector:
            // it scans all of `bench_extra` for a common word (20 ms at
            // 1,000 articles) where an index takes under 1 ms. No query of
            // the baseline is better served by a sequential scan. And the
            // best plan of a search depends on the word (walk the list in
            // order for a common one, collect the matches of a rare one),
            // so prepared statements are planned for their values.
            client
                .batch_execute("SET enable_seqscan = off; SET plan_cache_mode = force_custom_plan")
                .await
                .expect("planner settings");
            conns.push(Conn {
                client,
                statements: Mutex::new(HashMap::new()),
            });
        }
        Self {
            conns,
            next: AtomicUsize::new(0),
        }
    }

    async fn query(&self, sql: String, params: &[&(dyn ToSql + Sync)]) -> Vec<Row> {
        let conn = &self.conns[self.next.fetch_add(1, Ordering::Relaxed) % self.conns.len()];
        let cached = conn.statements.lock().unwrap().get(&sql).cloned();
        let statement = match cached {
            Some(s) => s,
            None => {
                let s = conn.client.prepare(&sql).await.expect("prepare");
                conn.statements.lock().unwrap().insert(sql, s.clone());
                s
            }
        };
        conn.client.query(&statement, params).await.expect("query")
    }

    pub async fn one(&self, slug: &str) -> Option<ArticleOut> {
        let sql = format!(
            "SELECT {} FROM articles a {} WHERE a.slug = $1 AND {VISIBLE}",
            columns("0::int8", false, false),
            joins(false, false)
        );
        let rows = self.query(sql, &[&slug]).await;
        rows.first().map(|r| article(r, false, false))
    }

    pub async fn list(&self, req: &ListReq) -> Found {
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        // The rows a filter selects: FROM and WHERE, and the sort key `k`
        // (newest first, or relevance when searching by rank).
        let (from, key, value): (&str, String, Option<String>) = match &req.filter {
            Filter::All => ("articles a", "a.published_at".to_owned(), None),
            Filter::Tag(slug) => (
                "article_tags x JOIN articles a ON a.id = x.article_id",
                "a.published_at".to_owned(),
                Some(slug.clone()),
            ),
            Filter::Search(words) => {
                let query = words
                    .iter()
                    .map(|w| {
                        let prefix = if w.chars().count() >= 3 { ":*" } else { "" };
                        format!("{w}{prefix}")
                    })
                    .collect::<Vec<_>>()
                    .join(" & ");
                let key = if req.rank {
                    "ts_rank_cd(e.tsv, to_tsquery('simple', $1))"
                } else {
                    "a.published_at"
                };
                (
                    "bench_extra e JOIN articles a ON a.id = e.article_id",
                    key.to_owned(),
                    Some(query),
                )
            }
        };
        let condition = match &req.filter {
            Filter::All => "TRUE",
            Filter::Tag(_) => "x.tag_id = (SELECT id FROM tags WHERE slug = $1)",
            Filter::Search(_) => "e.tsv @@ to_tsquery('simple', $1)",
        };
        if let Some(v) = &value {
            params.push(v);
        }
        let count_params = params.clone();
        let mut n = params.len();
        let mut placeholder = || {
            n += 1;
            format!("${n}")
        };
        let (after_at, after_id, offset, reach);
        let keyset = match req.start {
            Start::After(at, id) => {
                after_at = at.and_utc().timestamp_micros();
                after_id = id;
                let cond = format!(
                    " AND (a.published_at, a.id) < \
                     (timestamp 'epoch' + {}::int8 * interval '1 microsecond', {}::int8)",
                    placeholder(),
                    placeholder()
                );
                params.push(&after_at);
                params.push(&after_id);
                offset = 0;
                cond
            }
            Start::Offset(o) => {
                offset = o;
                String::new()
            }
        };
        let (off, limit) = (placeholder(), placeholder());
        params.push(&offset);
        params.push(&req.fetch);
        // Visible rows are published, or scheduled and due: one ordered
        // range of articles_status_published_at_idx per status, merged, so
        // the planner may walk the index in order (common words, big tags)
        // or collect the matches and sort them (rare ones). Each branch
        // needs at most offset + fetch rows.
        reach = offset + req.fetch;
        let r = placeholder();
        params.push(&reach);
        let branch = |status: &str| {
            format!(
                "(SELECT a.id, {key} AS k FROM {from} \
                  WHERE {condition} AND a.status = '{status}' \
                    AND a.published_at <= (now() AT TIME ZONE 'utc'){keyset} \
                  ORDER BY k DESC, a.id DESC LIMIT {r}::int8)"
            )
        };
        let page = format!(
            "{} UNION ALL {} ORDER BY k DESC, id DESC LIMIT {limit}::int8 OFFSET {off}::int8",
            branch("published"),
            branch("scheduled")
        );
        // The total of a search counts on a GIN index over the expression
        // (the bitmap needs no tsvector read; see `seed::pg_baseline_extras`).
        let count = match &req.filter {
            Filter::Search(_) => format!(
                "SELECT count(*) FROM articles a \
                 WHERE {SEARCH_EXPRESSION} @@ to_tsquery('simple', $1) AND {VISIBLE}"
            ),
            _ => format!("SELECT count(*) FROM {from} WHERE {condition} AND {VISIBLE}"),
        };
        let sql = format!(
            "WITH page AS ({page}) SELECT {} FROM page JOIN articles a ON a.id = page.id {} \
             ORDER BY page.k DESC, page.id DESC",
            columns(&format!("({count})"), req.author, req.tags),
            joins(req.author, req.tags)
        );
        let rows = self.query(sql, &params).await;
        let total = match rows.first() {
            Some(r) => r.get::<_, i64>(20),
            None => self.query(count, &count_params).await[0].get(0),
        };
        let data = rows
            .iter()
            .map(|r| article(r, req.author, req.tags))
            .collect();
        (data, total)
    }
}
