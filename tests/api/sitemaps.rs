//! Sitemaps through HTTP on both backends, read with a real XML parser
//! (roxmltree) and held to the protocol's rules: the index lists every
//! page, no page holds more than the page size, every `loc` is absolute and
//! on the site, every `lastmod` a W3C datetime, the namespaces right; the
//! news sitemap lists the last 48 hours only, with Google News' elements.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::Value;

use crate::feeds::{article, at, newsroom, QUOTED_TITLE};
use crate::fixtures;
use crate::harness::{assert_problem, both_backends_with, TestApp};

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
const SITE: &str = "https://news.example/edition";

both_backends_with!(
    [
        ("SITE_URL", "https://news.example/edition/"),
        ("SITE_NAME", "Harbour “Times” & Co"),
        ("ARTICLE_URL_TEMPLATE", "/news/{id}-{slug}"),
        ("SITEMAP_PAGE_SIZE", "2"),
    ],
    sitemap_index_and_pages_follow_the_protocol,
    news_sitemap_lists_the_last_two_days
);

/// `GET path` as XML: its text (parse it with [`parse`]).
async fn xml(app: &TestApp, path: &str) -> (String, reqwest::header::HeaderMap) {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    let headers = res.headers().clone();
    assert_eq!(
        headers["content-type"], "application/xml; charset=utf-8",
        "{path}"
    );
    (res.text().await.unwrap(), headers)
}

fn parse(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not XML: {e}\n{text}"))
}

/// The text of the only child `name` (in `ns`) of `node`.
fn child<'a>(node: roxmltree::Node<'a, 'a>, ns: &str, name: &str) -> &'a str {
    let found: Vec<_> = node
        .children()
        .filter(|c| c.has_tag_name((ns, name)))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one <{name}> in {ns} under {:?}",
        node.tag_name()
    );
    found[0].text().unwrap_or_default()
}

/// A W3C datetime with seconds and a zone, as Google reads `lastmod`.
fn w3c(value: &str) -> DateTime<Utc> {
    let re =
        regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$").unwrap();
    assert!(re.is_match(value), "not a W3C datetime: {value}");
    DateTime::parse_from_rfc3339(value)
        .unwrap()
        .with_timezone(&Utc)
}

fn url_of(article: &Value) -> String {
    format!(
        "{SITE}/news/{}-{}",
        article["id"],
        article["slug"].as_str().unwrap()
    )
}

async fn sitemap_index_and_pages_follow_the_protocol(app: TestApp) {
    let room = newsroom(&app).await;
    let author = &room.published[0]["author_id"];
    let mut published = room.published.clone();
    for title in ["Fourth story", "Fifth story"] {
        published.push(fixtures::published(&app, author, title, &[]).await);
    }

    let (text, headers) = xml(&app, "/sitemap.xml").await;
    let doc = parse(&text);
    let root = doc.root_element();
    assert!(root.has_tag_name((SITEMAP_NS, "sitemapindex")), "{text}");
    let locs: Vec<&str> = root
        .children()
        .filter(|n| n.is_element())
        .map(|n| {
            assert!(n.has_tag_name((SITEMAP_NS, "sitemap")), "{text}");
            child(n, SITEMAP_NS, "loc")
        })
        .collect();
    // 5 published articles, 2 a page: 3 pages.
    let expected: Vec<String> = (1..=3)
        .map(|n| format!("{SITE}/sitemaps/articles-{n}.xml"))
        .collect();
    assert_eq!(locs, expected);
    assert_eq!(headers["cache-control"], "public, max-age=60");

    let mut seen = Vec::new();
    for loc in &locs {
        let path = loc.strip_prefix(SITE).unwrap();
        let (text, _) = xml(&app, path).await;
        let doc = parse(&text);
        let root = doc.root_element();
        assert!(root.has_tag_name((SITEMAP_NS, "urlset")), "{text}");
        let urls: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        assert!(
            !urls.is_empty() && urls.len() <= 2,
            "{path}: {} URLs",
            urls.len()
        );
        for url in urls {
            assert!(url.has_tag_name((SITEMAP_NS, "url")), "{text}");
            let loc = child(url, SITEMAP_NS, "loc");
            assert!(loc.starts_with(&format!("{SITE}/")), "{loc}");
            assert!(url::Url::parse(loc).is_ok(), "{loc}");
            let lastmod = w3c(child(url, SITEMAP_NS, "lastmod"));
            seen.push((loc.to_owned(), lastmod));
        }
    }
    // Every published article once, oldest first; nothing else.
    let expected: Vec<String> = published.iter().map(url_of).collect();
    let got: Vec<String> = seen.iter().map(|(loc, _)| loc.clone()).collect();
    assert_eq!(got, expected);
    for ((_, lastmod), article) in seen.iter().zip(&published) {
        assert_eq!(lastmod.timestamp(), at(&article["updated_at"]).timestamp());
    }

    // Out of range, or not a page number: 404.
    for path in [
        "/sitemaps/articles-4.xml",
        "/sitemaps/articles-0.xml",
        "/sitemaps/articles-01.xml",
        "/sitemaps/articles-x.xml",
    ] {
        assert_problem(app.get(path).await, 404, "not_found").await;
    }

    // Validators: 304 with the ETag.
    let res = app.get("/sitemaps/articles-1.xml").await;
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let res = app
        .request(Method::GET, "/sitemaps/articles-1.xml")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);

    // A sixth article makes a fourth page (the cached index is dropped).
    published.push(fixtures::published(&app, author, "Sixth story", &[]).await);
    let (text, _) = xml(&app, "/sitemap.xml").await;
    assert_eq!(
        parse(&text)
            .root_element()
            .children()
            .filter(|n| n.is_element())
            .count(),
        3
    );
    published.push(fixtures::published(&app, author, "Seventh story", &[]).await);
    let (text, _) = xml(&app, "/sitemap.xml").await;
    assert_eq!(
        parse(&text)
            .root_element()
            .children()
            .filter(|n| n.is_element())
            .count(),
        4
    );
    let (text, _) = xml(&app, "/sitemaps/articles-4.xml").await;
    assert!(text.contains(&url_of(published.last().unwrap())), "{text}");
}

/// Moves an article's publication `hours` into the past, in the database.
async fn backdate(app: &TestApp, id: i64, hours: i64) {
    use cms::db::schema::articles;
    use diesel::{ExpressionMethods, QueryDsl};
    use diesel_async::RunQueryDsl;
    let when = cms::db::time::now() - Duration::hours(hours);
    let mut conn = app.state.db.writer().await.unwrap();
    let query = diesel::update(articles::table.filter(articles::id.eq(id)))
        .set(articles::published_at.eq(when));
    let changed = match conn.get() {
        cms::db::ConnMut::Pg(c) => query.execute(c).await,
        cms::db::ConnMut::Sqlite(c) => query.execute(c).await,
    }
    .unwrap();
    assert_eq!(changed, 1);
}

async fn news_sitemap_lists_the_last_two_days(app: TestApp) {
    let room = newsroom(&app).await;
    // Omar's story left the news two days and an hour ago.
    let old = &room.published[1];
    backdate(&app, old["id"].as_i64().unwrap(), 49).await;
    let author = &room.published[0]["author_id"];
    let recent = article(
        &app,
        &serde_json::json!({ "id": author }),
        "Night & day: the port’s “new normal”",
        serde_json::json!({ "body": "Text." }),
    )
    .await;
    let recent = fixtures::publish(&app, &recent["id"]).await;

    let (text, headers) = xml(&app, "/sitemaps/news.xml").await;
    assert_eq!(headers["cache-control"], "public, max-age=60");
    let doc = parse(&text);
    let root = doc.root_element();
    assert!(root.has_tag_name((SITEMAP_NS, "urlset")), "{text}");
    assert_eq!(
        root.lookup_namespace_uri(Some("news")),
        Some(NEWS_NS),
        "{text}"
    );
    let now = Utc::now();
    let mut listed = Vec::new();
    for url in root.children().filter(|n| n.is_element()) {
        assert!(url.has_tag_name((SITEMAP_NS, "url")));
        let loc = child(url, SITEMAP_NS, "loc");
        assert!(loc.starts_with(&format!("{SITE}/news/")), "{loc}");
        let news = url
            .children()
            .find(|c| c.has_tag_name((NEWS_NS, "news")))
            .unwrap_or_else(|| panic!("no news:news in {text}"));
        let publication = news
            .children()
            .find(|c| c.has_tag_name((NEWS_NS, "publication")))
            .expect("news:publication");
        assert_eq!(child(publication, NEWS_NS, "name"), "Harbour “Times” & Co");
        assert_eq!(child(publication, NEWS_NS, "language"), "en");
        let date = w3c(child(news, NEWS_NS, "publication_date"));
        assert!(now - date < Duration::hours(48), "{date} is too old");
        listed.push((loc.to_owned(), child(news, NEWS_NS, "title").to_owned()));
    }
    // Newest first; the backdated, draft, trashed and embargoed ones absent.
    let expected: Vec<(String, String)> = [&recent, &room.published[2], &room.published[0]]
        .into_iter()
        .map(|a| (url_of(a), a["title"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(listed[2].1, QUOTED_TITLE);

    // The backdated article is still in the articles' sitemap.
    let mut all = BTreeSet::new();
    for n in 1..=2 {
        let (text, _) = xml(&app, &format!("/sitemaps/articles-{n}.xml")).await;
        let doc = parse(&text);
        for url in doc.root_element().children().filter(|n| n.is_element()) {
            all.insert(child(url, SITEMAP_NS, "loc").to_owned());
        }
    }
    assert!(all.contains(&url_of(old)), "{all:?}");
    assert_eq!(all.len(), 4);
}
